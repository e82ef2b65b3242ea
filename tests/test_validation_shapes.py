"""The structural shapes: each mistake in a minimal graph is a Violation naming the
node it is on (all mistakes are separate cases, validated together in one run)."""
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD

from aikg.vocab import AIKG, OA
from graph import validation

from validation_graphs import MiniGraph, dataset


def negative_parameter_count():
    m = MiniGraph("negative")
    c = m.claim("total", m.version("model"), "total-parameters", "100B", m.source("a"))
    m.g.set((c, AIKG.value, Literal(Decimal(-5), datatype=XSD.decimal)))
    return m, c, "claim-value.positive"


def blank_quote():
    m = MiniGraph("blank")
    src = m.source("a")
    c = m.claim("total", m.version("model"), "total-parameters", "100B", src)
    report = URIRef(f"{c}/report/{src.rsplit('/', 1)[1]}")
    m.g.set((report, AIKG.quote, Literal("   ")))
    return m, report, "report.quote:pattern"


def claim_without_source():
    m = MiniGraph("nosource")
    c = m.claim("total", m.version("model"), "total-parameters", "100B", m.source("a"))
    m.g.remove((c, AIKG.reportedIn, None))
    return m, c, "claim"


def entity_without_label():
    m = MiniGraph("nolabel")
    model = m.version("model")
    m.claim("total", model, "total-parameters", "100B", m.source("a"))
    m.g.remove((model, RDFS.label, None))
    return m, model, "entity.label:minCount"


def quote_outside_body():
    m = MiniGraph("outside")
    src = m.source("a")
    c = m.claim("total", m.version("model"), "total-parameters", "100B", src)
    m.g.set((src, AIKG.bodyStart, Literal(500, datatype=XSD.nonNegativeInteger)))
    return m, URIRef(f"{c}/report/{src.rsplit('/', 1)[1]}"), "report.target"


def ratio_without_model():
    m = MiniGraph("norelative")
    c = m.claim("ratio", m.version("model"), "parameter-ratio", "0.5", m.source("a"))
    return m, c, "claim-value.relative-to"


def two_deadlines():
    m = MiniGraph("deadlines")
    lab = m._entity("lab", AIKG.Lab, "lab", "deadlines lab")
    c = m.claim("forecast", lab, "release-timeline", "1T", m.source("a"), due_by="2027")
    m.g.add((c, AIKG.dueBy, Literal("2028", datatype=XSD.gYear)))
    return m, c, "prediction.dueBy:maxCount"


def selector_end_before_start():
    m = MiniGraph("selector")
    src = m.source("a")
    c = m.claim("total", m.version("model"), "total-parameters", "100B", src)
    position = URIRef(f"{c}/report/{src.rsplit('/', 1)[1]}/position")
    m.g.set((position, OA.start, Literal(900, datatype=XSD.nonNegativeInteger)))
    return m, position, "position-selector.start:lessThan"


CASES = [negative_parameter_count, blank_quote, claim_without_source, entity_without_label,
         quote_outside_body, ratio_without_model, two_deadlines, selector_end_before_start]


@pytest.fixture(scope="module")
def run():
    built = {make.__name__: make() for make in CASES}
    result = validation.run(dataset(*(m for m, _, _ in built.values()))[0])
    return result, {name: (focus, rule) for name, (_, focus, rule) in built.items()}


@pytest.mark.parametrize("name", [make.__name__ for make in CASES])
def test_mistake_is_a_violation_on_its_node(run, name):
    result, cases = run
    focus, rule = cases[name]
    hits = [f for f in result.findings if f.focus == str(focus) and f.severity == "Violation"]
    assert rule in {f.rule for f in hits}, [(f.rule, f.message) for f in hits]


def test_violations_fail_the_run_and_name_the_claims(run):
    result, cases = run
    assert not result.conforms
    report = cases["blank_quote"][0]
    finding = next(f for f in result.findings if f.focus == str(report))
    assert finding.claims == [str(report).split("/report/")[0]]
    assert finding.sources
