"""A named graph the loaders only add to and the build only writes out."""


class TripleSet:
    """One named graph as a plain set of rdflib triples. The build only adds to a
    source's graph and writes it out; rdflib's indexed store costs ten times more
    per triple, and holding every source at once is what ran out of memory."""

    def __init__(self, identifier=None):
        self.identifier = identifier
        self._triples = set()

    def add(self, triple):
        self._triples.add(triple)

    def __iadd__(self, triples):
        self._triples.update(triples)
        return self

    def __iter__(self):
        return iter(self._triples)

    def __len__(self):
        return len(self._triples)
