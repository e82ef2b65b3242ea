"""Bad input: one clear line naming the file, line and field, and nothing half-built."""
import re
import shutil

import pytest

from aikg import paths
from graph.build import build
from loaders.errors import LoadError

ANN = "musk-accidental-revelation.yaml"


@pytest.fixture
def data(tmp_path):
    """A private copy of the bundled corpus to corrupt."""
    d = tmp_path / "data"
    shutil.copytree(paths.DATA, d, ignore=shutil.ignore_patterns("incoming", "reference"))
    return d


def corrupt(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1   # the line of the change


def failing_build(data, tmp_path):
    with pytest.raises(LoadError) as e:
        build(tmp_path / "build", data_dir=data)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize("old,new,field,words", [
    ("about: claude-3-opus\n", "about: claude-9-opus\n", "about", "unknown entity"),
    ("hedge: estimated\n", "hedge: sorta\n", "hedge", "unknown hedge"),
    ("value: ~2T\n", "value: ~2Z\n", "value", "cannot read"),
    ("value: 93B-154B\n", "value: 154B-93B\n", "value", "lower bound above"),
    ("property: total-parameters\n", "property: girth\n", "property", "unknown property"),
    ("origin: alan-d-thompson\n", "origin: nobody-at-all\n", "origin", "unknown entity"),
])
def test_malformed_field_names_file_line_field(data, tmp_path, old, new, field, words):
    line = corrupt(data / "annotations" / ANN, old, new)
    msg = failing_build(data, tmp_path)
    assert msg.startswith(f"{data / 'annotations' / ANN}:{line}: {field}:") or \
        re.match(rf".*{ANN}:{line}: {field}:", msg), msg
    assert words in msg


def test_quote_not_found(data, tmp_path):
    path = data / "annotations" / ANN
    text = path.read_text(encoding="utf-8")
    m = re.search(r"\n(\s+)quote: (.+)\n", text)
    line = text[: m.start()].count("\n") + 2
    path.write_text(text[: m.start()] + f"\n{m[1]}quote: \"Claude has 99 parameters\"\n" + text[m.end():], encoding="utf-8")
    msg = failing_build(data, tmp_path)
    assert f"{ANN}:{line}: quote: not found verbatim" in msg and "does not occur" in msg


def test_wrong_offset_gives_the_right_one(data, tmp_path):
    path = data / "annotations" / ANN
    text = path.read_text(encoding="utf-8")
    m = re.search(r"\n(\s+)start: (\d+)\n", text)
    line = text[: m.start()].count("\n") + 2
    path.write_text(text[: m.start()] + f"\n{m[1]}start: {int(m[2]) + 3}\n" + text[m.end():], encoding="utf-8")
    msg = failing_build(data, tmp_path)
    assert f"{ANN}:" in msg and "quote: not found verbatim" in msg and f"in the body at {m[2]}" in msg


def test_missing_field(data, tmp_path):
    path = data / "annotations" / ANN
    text = path.read_text(encoding="utf-8")
    m = re.search(r"\n\s+hedge: \w+\n", text)
    path.write_text(text[: m.start()] + "\n" + text[m.end():], encoding="utf-8")
    msg = failing_build(data, tmp_path)
    assert f"{ANN}:" in msg and "hedge: missing" in msg


def test_yaml_syntax_error_and_non_utf8(data, tmp_path):
    path = data / "annotations" / ANN
    original = path.read_bytes()
    path.write_bytes(original.replace(b"claims:\n", b"claims:\n  - [unclosed\n", 1))
    msg = failing_build(data, tmp_path)
    assert f"{ANN}:" in msg and "YAML syntax" in msg
    first_line = original.index(b"\n") + 1
    path.write_bytes(original[:first_line] + b"# Th\xf6mpson in Latin-1\n" + original[first_line:])
    msg = failing_build(data, tmp_path)
    assert f"{ANN}:2:" in msg and "not UTF-8" in msg


def test_quote_outside_body_is_refused(data, tmp_path):
    # The scale-war article repeats its lead in a summary box before the body.
    path = data / "annotations" / "scale-war-2026.yaml"
    text = path.read_text(encoding="utf-8")
    art = (data / "articles" / "scale-war-2026.txt").read_text(encoding="utf-8")
    m = re.search(r"\n(\s+)quote: (.+)\n\s+start: (\d+)\n", text)
    import yaml
    quote = yaml.safe_load(f"q: {m[2]}")["q"]
    first = art.find(quote)
    if first == int(m[3]):
        pytest.skip("first quote occurs only once")
    path.write_text(text.replace(f"start: {m[3]}\n", f"start: {first}\n", 1), encoding="utf-8")
    msg = failing_build(data, tmp_path)
    assert "scale-war-2026.yaml" in msg and "outside the article body" in msg


def test_cli_prints_one_line_error_and_exit_code(data, tmp_path, cli):
    line = corrupt(data / "annotations" / ANN, "value: ~2T\n", "value: two trillion\n")
    r = cli("build", "--data-dir", str(data), "--build-dir", str(tmp_path / "b"))
    assert r.code == 2 and r.out == ""
    assert len(r.err.strip().splitlines()) == 1
    assert f"{ANN}:{line}: value:" in r.err
    assert not (tmp_path / "b" / "graph.trig").exists()
