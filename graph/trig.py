"""The build's TriG, written so that the same data gives the same bytes: graphs,
subjects, predicates and objects in sorted order, one stanza per subject. The
incremental build rewrites single stanzas and blocks of a file written here."""
import bisect
import ctypes
import mmap
import os
import re
import shutil

import pyoxigraph as ox
from rdflib import Literal, URIRef

from aikg.vocab import PREFIXES

DEFAULT_GRAPH = "urn:x-rdflib:default"


def header() -> str:
    return "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())) + "\n\n"


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_oxigraph(t):
    """A pyoxigraph term as rdflib's, written as the loaders write it (a plain
    literal for xsd:string), so that stanzas made from the store match the build's."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    if t.datatype.value == _XSD_STRING:
        return Literal(t.value)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def subject_key(s) -> str:
    return str(s)


def stanza(g, s) -> str:
    preds = {}
    for _, p, o in g.triples((s, None, None)):
        preds.setdefault(p, set()).add(o)
    return stanza_from(s, preds)


def block(identifier, stanzas) -> str:
    """One graph: `<iri> {`, its stanzas in subject order, `}`."""
    return f"<{identifier}> {{\n" + "\n".join(stanzas) + "\n}\n"


def _n3(t) -> str:
    # An IRI written directly: rdflib's n3() re-validates it each time, which is
    # a third of the build at scale; the store validates every IRI when it loads.
    return f"<{t}>" if type(t) is URIRef else t.n3()


def stanza_from(s, preds) -> str:
    lines = []
    for p in sorted(preds):
        objs = sorted((type(o).__name__, _n3(o)) for o in preds[p])
        lines.append(f"    {_n3(p)} " + " ,\n        ".join(text for _, text in objs))
    return f"  {_n3(s)}\n" + " ;\n".join(lines) + " ."


def graph_block(g) -> str:
    # One pass over the graph, grouped here: rdflib's per-subject, per-predicate
    # lookups cost more than the whole of Oxigraph's bulk load at scale.
    by_subject = {}
    for s, p, o in g:
        by_subject.setdefault(s, {}).setdefault(p, set()).add(o)
    return block(g.identifier, [stanza_from(s, by_subject[s]) for s in sorted(by_subject, key=subject_key)])


def blocks_of(graphs) -> list:
    """The blocks of these graphs, in the order the TriG holds them (empty ones left out)."""
    return [graph_block(g) for g in sorted((g for g in graphs if len(g)), key=lambda g: str(g.identifier))]


def write_trig(path, blocks, tail=None, tails=()):
    """The same bytes as serialize_trig, written to `path`: `blocks` (blocks_of the
    first graphs) then the blocks already written to the files `tail` and `tails`,
    in that order, whose graphs must sort after them, each block written as
    "\n" + block. The build streams its source graphs and its views into such tails."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header() + "\n".join(blocks))
        for t in ([tail] if tail is not None else []) + list(tails):
            with open(t, encoding="utf-8", newline="") as f:
                shutil.copyfileobj(f, out, 1 << 20)


def serialize_trig(ds) -> bytes:
    graphs = sorted((g for g in ds.graphs() if len(g) and str(g.identifier) != DEFAULT_GRAPH),
                    key=lambda g: str(g.identifier))
    return (header() + "\n".join(graph_block(g) for g in graphs)).encode("utf-8")


# ------------------------------------------------------------ editing a written file in place

def _edit_stanzas(iri, text, edits):
    """A block's text (or None: no block yet) with stanzas replaced or removed (None)."""
    stanzas = {}
    if text is not None:
        inner = text[text.index("{\n") + 2: -3]
        for i, part in enumerate(inner.split("\n  <") if inner else []):
            part = part if i == 0 else "  <" + part
            stanzas[part[3: part.index(">\n")]] = part
    for s, st in edits.items():
        if st is None:
            stanzas.pop(s, None)
        else:
            stanzas[s] = st
    return block(iri, [stanzas[s] for s in sorted(stanzas)]) if stanzas else None


class _Run:
    """A run of entries in IRI order inside a file written by this module: the
    graph blocks of the file, or the stanzas of one block. Entries are joined by
    one newline, so the run is read as units of "entry + newline", the last one's
    newline being the byte just after the run (the file's end: a virtual newline
    the writer adds and removes). Units are found by binary search over byte
    offsets, so that an edit reads only what it changes."""

    def __init__(self, data, start, end, boundary, key_from, key_end):
        self.data, self.start, self.end = data, start, end
        self.boundary, self.key_from, self.key_end = boundary, key_from, key_end
        self.offset = boundary.rindex(b"\n") + 1          # entries begin just after the last newline
        rare = [k for k, c in enumerate(boundary) if c not in b" \n.<>"]
        self.anchor = rare[0] if rare else None           # stanzas are short: their boundary is searched whole
        self._scanned = []

    def at(self, pos):
        """(start, key) of the first entry starting at or after pos; (end of the units, None) past the last."""
        start = self._next_start(pos)
        if start >= self.end:
            return self.end + (1 if self.end > self.start else 0), None
        return start, self.data[start + self.key_from: self.data.find(self.key_end, start)].decode()

    def _next_start(self, pos):
        # A probe inside a large entry (graph:analysis is megabytes) scans to its
        # end, and a binary search probes the same large entries again and again;
        # so every scan is remembered as "from a, the next entry starts at s", and
        # a later scan stops where a remembered one began.
        if pos <= self.start:
            return self.start
        i = bisect.bisect_right(self._scanned, (pos, float("inf")))
        if i and pos <= self._scanned[i - 1][1]:
            return self._scanned[i - 1][1]
        stop, known = (self._scanned[i][0], self._scanned[i][1]) if i < len(self._scanned) else (self.end, self.end)
        j = self._find(pos - self.offset, min(self.end, stop - self.offset + len(self.boundary)))
        start = known if j < 0 else j + self.offset
        bisect.insort(self._scanned, (pos, start))
        return start

    def _find(self, start, end):
        # CPython searches for one byte with memchr and for several bytes about ten
        # times slower: 0.3 s through the 180 MB of graph:views at 1000x. So the
        # boundary's rarest byte is searched for, and the boundary checked around it.
        data, b, k = self.data, self.boundary, self.anchor
        if k is None:
            return data.find(b, start, end)
        last = end - (len(b) - 1 - k)                     # the whole boundary before `end`, as find has it
        i = data.find(b[k:k + 1], start + k, last)
        while i >= 0 and data[i - k: i - k + len(b)] != b:
            i = data.find(b[k:k + 1], i + 1, last)
        return i - k if i >= 0 else -1

    def find(self, key):
        """(start, end, present): the unit of `key`, or the empty span where it would go."""
        lo, hi = self.start, self.end
        while lo < hi:
            mid = (lo + hi) // 2
            found = self.at(mid)[1]
            if found is None or found >= key:
                hi = mid
            else:
                lo = mid + 1
        start, found = self.at(lo)
        if found != key:
            return start, start, False
        return start, self.at(start + 1)[0], True

    def spans(self, edits):
        """(start, end, new bytes, key) for units replaced, removed (None) or added."""
        out = []
        for key in sorted(edits):
            start, end, present = self.find(key)
            text = b"" if edits[key] is None else (edits[key] + "\n").encode("utf-8")
            if present or text:
                out.append((start, end if present else start, text, key))
        return out


_BIG_BLOCK = 1 << 16      # blocks larger than this are edited stanza by stanza


def splice(path, out_path, blocks, stanzas):
    """Write to out_path the file at `path` with some graphs' blocks replaced
    (`blocks`: IRI -> block text, None to remove) and some stanzas edited
    (`stanzas`: IRI -> {subject: stanza text or None}; `blocks` wins for an IRI in
    both). Only what changes is read; the rest is copied by the kernel, so an edit
    costs little at any size of file."""
    with Splice(path, out_path) as job:
        job.write(job.spans(blocks, stanzas))
        job.finish()


class Splice:
    """`splice` in steps, so that the file up to a graph is written while the edits
    of that graph and the next ones are still being worked out:
        with Splice(path, out_path) as job:
            held = job.write(job.spans(blocks, stanzas), until=job.place_of(iri))   # in a thread, say
            ...
            job.write(held + job.spans({}, more))
            job.finish()
    `write` writes the spans that come before the place of graph `iri` (what ends
    before its block, and new blocks of graphs sorting before it) and copies the file
    up to there; it returns the spans it held back."""

    def __init__(self, path, out_path):
        self.f = open(path, "rb")
        try:
            self.data = mmap.mmap(self.f.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:                                   # an empty file
            self.f.close()
            raise ValueError(f"{path}: not a TriG file written by graph.trig") from None
        self.head_end = self.data.find(b"\n\n") + 2
        if self.head_end < 2:
            self.close()
            raise ValueError(f"{path}: not a TriG file written by graph.trig")
        self.size = len(self.data)
        self.graphs = _Run(self.data, self.head_end, self.size, b"}\n\n<", 1, b"> {\n")
        # Unbuffered: writes and kernel copies interleave. Not opened with O_TRUNC: on ext4,
        # truncating a file (even an empty one) makes its close write it out, 0.15 s at 1000x.
        self.out = open(os.open(out_path, os.O_WRONLY | os.O_CREAT, 0o666), "wb", buffering=0)
        self.pos = 0

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def close(self):
        for part in ("out", "data", "f"):
            if getattr(self, part, None) is not None:
                getattr(self, part).close()
                setattr(self, part, None)

    def place_of(self, iri):
        """(where the block of graph `iri` starts or would start, iri)."""
        return self.graphs.find(iri)[0], iri

    def spans(self, blocks, stanzas):
        data, size, graphs = self.data, self.size, self.graphs
        block_edits, spans = dict(blocks), []
        for iri, edits in stanzas.items():
            if iri in blocks:
                continue
            start, end, present = graphs.find(iri)
            end = min(end - 1, size)                        # the block without its unit's newline
            if present and end - start > _BIG_BLOCK:
                body = data.find(b"{\n", start) + 2
                inner = _Run(data, body, end - 3, b" .\n  <", 3, b">\n").spans(edits)
                if sum(e - s for s, e, *_ in inner) < end - 2 - body or any(t for _, _, t, _ in inner):
                    spans += inner
                    continue                                # else the block is emptied: edited whole below
            block_edits[iri] = _edit_stanzas(iri, data[start:end].decode("utf-8") if present else None, edits)
        return spans + graphs.spans(block_edits)

    def write(self, spans, until=None):
        f, out, size = self.f, self.out, self.size
        held = [sp for sp in spans if until is not None and (sp[1], sp[3]) >= until]
        # By place, then key: new stanzas at one place in key order ("x" before "x-2",
        # which their texts would swap: "-" sorts before ">").
        for start, end, text, _ in sorted((sp for sp in spans if until is None or (sp[1], sp[3]) < until),
                                          key=lambda sp: (sp[0], sp[1], sp[3])):
            if start < self.pos:
                raise ValueError("splice: an edit before what is already written")
            _copy(f, out, self.pos, min(start, size) - self.pos)
            if start > size and self.pos <= size:
                out.write(b"\n")                           # the virtual newline, kept
            out.write(text)
            self.pos = end
        if until is not None and until[0] > self.pos:
            _copy(f, out, self.pos, min(until[0], size) - self.pos)
            self.pos = min(until[0], size)
        return held

    def finish(self):
        out, size = self.out, self.size
        if self.pos <= size:
            _copy(self.f, out, self.pos, size - self.pos)
            if size > self.head_end:
                out.write(b"\n")
        self.pos = size + 1
        written = out.tell()
        # Every unit ends with a newline; the file does not. Cut there (and drop
        # whatever out_path held beyond it).
        out.truncate(written - 1 if written > self.head_end else written)


# Where a block ends and the next begins in a TriG written here (one "<iri> {" line,
# stanzas, one "}" line per graph, blocks one blank line apart).
_BLOCK_BREAK = re.compile(rb"\n\}\n\n<[^>\s]*> \{\n")


def merged_before(path, iri) -> bytes | None:
    """The Turtle of every graph of a file written here that comes before the last
    graph, `iri`, merged into one (its graph lines taken out); None when the file is
    not laid out so. A literal holding a whole block break would be misread: the
    same limit as the splice's."""
    with open(path, "rb") as f:
        try:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:                       # an empty file
            return None
        with data:
            last = data.rfind(b"\n<" + iri.encode() + b"> {\n")
            head = data.find(b"\n\n") + 2
            first = data.find(b"> {\n", head, last)
            if last < 0 or first < 0 or not data[head:first].startswith(b"<") \
                    or data.find(b"}\n\n<", last) >= 0 or data[last - 2:last + 1] != b"}\n\n":
                return None
            return data[:head] + _BLOCK_BREAK.sub(b"\n", memoryview(data)[first + 4:last - 2])


def swap_in(new_path, path):
    """The file at new_path takes the place of the one at `path`, in one step (a
    reader sees the old file or the new one, never neither), and new_path is gone.

    An exchange of the two names, then the old file unlinked: on ext4, a rename
    over an existing file first writes the renamed file's data out (the file
    system's guard for programs that replace files without fsync), 0.1-0.2 s for
    the 330 MB graph.trig at 1000x; an exchange does not. Where the system has no
    exchange, a plain replace."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        renameat2 = None
    if renameat2 is not None and os.path.exists(path):
        at_cwd, exchange = -100, 2                 # AT_FDCWD, RENAME_EXCHANGE (linux/fcntl.h, linux/fs.h)
        if renameat2(at_cwd, os.fsencode(new_path), at_cwd, os.fsencode(path), exchange) == 0:
            try:
                os.unlink(new_path)                # the old file: the swap itself is done
            except OSError:
                pass
            return
    os.replace(new_path, path)


def _copy(src, dst, offset, count):
    while count > 0:
        try:
            n = os.copy_file_range(src.fileno(), dst.fileno(), count, offset)
        except (AttributeError, OSError):      # no copy_file_range here, or not across these file systems
            src.seek(offset)
            n = dst.write(src.read(min(count, 1 << 24)))
        if not n:
            raise OSError(f"could not copy {count} bytes of {src.name}")
        offset, count = offset + n, count - n
