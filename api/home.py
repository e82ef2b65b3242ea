"""The landing page: what this server offers."""
from flask import Blueprint, jsonify

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return jsonify({"name": "aikg", "description": "A knowledge graph of AI labs, models and claims, with provenance."})
