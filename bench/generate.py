"""A synthetic corpus in the real format (articles/, annotations/, entities.yaml),
deterministic by seed, for measuring aikg at scale.

Shapes taken from the bundled corpus: a few prolific origins whose claims many
sources repeat (rich get richer), derivation chains up to depth 4, ranges and
open bounds, every hedge, aliases, predictions with horizons, and contradicting
claims (same model and property, another value). Every slug starts with `syn-`,
so a generated corpus can be added beside the bundled one (`aikg build --corpus`)
or built alone (`aikg build --data-dir`).

    python -m bench.generate OUT_DIR --articles 500 --seed 1
"""
import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

HEDGES = ["official", "stated", "stated", "stated", "estimated", "estimated", "inferred", "rumored",
          "unverified", "leaked"]
ARCHITECTURES = ["dense-transformer", "sparse-moe", "moe", "hybrid-moe-dense", "state-space"]
MAX_DEPTH = 4
REPEAT, DERIVE, CONTRADICT, PREDICT = 0.40, 0.15, 0.10, 0.08


@dataclass
class Claim:
    id: str
    about: str
    prop: str
    value: str
    origin: str
    depth: int = 0
    relative_to: str | None = None
    derived_from: list = field(default_factory=list)
    derived_by: str | None = None
    prediction: dict | None = None
    index: int = 0


def _q(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


class Generator:
    def __init__(self, n_articles, seed=0, reports_per_article=8):
        self.n, self.rng, self.rpa = n_articles, random.Random(seed), reports_per_article
        self.claims, self.mentions = [], []      # mentions: one claim index per report (preferential repeats)
        self._entities()

    # ------------------------------------------------------------ entities

    def _entities(self):
        r, n = self.rng, self.n
        self.labs = [f"syn-lab-{i}" for i in range(4 + n // 100)]
        self.models, self.families, self.model_lab = [], [], {}
        self.entity_lines = {"labs": [], "models": [], "people": [], "agents": [], "publishers": []}
        for lab in self.labs:
            self.entity_lines["labs"].append(f"  {lab}: {{label: {_q(lab.replace('-', ' ').title())}}}")
            for f in range(r.randint(1, 2)):
                fam = f"{lab}-family-{f}"
                self.families.append(fam)
                self.entity_lines["models"].append(
                    f"  {fam}: {{label: {_q(f'Family {lab[8:]}.{f}')}, kind: family, lab: {lab}, "
                    f"aliases: [{_q(f'F{lab[8:]}x{f}')}]}}")
                for v in range(r.randint(2, 4)):
                    m = f"{fam}-v{v}"
                    self.models.append(m)
                    self.model_lab[m] = lab
                    alias = f", aliases: [{_q(f'M{lab[8:]}x{f}x{v}')}]" if r.random() < 0.5 else ""
                    self.entity_lines["models"].append(
                        f"  {m}: {{label: {_q(f'Model {lab[8:]}.{f}.{v}')}, kind: version, family: {fam}, lab: {lab}{alias}}}")
        self.people = [f"syn-person-{i}" for i in range(8 + n // 10)]
        for p in self.people:
            self.entity_lines["people"].append(
                f"  {p}: {{label: {_q('Person ' + p[11:])}, affiliation: {r.choice(self.labs)}}}")
        self.agents = [f"syn-agent-{i}" for i in range(4 + n // 200)]
        for a in self.agents:
            self.entity_lines["agents"].append(f"  {a}: {{label: {_q('analysis ' + a[10:])}}}")
        self.publishers = [f"syn-publisher-{i}" for i in range(3 + n // 50)]
        for p in self.publishers:
            self.entity_lines["publishers"].append(f"  {p}: {{label: {_q('Publisher ' + p[14:])}}}")
        # A few prolific origins: Zipf weights over people and agents.
        self.origins = self.people + self.agents
        self.origin_weights = [1 / (i + 1) ** 1.2 for i in range(len(self.origins))]
        r.shuffle(self.origins)

    def entities_yaml(self):
        out = ["# Synthetic entities (bench/generate.py)."]
        for section, lines in self.entity_lines.items():
            out += ["", f"{section}:"] + lines
        return "\n".join(out) + "\n"

    # ------------------------------------------------------------ claims

    def _quantity(self, money=False):
        r = self.rng
        unit = r.choice(["B", "B", "T"]) if not money else r.choice(["M", "B"])
        x = r.choice([1, 1.5, 2, 3, 5, 7, 8, 20, 70, 100, 175, 300, 405, 500]) if unit != "T" else r.choice([0.5, 1, 1.5, 2, 5, 6])
        d = "$" if money else ""
        form = r.random()
        if form < 0.5:
            return f"{d}{x}{unit}"
        if form < 0.7:
            return f"~{d}{x}{unit}"
        if form < 0.9:
            return f"{d}{x}{unit}-{d}{x * 2}{unit}"
        return f">{d}{x}{unit}"

    def _new_claim(self, k):
        r = self.rng
        origin = r.choices(self.origins, self.origin_weights)[0]
        cid = f"syn-c{len(self.claims)}"
        if self.claims and r.random() < CONTRADICT:
            other = self.claims[r.randrange(len(self.claims))]
            if other.prop in ("total-parameters", "active-parameters"):
                value = self._quantity()
                if value != other.value:
                    return Claim(cid, other.about, other.prop, value, origin)
        if self.claims and r.random() < DERIVE:
            premises = [c for c in r.sample(self.claims, min(2, len(self.claims))) if c.depth < MAX_DEPTH]
            if premises:
                return Claim(cid, premises[0].about, "total-parameters", f"~{r.choice([1, 2, 5])}T",
                             premises[0].origin, 1 + max(p.depth for p in premises),
                             derived_from=[p.id for p in premises], derived_by=r.choice(self.agents))
        if r.random() < PREDICT:
            horizon = r.choice(["12 months", "2-3 weeks", "24 months", "6 months", "4-5 weeks"])
            return Claim(cid, r.choice(self.labs), "release-timeline", r.choice(["1T", "1.5T", "5T", "10T"]), origin,
                         prediction={"horizon": horizon})
        model = r.choice(self.models)
        kind = r.random()
        if kind < 0.45:
            return Claim(cid, model, r.choice(["total-parameters", "total-parameters", "active-parameters"]),
                         self._quantity(), origin)
        if kind < 0.6:
            return Claim(cid, model, r.choice(["parameter-ratio", "speed-ratio", "cost-ratio"]),
                         r.choice(["0.5", "0.2", "2", "3", "10"]), origin, relative_to=r.choice(self.models))
        if kind < 0.72:
            return Claim(cid, model, "architecture", r.choice(ARCHITECTURES), origin)
        if kind < 0.84:
            return Claim(cid, model, "release-date", f"{r.randint(2022, 2026)}-{r.randint(1, 12):02d}", origin)
        if kind < 0.92:
            return Claim(cid, model, "training-cost", self._quantity(money=True), origin)
        return Claim(cid, model, "expert-count", str(r.choice([8, 16, 64, 128])), origin)

    def _pick(self, k):
        """A claim for the k-th report of an article: a repetition or a new one."""
        r = self.rng
        if self.mentions and r.random() < REPEAT:
            return self.claims[r.choice(self.mentions)], False
        c = self._new_claim(k)
        c.index = len(self.claims)
        self.claims.append(c)
        return c, True

    # ------------------------------------------------------------ articles

    def article(self, i):
        r = self.rng
        slug = f"syn-article-{i:05d}"
        n_reports = max(1, int(r.expovariate(1 / self.rpa)) + 1)
        publisher = r.choice(self.publishers)
        title = f"Synthetic report {i}: what we hear about model sizes"
        head = f"{title}\nPublisher {publisher[14:]} - synthetic corpus\n\n"
        body, entries, seen = [], [], set()
        pos = len(head)
        for k in range(n_reports):
            c, new = self._pick(k)
            if (c.id, new) in seen:
                continue
            seen.add((c.id, new))
            quote = f"{c.about.replace('-', ' ')} {c.prop.replace('-', ' ')} is {c.value}"
            if c.relative_to:
                quote += f" of {c.relative_to.replace('-', ' ')}"
            lead = r.choice(["Sources say that ", "According to reports, ", "It is claimed that ", "We hear "])
            sentence = f"{lead}{quote}. {r.choice(['Nobody confirmed it.', 'The figure spread quickly.', 'Others disagree.', ''])}\n"
            start = pos + len(lead)
            body.append(sentence)
            pos += len(sentence)
            self.mentions.append(c.index)
            entries.append(self._entry(c, new, quote, start))
        footer = "\nSubscribe to our newsletter for more.\n"
        text = head + "".join(body) + footer
        month = 1 + i % 12
        meta = (f"title: {_q(title)}\npublisher: {publisher}\nlanguage: en\n"
                f"published: {2024 + (i // 12) % 3}-{month:02d}-{1 + i % 28:02d}\n"
                f"body:\n  start: {len(head)}\n  end: {pos}\n")
        ann = f"source: {slug}\nclaims:\n" + "".join(entries)
        return slug, text, meta, ann

    def _entry(self, c, first, quote, start):
        r = self.rng
        lines = [f"  - claim: {c.id}"]
        if first or r.random() < 0.5:      # later entries may leave the definition out
            lines += [f"    about: {c.about}", f"    property: {c.prop}", f"    value: {_q(c.value)}"]
            if c.relative_to:
                lines.append(f"    relative-to: {c.relative_to}")
        hedge = "inferred" if c.derived_from else r.choice(HEDGES)
        lines += [f"    hedge: {hedge}", f"    origin: {c.origin}"]
        if r.random() < 0.1:
            lines.append(f"    attributed-in-text: {r.choice(self.agents)}")
        if c.derived_from and first:
            lines += [f"    derived-from: [{', '.join(c.derived_from)}]", f"    derived-by: {c.derived_by}"]
        if c.prediction:
            lines += ["    prediction: true", f"    horizon: {c.prediction['horizon']}",
                      f"    statement: {_q(quote)}"]
        lines += [f"    quote: {_q(quote)}", f"    start: {start}"]
        return "\n".join(lines) + "\n"


def generate(out_dir, n_articles, seed=0, reports_per_article=8) -> Path:
    """Write the corpus into out_dir (articles/, annotations/, entities.yaml)."""
    if not 1 <= n_articles <= 100_000:
        raise ValueError("n_articles: between 1 and 100,000")
    out = Path(out_dir)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "annotations").mkdir(parents=True, exist_ok=True)
    g = Generator(n_articles, seed, reports_per_article)
    for i in range(n_articles):
        slug, text, meta, ann = g.article(i)
        (out / "articles" / f"{slug}.txt").write_text(text, encoding="utf-8")
        (out / "articles" / f"{slug}.yaml").write_text(meta, encoding="utf-8")
        (out / "annotations" / f"{slug}.yaml").write_text(ann, encoding="utf-8")
    (out / "entities.yaml").write_text(g.entities_yaml(), encoding="utf-8")
    return out


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--articles", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--reports-per-article", type=int, default=8)
    a = p.parse_args(argv)
    generate(a.out_dir, a.articles, a.seed, a.reports_per_article)
    print(f"wrote {a.articles} articles to {a.out_dir}")


if __name__ == "__main__":
    main()
