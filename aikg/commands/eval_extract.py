"""aikg eval-extract: precision, recall and F1 of the extractor, leave-one-out."""
import json

from aikg import paths
from loaders.extract.evaluate import FIELDS, evaluate

_NAMES = {"claim": "(model, property, value)", "origin": "+ origin", "hedge": "+ hedge"}


def register(sub):
    p = sub.add_parser("eval-extract", help="measure the claim extractor against the curated annotations",
                       description="Run the extractor over each curated article as if it were new (leave-one-out: "
                                   "it may not use the entity names only that article introduces) and print "
                                   "precision, recall and F1 per field. Values match within 1%% (ranges bound by "
                                   "bound); see loaders/extract/evaluate.py for the full rule.")
    p.add_argument("--data-dir", default=str(paths.DATA), metavar="DIR")
    p.add_argument("--format", "-f", choices=["table", "json"], default="table")
    p.add_argument("--strict-names", action="store_true",
                   help="score a name the extractor proposes as new under its own slug only, not as the "
                        "withheld entity with that label or alias")
    p.set_defaults(func=run)


def run(args):
    ev = evaluate(args.data_dir, link_names=not args.strict_names)
    if args.format == "json":
        doc = {"fields": {f: _row(ev.total[f]) for f in FIELDS},
               "articles": {s: {f: _row(sc[f]) for f in FIELDS} for s, sc in ev.per_article.items()},
               "excluded-entities": ev.excluded}
        print(json.dumps(doc, indent=2))
        return
    print("Leave-one-out over the curated articles; values equal within 1%, ranges bound by bound; "
          + ("proposed names scored under their own slug.\n" if args.strict_names else
             "a proposed name counts as the withheld entity of that name.\n"))
    print(f"{'article':32} {'gold':>5} {'found':>5} {'tp':>4}  {'P':>5} {'R':>5} {'F1':>5}")
    for s, sc in ev.per_article.items():
        c = sc["claim"]
        print(f"{s:32} {c.tp + c.fn:5} {c.tp + c.fp:5} {c.tp:4}  {c.precision:5.2f} {c.recall:5.2f} {c.f1:5.2f}")
    print(f"\n{'field':28} {'P':>6} {'R':>6} {'F1':>6}  (tp/fp/fn)")
    for f in FIELDS:
        x = ev.total[f]
        print(f"{_NAMES[f]:28} {x.precision:6.3f} {x.recall:6.3f} {x.f1:6.3f}  ({x.tp}/{x.fp}/{x.fn})")


def _row(x):
    return {"precision": round(x.precision, 4), "recall": round(x.recall, 4), "f1": round(x.f1, 4),
            "tp": x.tp, "fp": x.fp, "fn": x.fn}
