"""/openapi.json: the OpenAPI 3 description of every route, kept in api/openapi.yaml."""
from pathlib import Path

import yaml
from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)
DOCUMENT = Path(__file__).with_name("openapi.yaml")


def document() -> dict:
    return yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
