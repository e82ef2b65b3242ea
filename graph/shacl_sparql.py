"""SHACL on an Oxigraph store, by SPARQL: the shapes of ontology/shapes/ and the checks
of ontology/checks/ evaluated once per constraint over all focus nodes, rather than
once per focus node as pyshacl does with rdflib (issue 7).

pyshacl stays the authority on what SHACL means here: it parses the shapes graph, and
its own constraint components build every result (message, source shape, path,
severity) and the sh:ValidationReport, so a report from this module is the one
pyshacl would write. Only the search for violations changes: each constraint of the
SHACL Core subset the shapes use becomes one SELECT over the focus nodes' pattern,
and a SHACL-SPARQL constraint or SPARQL rule runs once, its $this bound by a
pattern of the shape's targets put at the start of its WHERE clause (the same
answers as pyshacl's pre-binding for the queries of this project: $this is then in
scope of every FILTER, OPTIONAL, EXISTS and BIND). A construct outside that subset
is refused with a clear error, never skipped.
"""
import itertools
import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.helper.path_helper import shacl_path_to_sparql_path
from pyshacl.shapes_graph import ShapesGraph
from pyshacl.validator import Validator
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from loaders.errors import LoadError

from .entailment import DERIVED_INTEGERS, to_ox, to_rdflib

_ALLOWED = (SH.Warning, SH.Info)
_NODE_KIND = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
              SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
              SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
              SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))"}
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
# Lexical forms that are certainly well-typed for a datatype (the canonical forms the store
# writes well-typed values in are among them): at a million selectors, asking rdflib
# about every offset is most of a run.
_WELL_TYPED = {XSD.decimal: r"^-?[0-9]+(\.[0-9]+)?$", XSD.integer: r"^-?[0-9]+$",
               XSD.nonNegativeInteger: r"^[0-9]+$", XSD.positiveInteger: r"^0*[1-9][0-9]*$",
               XSD.boolean: r"^(true|false)$"}


class Unsupported(LoadError):
    pass


def _n3(term):
    if isinstance(term, BNode):
        raise _unsupported(f"a blank node ({term}) as a constant in a constraint")
    return term.n3()


def _unsupported(what):
    return Unsupported("ontology/shapes", None, None,
                       f"the scalable validation does not support {what}: run with --engine reference")


class _Vars:
    """Fresh SPARQL variable names, so that nested patterns never capture each other's."""

    def __init__(self):
        self._n = itertools.count()

    def __call__(self, stem):
        return f"?{stem}{next(self._n)}"


class _Focus:
    """The focus nodes of a shape, as a pattern binding a variable to each once (called),
    or as a test of a bound variable (test). Where a constraint's own SPARQL binds $this
    first, the test closes its WHERE: a join with the focus pattern, Oxigraph would
    start from it and another class (every claim times every model family, say)."""

    def __init__(self, make, parts):
        self.make, self.parts = make, parts

    def __call__(self, var):
        return self.make(var)

    def test(self, var):
        return "FILTER EXISTS { " + " UNION ".join("{ " + p.replace("{v}", var) + " }" for p in self.parts) + " }"


class Engine:
    def __init__(self, store: ox.Store, shapes: Graph):
        self.store = store
        self.sg = ShapesGraph(shapes)
        self.shapes = shapes
        self.fresh = _Vars()
        # What pyshacl's messages name nodes by: a fresh graph's prefixes, as in the reference run.
        self.datagraph = Graph()

    # ------------------------------------------------------------ queries

    def select(self, query):
        return self.store.query(query)

    def rows(self, query, *names):
        return [tuple(r[n] for n in names) for r in self.select(query)]

    def term(self, t):
        return to_rdflib(t)

    # ------------------------------------------------------------ focus patterns

    def target_pattern(self, shape):
        """A group binding {var} to each focus node of the shape's targets, once."""
        if shape.advanced_target():
            raise _unsupported(f"sh:target on {shape.node}")
        parts = []
        nodes = list(shape.target_nodes())
        if nodes:
            parts.append("VALUES {v} { " + " ".join(_n3(n) for n in nodes) + " }")
        classes = 0
        for c in itertools.chain(shape.target_classes(), shape.implicit_class_targets()):
            # Plain rdf:type: the store holds the cax-sco closure already (graph.entailment).
            parts.append(f"{{v}} <{RDF.type}> {_n3(c)}")
            classes += 1
        for p in shape.target_subjects_of():
            parts.append(f"{{v}} {_n3(p)} []")
        for p in shape.target_objects_of():
            parts.append(f"[] {_n3(p)} {{v}}")
        if not parts:
            return None
        if len(parts) == 1 and classes == 1:
            # One class names each focus node once (a store holds a triple once): no
            # sub-select, whose DISTINCT over every claim each constraint would pay again.
            return _Focus(lambda var: parts[0].replace("{v}", var) + " .", parts)
        inner = self.fresh("t")
        union = " UNION ".join("{ " + p.replace("{v}", inner) + " }" for p in parts)
        return _Focus(lambda var: f"{{ SELECT DISTINCT ({inner} AS {var}) WHERE {{ {union} }} }}", parts)

    def path_text(self, shape):
        return shacl_path_to_sparql_path(self.sg, shape.path())

    def value_pattern(self, shape, focus, f, v):
        """The pattern binding focus node f and each of its value nodes v for this shape."""
        if shape.is_property_shape:
            return f"{focus(f)} {f} {self.path_text(shape)} {v} ."
        return f"{focus(f)} BIND ({f} AS {v})"

    def values_as_focus(self, shape, focus):
        """A focus pattern of the value nodes of shape (for nested shapes)."""
        f, v = self.fresh("f"), self.fresh("v")
        pattern = self.value_pattern(shape, focus, f, v)
        if not shape.is_property_shape:
            return focus
        return lambda var: f"{{ SELECT DISTINCT ({v} AS {var}) WHERE {{ {pattern} }} }}"

    # ------------------------------------------------------------ the run

    def validate(self):
        """(conforms, results) as pyshacl's validator gives them to its report builder."""
        todo = [(shape, focus) for shape in self.sg.shapes if not shape.deactivated
                for focus in [self.target_pattern(shape)] if focus is not None]
        # Two shapes at a time: Oxigraph evaluates a query without holding Python's lock,
        # so on two cores the checks take about half the wall time. The results keep the
        # shapes' order.
        with ThreadPoolExecutor(2) as pool:
            results = [r for rs in pool.map(lambda job: self.shape_results(*job), todo) for r in rs]
        conforms = not any(self._severity(r) not in _ALLOWED for r in results)
        return conforms, results

    def report(self):
        conforms, results = self.validate()
        graph, _ = Validator.create_validation_report(self.sg, conforms, results)
        return conforms, graph

    @staticmethod
    def _severity(result):
        return next(o for s, p, o in result[2] if p == SH.resultSeverity)

    def components(self, shape):
        seen = []
        for p, _ in self.sg.graph.predicate_objects(shape.node):
            if p in ALL_CONSTRAINT_PARAMETERS and CONSTRAINT_PARAMETERS_MAP[p] not in seen:
                seen.append(CONSTRAINT_PARAMETERS_MAP[p])
        for p in self.sg.graph.predicates(shape.node):
            if p == SH.expression or p == SH.js:
                raise _unsupported(f"{p} on {shape.node}")
        components = [cls(shape) for cls in seen]
        for c in components:
            # pyshacl's text rendering of each result, which no report holds: the slow part of
            # a result at hundreds of thousands of findings.
            c.make_v_result_description = _no_description
        return components

    def shape_results(self, shape, focus):
        out = []
        for c in self.components(shape):
            out.extend(self.component_results(c, shape, focus))
        return out

    def component_results(self, c, shape, focus):
        name = type(c).__name__.removesuffix("ConstraintComponent")
        handler = getattr(self, f"_c_{name}", None)
        if handler is None:
            raise _unsupported(f"{name} (on {shape.node})")
        return handler(c, shape, focus)

    # ------------------------------------------------------------ conformance of nested shapes

    def failing(self, shape_node, focus):
        """The focus nodes (pyoxigraph terms) that do not conform to the shape, each with its results."""
        shape = self.sg.lookup_shape_from_node(shape_node)
        failed = defaultdict(list)
        # pyshacl runs nested shapes allowing warnings and notes: such a shape always conforms.
        if not shape.deactivated and shape.severity not in _ALLOWED:
            for r in self.shape_results(shape, focus):
                failed[next(to_ox(o[1] if isinstance(o, tuple) else o)
                            for s, p, o in r[2] if p == SH.focusNode)].append(r)
        return failed

    def value_pairs(self, shape, focus):
        f, v = self.fresh("f"), self.fresh("v")
        return self.rows(f"SELECT DISTINCT {f} {v} WHERE {{ {self.value_pattern(shape, focus, f, v)} }}",
                         f[1:], v[1:])

    def _nested(self, c, shape, focus, members_of, judge, details=False, failing_in=None):
        """failing_in: "all" where only a value failing every member can be a result (sh:or),
        "any" where only one failing some member can (sh:and, sh:node): the (focus, value)
        pairs, every value of every focus node (millions at 1000x), are then read only if
        there is such a value, and judged only for those."""
        nested = self.values_as_focus(shape, focus)
        out = []
        for members in members_of:
            fails = [self.failing(m, nested) for m in members]
            candidates = None
            if failing_in == "all" and fails:
                candidates = set.intersection(*(set(fs) for fs in fails))
            elif failing_in == "any":
                candidates = set().union(*fails)
            if candidates is not None and not candidates:
                continue
            for f, v in self.value_pairs(shape, focus):
                if candidates is not None and v not in candidates:
                    continue
                if judge(sum(v not in fs for fs in fails), len(fails)):
                    desc, node, triples = self.result(c, f, self.value_term(shape, f, v))
                    if details:
                        # sh:node nests the value's own results under its result (sh:detail), as pyshacl does.
                        for _, sub, sub_triples in (r for fs in fails for r in fs.get(v, ())):
                            triples.append((node, SH.detail, sub))
                            triples.extend(sub_triples)
                    out.append((desc, node, triples))
        return out

    def _c_Or(self, c, shape, focus):
        return self._nested(c, shape, focus, [list(self.sg.graph.items(o)) for o in c.or_list],
                            lambda passed, n: passed == 0, failing_in="all")

    def _c_And(self, c, shape, focus):
        return self._nested(c, shape, focus, [list(self.sg.graph.items(o)) for o in c.and_list],
                            lambda passed, n: passed < n, failing_in="any")

    def _c_Xone(self, c, shape, focus):
        return self._nested(c, shape, focus, [list(self.sg.graph.items(o)) for o in c.xone_nodes],
                            lambda passed, n: passed != 1)

    def _c_Not(self, c, shape, focus):
        return self._nested(c, shape, focus, [[n] for n in c.not_list], lambda passed, n: passed == 1)

    def _c_Node(self, c, shape, focus):
        return self._nested(c, shape, focus, [[n] for n in c.node_shapes], lambda passed, n: passed == 0, True, failing_in="any")

    def _c_Property(self, c, shape, focus):
        out = []
        for p in c.property_shapes:
            prop = self.sg.lookup_shape_from_node(p)
            if not prop.deactivated:
                out.extend(self.shape_results(prop, self.values_as_focus(shape, focus)))
        return out

    # ------------------------------------------------------------ core constraints

    def result(self, c, focus, value=None):
        return c.make_v_result(self.datagraph, self.term(focus), value_node=value)

    def value_term(self, shape, focus, value):
        return to_rdflib(value)

    def _violating_values(self, c, shape, focus, condition):
        f, v = self.fresh("f"), self.fresh("v")
        cond = condition.replace("{v}", v)
        rows = self.rows(f"SELECT DISTINCT {f} {v} WHERE {{ {self.value_pattern(shape, focus, f, v)} "
                         f"FILTER ({cond}) }}", f[1:], v[1:])
        return [self.result(c, fo, self.value_term(shape, fo, va)) for fo, va in rows]

    def _count(self, c, shape, focus, op, n):
        f, v = self.fresh("f"), self.fresh("v")
        rows = self.rows(f"SELECT {f} WHERE {{ {focus(f)} OPTIONAL {{ {f} {self.path_text(shape)} {v} }} }} "
                         f"GROUP BY {f} HAVING (COUNT(DISTINCT {v}) {op} {int(n)})", f[1:])
        return [self.result(c, fo) for fo, in rows]

    def _c_MinCount(self, c, shape, focus):
        if c.min_count.value == 1:
            # The common case without grouping every focus node: 3-4x faster.
            f, v = self.fresh("f"), self.fresh("v")
            rows = self.rows(f"SELECT {f} WHERE {{ {focus(f)} FILTER NOT EXISTS {{ {f} {self.path_text(shape)} {v} }} }}",
                             f[1:])
            return [self.result(c, fo) for fo, in rows]
        return self._count(c, shape, focus, "<", c.min_count.value)

    def _c_MaxCount(self, c, shape, focus):
        if c.max_count.value == 1:
            f, v, w = self.fresh("f"), self.fresh("v"), self.fresh("w")
            path = self.path_text(shape)
            rows = self.rows(f"SELECT DISTINCT {f} WHERE {{ {focus(f)} {f} {path} {v} . {f} {path} {w} . "
                             f"FILTER (!sameTerm({v}, {w})) }}", f[1:])
            return [self.result(c, fo) for fo, in rows]
        return self._count(c, shape, focus, ">", c.max_count.value)

    def _c_Class(self, c, shape, focus):
        out = []
        for cls in c.class_rules:
            out += self._violating_values(c, shape, focus, "NOT EXISTS { {v} <%s> %s }" % (RDF.type, _n3(cls)))
        return out

    def _c_NodeKind(self, c, shape, focus):
        return self._violating_values(c, shape, focus, "!" + _NODE_KIND[c.nodekind_rule])

    def _c_MinLength(self, c, shape, focus):
        n = int(next(iter(c.string_rules)).value)
        return self._violating_values(c, shape, focus, f"isBlank({{v}}) || STRLEN(STR({{v}})) < {n}")

    def _c_Pattern(self, c, shape, focus):
        out = []
        flags = "" if c.flags is None else str(c.flags.value)
        for pattern in c.string_rules:
            text = Literal(str(pattern)).n3()
            out += self._violating_values(c, shape, focus,
                                          f"isBlank({{v}}) || !REGEX(STR({{v}}), {text}, {Literal(flags).n3()})")
        return out

    def _c_Datatype(self, c, shape, focus):
        dt = c.datatype_rule
        stored = XSD.integer if str(dt) in DERIVED_INTEGERS else dt
        if dt in (XSD.string,):
            same = f"isLiteral({{v}}) && DATATYPE({{v}}) = {_n3(dt)} && LANG({{v}}) = \"\""
        else:
            same = f"isLiteral({{v}}) && DATATYPE({{v}}) = {_n3(stored)}"
        out = self._violating_values(c, shape, focus, f"!({same})")
        # The literals of the right datatype may still be ill-typed: ask rdflib. The store
        # keeps a derived integer type as xsd:integer, so its range decides (entailment).
        if dt == XSD.string:
            return out
        f, v = self.fresh("f"), self.fresh("v")
        cond = same.replace('{v}', v)
        if dt in _WELL_TYPED:
            # A value in one of these forms is well-typed: only the others go to rdflib.
            cond += f" && !REGEX(STR({v}), {Literal(_WELL_TYPED[dt]).n3()})"
        for fo, va in self.rows(f"SELECT DISTINCT {f} {v} WHERE {{ {self.value_pattern(shape, focus, f, v)} "
                                f"FILTER ({cond}) }}", f[1:], v[1:]):
            lit = to_rdflib(va)
            if Literal(str(lit), datatype=dt).ill_typed:
                out.append(c.make_v_result(self.datagraph, self.term(fo), value_node=lit))
        return out

    def _predicate(self, shape):
        path = shape.path() if shape.is_property_shape else None
        return ox.NamedNode(str(path)) if isinstance(path, URIRef) else None

    def _pairs(self, c, shape, focus, compare):
        out = []
        for other in c.property_compare_set:
            f, v, w = self.fresh("f"), self.fresh("v"), self.fresh("w")
            found = defaultdict(lambda: (set(), set()))
            for fo, va, wa in self.rows(f"SELECT DISTINCT {f} {v} {w} WHERE {{ {self.value_pattern(shape, focus, f, v)} "
                                        f"{f} {_n3(other)} {w} }}", f[1:], v[1:], w[1:]):
                values, compares = found[fo]
                values.add(self.value_term(shape, fo, va))
                compares.add(to_rdflib(wa))
            for fo, (values, compares) in found.items():
                out.extend(compare(values, compares, self.datagraph, self.term(fo))[1])
        return out

    def _c_LessThan(self, c, shape, focus):
        return self._pairs(c, shape, focus, c._compare_lt)

    def _c_LessThanOrEquals(self, c, shape, focus):
        return self._pairs(c, shape, focus, c._compare_ltoe)

    # ------------------------------------------------------------ SHACL-SPARQL

    def _c_SPARQLBasedConstraint(self, c, shape, focus):
        """One result per distinct solution, built as pyshacl's make_v_result builds it (the
        same triples and messages) without its per-result overhead: at hundreds of thousands
        of findings the result objects are most of the run."""
        out = []
        sg = self.sg.graph
        component, severity = c.shacl_constraint_component, shape.severity
        default_path = shape.path() if shape.is_property_shape else None
        shape_messages = list(shape.message)
        for helper in c.sparql_constraints:
            if helper.deactivated:
                continue
            text = helper.apply_prefixes(_bind_this(helper, shape, focus, self.sg))
            # make_v_result's messages: the constraint's own (less those the shape has), then the
            # shape's; a SPARQL constraint has no generic message.
            templates = [m for m in (helper.messages or ()) if m not in shape_messages] + shape_messages
            head = ((RDF.type, SH.ValidationResult), (SH.sourceConstraintComponent, (sg, component)),
                    (SH.sourceShape, (sg, shape.node)), (SH.resultSeverity, severity))
            seen = set()
            solutions = self.select(text)
            names = [v.value for v in solutions.variables]
            others = [n for n in names if n not in ("this", "path", "value")]
            for row in solutions:
                if "failure" in names and row["failure"] is not None:
                    raise _unsupported(f"?failure in the SPARQL of {helper.node}")
                key = tuple(row)
                if key in seen:
                    continue
                seen.add(key)
                t, p, v = (to_rdflib(row[n]) if n in names else None for n in ("this", "path", "value"))
                if t is None:
                    raise _unsupported(f"a SPARQL constraint that does not select $this ({helper.node})")
                # The other variables only fill the message, as text: str() of the rdflib term is the term's value.
                bound = {n: row[n].value for n in others if row[n] is not None}
                value = v if v is not None else (None if shape.is_property_shape else t)
                r = BNode()
                triples = [(r, pred, obj) for pred, obj in head]
                triples.append((r, SH.focusNode, (sg, t)))
                if value is not None:
                    triples.append((r, SH.value, (self.datagraph, value)))
                path = p if p is not None else default_path
                if path is not None:
                    triples.append((r, SH.resultPath, (sg, path)))
                triples.append((r, SH.sourceConstraint, (sg, helper.node)))
                for m in templates:
                    if isinstance(m, Literal):
                        m = Literal(c._format_sparql_based_result_message(str(m.value), (t, p, value, bound)))
                    triples.append((r, SH.resultMessage, m))
                out.append(("", r, triples))
        return out


def _no_description(*args, **kwargs):
    return ""


def _bind_this(helper, shape, focus, sg):
    """The constraint's SELECT with $this bound by the focus pattern at the start of its WHERE."""
    _, text = helper.pre_bind_variables(BNode())
    if re.search(r"[$?]currentShape\b", text):
        if isinstance(shape.node, BNode):
            raise _unsupported(f"$currentShape in the SPARQL of a blank-node shape ({shape.node})")
        text = re.sub(r"[$?]currentShape\b", _n3(shape.node), text)
    match = _WHERE.search(text)
    if match is None:
        raise _unsupported(f"a SPARQL constraint without a WHERE clause ({helper.node})")
    plain = _BLANKED.sub(lambda m: " " * len(m[0]), text)
    if hasattr(focus, "test") and _BINDS_THIS.match(plain, match.end()):
        # The first triple pattern binds $this, so every OPTIONAL, BIND and EXISTS after it
        # sees it bound, as with pyshacl's pre-binding: the focus can be a test closing the
        # group, which leaves Oxigraph free to start from the most selective pattern.
        end = _group_end(plain, match.end())
        return f"{text[:end]} {focus.test('?this')} {text[end:]}"
    return f"{text[:match.end()]} {focus('?this')} {text[match.end():]}"


# IRIs, strings and comments, which may hold braces or a "$this" that is no variable.
_BLANKED = re.compile(r'<[^<>"{}|^`\\\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"'
                      r"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")
# A triple pattern opening the group, with $this as its subject or object: "$this p ?x" or "?x p $this".
_BINDS_THIS = re.compile(r"\s*(?:[$?]this\s+[^\s{}.;]|[^\s{}.;]+\s+[^\s{}.;]+\s+[$?]this\b)")


def _group_end(plain, start):
    """The offset of the brace closing the group that opens just before start."""
    depth = 1
    for i in range(start, len(plain)):
        if plain[i] == "{":
            depth += 1
        elif plain[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise _unsupported("a SPARQL query whose braces do not balance")


# ---------------------------------------------------------------- SPARQL rules

def apply_rules(store: ox.Store, shapes: Graph):
    """The SHACL-AF SPARQL rules of the shapes (ontology/rules/), once each, in sh:order,
    their triples added to the store: pyshacl's rule pass before validation."""
    engine = Engine(store, shapes)
    rules = []
    for shape in engine.sg.shapes:
        for rule in shapes.objects(shape.node, SH.rule):
            if (rule, RDF.type, SH.SPARQLRule) not in shapes:
                raise _unsupported(f"the rule {rule} (only sh:SPARQLRule)")
            if shapes.value(rule, SH.deactivated) == Literal(True):
                continue
            order = shapes.value(rule, SH.order)
            # pyshacl's order: the shapes by their sh:order, then each shape's rules by theirs.
            rules.append((float(shape.order), float(order.value) if order is not None else 0.0, shape, rule))
    for *_, shape, rule in sorted(rules, key=lambda r: r[:2]):
        focus = engine.target_pattern(shape)
        if focus is None:
            continue
        text = str(shapes.value(rule, SH.construct))
        match = _WHERE.search(text)
        if match is None:
            raise _unsupported(f"a SPARQL rule without a WHERE clause ({rule})")
        text = f"{text[:match.end()]} {focus('?this')} {text[match.end():]}"
        prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in _declared_prefixes(shapes, rule).items())
        new = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in store.query(prefixes + text)]
        store.bulk_extend(new)


def _declared_prefixes(shapes, node):
    out = {}
    for holder in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            out[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
    return out
