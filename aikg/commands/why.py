"""aikg why: the support tree of a claim, down to the origins it rests on."""
import json
from dataclasses import asdict

from aikg import paths
from graph.store import add_store_option, open_store
from graph.support_tree import support_tree

INDENT = "    "


def register(sub):
    p = sub.add_parser("why", help="print the support tree of a claim",
                       description="Print why the graph holds CLAIM: each source reporting it, with origin, "
                                   "hedge and quote, and for a derived claim the premises it was computed "
                                   "from, down to their origins. The header names the origins it rests on.")
    p.add_argument("claim", metavar="CLAIM", help="a claim id, e.g. claude-sonnet-total-parameters")
    p.add_argument("--format", "-f", choices=["tree", "json"], default="tree",
                   help="an indented tree (default) or the same tree as JSON")
    p.add_argument("--build-dir", default=str(paths.BUILD), metavar="DIR")
    add_store_option(p)
    p.set_defaults(func=run)


def render(node, depth=0) -> list[str]:
    pad = INDENT * depth
    lines = [f"{pad}{node.statement}  [{node.slug}]"]
    facts = []
    if node.rests_on:
        facts.append("rests on " + ", ".join(node.rests_on))
    if node.independent is not None:
        facts.append(f"independent origins: {node.independent}")
    if facts:
        lines.append(f"{pad}  " + "; ".join(facts))
    for r in node.reports:
        said = f" (the text says: {r.said})" if r.said else ""
        lines.append(f"{pad}  - reported in {r.source}: origin {r.origin}{said}, {r.hedge}")
        lines.append(f"{pad}      \u201c{r.quote}\u201d")
    if node.premises:
        who = " by " + ", ".join(node.derived_by) if node.derived_by else ""
        lines.append(f"{pad}  - derived{who} from all of:")
        for p in node.premises:
            lines += render(p, depth + 1)
    return lines


def run(args):
    tree = support_tree(open_store(args.build_dir, spec=args.store), args.claim)
    print(json.dumps(asdict(tree), indent=2, ensure_ascii=False) if args.format == "json" else "\n".join(render(tree)))
