"""An article of the corpus: its verbatim text, its metadata and its body span."""
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from aikg import paths
from aikg.vocab import AIKG, ID
from aikg.vocab import DCTERMS_TERMS as DCTERMS, PROV_TERMS as PROV, RDF_TERMS as RDF, RDFS_TERMS as RDFS, XSD_TERMS as XSD

from .entities import SLUG
from .errors import LoadError
from .yamlfile import Mapping, load_yaml, read_text
from .values import ValueSyntaxError, parse_date

_FIELDS = {"title", "title-original", "title-source", "publisher", "author", "language",
           "published", "seed", "body", "url"}


@dataclass
class Article:
    slug: str
    iri: URIRef
    text: str
    text_path: Path
    meta_path: Path
    title: str
    body_start: int
    body_end: int
    published: str | None     # lexical xsd:date / gYearMonth / gYear, or None when unknown
    voice: URIRef             # the agent behind origin `article`

    def quote_at(self, start, length):
        return self.text[start:start + length]


def text_file(text_path: Path) -> str:
    """Where the article's text is: relative to the project for the bundled corpus
    (the same on every checkout), the absolute path for a corpus folder elsewhere."""
    p = Path(text_path).resolve()
    try:
        return p.relative_to(paths.ROOT.resolve()).as_posix()
    except ValueError:
        return str(p)


def load_article(text_path: Path, entities) -> tuple[Article, Graph]:
    slug = text_path.stem
    meta_path = text_path.with_suffix(".yaml")
    if not SLUG.match(slug):
        raise LoadError(text_path, None, None, "an article file name is a slug: lowercase letters, digits, hyphens")
    text = read_text(text_path)
    if not meta_path.exists():
        raise LoadError(meta_path, None, None, "missing: every article needs its metadata file beside it")
    meta = load_yaml(meta_path)
    if not isinstance(meta, Mapping):
        raise LoadError(meta_path, 1, None, "expected a mapping of metadata fields")
    for k in meta:
        if k not in _FIELDS:
            raise LoadError(meta_path, meta.line_of(k), k, f"unknown field (known: {', '.join(sorted(_FIELDS))})")
    for k in ("title", "language", "published", "body"):
        if k not in meta:
            raise LoadError(meta_path, meta.line, k, "missing")
    body = meta["body"]
    if not isinstance(body, Mapping) or not {"start", "end"} <= set(body):
        raise LoadError(meta_path, meta.line_of("body"), "body", "expected start: and end: offsets")
    start, end = body["start"], body["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise LoadError(meta_path, body.line_of("start"), "body",
                        f"offsets must satisfy 0 <= start < end <= {len(text)}")
    for key, ok in (("from", lambda s: text.startswith(s, start)), ("to", lambda s: text[:end].endswith(s))):
        if key in body and not ok(str(body[key])):
            raise LoadError(meta_path, body.line_of(key), f"body.{key}", "does not match the text at the body offsets")

    iri = ID[f"source/{slug}"]
    g = Graph()
    g.add((iri, RDF.type, AIKG.Source))
    g.add((iri, AIKG.slug, Literal(slug)))
    g.add((iri, DCTERMS.identifier, Literal(slug)))
    g.add((iri, DCTERMS.title, Literal(str(meta["title"]))))
    g.add((iri, RDFS.label, Literal(str(meta["title"]))))
    if meta.get("title-original"):
        g.add((iri, DCTERMS.alternative, Literal(str(meta["title-original"]))))
    g.add((iri, DCTERMS.language, Literal(str(meta["language"]), datatype=XSD.language)))
    g.add((iri, AIKG.textFile, Literal(text_file(text_path))))
    g.add((iri, AIKG.bodyStart, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((iri, AIKG.bodyEnd, Literal(end, datatype=XSD.nonNegativeInteger)))
    if meta.get("url"):
        g.add((iri, DCTERMS.source, URIRef(str(meta["url"]))))

    published = str(meta["published"])
    if published == "unknown":
        published = None
        g.add((iri, AIKG.publicationDateKnown, Literal(False)))
    else:
        try:
            lexical, dtype = parse_date(published)
        except ValueSyntaxError as e:
            raise LoadError(meta_path, meta.line_of("published"), "published", str(e)) from None
        g.add((iri, DCTERMS.issued, Literal(lexical, datatype=XSD[dtype])))
        g.add((iri, AIKG.publicationDateKnown, Literal(True)))

    publisher = None
    if str(meta.get("publisher", "unknown")) != "unknown":
        publisher = entities.resolve(meta["publisher"], meta_path, meta.line_of("publisher"), "publisher", ["publishers"])
        g.add((iri, DCTERMS.publisher, publisher.iri))
    author = None
    if meta.get("author"):
        author = entities.resolve(meta["author"], meta_path, meta.line_of("author"), "author", ["people"])
        g.add((iri, DCTERMS.creator, author.iri))
    # What an article asserts in its own voice rests on its publisher when known;
    # otherwise on an agent standing for that one article.
    if publisher:
        voice = publisher.iri
    else:
        voice = ID[f"agent/{slug}-voice"]
        g.add((voice, RDF.type, AIKG.ArticleVoice))
        g.add((voice, RDFS.label, Literal(f"the article “{meta['title']}”", lang="en")))
        g.add((voice, AIKG.slug, Literal(f"{slug}-voice")))
    g.add((iri, PROV.wasAttributedTo, voice))
    article = Article(slug, iri, text, text_path, meta_path, str(meta["title"]), start, end, published, voice)
    return article, g
