"""Whose word a sentence rests on: "Musk clarified", "according to the post",
"analysts like Alan D. Thompson suggested", "a Microsoft research paper cited",
"rumors suggest"; the article itself where no one else is named."""
import re

from . import lexicon
from .mentions import Info, slugify

_NAME = re.compile(r"(?<![\w@])([A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z]+)+)")
_SPEAKERS = ("people", "labs", "agents", "publishers")


class Attributor:
    """Reads origins sentence by sentence; remembers the last speaker for "He said"."""

    def __init__(self, finder, body_text_mentions, last=None):
        self.finder = finder
        lex = lexicon.load()
        self.verbs = lexicon.alternation(lex["speech-verbs"])
        self.according = lexicon.alternation(lex["according-to"])
        self.analysts = lexicon.alternation(lex["analyst-cues"])
        self.posts = lexicon.alternation(lex["post-nouns"])
        self.docs = re.compile(r"\b(?i:a|an|the|one)\s+((?:[A-Z][\w.&-]*\s+){0,3})(?:" +
                               "|".join(map(re.escape, lex["document-nouns"])) + r")\b")
        self.derivers = set(lex.get("derivers") or [])
        self.collective = {slug: lexicon.alternation(words) for slug, words in lex["collective-origins"].items()}
        self.pronouns = lexicon.alternation(lex["anaphora"]["people"])
        self.stop = set(lex["name-stopwords"])
        self.titles = set(lex["person-titles"])
        self.lab_anaphora = lexicon.alternation(lex["anaphora"]["labs"])
        # "a model it said has 70 billion parameters": a lab's "it" right before its verb
        self.lab_pronoun = re.compile(r"\b(?:it|they)\s+$", re.IGNORECASE)
        self.last = last if last is not None else {}   # section -> last entity named (kept by the reader)
        handles = [m.info for m in body_text_mentions if m.text.startswith("@")]
        self.post_author = handles[0] if handles else None
        self.last_speaker = None
        self.surnames = {}
        self.last_person = None     # across paragraphs, unlike last_speaker

    def _agent(self, slug, label):
        info = self.finder.index.get(slug) or self.finder.new.get(slug)
        if info is None:
            info = self.finder.new[slug] = Info(slug, "agents", label, new=True)
        return info

    def _person(self, name):
        # "Chief Executive Anna Pike": the title is not the name
        words = name.split()
        while len(words) > 2 and (words[0] in self.titles or words[0] in self.stop):
            words = words[1:]
        name = " ".join(words)
        slug = slugify(name)
        info = self.finder.norms.get(re.sub(r"[^a-z0-9]", "", name.lower())) or self.finder.index.get(slug) \
            or self.finder.new.get(slug)
        if info is None:
            info = self.finder.new[slug] = Info(slug, "people", name, new=True)
        return info

    def origin(self, sentence, mentions, paragraph_changed) -> tuple[Info | None, str]:
        """(origin entity or None for the article's own voice, the cue that named it)."""
        text, s0 = sentence.text, sentence.start
        if paragraph_changed:
            self.last_speaker = None
        m = self.docs.search(text)
        if m and self.verbs.search(text, m.end()) and m.start() < 40:
            label = " ".join(m[0].split()[1:])
            return self._agent(slugify(label), m[0]), m[0]
        for slug, rx in self.collective.items():
            m = rx.search(text)
            if m:
                if slug in self.derivers and self.last_person is not None:
                    return self.last_person, m[0]
                return self._agent(slug, m[0]), m[0]
        m = self.according.search(text)
        if m:
            after = [x for x in mentions if x.start >= s0 + m.end() and x.start - (s0 + m.end()) < 25
                     and x.section in _SPEAKERS]
            if after:
                return self._speaker(after[0].info), m[0]
            if self.posts.search(text[m.end(): m.end() + 25]) and self.post_author:
                return self.post_author, m[0]
            n = _NAME.match(text, m.end() + 1)
            if n and not self.finder.norms.get(re.sub(r"[^a-z0-9]", "", n[1].lower())):
                return self._speaker(self._person(n[1])), m[0]
        for m in self.analysts.finditer(text):
            after = [x for x in mentions if x.start >= s0 + m.end() and x.section == "people"]
            if after and after[0].start - (s0 + m.end()) < 5:
                return self._speaker(after[0].info), m[0]
            n = _NAME.match(text, m.end() + (1 if text[m.end():m.end() + 1] == " " else 0))
            if n:
                return self._speaker(self._person(n[1])), m[0]
        verb = self.verbs.search(text)
        if verb:
            # a lab speaks only right before its verb ("Anthropic confirmed"); a person anywhere before
            speakers = [x for x in mentions if x.start < s0 + verb.start() and (
                x.section == "people" or (x.section == "labs" and re.fullmatch(r"\s*(?:has\s+|have\s+|had\s+)?",
                                                                               text[x.end - s0:verb.start()])))]
            if speakers:
                return self._speaker(speakers[-1].info), verb[0]
            n = [k for k in _NAME.finditer(text[: verb.start()]) if not self.finder.norms.get(
                re.sub(r"[^a-z0-9]", "", k[1].lower()))]
            # a name opening the sentence speaks too ("Dana Whitfield clarified"), unless its
            # first word is one that opens sentences ("The Information said" is named elsewhere)
            if n and n[-1].end() >= verb.start() - 2 and (n[-1].start() > 0 or n[-1][1].split()[0] not in self.stop):
                return self._speaker(self._person(n[-1][1])), verb[0]
            if (self.pronouns.match(text) or re.search(r"\b(?:he|she)\s+$", text[:verb.start()], re.IGNORECASE)) \
                    and self.last_speaker:
                return self.last_speaker, verb[0]     # "She said", "..., she added"
            if self.lab_anaphora.search(text[max(0, verb.start() - 20): verb.start()]) \
                    or self.lab_pronoun.search(text[max(0, verb.start() - 8): verb.start()]):
                here = [x for x in mentions if x.section == "labs" and x.start < s0 + verb.start()
                        and not re.match(r"[’']s?\b", text[x.end - s0:])]
                lab = here[-1].info if here else self.last.get("labs-subject") or self.last.get("labs")
                if lab is not None:
                    return lab, verb[0]
            surname = re.search(r"([A-Z][a-z]+)\s*$", text[: verb.start()])
            if surname and surname[1] in self.surnames:
                return self._speaker(self.surnames[surname[1]]), verb[0]
            if self.posts.search(text[: verb.start()]) and self.post_author:
                return self.post_author, verb[0]
        if self.pronouns.match(text) and self.last_speaker:
            return self.last_speaker, "he"
        if self.posts.search(text) and self.post_author and re.search(r"\bthe (?:post|claim|tweet)\b", text, re.I):
            return self.post_author, "the post"
        return None, ""

    def _speaker(self, info):
        if info.section == "people":
            self.last_speaker = self.last_person = info
            if " " in info.label:
                self.surnames[info.label.split()[-1]] = info
        return info
