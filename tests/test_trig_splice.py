"""graph.trig.splice, the incremental build's in-place edit of graph.trig, against
the plain way: serialising the edited dataset afresh. Both must give the same bytes."""
import random

import pytest
from rdflib import Dataset, Literal, URIRef

from graph import trig

G = "https://w3id.org/aikg/graph/"
S = "https://w3id.org/aikg/id/claim/"
P = URIRef("https://w3id.org/aikg/ontology#p")


def _dataset(spec):
    """spec: graph name -> {subject name: [values]}."""
    ds = Dataset()
    for gname, subjects in spec.items():
        g = ds.graph(URIRef(G + gname))
        for sname, values in subjects.items():
            for v in values:
                g.add((URIRef(S + sname), P, Literal(v)))
    return ds


def _stanza(sname, values):
    g = _dataset({"x": {sname: values}}).graph(URIRef(G + "x"))
    return trig.stanza(g, URIRef(S + sname))


def _block(gname, subjects):
    return trig.graph_block(_dataset({gname: subjects}).graph(URIRef(G + gname)))


def _random_case(rng):
    names = ["a", "b", "c", "d", "e", "f"]
    before = {g: {s: [rng.randint(0, 9) for _ in range(rng.randint(1, 2))]
                  for s in rng.sample(names, rng.randint(1, 4))}
              for g in rng.sample(names, rng.randint(1, 4))}
    after = {g: {s: list(v) for s, v in subs.items()} for g, subs in before.items()}
    blocks, stanzas = {}, {}
    for g in rng.sample(names, rng.randint(1, 3)):
        kind = rng.choice(["block", "drop", "stanzas"])
        if kind == "block":
            after[g] = {s: [rng.randint(0, 9)] for s in rng.sample(names, rng.randint(1, 3))}
            blocks[G + g] = _block(g, after[g])
        elif kind == "drop":
            after.pop(g, None)
            blocks[G + g] = None
        else:
            edits = {}
            for s in rng.sample(names, rng.randint(1, 3)):
                if rng.random() < 0.4:
                    after.get(g, {}).pop(s, None)
                    edits[S + s] = None
                else:
                    after.setdefault(g, {})[s] = [rng.randint(0, 9)]
                    edits[S + s] = _stanza(s, after[g][s])
            if not after.get(g):
                after.pop(g, None)
            stanzas[G + g] = edits
    return before, after, blocks, stanzas


@pytest.mark.parametrize("big_block", [1 << 30, 0], ids=["whole-blocks", "stanza-by-stanza"])
def test_splice_gives_the_bytes_of_a_fresh_serialisation(tmp_path, monkeypatch, big_block):
    monkeypatch.setattr(trig, "_BIG_BLOCK", big_block)
    rng = random.Random(11)
    for i in range(300):
        before, after, blocks, stanzas = _random_case(rng)
        src, out = tmp_path / "before.trig", tmp_path / "after.trig"
        src.write_bytes(trig.serialize_trig(_dataset(before)))
        trig.splice(src, out, blocks, stanzas)
        assert out.read_bytes() == trig.serialize_trig(_dataset(after)), (i, before, blocks, stanzas)


def test_splice_refuses_a_file_it_did_not_write(tmp_path):
    (tmp_path / "x.trig").write_text("<a> <b> <c> .")
    with pytest.raises(ValueError, match="not a TriG file written by graph.trig"):
        trig.splice(tmp_path / "x.trig", tmp_path / "y.trig", {G + "a": None}, {})
