"""The extractor on text it was never tuned on: tests/fixtures/heldout, two invented
news articles annotated by hand (see its README). A floor, not the figure: the
figures are in the README."""
from pathlib import Path

from loaders.corpus import load_corpus
from loaders.extract.evaluate import evaluate

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"


def test_the_heldout_annotations_load_with_verbatim_quotes():
    corpus = load_corpus(data_dir=HELDOUT)
    assert len(corpus.articles) == 2 and len(corpus.claims) >= 15


def test_the_extractor_finds_most_heldout_claims_and_little_else():
    ev = evaluate(HELDOUT, link_names=False)
    claim = ev.total["claim"]
    assert claim.tp + claim.fn >= 15
    assert claim.precision >= 0.7 and claim.recall >= 0.6, (claim.tp, claim.fp, claim.fn)
    assert ev.total["origin"].f1 >= 0.5
