"""graph.sparql_scan reads SERVICE, FROM and updates where the grammar has them,
and nowhere else (strings, comments, IRIs, variables, prefixed names, language tags)."""
import pytest

from aikg.vocab import PREFIXES
from graph.sparql_scan import scan

EX = "http://example.org/"


@pytest.mark.parametrize("text", [
    f"SELECT * WHERE {{ SERVICE <{EX}> {{ ?s ?p ?o }} }}",
    f"select * where {{ Service Silent <{EX}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?s ?p ?o } }",
    f"SELECT * WHERE {{ ?s ?p \"x\"@en. SERVICE<{EX}>{{?s ?p ?o}} }}",
    f"SELECT * WHERE {{ \\u0053ERVICE <{EX}> {{ ?s ?p ?o }} }}",
    f'SELECT * WHERE {{ BIND("a\\u0022" AS ?x) SERVICE <{EX}> {{ ?s ?p "o" }} }}',
    f"# SERVICE in a comment, then for real\nSELECT * WHERE {{ SERVICE <{EX}> {{ ?s ?p ?o }} }}",
])
def test_service_is_found(text):
    assert scan(text, PREFIXES).services


@pytest.mark.parametrize("text", [
    'SELECT ?service WHERE { BIND("SERVICE <http://example.org/>" AS ?service) }',
    "SELECT * WHERE { ?s ?p '''multi\nline SERVICE <http://example.org/> ''' }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/>",
    "PREFIX service: <http://example.org/s#> SELECT * WHERE { ?s service:service ?o }",
    'SELECT * WHERE { ?s ?p "x"@service }',
    "SELECT * WHERE { _:service ?p $service }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
])
def test_service_is_not_imagined(text):
    found = scan(text, PREFIXES)
    assert not found.services and found.form == "SELECT"


def test_from_and_from_named_are_resolved_to_iris():
    found = scan(f"PREFIX ex: <{EX}> BASE <{EX}base/> SELECT * FROM ex:g FROM <rel> FROM NAMED <{EX}n> "
                 f"FROM graph:core WHERE {{ ?s ex:from ?o }}", PREFIXES)
    assert found.from_graphs == [EX + "g", EX + "base/rel", PREFIXES["graph"] + "core"]
    assert found.from_named == [EX + "n"]
    assert scan("SELECT * FROM ?g WHERE {}", PREFIXES).unresolved == ["?g"]
    assert scan("SELECT ?from WHERE { ?from ?p 'FROM <x>' }", PREFIXES).from_graphs == []


@pytest.mark.parametrize("text,form", [
    ("SELECT * {}", "SELECT"), ("ask {}", "ASK"), ("PREFIX ex: <urn:x> CONSTRUCT WHERE {}", "CONSTRUCT"),
    ("DESCRIBE <urn:x>", "DESCRIBE"), ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("# DROP ALL\nDELETE WHERE { ?s ?p ?o }", "DELETE"), ("LOAD <http://example.org/x>", "LOAD"),
    ("BASE <urn:x> PREFIX a: <urn:a> CLEAR ALL", "CLEAR"), ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE {}", "WITH"),
    ("hello", None),
])
def test_the_query_form_is_the_first_keyword(text, form):
    found = scan(text, PREFIXES)
    assert found.form == form
    assert found.is_update == (form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", None))
