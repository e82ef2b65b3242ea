"""The extractor proper: a body's sentences into candidate claims, each with its
verbatim quote, offsets, hedge, origin and a confidence."""
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from . import experts, hedges, lexicon, phrases, predictions, quantities, relations, tables
from .attribution import Attributor
from .mentions import Finder, Info, Mention, versioned
from .sentences import Sentence, split

_WEAK_HEDGES = ("unverified", "rumored", "leaked")
_LIST_ITEM = re.compile(r"^(?:\d+[.)]|[-•*])\s")
_STRONG_BEFORE = re.compile(   # MODEL ... Q with nothing in between but a copula or a bracket
    r"(?:[’']s?\s+|\s*\(\s*(?:est\.?\s*|estimated at\s*)?|,?\s+(?:at|is|was|of|with|has|must be|would be|could be|"
    r"operates at|operating at|reaches|is built on|:)\s+(?:an?\s+|a staggering\s+|approximately\s+|about\s+|around\s+|"
    r"roughly\s+|an estimated\s+|just\s+|only\s+)?)[~<>]?\s*$")
_STRONG_AFTER = re.compile(r"^(?:\s*\(|\s+(?:parameters?\s+|params\s+)?for\s+(?:the\s+)?)$")
_DATE = None
_VERDICT = re.compile(r"\b(?:it[’']s|it is|is|was|as)\s+(?:a\s+)?[\"“]([^\"”\n]{3,80})[\"”]")
# "2.4 trillion parameters, of which about 180 billion are active": one subject for both
_SAME_SUBJECT = re.compile(r"^[\s\w-]{0,25}?,?\s*(?:of which|of them|with)\s+(?:about\s+|around\s+|roughly\s+|only\s+|just\s+)?$")
# "X is a distilled version of Y and will ship with open weights": the predicate is X's
_AND_PREDICATE = re.compile(r"^[^,;]*?\s+and\s+(?:will|is|was|has|have|are|also|now|ships|comes)\b")
_POSSESSIVE = re.compile(r"[’']s?\b")
_DETERMINER = re.compile(r"\b(?:the|this|that|its|current|latest)\s+(?:current\s+|latest\s+)?$", re.IGNORECASE)


@dataclass
class Candidate:
    about: Info
    property: str
    value: str
    start: int
    end: int
    relative_to: Info | None = None
    hedge: str = "stated"
    origin: Info | None = None          # None: the article's own voice
    confidence: float = 0.5
    prediction: dict = field(default_factory=dict)
    number: tuple | None = None         # (lower, upper) for numeric values

    def key(self):
        return (self.about.slug, self.property, self.relative_to.slug if self.relative_to else None)


@dataclass
class Extraction:
    candidates: list
    new_entities: dict       # slug -> Info, proposed entities the candidates use


def _date_rx():
    months = "|".join(sorted(lexicon.load()["months"], key=len, reverse=True))
    return re.compile(rf"\b(?:(early|mid|late|end of)[- ]?)?(?:({months})\.?\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)


class _Reader:
    def __init__(self, text, index):
        self.text, self.finder = text, Finder(index)
        lex = lexicon.load()
        self.lex = lex
        self.param_words = lexicon.alternation(lex["parameter-words"])
        self.active_words = lexicon.alternation(lex["active-words"])
        self.planned = lexicon.alternation(lex["planned-cues"])
        self.train_cost = lexicon.alternation(lex["training-cost-cues"])
        self.timeline_cues = lexicon.alternation(lex["release-timeline-cues"])
        # "open-weight", or "open-source MoE models": an openness word, at most two words, a model noun
        ow = lex["open-weights"]
        self.open_weights = re.compile(
            lexicon.alternation(ow["cues"]).pattern + "|" + lexicon.alternation(ow["adjectives"]).pattern +
            r"(?:\s+[\w-]+){0,2}?\s+" + lexicon.alternation(ow["nouns"]).pattern, re.IGNORECASE)
        self.release = lexicon.alternation(lex["release-cues"])
        self.negations = lexicon.alternation(lex["negations"])
        self.arch = [(slug, lexicon.alternation(words)) for slug, words in lex["architectures"].items()]
        self.anaphora = {k: lexicon.alternation(v) for k, v in lex["anaphora"].items()}
        self.number_words = {k.lower(): v for k, v in lex["number-words"].items()}
        self.out: list[Candidate] = []
        self.last = {}          # section -> last Info mentioned (labs, clusters, models)
        self.paragraph_topic = None
        self.section_topic = None      # first model named under the current heading
        self.prev_first_model = None
        self.main_lab = None           # the lab the article names most
        self.editorial = None          # a publisher a heading names ("AINews Verdict"): the voice of "we"

    # ------------------------------------------------------------------ helpers

    def add(self, about, prop, value, start, end, s, ctx, conf, **kw):
        start, end = self._trim(start, end, s)
        self.out.append(Candidate(about, prop, value, start, end, hedge=self._hedge(s, end, ctx), origin=ctx["origin"],
                                  confidence=round(max(0.05, min(0.95, conf + ctx["bonus"])), 2), **kw))

    def _hedge(self, s, end, ctx):
        """The cue nearest the claim: from the sentence's start to just past the quote.
        A source already called unverified, rumoured or leaked stays so unless the
        words say estimated or weaker."""
        if ctx.get("cell"):
            return ctx["carried"]       # a table cell's hedge was read from its cell, column and row
        own = hedges.hedge_of(self.text[s.start:min(s.end, end + 3)])
        if own in ("leaked", "rumored", "unverified", "estimated"):
            return own
        return ctx.get("carried") or own or hedges.default()

    def _trim(self, start, end, s: Sentence):
        start, end = max(start, s.start), min(end, s.end)
        while start < end and self.text[start] in " ,;:—–-(\"“":
            start += 1
        while end > start and self.text[end - 1] in " ,;:—–-\"“":
            end -= 1
        # a quote keeps its brackets balanced
        q = self.text[start:end]
        if q.count("(") > q.count(")") and self.text[end:end + 1] == ")":
            end += 1
        return start, end

    def _extend(self, end, s):
        """Past the quantity: 'parameters', '-parameter model', a closing bracket."""
        m = re.match(r"(?:\s*\))?(?:[\s-]*(?:total |active |activated )?(?:parameters?|params)(?: count)?)?", self.text[end:s.end])
        return end + (len(m[0]) if m else 0)

    def _context_model(self, s, before):
        if self.anaphora["models"].search(before):
            return self.paragraph_topic or self.prev_first_model
        return None

    def _group(self, mentions, m):
        """The models coordinated with m ("Opus 4.5/4.6", "GPT-4 and Gemini Ultra")."""
        same = [x for x in mentions if x.start == m.start and x.end == m.end]
        i = mentions.index(m)
        while i > 0:
            a, b = mentions[i - 1], mentions[i]
            gap = self.text[a.end:b.start]
            if a.section == "models" and not a.series and re.fullmatch(r"\s*(?:models?\s+)?(?:,|and|or|&|/)\s*(?:the\s+)?(?:[\w.]+[’']s\s+)?", gap):
                same.insert(0, a)
                i -= 1
            else:
                break
        seen, out = set(), []
        for x in same:
            if x.slug not in seen:
                seen.add(x.slug)
                out.append(x)
        return out

    def _link(self, q, models):
        """(subject mentions, confidence) for a quantity, or ([], 0)."""
        after = [m for m in models if m.start >= q.end and _STRONG_AFTER.match(self.text[q.end:m.start])]
        if after:
            self.taken.extend(x for x in models if x.start == after[0].start)
            return self._group(models, after[0]), 0.8
        before = [m for m in models if m.end <= q.start and q.start - m.end < 160 and m not in self.taken
                  and not any(m.end <= o.start and o.end <= q.start and (o.lower, o.upper) != (q.lower, q.upper)
                              and not _SAME_SUBJECT.search(self.text[o.end:q.start])
                              for o in self.sentence_quantities)]
        if before:
            m = before[-1]
            strong = _STRONG_BEFORE.search(self.text[m.end:q.start]) is not None
            # a quantity that belongs to a later model in brackets is not the earlier one's
            return self._group(models, m), 0.75 if strong else 0.55
        return [], 0

    # ------------------------------------------------------------------ per sentence

    def sentence(self, s: Sentence, mentions, ctx):
        text = self.text
        # "the Llama series" is the family; "the Claude 3 series" names no one model
        models = [m for m in mentions if m.section == "models" and (not m.series or m.info.kind == "family")]
        spans = [(m.start, m.end) for m in mentions]
        qs = [q for q in quantities.find(text, s.start, s.end)
              if not any(a <= q.start < b or a < q.end <= b for a, b in spans)]
        horizons = predictions.find(text, s.start, s.end)
        has_param_word = bool(self.param_words.search(s.text))
        self.sentence_quantities, self.taken = qs, []
        self._ratios(s, models, ctx)
        self._architectures(s, models, ctx)
        self._dates(s, mentions, models, ctx, horizons)
        self._counts(s, mentions, ctx)
        self._experts(s, models, ctx)
        self._phrases(s, mentions, models, ctx)
        self._names(s, models, ctx)
        self._quoted_verdict(s, models, ctx)
        for q in qs:
            if q.money and q.scaled and self.train_cost.search(s.text):
                subjects, conf = self._link(q, models)
                if not subjects:
                    subjects = [m for m in models if m.start > q.end][:1]
                if not subjects:
                    # "The model ... was trained for about $12 million"
                    topic = self._context_model(s, text[s.start:q.start])
                    subjects = [Mention(q.start, q.start, "", topic)] if topic is not None else []
                for m in subjects:
                    self.add(m.info, "training-cost", q.value, min(m.start, q.start), max(m.end, q.end), s, ctx, 0.45,
                             number=(q.lower, q.upper))
                continue
            if q.money or not q.scaled or q.lower < 10**6:
                continue
            subjects, conf = self._link(q, models)
            near = subjects and (min(abs(q.start - m.end), abs(m.start - q.end)) < 40 for m in subjects)
            if not (q.params or has_param_word or (subjects and any(near))):
                continue
            horizon = next((h for h in horizons if h.start >= q.end), None) or (horizons[-1] if horizons else None)
            generic = re.match(r"[\s-]*(?:parameters?\s+|params\s+|-parameter\s+)?(?:model|version|variant|system)", text[q.end:s.end])
            end = self._extend(q.end, s)
            lab_subject = [m for m in mentions if m.section in ("labs", "clusters", "initiatives") and m.end <= q.start]
            if horizon and (generic or not subjects) and predictions.is_forecast(s.text) and \
                    self.timeline_cues.search(s.text):
                # "will be released (likely by Meta)": the maker named after the figure
                maker = [m for m in mentions if m.section == "labs" and m.start >= q.end
                         and re.search(r"\b(?:by|from)\s+$", text[max(s.start, m.start - 8):m.start])]
                lab = self._lab(lab_subject or maker[:1], subjects)
                if lab is not None:
                    self._timeline(lab, q, horizon, s, ctx, end)
                continue
            if not subjects or (lab_subject and lab_subject[-1].start > subjects[-1].start):
                target = self._planned_target(s, lab_subject, q)
                if target is not None:
                    self.add(target, "planned-model-size", q.value, min(q.start, target_start(lab_subject, q)), end,
                             s, ctx, 0.55, number=(q.lower, q.upper))
                    continue
            if not subjects:
                topic = self._context_model(s, text[s.start:q.start])
                if topic is None and not models and self.active_words.search(
                        text[max(s.start, q.start - 60):q.start] + text[q.end:s.end][:40]) and \
                        (q.params or self.param_words.search(text[max(s.start, q.start - 60):q.start])):
                    # "only about 40 billion parameters are active": the model the paragraph is about
                    topic = self.paragraph_topic or self.section_topic
                if topic is None:
                    continue
                subjects, conf = [Mention(q.start, q.start, "", topic)], 0.35
            reach = 60 if conf <= 0.35 else 40     # a subject from context: the cue may sit further back
            window = text[max(s.start, q.start - reach):q.start] + text[q.end:min(s.end, q.end + 25)]
            prop = "active-parameters" if self.active_words.search(window) else "total-parameters"
            start = min([q.start] + [m.start for m in subjects if m.end <= q.start and q.start - m.end < 120])
            if end - start > 220:
                start = q.start
            for m in subjects:
                self.add(m.info, prop, q.value, start, max(end, m.end if m.start > q.end else end), s, ctx,
                         conf - (0.1 if m.info.new else 0), number=(q.lower, q.upper))

    def _experts(self, s, models, ctx):
        """Expert counts and sizes: the model named before them in the sentence, just
        after them, or the one the paragraph (else the section) is about."""
        for f in experts.find(self.text, s.start, s.end):
            before = [m for m in models if m.end <= f.start]
            after = [m for m in models if m.start >= f.end and m.start - f.end < 60]
            if before:
                subjects, conf = self._group(models, before[-1]), 0.5
            elif after:
                subjects, conf = self._group(models, after[0]), 0.45
            else:
                topic = self.paragraph_topic or self.prev_first_model or self.section_topic
                if topic is None:
                    continue
                subjects, conf = [Mention(f.phrase[0], f.phrase[0], "", topic)], 0.35
            for m in subjects:
                start = m.start if 0 <= f.phrase[0] - m.end < 120 else f.phrase[0]
                self.add(m.info, f.property, f.value, start, max(f.phrase[1], m.end if m.start > f.end else 0), s, ctx,
                         conf, number=f.number)

    def _phrases(self, s, mentions, models, ctx):
        text = self.text
        for p in phrases.find(text, s.start, s.end):
            before = [m for m in models if m.end <= p.start and p.start - m.end < 120]
            after = [m for m in models if m.start >= p.end and m.start - p.end < 40]
            if p.kind == "undisclosed":
                labs = [m for m in mentions if m.section == "labs" and m.end <= p.start and p.start - m.end < 80]
                lab = labs[-1].info if labs else None
                if lab is None and self.anaphora["labs"].search(text[s.start:p.start]):
                    lab = self.last.get("labs")
                if lab is None and before and before[-1].info.lab:
                    lab = self.finder.index.get(before[-1].info.lab) or self.finder.new.get(before[-1].info.lab)
                if lab is not None:
                    self.add(lab, "parameters-disclosed", "false", labs[-1].start if labs else p.start, p.end, s, ctx,
                             0.45)
            elif p.kind == "distilled" and before:
                teacher = after[0].info if after and after[0].info is not before[-1].info and re.search(r"\b(?:from|of)\b", text[p.start:after[0].start]) else None
                self.add(before[-1].info, "distillation", "distilled", before[-1].start, after[0].end if teacher else p.end,
                         s, ctx, 0.45, relative_to=teacher)
            elif p.kind == "codename" and (after or before):
                m = after[0] if after else before[-1]
                self.add(m.info, "codename", p.value, min(m.start, p.start), max(m.end, p.end), s, ctx, 0.45)
            elif p.kind == "capability":
                if p.compares and not any(p.start < m.start < p.end for m in mentions
                                          if m.section in ("models", "labs")):
                    continue
                if before:
                    subjects = self._group(models, before[-1])
                else:
                    topic = self._context_model(s, text[s.start:p.start])
                    subjects = [Mention(p.start, p.start, "", topic)] if topic is not None else []
                for m in subjects:
                    self.add(m.info, "capability", p.value, min(m.start, p.start) if m.end else p.start, p.end, s, ctx,
                             0.35)
            elif p.kind == "larger-than" and before and after:
                subject = before[-1]
                for rel in self._coordinated(models, after[0]):
                    if rel.info is not subject.info:
                        self.add(subject.info, "larger-than", "true", p.start, rel.end, s, ctx, 0.4, relative_to=rel.info)

    def _coordinated(self, models, first):
        """first and the models joined to it after ("Llama 3 and Google's Gemini Ultra")."""
        out = [first]
        for m in models:
            if m.start > out[-1].end and re.fullmatch(r"\s*(?:,|and|or|&)\s*(?:[\w.]+[’']s\s+)?",
                                                      self.text[out[-1].end:m.start]):
                out.append(m)
        return out

    def forecast(self, s, mentions, ctx, found):
        """A prediction in words ("Within 12 months: OpenAI will respond with ..."): a
        horizon (or a list item under a predictions heading) and a future cue. About the first
        lab (else model) it names, else the lab the article's opening names; in the editorial
        voice, the publisher's."""
        if any(c.property == "release-timeline" for c in found):
            return
        horizons = predictions.find(self.text, s.start, s.end)
        if not self.lex.cue("forecast-cues").search(s.text):
            return
        if not horizons and not (self.lex.cue("forecast-headings").search(s.heading) and _LIST_ITEM.match(s.text)):
            return
        named = [m for m in mentions if m.section == "labs"] or [m for m in mentions if m.section == "models"]
        about = named[0].info if named else self.main_lab
        if about is None:
            return
        h = horizons[0] if horizons else None
        lead = re.match(r"(?:\d+[.)]|[-•*])?\s*(?:[\w ]{1,30}:\s*)?", s.text)     # "2. Regulatory Action: "
        rest = re.sub(r"^[\s:,—–-]+", "", self.text[h.end:s.end]) if h and h.start - s.start < 25 else \
            s.text[lead.end():]
        words = rest.split()
        if not words:
            return
        value = " ".join(words[:30]).rstrip(" ,;:") + (" ..." if len(words) > 30 else "")
        end = s.end if s.end - s.start <= 300 else s.start + self.text[s.start:s.start + 300].rfind(" ")
        when = ({"horizon": h.horizon} if h.horizon else {"by": h.by}) if h else {}
        self.add(about, "forecast", value, s.start, end, s, self._predicting(ctx), 0.4 if named else 0.25,
                 prediction={"statement": value, **when})
        self._estimate(self.out[-1])

    def _predicting(self, ctx):
        """A prediction no one else is named for is the publisher's, when a heading names one."""
        if ctx["origin"] is None and self.editorial is not None:
            return {**ctx, "origin": self.editorial}
        return ctx

    @staticmethod
    def _estimate(c):
        """A prediction is an estimate of the future unless its source is weaker than that."""
        if c.hedge not in _WEAK_HEDGES:
            c.hedge = "estimated"

    def _names(self, s, models, ctx):
        """What a model's name itself says ("Llama 3 405B", "Mixtral 8x7B"), and open weights."""
        for m in models:
            size = re.search(r"(?:(\d+)x)?(\d+(?:\.\d+)?)B$", m.text)
            if size and m.text.endswith(size[0]) and " " in m.text:
                if size[1]:
                    n = Decimal(size[1])
                    self.add(m.info, "expert-count", size[1], m.start, m.end, s, ctx, 0.5, number=(n, n))
                    per = Decimal(size[2]) * 10**9
                    self.add(m.info, "expert-parameters", size[2] + "B", m.start, m.end, s, ctx, 0.5, number=(per, per))
                else:
                    n = Decimal(size[2]) * 10**9
                    self.add(m.info, "total-parameters", size[2] + "B", m.start, m.end, s, ctx, 0.5, number=(n, n))
        for o in self.open_weights.finditer(self.text, s.start, s.end):
            near = [m for m in models if 0 <= o.start() - m.end < 60 or 0 <= m.start - o.end() < 25]
            if near:
                m = min(near, key=lambda m: min(abs(o.start() - m.end), abs(m.start - o.end())))
                first = models[0]
                if m.end <= o.start() and first.end <= m.start and _AND_PREDICATE.match(self.text[m.end:o.start()]):
                    m = first
                self.add(m.info, "open-weights", "true", min(m.start, o.start()), max(m.end, o.end()), s, ctx, 0.45)

    def _quoted_verdict(self, s, models, ctx):
        """A speaker's quoted verdict on a model: 'Musk claims it's "very strong for its size"'."""
        if ctx["origin"] is None:
            return
        for m in _VERDICT.finditer(self.text, s.start, s.end):
            before = [x for x in models if x.end <= m.start()]
            subject = before[-1].info if before else self._context_model(s, self.text[s.start:m.end()])
            if subject is not None:
                self.add(subject, "capability", m[1].strip(" ,."), m.start(), m.end(), s, ctx, 0.35)

    def _lab(self, lab_mentions, subjects):
        if lab_mentions:
            return lab_mentions[-1].info
        for m in subjects:
            if m.info.lab:
                return self.finder.index.get(m.info.lab) or self.last.get("labs")
        if self.anaphora["labs"].search(""):
            pass
        last_model = self.last.get("models")
        if last_model is not None and last_model.lab:
            return self.finder.index.get(last_model.lab) or self.finder.new.get(last_model.lab)
        return self.last.get("labs")

    def _planned_target(self, s, lab_mentions, q):
        if not self.planned.search(s.text):
            return None
        if lab_mentions:
            return lab_mentions[-1].info
        before = self.text[s.start:q.start]
        if self.anaphora["clusters"].search(before) and self.last.get("clusters"):
            return self.last["clusters"]
        if self.anaphora["labs"].search(before) and self.last.get("labs"):
            return self.last["labs"]
        return None

    def _timeline(self, lab, q, h, s, ctx, end):
        when = {"horizon": h.horizon} if h.horizon else {"by": h.by}
        span = f"within {h.horizon}" if h.horizon else f"by {h.by}"
        stmt = f"{lab.label} will have a {q.value}-parameter model {span}."
        self.add(lab, "release-timeline", q.value, q.start, max(end, h.end), s, self._predicting(ctx), 0.55,
                 prediction={"statement": stmt, **when}, number=(q.lower, q.upper))
        self._estimate(self.out[-1])

    def _ratios(self, s, models, ctx):
        prev_rel, used_rel = None, set()
        for r in relations.find(self.text, s.start, s.end):
            after = [m for m in models if m.start >= r.start and m.start - r.start < 70
                     and "." not in self.text[r.end:m.start]]
            rel = after[0].info if after else prev_rel
            if rel is None:
                continue
            subj = [m for m in models if m.end <= r.start and m.info is not rel and m.slug not in used_rel]
            if not subj:
                topic = self._context_model(s, self.text[s.start:r.start])
                if topic is None or topic is rel:
                    continue
                subj = [Mention(r.start, r.start, "", topic)]
                models = models + subj
            value = ("~" if r.approximate else "") + format(r.value.normalize(), "f")
            end = after[0].end if after else r.end
            for m in self._group(models, subj[-1]):
                start = m.start if r.start - m.end < 100 else r.start
                self.add(m.info, r.kind, value, start, end, s, ctx, 0.6 if after else 0.45, relative_to=rel,
                         number=(r.value, r.value))
            prev_rel = rel
            used_rel.add(rel.slug)

    def _architectures(self, s, models, ctx):
        found = []
        for slug, rx in self.arch:
            for m in rx.finditer(self.text, s.start, s.end):
                if any(a <= m.start() < b for a, b, _ in found):
                    continue
                if self.negations.search(self.text[max(s.start, m.start() - 25):m.start()]):
                    continue
                found.append((m.start(), m.end(), slug))
        for a, b, slug in found:
            before = [m for m in models if m.end <= a and a - m.end < 120]
            if not before:
                continue
            for m in self._group(models, before[-1]):
                self.add(m.info, "architecture", slug, m.start, b, s, ctx, 0.5)

    def _dates(self, s, mentions, models, ctx, horizons):
        global _DATE
        if _DATE is None:
            _DATE = _date_rx()
        months = self.lex["months"]
        quarters = self.lex["season-quarters"]
        for d in _DATE.finditer(self.text, s.start, s.end):
            if any(h.start <= d.start() < h.end for h in horizons):
                continue
            season, month, year = (d[1] or "").lower(), (d[2] or "").lower(), d[3]
            value = f"{year}-{months[month]:02d}" if month else \
                (f"{year}-{quarters[season]}" if season in quarters else year)
            cands = [m for m in mentions if m.section == "models" and m.end <= d.start() and d.start() - m.end < 90]
            if not cands:
                continue
            m = cands[-1]
            bracket = re.fullmatch(r"[\s\w]*\(\s*", self.text[m.end:d.start()]) is not None
            if not bracket and not self.release.search(self.text[max(s.start, m.start - 40):d.end()]):
                continue
            subjects = self._series_members(m, mentions) if m.series else [m]
            for x in subjects:
                self.add(x.info, "release-date", value, m.start, d.end() + (1 if bracket else 0), s, ctx, 0.5)

    def _series_members(self, series, mentions):
        # "Claude 3 Series (March 2024): Haiku, Sonnet and Opus": the bare names are members
        para = [versioned(m, series, self.finder) for m in self.paragraph_all.get(self.current_paragraph, [])]
        label = series.info.label
        out, seen = [], set()
        for m in para:
            if m.section == "models" and not m.series and m.info.kind == "version" \
                    and m.info.label.startswith(label + " ") and m.slug not in seen:
                seen.add(m.slug)
                out.append(m)
        return out

    def _counts(self, s, mentions, ctx):
        words = "|".join(map(re.escape, sorted(self.number_words, key=len, reverse=True)))
        rx = re.compile(rf"\btrain(?:ing|s)?\s+(\d+|{words})\s+(?:[\w-]+\s+)?models\b", re.IGNORECASE)
        for m in rx.finditer(self.text, s.start, s.end):
            n = m[1].lower()
            value = n if n.isdigit() else str(self.number_words[n])
            labs = [x for x in mentions if x.section in ("labs", "clusters") and x.end <= m.start()]
            target = labs[-1].info if labs else (self._planned_target(s, [], type("Q", (), {"start": m.start()})))
            if target is not None:
                self.add(target, "models-in-training", value, m.start(), m.end(), s, ctx, 0.5,
                         number=(Decimal(value), Decimal(value)))


def target_start(lab_mentions, q):
    return lab_mentions[-1].start if lab_mentions and q.start - lab_mentions[-1].start < 120 else q.start


def extract(text: str, body_start: int, body_end: int, index) -> Extraction:
    r = _Reader(text, index)
    sents = split(text, body_start, body_end)
    r.finder.learn(text, sents)
    mentions = [r.finder.find(text, s.start, s.end) for s in sents]
    attributor = Attributor(r.finder, [m for ms in mentions for m in ms], r.last)
    table_rows = set()
    for header, rows in tables.tables(sents):
        table_rows.update(id(x) for x in [header, *rows])
    origin_hedge, para, para_hedge, series, list_origin = {}, None, None, None, None
    recent = []     # mentions of the last sentences, for "the current Grok" after "Grok 4.2"
    r.paragraph_all = {}
    for s, ms in zip(sents, mentions):
        r.paragraph_all.setdefault(s.paragraph, []).extend(ms)
    para_mentions = []
    r.main_lab = _lede_lab(r, sents, mentions)
    for i, (s, ms) in enumerate(zip(sents, mentions)):
        changed = s.paragraph != para
        if s.heading != getattr(r, "heading", None):
            r.heading, r.section_topic = s.heading, None
        if changed:
            para, para_hedge, series, r.paragraph_topic, para_mentions = s.paragraph, None, None, None, []
        # context: series ("Claude 3 Series: ... Haiku") and the last version of a family
        resolved = []
        for m in ms:
            if m.series:
                series = m
            elif series is not None:
                m = versioned(m, series, r.finder)
            if m.section == "models" and m.info.kind == "family" and not m.series and \
                    _DETERMINER.search(text[max(0, m.start - 14):m.start]):
                # "the current Grok" after "Grok 4.2": that version, not the whole line
                fam = [x for x in reversed(recent) if x.info.family == m.slug and x.info.kind == "version"]
                if fam:
                    m = Mention(m.start, m.end, m.text, fam[0].info)
            resolved.append(m)
        ms = resolved
        r.current_paragraph = s.paragraph
        if len(s.text.split()) <= 12 and not s.text.endswith((".", "!", "?")):
            pub = [m for m in ms if m.section == "publishers"]
            if pub:
                r.editorial = pub[0].info
        para_mentions += ms
        r.paragraph_mentions = para_mentions
        origin, cue = attributor.origin(s, ms, changed)
        if origin is None and list_origin is not None and _LIST_ITEM.match(s.text):
            origin = list_origin
        list_origin = origin if s.text.rstrip().endswith(":") else (list_origin if _LIST_ITEM.match(s.text) else None)
        hedge = hedges.hedge_of(s.text)
        if hedge in _WEAK_HEDGES:
            para_hedge = hedge
        carried = (hedge if hedge in _WEAK_HEDGES else None) or para_hedge or \
            (origin_hedge.get(origin.slug) if origin is not None else None)
        if carried and origin is not None:
            origin_hedge.setdefault(origin.slug, carried)
        ctx = {"origin": origin, "carried": carried, "bonus": 0.05 if cue else 0.0}
        if id(s) in table_rows:
            pass
        else:
            n0 = len(r.out)
            r.sentence(s, ms, ctx)
            r.forecast(s, ms, ctx, r.out[n0:])
        for m in ms:
            if m.section in ("labs", "clusters", "models"):
                r.last[m.section] = m.info
            if m.section == "labs" and not _POSSESSIVE.match(text, m.end):
                # "the company said" is the lab the sentence is about, not "OpenAI's" in passing
                r.last["labs-subject"] = m.info
        models = [m for m in ms if m.section == "models" and not m.series]
        if models:
            r.prev_first_model = models[0].info
            if r.paragraph_topic is None:
                r.paragraph_topic = models[0].info
            if r.section_topic is None:
                r.section_topic = models[0].info
        recent = (recent + ms)[-12:]
    for header, rows in tables.tables(sents):
        _table(r, header, rows)
    cands = _tidy(r.out)
    used = {c.about.slug for c in cands} | {c.relative_to.slug for c in cands if c.relative_to} | \
        {c.origin.slug for c in cands if c.origin}
    new = {slug: info for slug, info in r.finder.new.items() if slug in used}
    for info in list(new.values()):
        if info.lab and info.lab in r.finder.new:
            new[info.lab] = r.finder.new[info.lab]
    return Extraction(cands, new)


def _lede_lab(r, sents, mentions):
    """The lab the article is about: the first its opening paragraph names, itself or
    through its model ("Anthropic's Claude Opus", "Claude Opus")."""
    for s, ms in zip(sents, mentions):
        for m in ms:
            if m.section == "labs":
                return m.info
            if m.section == "models" and m.info.lab:
                lab = r.finder.index.get(m.info.lab) or r.finder.new.get(m.info.lab)
                if lab is not None:
                    return lab
    return None


def _table(r, header, rows):
    heads = tables.cells(r.text, header.start, header.end)
    cols = [tables.column(c.text) for c in heads]
    # the hedge of a cell: its own words, else its column's header ("Key Architectural Guess"),
    # else the row's model cell ("GPT-4 (est.)"), else the whole header's
    col_hedges = [hedges.hedge_of(c.text) for c in heads]
    head_hedge = hedges.hedge_of(header.text)
    for row in rows:
        cells = tables.cells(r.text, row.start, row.end)
        # the row's model: in its first cell, else the first cell naming one ("| Meta | Llama 3 405B (~405B) |")
        at, ms = next(((i, ms) for i, c in enumerate(cells)
                       if (ms := [m for m in r.finder.find(r.text, c.start, c.end) if m.section == "models"])),
                      (None, []))
        if not ms:
            continue
        first = cells[at]
        row_hedge = hedges.hedge_of(first.text)
        hedge = row_hedge or head_hedge or hedges.default()
        size = [q for q in quantities.find(r.text, first.start, first.end)
                if q.scaled and not q.money and q.lower >= 10**6 and q.start > ms[0].end]
        estimator = _row_estimator(r, first)
        if size and not any(c.property == "total-parameters" for c in cols[at + 1:]):
            # "Claude Opus (~5T)": the size given with the name
            ctx = {"origin": estimator, "carried": hedge, "bonus": 0.0, "cell": True}
            for m in ms:
                r.add(m.info, "total-parameters", size[0].value, first.start, size[0].end, row, ctx, 0.5,
                      number=(size[0].lower, size[0].upper))
        for k, cell in enumerate(cells[at + 1:], at + 1):
            if not cell.text:
                continue
            col_hedge = col_hedges[k] if k < len(col_hedges) and k != at else None
            ctx = {"origin": None, "carried": hedges.hedge_of(cell.text) or col_hedge or hedge, "bonus": 0.0,
                   "cell": True}
            _table_cell(r, ms, first, cell, cols[k] if k < len(cols) else tables.Column(None, None), row, ctx,
                        estimator)


def _row_estimator(r, first):
    """A row whose model is marked "(est.)" with nobody named: its figures are estimates
    in circulation, the lexicon's collective estimator."""
    if not _estimate_markers().search(first.text):
        return None
    slug = r.lex["table-estimates"]["origin"]
    return r.finder.index.get(slug) or r.finder.new.setdefault(slug, Info(slug, "agents", slug.replace("-", " "),
                                                                          new=True))


@lru_cache(maxsize=1)
def _estimate_markers():
    return lexicon.alternation(lexicon.load()["table-estimates"]["markers"])


def _table_cell(r, ms, first, cell, col, row, ctx, estimator=None):
    for p in phrases.find(r.text, cell.start, cell.end):
        if p.kind == "capability":
            for m in ms:
                r.add(m.info, "capability", p.value, first.start, p.end, row, ctx, 0.35)
    for o in r.open_weights.finditer(r.text, cell.start, cell.end):
        for m in ms:
            r.add(m.info, "open-weights", "true", first.start, o.end(), row, ctx, 0.4)
    for f in experts.find(r.text, cell.start, cell.end):
        for m in ms:
            r.add(m.info, f.property, f.value, first.start, f.phrase[1], row, ctx, 0.45, number=f.number)
    if col.property == "architecture":
        # "Dense or MoE", "Large MoE or Hybrid Dense/MoE": each alternative is a candidate
        for alt in re.finditer(r"(?:(?!\bor\b)[^,;(])+", cell.text):
            slug = _cell_architecture(r, alt[0].strip().lower())
            if slug is not None:
                for m in ms:
                    r.add(m.info, "architecture", slug, first.start, cell.start + alt.end(), row, ctx, 0.5)
            if not re.match(r"\s*or\b", cell.text[alt.end():]):
                break     # what follows a comma or bracket describes, it is no alternative
        return
    if col.property is None:
        return
    for q in quantities.find(r.text, cell.start, cell.end):
        if not q.scaled:
            if not col.unit:
                continue
            scale = quantities._SCALE[col.unit]
            q.lower, q.upper = q.lower * scale, q.upper * scale
        if q.lower < 10**6 or q.money:
            continue
        for m in ms:
            r.add(m.info, col.property, q.value, first.start, q.end, row, {**ctx, "origin": estimator}, 0.6,
                  number=(q.lower, q.upper))


def _cell_architecture(r, low):
    slugs = {slug for slug, rx in r.arch if rx.search(low)}
    slugs |= {slug for word, slug in r.lex["architecture-cells"].items()
              if re.match(rf"(?:likely |massive |large |small )?{re.escape(word)}\b", low)}
    if "moe" in slugs and len(slugs) > 1:
        slugs.discard("moe")
    return slugs.pop() if len(slugs) == 1 else None


def _tidy(cands):
    """One candidate per claim and quote; numerically equal values share one spelling."""
    spelling, out, seen = {}, [], set()
    for c in cands:
        if c.number is not None:
            k = (c.key(), c.number)
            c.value = spelling.setdefault(k, c.value)
        sig = (c.key(), c.value, c.start)
        if sig in seen or c.end <= c.start:
            continue
        seen.add(sig)
        out.append(c)
    # a figure the article first gave in someone's name keeps that origin when repeated
    named = {}
    for c in out:
        if c.origin is not None:
            named.setdefault((c.key(), c.value), c.origin)
    for c in out:
        if c.origin is None and (c.key(), c.value) in named:
            c.origin = named[(c.key(), c.value)]
    return sorted(out, key=lambda c: (c.start, c.about.slug, c.property))
