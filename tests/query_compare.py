"""Named-query results as comparable rows, shared by the tests that compare two runs."""
import re

from graph import queries
from graph.views import VIEWS_DIR

_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:DISTINCT\s+)?\?\w+\s*;\s*separator\s*=\s*\"([^\"]*)\"\s*\)\s+AS\s+\?(\w+)",
                     re.IGNORECASE)


def answer(store, q, params=None):
    """(variables, rows) of a named query; a GROUP_CONCAT's parts as a sorted list,
    since SPARQL leaves their order to the engine."""
    doc = queries.to_json(queries.run(store, q, params or {}))
    # A query over a view's rows (graph/views.py) concatenates in the view's text.
    view = VIEWS_DIR / f"{q.name}.rq"
    texts = q.text + (view.read_text(encoding="utf-8") if view.exists() else "")
    concat = {var: sep for sep, var in _CONCAT.findall(texts)}
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
