"""What every backend that is not Oxigraph itself does to a query first: the
prefixes written out as PREFIX lines and the substitutions as a VALUES block,
so rdflib and a remote server read exactly the query Oxigraph reads."""


def prepare(query, prefixes=None, substitutions=None):
    if substitutions:
        from graph.queries import with_values   # noqa: PLC0415  (graph.queries imports the store layer)
        query = with_values(query, substitutions)
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())
    return head + query
