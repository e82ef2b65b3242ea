"""Incremental build: adding or removing one article gives exactly what a full
build gives, and a failed change leaves the store and graph.trig as they were."""
import shutil

import pyoxigraph as ox
import pytest

from aikg import paths
from graph import incremental
from graph.build import build
from graph.queries import run_sparql
from loaders.errors import LoadError


def _content(build_dir):
    return set(ox.Store.read_only(str(build_dir / "store"))), (build_dir / "graph.trig").read_bytes()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, store):
    """A copy of the bundled corpus, the source sharing most claims with others
    (the hardest to add or remove), a full build, and a build without that source."""
    root = tmp_path_factory.mktemp("inc")
    data = root / "data"
    shutil.copytree(paths.DATA, data)
    slug = next(iter(run_sparql(store, """
        SELECT ?slug (COUNT(DISTINCT ?c) AS ?n) WHERE {
          ?c aikg:reportedIn ?src , ?other . FILTER(?src != ?other) ?src aikg:slug ?slug }
        GROUP BY ?slug ORDER BY DESC(?n) ?slug""")))["slug"].value
    full = build(root / "full", data_dir=data).trig.parent
    held = root / "held"
    (held / "articles").mkdir(parents=True)
    (held / "annotations").mkdir()
    for p in [*(data / "articles").glob(f"{slug}.*"), data / "annotations" / f"{slug}.yaml"]:
        shutil.move(p, held / p.parent.name / p.name)
    without = build(root / "without", data_dir=data).trig.parent
    for p in held.rglob("*.*"):
        shutil.copy(p, data / p.parent.name / p.name)
    return {"root": root, "data": data, "slug": slug, "full": full, "without": without}


def test_adding_an_article_gives_what_a_full_build_gives(corpus, tmp_path):
    b = tmp_path / "b"
    shutil.copytree(corpus["without"], b)
    change = incremental.add(b, corpus["slug"], data_dir=corpus["data"])
    assert change.claims > 0 and change.analysed >= change.claims
    assert _content(b) == _content(corpus["full"])


def test_removing_an_article_gives_what_a_full_build_without_it_gives(corpus, tmp_path):
    b = tmp_path / "b"
    shutil.copytree(corpus["full"], b)
    incremental.remove(b, corpus["slug"], data_dir=corpus["data"])
    assert _content(b) == _content(corpus["without"])


def test_a_failing_add_changes_nothing(corpus, tmp_path):
    b, data = tmp_path / "b", tmp_path / "data"
    shutil.copytree(corpus["without"], b)
    shutil.copytree(corpus["data"], data)
    path = data / "annotations" / f"{corpus['slug']}.yaml"
    text = path.read_text(encoding="utf-8")
    i = text.index("    start: ")
    j = text.index("\n", i)
    path.write_text(text[:i] + "    start: 1" + text[j:], encoding="utf-8")    # a quote no longer at its offset
    before = _content(b)
    with pytest.raises(LoadError) as e:
        incremental.add(b, corpus["slug"], data_dir=data)
    assert path.name in str(e.value) and "quote" in str(e.value)
    assert _content(b) == before


def test_a_failure_while_writing_leaves_the_store_as_it_was(corpus, tmp_path, monkeypatch):
    b = tmp_path / "b"
    shutil.copytree(corpus["without"], b)
    before = _content(b)

    def disk_full(*_):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(incremental.trig, "swap_in", disk_full)     # the last step: graph.trig swapped in
    with pytest.raises(OSError):
        incremental.add(b, corpus["slug"], data_dir=corpus["data"])
    assert _content(b) == before
    assert not list(b.glob(".trig-*"))


def test_cli_refuses_an_article_already_built_or_not_built(cli, corpus, tmp_path):
    b = tmp_path / "b"
    shutil.copytree(corpus["without"], b)
    r = cli("update", "--add", corpus["slug"], "--data-dir", str(corpus["data"]), "--build-dir", str(b))
    assert r.code == 0, r.err
    assert r.out.startswith(f"added {corpus['slug']}:")
    again = cli("update", "--add", corpus["slug"], "--data-dir", str(corpus["data"]), "--build-dir", str(b))
    assert again.code == 2 and "already in the build" in again.err
    r = cli("update", "--remove", "no-such-source", "--data-dir", str(corpus["data"]), "--build-dir", str(b))
    assert r.code == 2 and "not in the build" in r.err


def _two_articles(root):
    """A candidate-only claim (article `digest`, machine-extracted) and a curated
    report of the same claim by another origin (article `second`)."""
    text = "Digest. Claude Haiku is said to have 20 billion parameters. End."
    quote = "Claude Haiku is said to have 20 billion parameters"
    d = root / "extra"
    for sub in ("articles", "annotations"):
        (d / sub).mkdir(parents=True)
    for slug, origin, extra in (("digest", "alan-d-thompson", "    status: candidate\n    confidence: 0.7\n"),
                                ("second", "kimmonismus", "")):
        (d / "articles" / f"{slug}.txt").write_text(text, encoding="utf-8")
        (d / "articles" / f"{slug}.yaml").write_text(
            f"title: {slug}\nlanguage: en\npublished: unknown\nbody: {{start: 0, end: {len(text)}}}\n", encoding="utf-8")
        (d / "annotations" / f"{slug}.yaml").write_text(
            f"source: {slug}\nclaims:\n  - claim: claude-haiku-total-parameters-20b\n    about: claude-haiku\n"
            f"    property: total-parameters\n    value: 20B\n    hedge: rumored\n    origin: {origin}\n"
            f"    quote: \"{quote}\"\n    start: {text.index(quote)}\n" + extra, encoding="utf-8")
    return d


def test_a_curated_report_added_or_removed_beside_a_candidate_gives_the_full_builds(tmp_path):
    extra = _two_articles(tmp_path)
    full = build(tmp_path / "full", extra_dirs=[extra]).trig.parent
    held = tmp_path / "held"
    for p in [*(extra / "articles").glob("second.*"), extra / "annotations" / "second.yaml"]:
        (held / p.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.move(p, held / p.parent.name / p.name)
    without = build(tmp_path / "without", extra_dirs=[extra]).trig.parent
    for p in held.rglob("*.*"):
        shutil.copy(p, extra / p.parent.name / p.name)
    origins = {r["o"].value.rsplit("/", 1)[1] for r in run_sparql(ox.Store.read_only(str(without / "store")),
               "SELECT ?o WHERE { claim:claude-haiku-total-parameters-20b aikg:supportOrigin ?o }")}
    assert origins == {"alan-d-thompson"}         # a claim only candidates make rests on them
    b = tmp_path / "b"
    shutil.copytree(without, b)
    incremental.add(b, "second", extra_dirs=[extra])
    assert _content(b) == _content(full)
    incremental.remove(b, "second", extra_dirs=[extra])
    assert _content(b) == _content(without)
