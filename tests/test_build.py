"""The build: the bundled corpus into TriG and Oxigraph, faithfully and deterministically."""
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Dataset

from aikg import paths
from graph.build import build
from graph.queries import to_json, run_sparql
from loaders.corpus import load_corpus

SEEDS = paths.ROOT.parent / "shared" / "seeds"


def rows(store, sparql):
    doc = to_json(run_sparql(store, sparql))
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def test_articles_are_the_seeds_verbatim():
    for meta in sorted(paths.ARTICLES.glob("*.yaml")):
        seed = SEEDS / yaml.safe_load(meta.read_text(encoding="utf-8"))["seed"]
        if not SEEDS.exists():
            pytest.skip("../shared/seeds is not beside the repository")
        assert meta.with_suffix(".txt").read_bytes() == seed.read_bytes(), meta.name
    assert len(list(paths.ARTICLES.glob("*.txt"))) == 5


def test_trig_round_trips_into_the_same_quads(built, store):
    ds = Dataset()
    ds.parse(built.trig, format="trig")
    quads = sum(len(g) for g in ds.graphs() if str(g.identifier) != "urn:x-rdflib:default")
    assert quads == built.quads == len(store)
    graphs = {str(g.value) for g in store.named_graphs()}
    assert "https://w3id.org/aikg/graph/core" in graphs
    for slug in ("scale-war-2026", "musk-accidental-revelation", "ainews-5t-gambit",
                 "gentic-grok-4-20", "ainews-opus-5t-leap"):
        assert f"https://w3id.org/aikg/graph/source/{slug}" in graphs


def test_build_is_byte_deterministic(built, tmp_path):
    again = build(tmp_path / "again")
    assert again.trig.read_bytes() == built.trig.read_bytes()


def test_every_report_quote_occurs_in_its_article_body_at_its_offsets(store):
    _check_quotes(store, at_least=80)


def test_an_extra_corpus_folder_names_its_own_text_files(tmp_path):
    extra = shutil.copytree(Path(__file__).parent / "fixtures" / "independent-corpus", tmp_path / "corpus")
    r = build(tmp_path / "b", extra_dirs=[extra])
    store = ox.Store.read_only(str(r.store))
    files = {x["file"] for x in rows(store, "SELECT ?file WHERE { ?s aikg:textFile ?file }")}
    assert any(f.startswith("data/articles/") for f in files)
    outside = {f for f in files if not f.startswith("data/articles/")}
    assert outside and all(Path(f).is_absolute() and Path(f).parent == extra.resolve() / "articles" for f in outside)
    _check_quotes(store, at_least=80)


def _check_quotes(store, at_least):
    found = rows(store, """
        SELECT ?report ?quote ?start ?end ?file ?bs ?be WHERE {
          ?report a aikg:Report ; aikg:source ?src ; oa:hasTarget ?t .
          ?t oa:hasSelector ?q, ?p .
          ?q a oa:TextQuoteSelector ; oa:exact ?quote .
          ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
          ?src aikg:textFile ?file ; aikg:bodyStart ?bs ; aikg:bodyEnd ?be .
        }""")
    assert len(found) >= at_least
    texts = {}
    for r in found:
        text = texts.setdefault(r["file"], (paths.ROOT / r["file"]).read_text(encoding="utf-8"))
        start, end = int(r["start"]), int(r["end"])
        assert text[start:end] == r["quote"], r["report"]
        assert int(r["bs"]) <= start and end <= int(r["be"]), r["report"]


def test_every_claim_has_quote_origin_and_source(store):
    missing = rows(store, """
        SELECT ?claim WHERE { ?claim a aikg:Claim .
          FILTER NOT EXISTS { ?claim prov:wasAttributedTo [] ; aikg:reportedIn [] ; aikg:hasReport/aikg:quote [] } }""")
    assert missing == []
    n = rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c a aikg:Claim }")[0]["n"]
    assert int(n) >= 80


def test_stats_counts_per_class(cli):
    r = cli("stats", "--format", "json")
    assert r.code == 0
    counts = {b["class"]["value"]: int(b["count"]["value"]) for b in r.json()["class-counts"]["results"]["bindings"]}
    assert counts["Source"] == 5
    assert counts["Claim"] >= 80
    assert counts["Claim with quote, origin and source"] == counts["Claim"]
    assert counts["Report"] > counts["Claim"]          # repetition: several reports of one claim
    assert counts["Prediction"] >= 8                   # two articles close with dated predictions
    labs = yaml.safe_load(paths.ENTITIES.read_text(encoding="utf-8"))["labs"]
    assert counts["Lab"] == len(labs)
    origins = {b["origin"]["value"].rsplit("/", 1)[1] for b in r.json()["claims-per-origin"]["results"]["bindings"]}
    assert {"elon-musk", "alan-d-thompson", "kimmonismus", "microsoft-research-paper"} <= origins


def test_aliases_resolve_to_one_model(store):
    r = rows(store, """SELECT DISTINCT ?m WHERE { ?m skos:altLabel "Grok 4.2"@en }""")
    assert [x["m"] for x in r] == ["https://w3id.org/aikg/id/model/grok-4-20"]
    # an unversioned "Opus" claim is about the family, never a version
    r = rows(store, "SELECT DISTINCT ?about WHERE { claim:claude-opus-total-parameters aikg:about ?about }")
    assert r == [{"about": "https://w3id.org/aikg/id/model/claude-opus"}]
    r = rows(store, "SELECT DISTINCT ?v WHERE { model:claude-opus-4-1 aikg:family ?v }")
    assert r == [{"v": "https://w3id.org/aikg/id/model/claude-opus"}]


def test_failed_build_leaves_previous_build_untouched(tmp_path):
    good = build(tmp_path / "b")
    before = good.trig.read_bytes()
    bad = tmp_path / "bad"
    (bad / "articles").mkdir(parents=True)
    (bad / "annotations").mkdir()
    (bad / "articles" / "broken.txt").write_text("Some text about Grok.", encoding="utf-8")
    (bad / "articles" / "broken.yaml").write_text(
        "title: t\nlanguage: en\npublished: unknown\nbody: {start: 0, end: 21}\n", encoding="utf-8")
    (bad / "annotations" / "broken.yaml").write_text(
        "source: broken\nclaims:\n  - claim: x\n    about: grok\n    property: total-parameters\n"
        "    value: 1T\n    hedge: stated\n    origin: article\n    quote: \"not in the text\"\n    start: 0\n",
        encoding="utf-8")
    with pytest.raises(Exception):
        build(tmp_path / "b", extra_dirs=[bad])
    assert good.trig.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [".loaders.pickle", "graph.trig", "store"]
    assert len(ox.Store.read_only(str(tmp_path / "b" / "store"))) == good.quads
