"""An update runs the store's compaction on idle CPU time only, and leaves its
threads as they were: RocksDB's merge of small files, started when the store
opens, took a core from the views' refresh (graph/incremental.py)."""
import os
import resource

import pyoxigraph as ox
import pytest

from graph import incremental


def _policies(tids):
    return {tid: os.sched_getscheduler(tid) for tid in tids}


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="thread scheduling policies are Linux's")
def test_compaction_threads_idle_during_an_update_only(tmp_path):
    store = ox.Store(str(tmp_path / "store"))      # RocksDB starts its threads when a store opens
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("o"), ox.NamedNode("http://example.org/g")))
    tids = incremental._threads_named(incremental._COMPACTION_THREAD)
    assert tids, "an open Oxigraph store on disk has RocksDB compaction threads"
    before = _policies(tids)
    assert os.SCHED_IDLE not in before.values()
    with incremental._compaction_when_idle():
        assert set(_policies(tids).values()) == {os.SCHED_IDLE}
        # Other threads (this one; the flush threads the update waits for) are left alone.
        assert os.sched_getscheduler(0) != os.SCHED_IDLE
        assert all(os.sched_getscheduler(t) != os.SCHED_IDLE for t in incremental._threads_named("rocksdb:high"))
    after = before if _may_raise_priority() else {tid: os.SCHED_IDLE for tid in tids}
    assert _policies(tids) == after
    # And after a failed update too.
    with pytest.raises(RuntimeError):
        with incremental._compaction_when_idle():
            raise RuntimeError("the update failed")
    assert _policies(tids) == after


def _may_raise_priority():
    """Whether Linux lets this process take a thread from SCHED_IDLE back to nice 0."""
    return os.geteuid() == 0 or resource.getrlimit(resource.RLIMIT_NICE)[0] >= 20
