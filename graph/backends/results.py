"""Query answers of the non-Oxigraph backends, shaped like pyoxigraph's own
(QuerySolutions, QuerySolution, terms), so that graph.queries and the API read
every backend the same way. Typed literals are put in Oxigraph's canonical
form ("0.340" -> "0.34", "+5"^^nonNegativeInteger -> "5"^^integer): the same
data gives the same W3C JSON whichever store answered."""
from functools import lru_cache

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_PLAIN = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_G = ox.NamedNode("urn:aikg:canonical")


@lru_cache(maxsize=65536)
def _canonical(value: str, datatype: str) -> ox.Literal:
    # Oxigraph's canonical form is defined by what its store keeps; a scratch store
    # asks it directly instead of re-implementing XSD canonicalisation here.
    store = ox.Store()
    store.add(ox.Quad(_G, _G, ox.Literal(value, datatype=ox.NamedNode(datatype)), _G))
    return next(iter(store)).object


def literal(value: str, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    if language:
        return ox.Literal(value, language=language)
    if not datatype or datatype in _PLAIN:
        return ox.Literal(value)
    return _canonical(value, datatype)


class Solution:
    """One row: by variable name, ox.Variable or position, like pyoxigraph.QuerySolution."""
    __slots__ = ("_names", "_terms")

    def __init__(self, names, terms):
        self._names, self._terms = names, terms

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._terms[key]
        name = key.value if isinstance(key, ox.Variable) else key
        try:
            return self._terms[self._names.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def __iter__(self):
        return iter(self._terms)

    def __len__(self):
        return len(self._terms)


class Solutions:
    """The rows of a SELECT answer, with .variables like pyoxigraph.QuerySolutions."""

    def __init__(self, names, rows):
        self.variables = [ox.Variable(n) for n in names]
        self._rows = [Solution(list(names), r) for r in rows]

    def __iter__(self):
        return iter(self._rows)

    def __len__(self):
        return len(self._rows)


class Boolean:
    """An ASK answer, like pyoxigraph.QueryBoolean."""

    def __init__(self, value):
        self.value = bool(value)

    def __bool__(self):
        return self.value

    def __repr__(self):
        return f"<Boolean {self.value}>"
