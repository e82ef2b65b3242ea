"""The extractor's cue words (data/extraction/lexicon.yaml), compiled once."""
import re
from functools import lru_cache

from aikg import paths
from loaders.yamlfile import load_yaml

LEXICON = paths.DATA / "extraction" / "lexicon.yaml"


def alternation(words, flags=re.IGNORECASE):
    """A regex matching any of the words, longest first, on word boundaries where the word has them."""
    parts = []
    for w in sorted(set(map(str, words)), key=len, reverse=True):
        p = re.escape(w)
        if w[:1].isalnum():
            p = r"(?<![\w])" + p
        if w[-1:].isalnum():
            p = p + r"(?![\w])"
        parts.append(p)
    return re.compile("(?:" + "|".join(parts) + ")", flags)


class Lexicon(dict):
    def cue(self, key):
        return _compiled(key)


@lru_cache(maxsize=None)
def _compiled(key):
    return alternation(load()[key])


@lru_cache(maxsize=1)
def load() -> Lexicon:
    return Lexicon(load_yaml(LEXICON))
