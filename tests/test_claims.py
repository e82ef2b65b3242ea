"""Each article's key claims, with their provenance, as the articles state them."""
from graph.queries import run_sparql, to_json

CLAIM = """
SELECT ?about ?value ?lower ?upper
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?origin), "/id/"); separator=" ") AS ?origins)
       (COUNT(DISTINCT ?source) AS ?sources) (SAMPLE(?d) AS ?derived) WHERE {
  ?claim aikg:about ?about ; aikg:hasReport ?r .
  ?r prov:wasAttributedTo ?origin ; aikg:source ?source .
  OPTIONAL { ?claim aikg:value ?value } OPTIONAL { ?claim aikg:lowerBound ?lower } OPTIONAL { ?claim aikg:upperBound ?upper }
  BIND(EXISTS { ?claim prov:wasDerivedFrom [] } AS ?d)
} GROUP BY ?about ?value ?lower ?upper
"""


def claim(store, cid):
    doc = to_json(run_sparql(store, CLAIM.replace("?claim", f"claim:{cid}")))
    (row,) = doc["results"]["bindings"]
    return {k: v["value"] for k, v in row.items()}


def reported_in(store, cid):
    doc = to_json(run_sparql(store, f"SELECT ?s WHERE {{ claim:{cid} aikg:reportedIn ?s }}"))
    return {b["s"]["value"].rsplit("/", 1)[1] for b in doc["results"]["bindings"]}


def test_grok_4_20_half_a_trillion_attributed_to_musk(store):
    c = claim(store, "grok-4-20-total-parameters")
    assert c["about"].endswith("/model/grok-4-20")
    assert float(c["value"]) == 0.5e12
    assert "person/elon-musk" in c["origins"].split()
    assert int(c["sources"]) >= 2
    # gentic.news relays the same figure from @kimmonismus: one claim, two origins
    assert "person/kimmonismus" in c["origins"].split()
    assert "gentic-grok-4-20" in reported_in(store, "grok-4-20-total-parameters")


def test_sonnet_one_trillion_is_derived_from_musks_remark(store):
    c = claim(store, "claude-sonnet-total-parameters")
    assert float(c["value"]) == 1e12 and c["derived"] == "true"
    assert c["origins"].split() == ["person/elon-musk"]
    assert int(c["sources"]) >= 3
    premises = to_json(run_sparql(store, "SELECT ?p WHERE { claim:claude-sonnet-total-parameters prov:wasDerivedFrom ?p }"))
    ids = {b["p"]["value"].rsplit("/", 1)[1] for b in premises["results"]["bindings"]}
    assert ids == {"grok-4-20-total-parameters", "grok-4-20-size-ratio-to-claude-sonnet"}


def test_opus_five_trillion_in_four_articles_one_origin(store):
    c = claim(store, "claude-opus-total-parameters")
    assert float(c["value"]) == 5e12 and c["about"].endswith("/model/claude-opus")
    assert c["origins"].split() == ["person/elon-musk"]
    assert len(reported_in(store, "claude-opus-total-parameters")) == 4


def test_claude_3_opus_two_trillion_by_alan_d_thompson(store):
    c = claim(store, "claude-3-opus-total-parameters")
    assert float(c["value"]) == 2e12 and c["origins"] == "person/alan-d-thompson"
    assert reported_in(store, "claude-3-opus-total-parameters") == {"musk-accidental-revelation"}


def test_opus_4_5_active_parameters_range(store):
    doc = to_json(run_sparql(store, """
        SELECT ?lo ?hi WHERE { ?c aikg:about model:claude-opus-4-5 ; aikg:property prop:active-parameters ;
                                  aikg:lowerBound ?lo ; aikg:upperBound ?hi }"""))
    (b,) = doc["results"]["bindings"]
    assert float(b["lo"]["value"]) == 93e9 and float(b["hi"]["value"]) == 154e9


def test_kimmonismus_timeline_is_a_prediction(store):
    doc = to_json(run_sparql(store, """
        SELECT ?c ?min ?max WHERE { ?c a aikg:Prediction ; aikg:hasReport/prov:wasAttributedTo person:kimmonismus ;
                                       aikg:horizonMin ?min ; aikg:horizonMax ?max }"""))
    horizons = {(b["min"]["value"], b["max"]["value"]) for b in doc["results"]["bindings"]}
    assert ("P14D", "P21D") in horizons and ("P28D", "P35D") in horizons


def test_ainews_predictions_have_horizons(store):
    doc = to_json(run_sparql(store, """
        SELECT ?c ?h WHERE { ?c a aikg:Prediction ; aikg:reportedIn ?s ; aikg:horizonText ?h .
                             ?s dct:publisher <https://w3id.org/aikg/id/publisher/ainews> }"""))
    texts = " | ".join(b["h"]["value"] for b in doc["results"]["bindings"])
    for h in ("12 months", "18 months", "2026"):
        assert h in texts


def test_grok_1_dense_claim_is_recorded_faithfully(store):
    doc = to_json(run_sparql(store, """
        SELECT ?q WHERE { ?c aikg:about model:grok-1 ; aikg:valueConcept arch:dense-transformer ;
                             aikg:hasReport/aikg:quote ?q }"""))
    assert any("dense transformer" in b["q"]["value"] for b in doc["results"]["bindings"])
