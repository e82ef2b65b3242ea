"""Named-query results as comparable rows, shared by the tests that compare two runs."""
from graph import queries
from graph.views import VIEWS_DIR


def concat_of(q):
    """{variable: separator} of the query's GROUP_CONCATs; a query over a view's rows
    (graph/views.py) concatenates in the view's text."""
    view = VIEWS_DIR / f"{q.name}.rq"
    return queries.concat_separators(q.text + (view.read_text(encoding="utf-8") if view.exists() else ""))


def answer(store, q, params=None, concat=None):
    """(variables, rows) of a named query; a GROUP_CONCAT's parts as a sorted list,
    since SPARQL leaves their order to the engine (`concat`: {variable: separator}
    of the columns to split, when not the query's own GROUP_CONCATs)."""
    doc = queries.to_json(queries.run(store, q, params or {}))
    concat = concat_of(q) if concat is None else concat
    rows = []
    for b in doc["results"]["bindings"]:
        row = []
        for var in doc["head"]["vars"]:
            t = b.get(var)
            if t is None:
                row.append(None)
            elif var in concat:
                row.append(sorted(t["value"].split(concat[var])) if concat[var] else t["value"])
            else:
                row.append(t["value"])
        rows.append(row)
    return doc["head"]["vars"], rows
