"""aikg validate: OWL-RL inference, SHACL shapes and semantic checks on the graph."""
import json
from pathlib import Path

from aikg import paths
from graph import validation

TITLES = {"Violation": "Violations: the graph itself is wrong",
          "Warning": "Warnings: what the articles get wrong or disagree on",
          "Info": "Notes"}


def register(sub):
    p = sub.add_parser("validate", help="check the graph: shapes, OWL-RL inference and semantic checks",
                       description="Materialise the OWL-RL entailments of the ontology and the graph, then validate it "
                                   "with the SHACL shapes of ontology/shapes/ and the checks of ontology/checks/, "
                                   "holding claims against the official facts of data/reference/. Exit 1 on any "
                                   "Violation (or Warning, with --fail-on warning), else 0. Validating the build "
                                   "also saves the report as build/validation.ttl.")
    p.add_argument("--data", metavar="FILE",
                   help="validate this RDF file (TriG, Turtle, N-Quads, ...) instead of the built graph")
    p.add_argument("--format", "-f", choices=["text", "json", "turtle"], default="text",
                   help="text (default, grouped by severity), json (one object per finding) "
                        "or turtle (the sh:ValidationReport)")
    p.add_argument("--fail-on", choices=["violation", "warning"], default="violation",
                   help="the lowest severity that makes the run fail (default: violation)")
    p.add_argument("--engine", choices=validation.ENGINES, default="scalable",
                   help="scalable (default: owlrl on the ontology, the entailments and shapes as SPARQL on an "
                        "in-memory Oxigraph copy) or reference (owlrl's closure of the whole graph, then pyshacl); "
                        "both give the same findings, the reference one is slow beyond a few hundred articles")
    p.add_argument("--build-dir", default=str(paths.BUILD), metavar="DIR")
    p.set_defaults(func=run)


def run(args):
    if args.data:
        result = validation.validate_file(Path(args.data), args.fail_on, args.engine)
    else:
        result = validation.validate_build(Path(args.build_dir), args.fail_on, args.engine)
    if args.format == "json":
        print(json.dumps([f.as_dict() for f in result.findings], indent=2, ensure_ascii=False))
    elif args.format == "turtle":
        print(result.turtle())
    else:
        print(text(result))
    return 0 if result.conforms else 1


def text(result) -> str:
    short = validation.short
    lines = []
    for severity in validation.SEVERITIES:
        found = [f for f in result.findings if f.severity == severity]
        lines.append(f"== {TITLES[severity]} ({len(found)})")
        for f in found:
            lines.append(f"  [{f.rule}] {short(f.focus)}")
            lines.append(f"      {f.message}")
            if f.path:
                lines.append(f"      path: {short(f.path)}")
            if f.sources:
                lines.append(f"      sources: {', '.join(short(s).removeprefix('source/') for s in f.sources)}")
        lines.append("")
    verdict = "conforms" if result.conforms else "does not conform"
    lines.append(f"{verdict} (failing on {result.fail_on}s): {result.count('Violation')} violations, "
                 f"{result.count('Warning')} warnings, {result.count('Info')} notes")
    return "\n".join(lines)
