"""Where the project's declarative files live; every other module asks here."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SHAPES = ONTOLOGY / "shapes"
RULES = ONTOLOGY / "rules"
CHECKS = ONTOLOGY / "checks"
QUERIES = ROOT / "queries"
DATA = ROOT / "data"
ARTICLES = DATA / "articles"
ANNOTATIONS = DATA / "annotations"
ENTITIES = DATA / "entities.yaml"
REFERENCE = DATA / "reference"
BUILD = ROOT / "build"
