"""The /graph page in headless Chromium (the system's, driven by Playwright) against
a real server: nodes render, the filters narrow the graph, and clicking a claim
shows its quote, origin, sources and findings. Nothing is fetched from elsewhere."""
import shutil

import pytest
from playwright.sync_api import sync_playwright

from curated import curated_claims
from live_server import base_fixture  # noqa: F401  (the `base` fixture)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def page(base):
    requested = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 900})
        pg.on("request", lambda r: requested.append(r.url))
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{base}/graph")
        pg.wait_for_selector("body[data-ready=true]", timeout=60_000)
        pg.requested, pg.errors = requested, errors
        yield pg
        browser.close()


def claim_screen_position(page, slug):
    """Where the claim's node is drawn on the screen (page coordinates)."""
    return page.evaluate("""(slug) => {
        const cy = window.aikgGraph;
        const n = cy.nodes().filter(n => n.data('slug') === slug && n.data('type') === 'claim')[0];
        cy.center(n); cy.zoom({level: 2.5, renderedPosition: n.renderedPosition()});
        const p = n.renderedPosition(), box = cy.container().getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", slug)


def test_nodes_render_from_the_local_server_only(page, base):
    counts = page.evaluate("""() => ({nodes: window.aikgGraph.nodes().length,
                                     claims: window.aikgGraph.nodes('[type="claim"]').length,
                                     canvas: document.querySelectorAll('#cy canvas').length})""")
    assert counts["claims"] == len(curated_claims())
    assert counts["nodes"] > counts["claims"] and counts["canvas"] >= 1
    assert page.errors == []
    assert page.requested and all(u.startswith(base) for u in page.requested), page.requested


def test_filter_by_person_keeps_the_claims_resting_on_them(page):
    curated = curated_claims()
    page.select_option("#filter-person", "person:kimmonismus")
    shown = set(page.get_attribute("body", "data-matched-claims").split())
    assert shown == {c for c, v in curated.items() if "kimmonismus" in v["origins"]}
    page.select_option("#filter-source", "source:gentic-grok-4-20")
    both = set(page.get_attribute("body", "data-matched-claims").split())
    assert both == {c for c, v in curated.items()
                    if "kimmonismus" in v["origins"] and "gentic-grok-4-20" in v["sources"]}
    page.select_option("#filter-person", "")
    page.select_option("#filter-source", "")
    page.select_option("#filter-model", "model:claude-opus")
    opus = set(page.get_attribute("body", "data-matched-claims").split())
    assert "claude-3-opus-total-parameters" in opus       # a version's claim belongs to the family
    assert "grok-4-20-total-parameters" not in opus
    page.select_option("#filter-model", "")


def test_clicking_a_claim_shows_its_quote_origin_sources_and_findings(page, tmp_path_factory):
    pos = claim_screen_position(page, "claude-sonnet-total-parameters")
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_selector("#claim-panel[data-claim='claude-sonnet-total-parameters']", timeout=20_000)
    quotes = page.locator("#claim-panel blockquote.quote").all_inner_texts()
    # the article's own words: "If Grok is 0.5T, then Sonnet must be ~1T"
    assert "Sonnet must be ~1T" in quotes
    assert "Elon Musk" in page.inner_text("#claim-panel .origin")
    sources = curated_claims()["claude-sonnet-total-parameters"]["sources"]
    links = page.locator("#claim-panel .report a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert {f"/api/sources/{s}" for s in sources} <= set(links)
    assert page.locator("#claim-panel .findings").count() == 1
    shot = tmp_path_factory.mktemp("graph-page") / "graph.png"   # looked at by a person when the page changes
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
