"""Candidate claims from raw article text: the rule-based extractor behind `aikg ingest`.

read (formats, html) -> body -> sentences -> mentions, quantities, relations,
attribution, hedges, predictions -> claims. Every cue word lives in
data/extraction/lexicon.yaml.
"""
