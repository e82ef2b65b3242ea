"""What the annotation files say of each claim: the expectations of the API and
export tests, read from what curators wrote while reading the articles."""
from collections import defaultdict

import yaml

from aikg import paths


def curated_claims() -> dict:
    """claim id -> about, and the sets of sources, origins, hedges and premises; prediction flag."""
    claims = defaultdict(lambda: {"sources": set(), "origins": set(), "hedges": set(), "derived": set(),
                                  "prediction": False})
    for path in sorted(paths.ANNOTATIONS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for e in doc.get("claims") or []:
            c = claims[e["claim"]]
            c.setdefault("about", e.get("about"))
            c["sources"].add(doc["source"])
            c["origins"].add(e["origin"])
            c["hedges"].add(e["hedge"])
            c["derived"].update(e.get("derived-from") or [])
            c["prediction"] |= bool(e.get("prediction"))
    return dict(claims)
