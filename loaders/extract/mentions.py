"""Mentions of labs, models, people and other entities in text: the names
data/entities.yaml knows (labels and aliases), model names it has not seen yet
("Qwen3.6-Plus", "DeepSeek-V3", "Opus 4.7") and social-media handles."""
import re
from dataclasses import dataclass, field, replace

from loaders.yamlfile import Mapping, load_yaml

from . import lexicon

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    return _SLUG_CHARS.sub("-", name.lower().replace("@", "")).strip("-") or "unnamed"


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass
class Info:
    slug: str
    section: str
    label: str
    aliases: list = field(default_factory=list)
    kind: str | None = None          # family / version, for models
    lab: str | None = None
    family: str | None = None
    new: bool = False                # proposed by the extractor, not in any entities file


@dataclass
class Mention:
    start: int
    end: int
    text: str
    info: Info
    series: bool = False             # "the Claude 3 series": a line of models, not one

    @property
    def slug(self):
        return self.info.slug

    @property
    def section(self):
        return self.info.section


class EntityIndex(dict):
    """slug -> Info, from one or more entities.yaml files."""

    @classmethod
    def from_files(cls, files):
        idx = cls()
        for path in files:
            doc = load_yaml(path)
            if not isinstance(doc, Mapping):
                continue
            for section, entries in doc.items():
                for slug, e in (entries or {}).items():
                    if isinstance(e, dict):
                        idx[str(slug)] = Info(str(slug), section, str(e.get("label", slug)),
                                              [str(a) for a in e.get("aliases") or []], e.get("kind"),
                                              e.get("lab") or e.get("affiliation"), e.get("family") or e.get("parent"))
        return idx

    def without(self, slugs):
        out = EntityIndex({k: v for k, v in self.items() if k not in set(slugs)})
        return out

    def surfaces(self):
        """(surface form, Info) pairs, longest first."""
        pairs = []
        for info in self.values():
            if info.section == "platforms":
                continue     # "X" would match every stray capital X
            for s in [info.label, *info.aliases]:
                pairs.append((s, info))
        return sorted(pairs, key=lambda p: -len(p[0]))

    def by_norm(self):
        out = {}
        for s, info in self.surfaces():
            out.setdefault(norm(s), info)
        return out


def _model_pattern():
    lex = lexicon.load()
    stems = "|".join(re.escape(s) for s in sorted(lex["model-stems"], key=len, reverse=True))
    tiers = "|".join(re.escape(s) for s in sorted(lex["model-tiers"], key=len, reverse=True))
    ver = r"(?:[vV]\d+(?:\.\d+)*|\d+(?:\.\d+)*[a-z]?)(?![\w])"
    return re.compile(
        rf"(?<![\w@])(?P<stem>{stems})(?![a-z])"
        rf"(?P<v1>-?{ver}|[- ]{ver}|(?<=[A-Za-z])\d+(?:\.\d+)*(?![\w]))?"
        rf"(?P<tiers>(?:[- ](?:{tiers})(?![\w]))*)"
        rf"(?P<v2>[- ]{ver})?"
        rf"(?P<alts>(?:/\d+(?:\.\d+)*(?![\w]))*)"
        rf"(?P<size> \d+x\d+B(?![\w])| \d+B(?![\w]))?")


# A bare name is a product when its maker is named with it: "Mixtral (by Mistral AI)", "Amazon's Titan".
_MAKER = re.compile(r"\s*\((?:by|from)\s+[A-Z]")
_OWNER = re.compile(r"(?<![\w])[A-Z][\w.&-]*[’']s\s+$")
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{2,30})")


class Finder:
    """Finds mentions with one entity index; proposes new entities for unseen names."""

    def __init__(self, index: EntityIndex):
        self.index = index
        self.norms = index.by_norm()
        self.model_rx = _model_pattern()
        self.tiers = set(lexicon.load()["model-tiers"])
        surfaces = self.index.surfaces()
        cased = [(s, i) for s, i in surfaces if s != s.lower()]
        lower = [(s, i) for s, i in surfaces if s == s.lower()]
        self.cased = {s: i for s, i in cased}
        self.lower = {s: i for s, i in lower}
        self.cased_rx = lexicon.alternation(self.cased, 0) if cased else None
        self.lower_rx = lexicon.alternation(self.lower) if lower else None
        self.series_rx = re.compile(r"[ ]?(?:" + "|".join(map(re.escape, lexicon.load()["series-words"])) + r")\b", re.I)
        self.new = {}      # slug -> Info proposed while reading
        self.learned = None   # regex of names learned from this text (learn())
        self.learned_labs = None

    def learn(self, text, sentences):
        """Model and lab names this text introduces: a name like "Orion-2" in a sentence
        that speaks of models, an organisation like "Nimbus Labs"."""
        lex = lexicon.load()
        name_rx = re.compile(lex["model-name-pattern"])
        cues = lexicon.alternation(lex["model-cues"])
        stop = set(lex["name-stopwords"])
        names, table_cue = set(), False
        tiers = re.compile(r" (?:" + "|".join(map(re.escape, lex["model-tiers"])) + r")(?![\w-])")
        for s in sentences:
            # a table's header speaks for its rows ("| Model | Parameters |")
            in_table = s.text.startswith("|")
            table_cue = in_table and (table_cue or bool(cues.search(s.text)))
            if table_cue or cues.search(s.text):
                for m in name_rx.finditer(text, s.start, s.end):
                    # "Nimbus-3 Mini": a tier word after the name is part of it
                    tier = tiers.match(text, m.end())
                    name = m[0] + (tier[0] if tier else "")
                    if norm(name) not in self.norms:
                        names.add(name)
        # a sibling of a learned name is a model too, cue or not ("Lyra-4 ... than Lyra-3")
        stems = {n.split("-")[0] for n in names}
        for s in sentences:
            for m in name_rx.finditer(text, s.start, s.end):
                if m[0].split("-")[0] in stems and norm(m[0]) not in self.norms:
                    names.add(m[0])
        if names:
            self.learned = lexicon.alternation(names, 0)
        suffixes = "|".join(map(re.escape, lex["lab-suffixes"]))
        lab_rx = re.compile(rf"(?<![\w])((?:[A-Z][\w-]+ ){{1,2}})({suffixes})(?![\w])")
        labs = set()
        for s in sentences:
            for m in lab_rx.finditer(text, s.start, s.end):
                words = m[1].split()
                while words and words[0] in stop:
                    words = words[1:]
                if words:
                    name = " ".join(words + [m[2]])
                    if norm(name) not in self.norms:
                        labs.add(name)
        if labs:
            self.learned_labs = lexicon.alternation(labs, 0)

    def _known_or_new(self, name, stem):
        info = self.norms.get(norm(name))
        if info is not None:
            return info
        # "Opus 4.7": a family alias plus a version is a version of that family, named in full
        fam = self.norms.get(norm(stem))
        full = name
        if fam is not None and fam.section == "models" and norm(fam.label) != norm(stem) and fam.label.endswith(stem):
            full = fam.label[: -len(stem)] + name
            info = self.norms.get(norm(full))
            if info is not None:
                return info
        slug = slugify(full)
        if slug in self.index:
            return self.index[slug]
        if slug not in self.new:
            self.new[slug] = Info(slug, "models", full, [], "version" if re.search(r"\d", full) else "family",
                                  fam.lab if fam else None, fam.slug if fam and fam.kind == "family" else None, new=True)
        return self.new[slug]

    def models(self, text, start, end):
        out = []
        for m in self.model_rx.finditer(text, start, end):
            base = m.group(0)[: m.start("alts") - m.start()] + (m["size"] or "")
            has_version = bool(m["v1"] or m["v2"] or m["size"])
            if not has_version and not m["tiers"] and norm(base) not in self.norms and m["stem"] not in self.tiers \
                    and not _MAKER.match(text, m.end()) and not _OWNER.search(text[max(0, m.start() - 30):m.start()]):
                continue    # a bare unknown stem is too often an ordinary word; a tier ("Haiku") is not
            names = [base]
            if m["alts"]:
                last = m["v2"] or m["v1"] or ""
                lead = last[0] if last and not last[0].isdigit() else ""
                stem_part = base[: len(base) - len(last)] if last and base.endswith(last) else base
                names += [stem_part + lead + a for a in m["alts"].split("/")[1:]]
            series = bool(self.series_rx.match(text, m.end()))
            for n in names:
                info = self._known_or_new(n.strip(), m["stem"])
                out.append(Mention(m.start(), m.end(), m.group(0), info, series))
        return out

    def known(self, text, start, end):
        out = []
        if self.learned is not None:
            for m in self.learned.finditer(text, start, end):
                out.append(Mention(m.start(), m.end(), m[0], self._known_or_new(m[0], m[0].split("-")[0])))
        if self.learned_labs is not None:
            for m in self.learned_labs.finditer(text, start, end):
                slug = slugify(m[0])
                info = self.index.get(slug) or self.new.setdefault(slug, Info(slug, "labs", m[0], new=True))
                out.append(Mention(m.start(), m.end(), m[0], info))
        for rx, table in ((self.cased_rx, self.cased), (self.lower_rx, None)):
            if rx is None:
                continue
            for m in rx.finditer(text, start, end):
                info = self.cased[m[0]] if table is not None else self.lower.get(m[0].lower())
                if info is not None:
                    out.append(Mention(m.start(), m.end(), m[0], info))
        for m in _HANDLE.finditer(text, start, end):
            slug = slugify(m[1])
            info = self.index.get(slug) or self.new.setdefault(
                slug, Info(slug, "people", "@" + m[1], [], new=True, lab=None))
            out.append(Mention(m.start(), m.end(), m[0], info))
        return out

    def find(self, text, start, end) -> list[Mention]:
        """Mentions in text[start:end], longest first where they overlap, in text order."""
        cands = self.models(text, start, end) + self.known(text, start, end)
        cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
        out, taken_until, keep_start = [], -1, None
        for c in cands:
            if c.start >= taken_until:
                out.append(c)
                taken_until, keep_start = c.end, c.start
            elif c.start == keep_start and c.end == taken_until and c.info is not out[-1].info:
                out.append(c)      # "Opus 4.5/4.6": one span, two models
        return out


def versioned(m: Mention, series: Mention, finder: Finder) -> Mention:
    """A bare family mention read inside a series' context ("Claude 3 Series: ... Haiku")."""
    if m.section != "models" or m.info.kind != "family" or series.info is m.info:
        return m
    fam_label, series_label = m.info.label, series.info.label
    series_stem = re.sub(r"[ -]?\d+(?:\.\d+)*$", "", series_label)
    if not re.search(r"\d", series_label):
        return m
    if fam_label.startswith(series_stem + " "):
        name = series_label + fam_label[len(series_stem):]
    elif m.info.new and " " not in fam_label:
        name = f"{series_label} {fam_label}"     # "Claude 3 Series: Haiku, Sonnet, Opus"
    else:
        return m
    return replace(m, info=finder._known_or_new(name, name.split()[0]))
