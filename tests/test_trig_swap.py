"""graph.trig's file steps for the incremental build: a graph found by a search for
one byte of its boundary (a "}" inside a literal is not a boundary), and the new
file swapped in for the old one. (A literal holding a whole boundary, "}", two
newlines and "<", would still be read as one: the file format's own limit.)"""
import pytest
from rdflib import URIRef

from graph import trig
from test_trig_splice import G, S, _dataset


def _trig(spec):
    """(TriG bytes, dataset) of spec: graph name -> {subject name: one value}."""
    ds = _dataset({g: {s: [v] for s, v in subjects.items()} for g, subjects in spec.items()})
    return trig.serialize_trig(ds), ds


@pytest.mark.parametrize("big_block", [1 << 30, 0], ids=["whole-blocks", "stanza-by-stanza"])
def test_braces_inside_literals_are_not_graph_boundaries(tmp_path, monkeypatch, big_block):
    monkeypatch.setattr(trig, "_BIG_BLOCK", big_block)
    braces = {"a": "x } y", "b": "}", "c": "{ a } }\n< not a graph", "d": "plain"}
    before = {g: dict(braces) for g in ("a", "b", "c", "d")}
    after = {g: dict(braces) for g in ("a", "b", "c", "d")}
    after["c"]["b"] = "changed }"
    after["c"]["e"] = "new }"
    del after["d"]["c"]
    src, out = tmp_path / "before.trig", tmp_path / "after.trig"
    src.write_bytes(_trig(before)[0])
    _, ds = _trig(after)
    edits = {G + "c": {S + "b": trig.stanza(ds.graph(URIRef(G + "c")), URIRef(S + "b")),
                       S + "e": trig.stanza(ds.graph(URIRef(G + "c")), URIRef(S + "e"))},
             G + "d": {S + "c": None}}
    trig.splice(src, out, {}, edits)
    assert out.read_bytes() == _trig(after)[0]


def test_splice_overwrites_a_longer_file_at_out_path(tmp_path):
    src, out = tmp_path / "before.trig", tmp_path / "after.trig"
    text, _ = _trig({"a": {"a": "1"}})
    src.write_bytes(text)
    out.write_bytes(b"x" * (3 * len(text)))
    trig.splice(src, out, {G + "a": None}, {})
    assert out.read_bytes() == trig.header().encode()


def test_swap_in_puts_the_new_file_in_place_and_leaves_no_other(tmp_path):
    old, new = tmp_path / "graph.trig", tmp_path / ".trig-new"
    old.write_bytes(b"old")
    new.write_bytes(b"new")
    trig.swap_in(new, old)
    assert old.read_bytes() == b"new" and not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.trig"]
    # and where there is nothing to swap with
    newer = tmp_path / ".trig-newer"
    newer.write_bytes(b"first")
    trig.swap_in(newer, tmp_path / "other.trig")
    assert (tmp_path / "other.trig").read_bytes() == b"first" and not newer.exists()


@pytest.mark.parametrize("big_block", [1 << 30, 0], ids=["whole-blocks", "stanza-by-stanza"])
def test_a_splice_in_two_steps_writes_what_one_splice_writes(tmp_path, monkeypatch, big_block):
    """The file up to a graph written first (while that graph's edits are worked out,
    in the incremental build), then the rest with the edits held back and new ones."""
    import random

    from test_trig_splice import _dataset, _random_case
    monkeypatch.setattr(trig, "_BIG_BLOCK", big_block)
    rng = random.Random(23)
    for i in range(300):
        before, after, blocks, stanzas = _random_case(rng)
        src, one, two = tmp_path / "before.trig", tmp_path / "one.trig", tmp_path / "two.trig"
        src.write_bytes(trig.serialize_trig(_dataset(before)))
        trig.splice(src, one, blocks, stanzas)
        # the edits of one graph held until the rest is written up to it
        late = rng.choice(sorted(stanzas) or [G + "c"])
        first = {g: e for g, e in stanzas.items() if g != late}
        with trig.Splice(src, two) as job:
            held = job.write(job.spans(blocks, first), until=job.place_of(late))
            job.write(held + job.spans({}, {late: stanzas[late]} if late in stanzas and late not in blocks else {}))
            job.finish()
        assert two.read_bytes() == one.read_bytes(), (i, before, blocks, stanzas, late)
