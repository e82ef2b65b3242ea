"""The build's TriG, written so that the same data gives the same bytes: graphs,
subjects, predicates and objects in sorted order, one stanza per subject. The
incremental build rewrites single stanzas and blocks of a file written here."""
from aikg.vocab import PREFIXES

DEFAULT_GRAPH = "urn:x-rdflib:default"


def header() -> str:
    return "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())) + "\n\n"


def subject_key(s) -> str:
    return str(s)


def stanza(g, s) -> str:
    preds = []
    for p in sorted(set(g.predicates(s))):
        objs = sorted(g.objects(s, p), key=lambda o: (type(o).__name__, o.n3()))
        preds.append(f"    {p.n3()} " + " ,\n        ".join(o.n3() for o in objs))
    return f"  {s.n3()}\n" + " ;\n".join(preds) + " ."


def block(identifier, stanzas) -> str:
    """One graph: `<iri> {`, its stanzas in subject order, `}`."""
    return f"<{identifier}> {{\n" + "\n".join(stanzas) + "\n}\n"


def graph_block(g) -> str:
    return block(g.identifier, [stanza(g, s) for s in sorted(set(g.subjects()), key=subject_key)])


def serialize_trig(ds) -> bytes:
    graphs = sorted((g for g in ds.graphs() if len(g) and str(g.identifier) != DEFAULT_GRAPH),
                    key=lambda g: str(g.identifier))
    return (header() + "\n".join(graph_block(g) for g in graphs)).encode("utf-8")
