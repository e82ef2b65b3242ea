"""Garbage into aikg ingest: a clean extraction or one clear line naming the file,
never a traceback, and the corpus and the build exactly as they were."""
import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aikg.cli import main
from loaders.yamlfile import load_yaml

from test_ingest import snapshot


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    import shutil

    from aikg import paths
    d = tmp_path_factory.mktemp("garbage") / "data"
    shutil.copytree(paths.DATA, d, ignore=shutil.ignore_patterns("incoming", "reference"))
    return d


def ingest(path, data, out=None):
    args = ["ingest", str(path), "--data-dir", str(data)] + (["--out", str(out)] if out else [])
    o, e = io.StringIO(), io.StringIO()
    with redirect_stdout(o), redirect_stderr(e):
        code = main(args)
    return code, o.getvalue(), e.getvalue()


def check(path, data, build_dir, out=None):
    before = snapshot(data, build_dir)
    code, _, err = ingest(path, data, out)
    assert code in (0, 2)
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("aikg ingest: error:") and path.name in lines[0], err
        assert "Traceback" not in err
        assert snapshot(data, build_dir) == before
    else:
        after = snapshot(data, build_dir)
        if out is not None:
            assert after == before
        src = out or data / "incoming"
        stem = path.stem.lower()
        ann = next((src / "annotations").glob("*.yaml"))
        text = next(p for p in (src / "articles").glob("*.txt") if p.stem == ann.stem).read_text(encoding="utf-8")
        for e in load_yaml(ann)["claims"]:
            assert text[e["start"]:e["start"] + len(e["quote"])] == e["quote"]
        assert stem
    return code, err


@pytest.mark.parametrize("name,content,words", [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\n \t\n", "empty"),
    ("binary.txt", bytes(range(256)) * 40, "binary"),
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, "binary"),
    ("latin1.txt", "Grok 4.20 a 0,5T paramètres, déclare Musk.".encode("latin-1"), "not UTF-8"),
    ("huge.txt", b"Grok 4.20 has 0.5T parameters, Musk said. " * 250_000, "too large"),
])
def test_bad_files_get_one_clear_error_and_change_nothing(tmp_path, corpus, build_dir, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    code, err = check(path, corpus, build_dir)
    assert code == 2 and words in err


def test_missing_file_and_folder(tmp_path, corpus, build_dir):
    for path in (tmp_path / "nowhere.txt", tmp_path):
        code, err = check(Path(path), corpus, build_dir)
        assert code == 2


def test_html_with_scripts_and_deep_nesting(tmp_path, corpus, build_dir):
    deep = "<div><span>" * 20000 + "Grok 4.20 runs at 0.5T parameters, Musk said." + "</span></div>" * 20000
    page = ("<html><head><script>var x = '<p>Grok 4.20 has 9T parameters</p>';</script>"
            "<style>p { color: red }</style></head><body><nav>Menu 7T</nav>"
            "<p>" + "Analysts say the new model is large. " * 10 + "</p>" + deep +
            "<p>Unclosed <b>bold <i>italic <p>and more text about Claude Opus, which has 5T parameters reportedly."
            "<script>document.write('3T')")
    path = tmp_path / "nested.html"
    path.write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    code, err = check(path, corpus, build_dir, out)
    assert code == 0, err
    text = (out / "articles" / "nested.txt").read_text(encoding="utf-8")
    assert "9T" not in text and "7T" not in text and "3T" not in text and "<" not in text


SUFFIXES = st.sampled_from([".txt", ".md", ".html", ".htm", ""])
HTMLISH = st.lists(st.one_of(
    st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<style>", "<!--", "-->", "<br/>",
                     "&amp;", "&#x0;", "&bogus;", "|", "| --- |", "\n", "# ", "**", "[x](y)", "@handle",
                     "Grok 4.20", "Claude Opus", "0.5T", "~1.8T", "93-154 billion", "between 1.5T and 2T", " ",
                     "half of Sonnet", "3x faster than Opus 4", "Musk said", "reportedly", "within 12 months",
                     "by 2026", "parameters", ".", "Orion-2", "(", ")", "—", "’", "\u200b", "\ufeff"]),
    st.text(max_size=30)), max_size=60).map("".join)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(content=st.one_of(st.binary(max_size=400), HTMLISH.map(lambda s: s.encode("utf-8", "surrogatepass"))),
       suffix=SUFFIXES)
def test_garbage_is_extracted_cleanly_or_refused_clearly(tmp_path_factory, corpus, build_dir, content, suffix):
    d = tmp_path_factory.mktemp("g")
    path = d / f"garbage{suffix}"
    path.write_bytes(content)
    check(path, corpus, build_dir, d / "out")
