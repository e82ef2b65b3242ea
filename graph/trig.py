"""The build's TriG, written so that the same data gives the same bytes: graphs,
subjects, predicates and objects in sorted order, one stanza per subject. The
incremental build rewrites single stanzas and blocks of a file written here."""
import shutil

from aikg.vocab import PREFIXES

DEFAULT_GRAPH = "urn:x-rdflib:default"


def header() -> str:
    return "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())) + "\n\n"


def subject_key(s) -> str:
    return str(s)


def stanza(g, s) -> str:
    preds = {}
    for _, p, o in g.triples((s, None, None)):
        preds.setdefault(p, set()).add(o)
    return _stanza_from(s, preds)


def block(identifier, stanzas) -> str:
    """One graph: `<iri> {`, its stanzas in subject order, `}`."""
    return f"<{identifier}> {{\n" + "\n".join(stanzas) + "\n}\n"


def _stanza_from(s, preds) -> str:
    lines = []
    for p in sorted(preds):
        objs = sorted(preds[p], key=lambda o: (type(o).__name__, o.n3()))
        lines.append(f"    {p.n3()} " + " ,\n        ".join(o.n3() for o in objs))
    return f"  {s.n3()}\n" + " ;\n".join(lines) + " ."


def graph_block(g) -> str:
    # One pass over the graph, grouped here: rdflib's per-subject, per-predicate
    # lookups cost more than the whole of Oxigraph's bulk load at scale.
    by_subject = {}
    for s, p, o in g:
        by_subject.setdefault(s, {}).setdefault(p, set()).add(o)
    return block(g.identifier, [_stanza_from(s, by_subject[s]) for s in sorted(by_subject, key=subject_key)])


def blocks_of(graphs) -> list:
    """The blocks of these graphs, in the order the TriG holds them (empty ones left out)."""
    return [graph_block(g) for g in sorted((g for g in graphs if len(g)), key=lambda g: str(g.identifier))]


def write_trig(path, blocks, tail=None):
    """The same bytes as serialize_trig, written to `path`: `blocks` (blocks_of the
    first graphs) then the blocks already written to the file `tail`, whose graphs
    must sort after them. The build streams its source graphs into such a tail."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header() + "\n".join(blocks))
        if tail is not None:
            with open(tail, encoding="utf-8", newline="") as f:
                shutil.copyfileobj(f, out, 1 << 20)


def serialize_trig(ds) -> bytes:
    graphs = sorted((g for g in ds.graphs() if len(g) and str(g.identifier) != DEFAULT_GRAPH),
                    key=lambda g: str(g.identifier))
    return (header() + "\n".join(graph_block(g) for g in graphs)).encode("utf-8")
