"""A whole corpus into one RDF dataset: graph:core (ontology and entities) and one
named graph per source article. Nothing is written here; graph.build stores it."""
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


@dataclass
class Corpus:
    dataset: Dataset
    articles: dict = field(default_factory=dict)   # slug -> Article
    claims: dict = field(default_factory=dict)     # claim id -> ClaimDef
    entries: list = field(default_factory=list)    # every report entry


def corpus_dirs(extra=(), data_dir=paths.DATA):
    """The bundled corpus (data/) first, then any extra corpus folders."""
    return [Path(data_dir), *[Path(d) for d in extra]]


def load_corpus(extra_dirs=(), ontology_dir=paths.ONTOLOGY, data_dir=paths.DATA) -> Corpus:
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

    ds = Dataset()
    core = ds.graph(CORE_GRAPH)
    core += onto
    core += entities.graph
    per_source = report_graphs(entries, claims, entities, vocab, onto)
    for slug, g in article_graphs.items():
        sg = ds.graph(source_graph(slug))
        sg += g
        sg += per_source.get(slug, Graph())
    return Corpus(ds, articles, claims, entries)


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
    labels = lambda iri: label(onto, iri)  # noqa: E731
    per_source: dict[str, Graph] = {}
    seen = {}
    for e in entries:
        slug = e.article.slug
        g = per_source.setdefault(slug, Graph())
        d = claims[e.claim]
        ann.claim_triples(g, d, labels)
        seen[(slug, e.claim)] = seen.get((slug, e.claim), 0) + 1
        ann.report_triples(g, e, d, seen[(slug, e.claim)], claims, entities, vocab)
    return per_source


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
