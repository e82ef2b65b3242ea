"""The extractor's patterns of news language, each on small invented sentences that
appear in no curated article (model names like "Nimbus-2" are made up): what a
reader finds in them is found, what is not there is not, and every quote is the
article's own text at its offsets."""
from pathlib import Path

import pytest

from aikg import paths
from loaders.extract.claims import extract
from loaders.extract.mentions import EntityIndex
from loaders.extract.staging import annotation_text, ingest
from loaders.yamlfile import load_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def index():
    return EntityIndex.from_files([paths.DATA / "entities.yaml"])


@pytest.fixture
def read(index, tmp_path):
    return lambda text: _read(text, index, tmp_path / "made-up.yaml")


def _read(text, index, staged):
    """(about, property, value, relative-to, origin, hedge) per candidate; each quote, as
    staged for review and read back, is the text at its offsets."""
    ex = extract(text, 0, len(text), index)
    staged.write_text(annotation_text("made-up", text, ex.candidates,
                                      {id(c): f"c{i}" for i, c in enumerate(ex.candidates)}), encoding="utf-8")
    doc = load_yaml(staged)
    for e in doc["claims"]:
        assert e["quote"] and text[e["start"]:e["start"] + len(e["quote"])] == e["quote"], e
    return {(c.about.slug, c.property, c.value, c.relative_to.slug if c.relative_to else None,
             c.origin.slug if c.origin else "article", c.hedge) for c in ex.candidates}


def claims(found):
    return {f[:3] for f in found}


def test_expert_counts(read):
    got = claims(read("Helix Labs said its Nimbus-2 model routes each token to 2 out of 64 experts. "
                      "The Corvo-7 model is a sparse mixture-of-experts system with thousands of experts.\n\n"
                      "Nimbus-2, a 16x22B MoE model, runs on one server."))
    assert {("nimbus-2", "active-expert-count", "2"), ("nimbus-2", "expert-count", "64"),
            ("corvo-7", "expert-count", ">1000"), ("nimbus-2", "expert-count", "16"),
            ("nimbus-2", "expert-parameters", "22B")} <= got
    # 22B is one expert's size, not the model's
    assert ("nimbus-2", "total-parameters", "22B") not in got


def test_people_called_experts_are_not_counted(read):
    got = claims(read("Three experts told reporters that the Nimbus-2 model, a sparse MoE, was impressive."))
    assert not {g for g in got if "expert" in g[1]}


def test_table_alternatives_sizes_with_names_and_open_weights(read):
    text = ("Analysts compared the labs.\n\n"
            "| Lab | Flagship model (Est. Scale) | Architecture | Strategy |\n"
            "|---|---|---|---|\n"
            "| Helix Labs | Nimbus-2 (~900B) | Dense or MoE | Open-weight releases |\n"
            "| Corvo Research | Corvo-7 (~3T) | Large MoE (e.g., 64 x 40B experts) | Closed platform |\n")
    got = read(text)
    assert {("nimbus-2", "total-parameters", "~900B"), ("nimbus-2", "architecture", "dense-transformer"),
            ("nimbus-2", "architecture", "moe"), ("nimbus-2", "open-weights", "true"),
            ("corvo-7", "total-parameters", "~3T"), ("corvo-7", "architecture", "moe"),
            ("corvo-7", "expert-count", "64"), ("corvo-7", "expert-parameters", "40B")} <= claims(got)
    assert ("corvo-7", "open-weights", "true") not in claims(got)
    # "(Est. Scale)" in the header hedges the row's figures
    assert all(f[5] == "estimated" for f in got if f[1] == "total-parameters")


def test_series_members_share_the_series_date_and_may_is_a_month(read):
    got = read("The Claude 4 Series (May 2025): Haiku, Sonnet and Opus arrived together.")
    dates = {(f[0], f[2], f[5]) for f in got if f[1] == "release-date"}
    assert dates == {(m, "2025-05", "stated") for m in ("claude-4-haiku", "claude-4-sonnet", "claude-4-opus")}


def test_forecasts_about_the_lab_they_name_else_the_lede_lab(read):
    got = read("Vela Research unveiled its Nimbus-2 model on Tuesday.\n\n"
               "What comes next\n\n"
               "Within 18 months, Google will ship an agent that books travel end to end. "
               "By 2027 the largest labs will have merged their safety teams. "
               "The office opened in 2019.\n\n"
               "Predictions:\n"
               "1. Price war: Helix Labs will cut API prices in half.\n")
    forecasts = {(f[0], f[4], f[5]) for f in got if f[1] == "forecast"}
    assert forecasts == {("google-deepmind", "article", "estimated"), ("vela-research", "article", "estimated"),
                         ("helix-labs", "article", "estimated")}


def test_a_forecast_under_a_publishers_heading_is_the_publishers(read):
    got = read("Helix Labs trains the Nimbus-2 model.\n\nAINews Outlook\n\n"
               "Within 2 years, a 3 trillion parameter open-weight model will be released, probably by Meta.\n")
    assert ("meta", "release-timeline", "3T", None, "ainews", "estimated") in got
    assert not {f for f in got if f[0] == "helix-labs" and f[1] == "release-timeline"}


def test_undisclosed_size_distillation_codename(read):
    got = read("Helix Labs has never disclosed the parameter count of its Nimbus-2 model. "
               "Helix Labs has never disclosed its revenue.\n\n"
               "The Nimbus-2-Mini model is a distilled version of the Nimbus-2 model.\n\n"
               "Leaked slides describe a model codenamed \u201cKestrel\u201d, the Nimbus-3 model, due next year.\n")
    assert {("helix-labs", "parameters-disclosed", "false"), ("nimbus-2-mini", "distillation", "distilled"),
            ("nimbus-3", "codename", "Kestrel")} <= claims(got)
    assert ("nimbus-2-mini", "distillation", "distilled", "nimbus-2", "article", "stated") in got
    assert len([f for f in got if f[1] == "parameters-disclosed"]) == 1


def test_larger_than_only_where_size_is_spoken_of(read):
    got = read("At 4 trillion parameters, the Nimbus-3 model would be larger than GPT-4 and Google's Gemini Ultra. "
               "The Nimbus-3 model surpasses GPT-4 in coding. "
               "The Nimbus-2 model is not larger than GPT-4 by parameter count.")
    larger = {(f[0], f[3]) for f in got if f[1] == "larger-than"}
    assert larger == {("nimbus-3", "gpt-4"), ("nimbus-3", "gemini-ultra")}


def test_vague_magnitudes_and_open_source_models(read):
    got = read("Google's Gemini Ultra likely sits in the multi-trillion parameter realm. "
               "OpenBMB released open-source MoE models, the OpenMoE-2 models. "
               "The open-source community praised the Nimbus-2 model.")
    assert ("gemini-ultra", "total-parameters", ">=2T", None, "article", "inferred") in got
    assert ("openmoe-2", "open-weights", "true") in claims(got)
    assert ("nimbus-2", "open-weights", "true") not in claims(got)


def test_a_table_row_marked_estimated_gives_its_figures_to_the_estimates_in_circulation(read):
    got = read("The labs' models compared.\n\n"
               "| Model | Total Parameters | Architecture |\n"
               "|---|---|---|\n"
               "| Nimbus-2 (est.) | ~900B | Dense |\n"
               "| Corvo-7 | 3T | MoE |\n")
    assert ("nimbus-2", "total-parameters", "~900B", None, "industry-estimates", "estimated") in got
    assert ("nimbus-2", "architecture", "dense-transformer", None, "article", "estimated") in got
    assert ("corvo-7", "total-parameters", "3T", None, "article", "stated") in got


@pytest.mark.parametrize("sentence, origin", [
    ("Dana Whitfield clarified that the Nimbus-2 model has 300 billion parameters.", "dana-whitfield"),
    ("According to The Information, the Nimbus-2 model has 300 billion parameters.", "the-information"),
    ("Analysts like Rohan Mehta suggested that the Nimbus-2 model has 300 billion parameters.", "rohan-mehta"),
    ("A Stanford research paper cited estimates placing the Nimbus-2 model at 300 billion parameters.",
     "stanford-research-paper"),
    ("The Nimbus-2 model has 300 billion parameters.", "article"),
    ("Early Reports suggested the Nimbus-2 model has 300 billion parameters.", "article"),
])
def test_whose_word_a_figure_rests_on(read, sentence, origin):
    got = read(sentence)
    assert {(f[0], f[1], f[2], f[4]) for f in got} == {("nimbus-2", "total-parameters", "300B", origin)}


def test_a_handle_and_the_post_that_points_back_to_it(read):
    got = read("Posting on X, @chipwatcher wrote that the Orca-9 model is a 2T-parameter system. "
               "The post claims the Orca-9 model has 200B active parameters.")
    assert {(f[1], f[2], f[4]) for f in got} == {("total-parameters", "2T", "chipwatcher"),
                                                 ("active-parameters", "200B", "chipwatcher")}


# An invented briefing (tests/fixtures/ingest/helix-briefing.md) read by a person:
# (about, property, value, relative-to, origin).
BRIEFING = {
    ("helix-labs", "parameters-disclosed", "false", None, "article"),
    ("nimbus-3", "total-parameters", "2.4T", None, "the-information"),
    ("nimbus-3", "active-parameters", "~180B", None, "the-information"),
    ("nimbus-3", "architecture", "sparse-moe", None, "the-information"),
    ("nimbus-3", "active-expert-count", "4", None, "dana-whitfield"),
    ("nimbus-3", "expert-count", "256", None, "dana-whitfield"),
    ("nimbus-3", "speed-ratio", "2", "nimbus-2", "dana-whitfield"),
    ("nimbus-3", "cost-ratio", "0.33", "nimbus-2", "dana-whitfield"),
    ("nimbus-3-mini", "distillation", "distilled", "nimbus-3", "article"),
    ("nimbus-3-mini", "open-weights", "true", None, "article"),
    ("nimbus-3", "codename", "Kestrel", None, "article"),
    ("nimbus-2", "total-parameters", "~400B", None, "industry-estimates"),
    ("nimbus-2", "architecture", "dense-transformer", None, "article"),
    ("corvo-7", "total-parameters", "1.1T", None, "article"),
    ("corvo-7", "architecture", "dense-transformer", None, "article"),
    ("corvo-7", "architecture", "moe", None, "article"),
    ("nimbus-3", "larger-than", "true", "corvo-7", "article"),
    ("helix-labs", "release-timeline", "5T", None, "rohan-mehta"),
}


def test_an_unseen_briefing_end_to_end(tmp_path):
    out = tmp_path / "incoming"
    [r] = ingest([FIXTURES / "helix-briefing.md"], out)
    text = (out / "articles" / "helix-briefing.txt").read_text(encoding="utf-8")
    entries = load_yaml(r.annotations)["claims"]
    for e in entries:
        assert text[e["start"]:e["start"] + len(e["quote"])] == e["quote"]
    got = {(e["about"], e["property"], str(e["value"]).lower() if isinstance(e["value"], bool) else str(e["value"]),
            e.get("relative-to"), e["origin"]) for e in entries}
    assert BRIEFING <= got, sorted(BRIEFING - got)
    # nothing from the "Related" box, and at most the one forecast a reader would not attach to a lab
    assert not {g for g in got if g[2] == "9T"}
    assert len(got - BRIEFING) <= 1, sorted(got - BRIEFING)


def test_eval_links_a_proposed_name_to_the_withheld_entity_of_that_name_only():
    from loaders.extract.evaluate import _slug, _withheld_names
    from loaders.extract.mentions import Info
    index = EntityIndex({"corvo-7b": Info("corvo-7b", "models", "Corvo 7B", ["Corvo"]),
                         "vega": Info("vega", "labs", "Vega")})
    named = _withheld_names(index, ["corvo-7b"])
    assert _slug(Info("corvo", "models", "Corvo", new=True), named) == "corvo-7b"
    assert _slug(Info("corvo-8", "models", "Corvo-8", new=True), named) == "corvo-8"
    # an entity the extractor was given keeps its own slug; a name not withheld links to nothing
    assert _slug(Info("corvo", "models", "Corvo"), named) == "corvo"
    assert _slug(Info("vega", "labs", "Vega", new=True), named) == "vega"


def test_a_wire_story(read):
    got = read("SAN FRANCISCO, May 3 (Reuters) - Vega Research on Thursday released Lyra-4, a language model it "
               "said has 70 billion parameters, as the startup seeks to compete with OpenAI's GPT-4o. The model, "
               "which uses a mixture-of-experts design with 16 experts, was trained for about $12 million, the "
               "company said.\n\n"
               "\"We think it's the most efficient model of its size,\" Chief Executive Anna Pike told Reuters. "
               "Lyra-4 is three times faster than Lyra-3, she added.\n\n"
               "Rival Helix Labs is expected to launch a 400 billion parameter model within three months, "
               "according to two people familiar with the matter.\n")
    assert {("lyra-4", "total-parameters", "70B", None, "vega-research"),
            ("lyra-4", "expert-count", "16", None, "vega-research"),
            ("lyra-4", "training-cost", "~$12M", None, "vega-research"),
            ("lyra-4", "speed-ratio", "3", "lyra-3", "anna-pike"),
            ("helix-labs", "release-timeline", "400B", None, "anonymous-sources")} <= {f[:5] for f in got}
    assert not {f for f in got if f[0] in ("openai", "gpt-4o") or f[4] in ("openai", "rival-helix-labs")}


@pytest.mark.parametrize("sentence, hedge", [
    ("The Nimbus-2 model reportedly has 300 billion parameters.", "unverified"),
    ("The Nimbus-2 model is rumored to have 300 billion parameters.", "rumored"),
    ("The Nimbus-2 model is estimated at 300 billion parameters.", "estimated"),
    ("Leaked slides show the Nimbus-2 model has 300 billion parameters.", "leaked"),
    ("The Nimbus-2 model likely has 300 billion parameters.", "inferred"),
    ("The Nimbus-2 model has perhaps 300 billion parameters.", "inferred"),
    ("Helix Labs officially confirmed that the Nimbus-2 model has 300 billion parameters.", "official"),
    ("The Nimbus-2 model, released in May 2025, has 300 billion parameters.", "stated"),
])
def test_hedges(read, sentence, hedge):
    got = read(sentence)
    assert {(f[1], f[2], f[5]) for f in got if f[0] == "nimbus-2" and f[1] == "total-parameters"} == \
        {("total-parameters", "300B", hedge)}


def test_a_tables_column_header_hedges_its_cells(read):
    got = read("The labs' models compared.\n\n"
               "| Model | Total Parameters | Architecture Guess |\n"
               "|---|---|---|\n"
               "| Nimbus-2 (est.) | ~900B | Dense |\n")
    assert ("nimbus-2", "total-parameters", "~900B", None, "industry-estimates", "estimated") in got
    assert ("nimbus-2", "architecture", "dense-transformer", None, "article", "inferred") in got


def test_anonymous_sourcing_and_shared_experts(read):
    got = read("The Qwen4-Max model has 480B parameters, people familiar with the matter said. "
               "The DeepSeek-V4 model uses 256 routed experts plus one shared expert.")
    assert ("qwen4-max", "total-parameters", "480B", None, "anonymous-sources", "unverified") in got
    assert {f[2] for f in got if f[1] == "expert-count"} == {"256"}


def test_capability_verdicts(read):
    got = read("The Nimbus-3 model outperforms GPT-4 on coding benchmarks. The Nimbus-2 model and its rivals "
               "were tested. The Corvo-7 model, which added multimodal capabilities, shipped in June. "
               "The Vesta-4 model and the Orca-9 model are in the same competitive tier as GPT-4.")
    caps = {(f[0], f[2]) for f in got if f[1] == "capability"}
    assert caps == {("nimbus-3", "outperforms GPT-4 on coding benchmarks"),
                    ("corvo-7", "added multimodal capabilities"),
                    ("vesta-4", "in the same competitive tier as GPT-4"),
                    ("orca-9", "in the same competitive tier as GPT-4")}
