"""Errors as RFC 9457 problem details (application/problem+json), shared by every
blueprint: raise Problem(status, title, detail[, type=URI, member=value...]) in a view,
after problems.register(bp) on the blueprint."""
import json

from flask import Response, request
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"

# Paths whose HTTP errors (unknown route, wrong method) are answered as problem
# details instead of Flask's HTML pages.
_MACHINE_PREFIXES = ("/api/", "/export/", "/sparql")


class Problem(Exception):
    def __init__(self, status, title, detail, headers=None, **extra):
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers, self.extra = status, title, detail, headers or {}, extra


def problem_response(status, title, detail, headers=None, **extra):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail,
            "instance": request.path, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON,
                    headers=headers or {})


def register(bp):
    """Answer Problems, and HTTP errors under the machine paths, as problem details (app-wide)."""
    @bp.app_errorhandler(Problem)
    def _problem(e):
        return problem_response(e.status, e.title, e.detail, e.headers, **e.extra)

    @bp.app_errorhandler(HTTPException)
    def _http(e):
        if not request.path.startswith(_MACHINE_PREFIXES):
            return e
        return problem_response(e.code, e.name, e.description)
