"""A whole corpus, read and checked: graph:core (ontology and entities) and one
named graph per source article, made a source at a time so that a corpus of
thousands of articles never sits in memory as RDF. Nothing is written here;
graph.build stores it."""
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from aikg import paths
from aikg.vocab import CORE_GRAPH, source_graph

from . import annotations as ann
from .articles import load_article
from .entities import load_entities
from .errors import LoadError
from .ontology import label, load_ontology, vocabulary
from .triples import TripleSet


@dataclass
class Corpus:
    """Everything read and checked; the graphs are made on demand, one source at a time."""
    onto: Graph
    entities: object
    vocab: object
    articles: dict = field(default_factory=dict)        # slug -> Article
    article_graphs: dict = field(default_factory=dict)  # slug -> the article's own triples
    claims: dict = field(default_factory=dict)          # claim id -> ClaimDef
    entries: list = field(default_factory=list)         # every report entry

    def core_graph(self) -> TripleSet:
        g = TripleSet(CORE_GRAPH)
        g += self.onto
        g += self.entities.graph
        return g

    def source_graphs(self):
        """Each source's named graph, in slug order, made when it is asked for."""
        by_source = {}
        for e in self.entries:
            by_source.setdefault(e.article.slug, []).append(e)
        for slug in sorted(self.article_graphs):
            g = TripleSet(source_graph(slug))
            g += self.article_graphs[slug]
            add_reports(g, by_source.get(slug, []), self.claims, self.entities, self.vocab, self.onto)
            yield g

    @property
    def dataset(self) -> Dataset:
        """The whole corpus as one rdflib Dataset (small corpora: tests, ingest checks)."""
        ds = Dataset()
        for g in (self.core_graph(), *self.source_graphs()):
            ds.graph(g.identifier).__iadd__(g)
        return ds


def corpus_dirs(extra=(), data_dir=paths.DATA):
    """The bundled corpus (data/) first, then any extra corpus folders."""
    return [Path(data_dir), *[Path(d) for d in extra]]


def load_corpus(extra_dirs=(), ontology_dir=paths.ONTOLOGY, data_dir=paths.DATA, lazy=False) -> Corpus:
    """Read and check the corpus. With lazy=True the per-report checks (hedge, origin,
    prediction fields) happen when source_graphs() is consumed, as the build does;
    otherwise every graph is made once here so that any error is raised now."""
    onto = load_ontology(ontology_dir)
    vocab = vocabulary(onto)
    dirs = corpus_dirs(extra_dirs, data_dir)

    entities = load_all_entities(dirs, vocab)

    articles, article_graphs, ann_files = {}, {}, []
    for d in dirs:
        for text_path in sorted((d / "articles").glob("*.txt")):
            art, g = load_article(text_path, entities)
            if art.slug in articles:
                raise LoadError(text_path, None, None, f"a source named {art.slug} is already in the corpus")
            articles[art.slug], article_graphs[art.slug] = art, g
        ann_files += sorted((d / "annotations").glob("*.yaml"))

    entries = []
    for path in ann_files:
        entries += ann.read_annotation_file(path, articles)
    claims = ann.resolve_claims(entries, entities, vocab)
    _check_acyclic(claims)

    corpus = Corpus(onto, entities, vocab, articles, article_graphs, claims, entries)
    if not lazy:
        report_graphs(entries, claims, entities, vocab, onto)
    return corpus


def load_all_entities(dirs, vocab):
    """The entities of every corpus folder; a slug defined twice is an error."""
    entities = None
    for d in dirs:
        if (d / "entities.yaml").exists():
            more = load_entities(d / "entities.yaml", vocab)
            if entities is None:
                entities = more
            else:
                clash = set(entities) & set(more)
                if clash:
                    raise LoadError(d / "entities.yaml", None, sorted(clash)[0], "slug already defined in another entities file")
                entities.update(more)
                entities.graph += more.graph
    return entities


def report_graphs(entries, claims, entities, vocab, onto) -> dict:
    """source slug -> the claims and reports its entries add to its named graph."""
    per_source: dict[str, list] = {}
    for e in entries:
        per_source.setdefault(e.article.slug, []).append(e)
    out = {}
    for slug, mine in per_source.items():
        out[slug] = Graph()
        add_reports(out[slug], mine, claims, entities, vocab, onto)
    return out


def add_reports(g, entries, claims, entities, vocab, onto):
    """One source's entries into its graph g: each claim's own triples and each report."""
    labels = lambda iri: label(onto, iri)  # noqa: E731
    seen = {}
    for e in entries:
        d = claims[e.claim]
        ann.claim_triples(g, d, labels)
        seen[e.claim] = seen.get(e.claim, 0) + 1
        ann.report_triples(g, e, d, seen[e.claim], claims, entities, vocab)


def _check_acyclic(claims):
    state = {}

    def visit(cid, trail):
        if state.get(cid) == "done":
            return
        if state.get(cid) == "open":
            first = claims[cid].first
            raise LoadError(first.path, first.line("derived-from"), "derived-from",
                            f"derivation cycle: {' -> '.join(trail + [cid])}")
        state[cid] = "open"
        for dep in sorted(claims[cid].derived_from):
            visit(dep, trail + [cid])
        state[cid] = "done"

    for cid in sorted(claims):
        visit(cid, [])
