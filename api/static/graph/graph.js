// The graph page: the visualisation export drawn with Cytoscape.js, filters by
// model, person and source, and a panel showing a claim from the REST API.
(function () {
  "use strict";
  const COLORS = { lab: "#1f77b4", model: "#2ca02c", person: "#d62728", agent: "#9467bd",
                   source: "#8c564b", claim: "#ff7f0e", cluster: "#7f7f7f", initiative: "#17becf" };
  const status = document.getElementById("status");
  const panel = document.getElementById("claim-panel");
  const selects = Array.from(document.querySelectorAll("select[data-kind]"));

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    children.flat().forEach((c) => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return e;
  }

  function style() {
    return [
      { selector: "node", style: { "label": "data(label)", "font-size": 7, "width": 14, "height": 14,
                                   "background-color": (n) => COLORS[n.data("type")] || "#999",
                                   "text-wrap": "ellipsis", "text-max-width": 90 } },
      { selector: 'node[type="claim"]', style: { "shape": "round-rectangle", "width": 9, "height": 9, "font-size": 5 } },
      { selector: 'node[type="lab"], node[type="source"]', style: { "width": 22, "height": 22, "font-size": 9 } },
      { selector: "edge", style: { "width": 0.6, "line-color": "#bbb", "curve-style": "bezier",
                                   "target-arrow-shape": "triangle", "arrow-scale": 0.4, "target-arrow-color": "#bbb" } },
      { selector: 'edge[relation="derived-from"]', style: { "line-color": "#c60", "target-arrow-color": "#c60", "width": 1.2 } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: "node:selected", style: { "border-width": 2, "border-color": "#000" } },
    ];
  }

  function fillFilters(cy) {
    const kinds = { model: ["model"], person: ["person", "agent"], source: ["source"] };
    selects.forEach((sel) => {
      cy.nodes().filter((n) => kinds[sel.dataset.kind].includes(n.data("type")))
        .sort((a, b) => a.data("label").localeCompare(b.data("label")))
        .forEach((n) => sel.append(el("option", { value: n.id() }, n.data("label"))));
      sel.addEventListener("change", () => applyFilters(cy));
    });
  }

  // A claim stays when it is about the chosen model (or one of its versions), rests
  // on the chosen person and is reported in the chosen source; its neighbours stay with it.
  function applyFilters(cy) {
    cy.elements().removeClass("hidden");
    let claims = cy.nodes('[type="claim"]');
    let chosen = false;
    selects.forEach((sel) => {
      if (!sel.value) return;
      chosen = true;
      let targets = cy.getElementById(sel.value);
      if (sel.dataset.kind === "model") {
        targets = targets.union(targets.predecessors('node[type="model"]'));
      }
      claims = claims.intersection(targets.incomers('node[type="claim"]'));
    });
    if (chosen) {
      const keep = claims.union(claims.outgoers());
      cy.elements().not(keep).addClass("hidden");
    }
    // Premises of a matching claim are drawn too, as its neighbours, but do not count as matches.
    status.textContent = `${claims.length} claims match`;
    document.body.dataset.matchedClaims = claims.map((n) => n.data("slug")).join(" ");
  }

  function ref(r) {
    return r ? el("a", { href: r.url || r.iri }, r.label) : "";
  }

  async function showClaim(slug) {
    panel.replaceChildren(el("p", {}, "loading…"));
    const res = await fetch(`/api/claims/${encodeURIComponent(slug)}`, { headers: { Accept: "application/json" } });
    const c = await res.json();
    if (!res.ok) {
      panel.replaceChildren(el("p", {}, c.detail || res.statusText));
      return;
    }
    const reports = c.reports.map((r) => el("div", { class: "report" },
      el("blockquote", { class: "quote" }, r.quote),
      el("p", { class: "meta" }, "in ", ref(r.source), " · ", r.hedge, " · on the word of ", ref(r.origin))));
    const findings = c.findings.length
      ? el("ul", { class: "findings" }, c.findings.map((f) => el("li", {}, `${f.severity}: ${f.message || f.shape}`)))
      : el("p", { class: "meta findings" }, "no validation findings");
    panel.replaceChildren(
      el("h2", {}, c.label),
      el("p", {}, "value ", el("b", {}, c.value.text), " · about ", ref(c.about)),
      el("h3", {}, "Origin"),
      el("p", { class: "origin" }, c.origins.map(ref).flatMap((a, i) => (i ? [", ", a] : [a]))),
      c.rests_on.length ? el("p", { class: "meta" }, "rests only on ", c.rests_on.map((o) => o.label).join(", ")) : "",
      el("h3", {}, `Sources (${c.sources.length})`),
      el("div", { class: "reports" }, reports),
      el("h3", {}, "Findings"),
      findings);
    panel.dataset.claim = slug;
  }

  fetch("/export/viz.cyjs")
    .then((r) => r.json())
    .then((data) => {
      const cy = cytoscape({
        container: document.getElementById("cy"),
        elements: data.elements,
        style: style(),
        layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 6000, idealEdgeLength: () => 40 },
        wheelSensitivity: 0.3,
      });
      window.aikgGraph = cy;
      fillFilters(cy);
      applyFilters(cy);
      cy.on("tap", 'node[type="claim"]', (e) => showClaim(e.target.data("slug")));
      document.body.dataset.ready = "true";
    })
    .catch((err) => { status.textContent = `could not load the graph: ${err}`; });
})();
