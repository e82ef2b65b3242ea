"""An input file (plain text, Markdown, HTML) into the text an article is stored as.

Every refusal is an IngestError naming the file; nothing here raises anything else."""
import re
from pathlib import Path

from loaders.errors import LoadError

from .html import html_to_text

MAX_BYTES = 2_000_000    # a news article is tens of kilobytes; beyond this it is not one


class IngestError(LoadError):
    pass


def _decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise IngestError(path, None, None, "empty file: nothing to extract")
    if len(data) > MAX_BYTES:
        raise IngestError(path, None, None, f"{len(data)} bytes: too large for an article (limit {MAX_BYTES})")
    if b"\x00" in data:
        raise IngestError(path, None, None, "binary file (contains NUL bytes), not an article")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise IngestError(path, line, None, f"not UTF-8 (byte {e.start}); convert the file to UTF-8 first") from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise IngestError(path, None, None, "binary file (control characters), not an article")
    return text.replace("\r\n", "\n").replace("\r", "\n")


_MD_HINTS = re.compile(r"(?m)^(#{1,6} |\* |- |\d+\. |> |\|.*\|$)|\[[^\]]+\]\([^)]+\)|\*\*[^*]+\*\*")
_HTML_HINT = re.compile(r"(?is)<(!doctype html|html|body|p|div|article|head)\b")


def detect(path: Path, text: str) -> str:
    ext = path.suffix.lower()
    if ext in (".html", ".htm", ".xhtml"):
        return "html"
    if ext in (".md", ".markdown"):
        return "markdown"
    if ext in (".txt", ".text"):
        return "text"
    if _HTML_HINT.search(text[:4000]):
        return "html"
    return "markdown" if len(_MD_HINTS.findall(text[:20000])) >= 3 else "text"


_MD_RULES = [
    (re.compile(r"```[^\n]*\n"), ""),                              # code fences (their content stays)
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),                    # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                  # links keep their text
    (re.compile(r"(?m)^#{1,6}\s+"), ""),                            # heading marks
    (re.compile(r"(?m)^>\s?"), ""),                                 # quote marks
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),          # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),   # italics
    (re.compile(r"`([^`\n]+)`"), r"\1"),                            # inline code
]


def markdown_to_text(md: str) -> tuple[str, str | None]:
    m = re.search(r"(?m)^#\s+(.+)$", md)
    title = m[1].strip() if m else None
    for rx, rep in _MD_RULES:
        md = rx.sub(rep, md)
    return md, title


def read_article(path: Path) -> tuple[str, str | None, str]:
    """(stored text, title or None, format) of an input file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise IngestError(path, None, None, "is a folder, not a file") from None
    except OSError as e:
        raise IngestError(path, None, None, f"cannot read: {e.strerror}") from None
    text = _decode(path, data)
    fmt = detect(path, text)
    title = None
    if fmt == "html":
        text, title = html_to_text(text)
    elif fmt == "markdown":
        text, title = markdown_to_text(text)
    if not text.strip():
        raise IngestError(path, None, None, f"no text left after reading it as {fmt}")
    if title is None:
        first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
        title = first[:200]
    return text, title, fmt
