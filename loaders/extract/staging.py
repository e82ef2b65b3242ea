"""Ingest and accept: candidate files written into a staging corpus folder (same
layout as data/: articles/, annotations/, entities.yaml), and accepted ones moved
into the curated corpus. Both check their result with the real loader first and
write nothing unless it loads."""
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aikg import paths
from loaders.corpus import load_corpus
from loaders.errors import LoadError
from loaders.yamlfile import Mapping, load_yaml, read_text

from .body import find_body
from .claims import extract
from .formats import IngestError, read_article
from .mentions import EntityIndex, slugify
from .evaluate import values_match

STAGING = paths.DATA / "incoming"
_ORDER = ["labs", "models", "people", "agents", "publishers", "clusters", "initiatives", "platforms"]


_UNPRINTABLE = re.compile("[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _q(v):
    """A YAML scalar: JSON strings are valid YAML double-quoted strings, once the
    characters YAML refuses to read raw (DEL, C1 controls) are escaped too."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(str(v), ensure_ascii=False))


def _value(v):
    plain = re.fullmatch(r"~?[A-Za-z0-9][\w.-]*", str(v)) and str(v) not in ("true", "false", "null", "yes", "no")
    return str(v) if plain else _q(v)


def _entity_line(info):
    fields = {"label": info.label}
    if info.section == "models":
        fields["kind"] = info.kind or "version"
        if info.family:
            fields["family"] = info.family
        if info.lab:
            fields["lab"] = info.lab
    else:
        fields["description"] = "proposed by aikg ingest; review"
    return f"  {info.slug}: {{" + ", ".join(f"{k}: {_q(v)}" for k, v in fields.items()) + "}"


def _entities_text(sections: dict) -> str:
    lines = ["# Entities proposed by `aikg ingest` for the candidate claims beside them (review them)."]
    for sec in sorted(sections, key=lambda s: _ORDER.index(s) if s in _ORDER else 99):
        lines.append(f"{sec}:")
        lines += sections[sec]
    return "\n".join(lines) + "\n"


def _read_sections(path) -> dict:
    """section -> entry lines of a staging entities.yaml (the format _entities_text writes)."""
    out, sec = {}, None
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([a-z]+):\s*$", line)
        if m:
            sec = out.setdefault(m[1], [])
        elif line.startswith("  ") and sec is not None:
            sec.append(line)
    return out


def _slug_of(line):
    return line.strip().split(":", 1)[0]


@dataclass
class Ingested:
    source: str
    article: Path
    annotations: Path
    claims: int
    body: tuple


def _claim_ids(cands, curated):
    """A claim id per candidate: a curated claim's own id (and value spelling) when it
    states the same thing, so the graph links the new report to it."""
    by_key = {}
    for cid, d in curated.items():
        about = d.about.slug
        prop = str(d.prop[0]).rsplit("/", 1)[1]
        rel = d.relative_to.slug if d.relative_to is not None else None
        by_key.setdefault((about, prop, rel), []).append((cid, d.value.get("text")))
    ids = {}
    for c in cands:
        key = c.key()
        for cid, text in by_key.get(key, []):
            if text is not None and values_match(c.property, c.value, text):
                c.value = text
                ids[id(c)] = cid
                break
        else:
            v = c.value.replace("~", "about-").replace(">", "over-").replace("<", "under-").replace("$", "usd-")
            cid = "-".join(x for x in (c.about.slug, c.property, f"to-{key[2]}" if key[2] else "", slugify(v)) if x)
            if cid in curated:
                cid += "-candidate"
            ids[id(c)] = cid
    return ids


def annotation_text(source, text, cands, ids) -> str:
    lines = [f"# Candidate claims extracted by `aikg ingest` from articles/{source}.txt.",
             "# Review each: fix or delete it, or mark it `status: rejected`; then `aikg accept` this file.",
             "", f"source: {source}", "claims:"]
    if not cands:
        lines[-1] = "claims: []"
    for c in cands:
        lines.append(f"  - claim: {ids[id(c)]}")
        lines.append(f"    about: {c.about.slug}")
        lines.append(f"    property: {c.property}")
        lines.append(f"    value: {_value(c.value)}")
        if c.relative_to is not None:
            lines.append(f"    relative-to: {c.relative_to.slug}")
        lines.append(f"    hedge: {c.hedge}")
        lines.append(f"    origin: {c.origin.slug if c.origin else 'article'}")
        if c.prediction:
            lines.append("    prediction: true")
            for k in ("horizon", "by", "statement"):
                if k in c.prediction:
                    lines.append(f"    {k}: {_q(c.prediction[k])}")
        lines.append(f"    quote: {_q(text[c.start:c.end])}")
        lines.append(f"    start: {c.start}")
        lines.append("    status: candidate")
        lines.append(f"    confidence: {c.confidence}")
    return "\n".join(lines) + "\n"


def metadata_text(title, fmt, input_path, text, start, end) -> str:
    return "\n".join([
        f"# Ingested by `aikg ingest` from {input_path.name} (read as {fmt}); review before `aikg accept`.",
        f"title: {_q(title or input_path.stem)}",
        "publisher: unknown",
        "language: und            # not detected",
        "published: unknown",
        f"seed: {_q(input_path.name)}",
        "# The body as found: from the first paragraph of prose to the page furniture.",
        "body:",
        f"  start: {start}",
        f"  end: {end}",
        f"  from: {_q(text[start:start + 60])}",
        f"  to: {_q(text[max(start, end - 60):end])}",
    ]) + "\n"


def _write_atomic(files: dict):
    """path -> text (or None to delete), each replaced by a rename; on a failure the
    files already replaced are put back."""
    done = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if path.exists():
                backup = path.with_name(f".{path.name}.bak-{os.getpid()}")
                shutil.copy2(path, backup)
            if content is None:
                if path.exists():
                    path.unlink()
            else:
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(content)
                os.replace(tmp, path)
            done.append((path, backup))
    except BaseException:
        for path, backup in reversed(done):
            if backup is not None:
                os.replace(backup, path)
            elif path.exists():
                path.unlink()
        raise
    finally:
        for _, backup in done:
            if backup is not None and backup.exists():
                backup.unlink()


def _stage_copy(out_dir: Path, files: dict) -> Path:
    """A temporary corpus folder: out_dir as it is, with files (path under out_dir -> text) applied."""
    tmp = Path(tempfile.mkdtemp(prefix="aikg-stage-"))
    for sub in ("articles", "annotations"):
        (tmp / sub).mkdir()
        if (out_dir / sub).is_dir():
            for f in (out_dir / sub).iterdir():
                if f.is_file() and not f.name.startswith("."):
                    shutil.copy2(f, tmp / sub / f.name)
    if (out_dir / "entities.yaml").exists():
        shutil.copy2(out_dir / "entities.yaml", tmp / "entities.yaml")
    for path, content in files.items():
        target = tmp / path.relative_to(out_dir)
        if content is None:
            target.unlink(missing_ok=True)
        else:
            target.write_text(content, encoding="utf-8")
    return tmp


_CACHE = {}


def _curated(data_dir):
    """The curated corpus, loaded once per process for as long as its files stay the same."""
    files = [data_dir / "entities.yaml", *sorted((data_dir / "articles").glob("*")),
             *sorted((data_dir / "annotations").glob("*")), *sorted(paths.ONTOLOGY.rglob("*.ttl"))]
    key = (str(data_dir.resolve()), tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.exists()))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = load_corpus(data_dir=data_dir)
    return _CACHE[key]


def ingest(inputs, out_dir=STAGING, data_dir=paths.DATA) -> list[Ingested]:
    """Every input read, extracted and checked with the loader before anything is written."""
    out_dir, data_dir = Path(out_dir), Path(data_dir)
    if out_dir.resolve() == data_dir.resolve():
        raise IngestError(out_dir, None, None, "the staging folder cannot be the curated corpus; use `aikg accept`")
    read = [(path, *read_article(path)) for path in map(Path, inputs)]    # cheap refusals first
    curated = _curated(data_dir)
    index = EntityIndex.from_files([p for p in (data_dir / "entities.yaml", out_dir / "entities.yaml") if p.exists()])
    sections = _read_sections(out_dir / "entities.yaml")
    staged_slugs = {_slug_of(ln) for lines in sections.values() for ln in lines}
    files, results, seen = {}, [], set()
    for path, text, title, fmt in read:
        source = slugify(path.stem)
        if source in curated.articles:
            raise IngestError(path, None, None, f"a source named {source} is already in the corpus (rename the file)")
        if source in seen:
            raise IngestError(path, None, None, f"two inputs would both be stored as {source}")
        seen.add(source)
        try:
            start, end = find_body(text)
            ex = extract(text, start, end, index)
        except (RecursionError, MemoryError, ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
            # a bug of the extractor on this text: say so, name the file, write nothing
            raise IngestError(path, None, None, f"the extractor failed on this text ({type(e).__name__}: {e})") from None
        for slug, info in ex.new_entities.items():
            if slug not in staged_slugs:
                sections.setdefault(info.section, []).append(_entity_line(info))
                staged_slugs.add(slug)
                index[slug] = info
        ids = _claim_ids(ex.candidates, curated.claims)
        art = out_dir / "articles" / f"{source}.txt"
        ann = out_dir / "annotations" / f"{source}.yaml"
        files[art] = text
        files[art.with_suffix(".yaml")] = metadata_text(title, fmt, path, text, start, end)
        files[ann] = annotation_text(source, text, ex.candidates, ids)
        results.append(Ingested(source, art, ann, len(ex.candidates), (start, end)))
    if sections:
        files[out_dir / "entities.yaml"] = _entities_text(sections)
    tmp = _stage_copy(out_dir, files)
    try:
        load_corpus([tmp], data_dir=data_dir)
    except Exception as e:     # LoadError, or a reader error the loader lets through
        raise IngestError(path, None, None, f"the candidates would not load ({e}); nothing written") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # entities first: an article written before them would not load
    ordered = dict(sorted(files.items(), key=lambda kv: kv[0].name != "entities.yaml"))
    _write_atomic(ordered)
    return results


# ---------------------------------------------------------------- accept

def _insert_entities(entities_text: str, lines_by_section: dict) -> str:
    """data/entities.yaml with entry lines added at the end of their sections."""
    lines = entities_text.rstrip("\n").split("\n")
    for sec, new in lines_by_section.items():
        head = next((i for i, ln in enumerate(lines) if ln.rstrip() == f"{sec}:"), None)
        if head is None:
            lines += ["", f"{sec}:"] + new
            continue
        end = head + 1
        while end < len(lines) and (lines[end].startswith(" ") or not lines[end].strip()):
            end += 1
        while end > head + 1 and not lines[end - 1].strip():
            end -= 1
        lines[end:end] = new
    return "\n".join(lines) + "\n"


def accept(candidate_file, data_dir=paths.DATA) -> tuple[str, int]:
    """(source, number of claims) moved from a reviewed candidate file into the curated corpus."""
    cand = Path(candidate_file)
    data_dir = Path(data_dir)
    doc = load_yaml(cand)
    if not isinstance(doc, Mapping) or "source" not in doc:
        raise LoadError(cand, 1, "source", "not a candidate annotation file (expected source: and claims:)")
    source = str(doc["source"])
    stage = cand.parent.parent
    art, meta = stage / "articles" / f"{source}.txt", stage / "articles" / f"{source}.yaml"
    for p in (art, meta):
        if not p.exists():
            raise LoadError(p, None, None, "missing: accept needs the article ingest wrote beside the candidates")
    if (data_dir / "articles" / f"{source}.txt").exists():
        raise LoadError(cand, doc.line_of("source"), "source", f"{source} is already in the curated corpus")
    text = cand.read_text(encoding="utf-8")
    kept, dropped = _curated_entries(cand, doc, text)
    used = set()
    for m in kept:
        used |= {str(m.get(k)) for k in ("about", "relative-to", "origin", "attributed-in-text", "derived-by") if m.get(k)}
    staged = _read_sections(stage / "entities.yaml")
    curated_slugs = set(EntityIndex.from_files([data_dir / "entities.yaml"]))
    add, rest = {}, {}
    for sec, lines in staged.items():
        for ln in lines:
            slug = _slug_of(ln)
            target = add if slug in used and slug not in curated_slugs else rest
            target.setdefault(sec, []).append(ln)
    curated_ann = _strip_candidate_fields(text, kept)
    new_entities = _insert_entities((data_dir / "entities.yaml").read_text(encoding="utf-8"), add)
    files = {
        data_dir / "entities.yaml": new_entities,
        data_dir / "articles" / f"{source}.txt": read_text(art),
        data_dir / "articles" / f"{source}.yaml": meta.read_text(encoding="utf-8"),
        data_dir / "annotations" / f"{source}.yaml": curated_ann,
    }
    # check on a copy of the curated corpus with the accepted files in place
    tmp = Path(tempfile.mkdtemp(prefix="aikg-accept-"))
    try:
        shutil.copytree(data_dir, tmp / "data", ignore=shutil.ignore_patterns("incoming", ".*"))
        for p, content in files.items():
            (tmp / "data" / p.relative_to(data_dir)).write_text(content, encoding="utf-8")
        try:
            load_corpus(data_dir=tmp / "data")
        except LoadError as e:
            raise LoadError(cand, None, None, f"would not load once accepted: {e}; nothing changed") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _write_atomic(files)
    leftover = {stage / "annotations" / f"{source}.yaml": None, art: None, meta: None}
    leftover[stage / "entities.yaml"] = _entities_text(rest) if rest else None
    _write_atomic(leftover)
    return source, len(kept)


def _curated_entries(path, doc, text):
    claims = doc.get("claims") or []
    kept = [m for m in claims if isinstance(m, Mapping) and m.get("status") != "rejected"]
    for m in kept:
        if m.get("status") not in (None, "candidate", "curated"):
            raise LoadError(path, m.line_of("status"), "status", "expected candidate, curated or rejected")
    return kept, len(claims) - len(kept)


def _strip_candidate_fields(text, kept):
    """The reviewed file as curated annotations: rejected entries and the status and
    confidence lines dropped, everything else (comments, the reviewer's edits) kept."""
    lines = text.split("\n")
    keep_lines = {m.line for m in kept}
    out, skipping = [], False
    for n, ln in enumerate(lines, 1):
        if re.match(r"^\s*-\s+claim:", ln):
            skipping = n not in keep_lines
        elif not ln.startswith(" ") and ln.strip():
            skipping = False
        if skipping:
            continue
        if re.match(r"^\s+(status|confidence):", ln):
            continue
        out.append(ln)
    body = "\n".join(out)
    if not kept:
        body = re.sub(r"(?m)^claims:\s*$", "claims: []", body)
    body = body.replace("# Candidate claims extracted by `aikg ingest`", "# Claims extracted by `aikg ingest` and accepted after review,", 1)
    return body if body.endswith("\n") else body + "\n"
