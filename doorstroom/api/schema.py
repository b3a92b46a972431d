"""OpenAPI schema additions: every operation documents its errors as problem details.

A post-processing hook of drf-spectacular (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]):
401/403/429/500 everywhere, 404 where a path names an object, 400 on every write (and on lists
with filters), 409 on writes of versioned records — all as ``application/problem+json``. A
PATCH body's ``version`` is required (optimistic locking).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.hooks import postprocess_schema_enums

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details; `errors` names the fields of a 400.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status"],
}

DESCRIPTIONS = {
    "400": "Invalid input (field errors in `errors`).",
    "401": "No valid token.",
    "403": "No privacy training recorded (R-PRV-2), or a required second factor is not set up.",
    "404": "Not found, or outside your access (R-PRV-1).",
    "409": "Someone changed the record since the version you sent.",
    "429": "Too many requests for your account; `Retry-After` says when to try again.",
    "500": "An unexpected error (problem details, never a traceback).",
}


def _response(code: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[code],
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def document_problems(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    result = postprocess_schema_enums(result, generator, **kwargs)
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            codes = {"401", "403", "400", "429", "500"}
            if "{" in path:
                codes.add("404")
            if method in ("post", "put", "patch", "delete"):
                codes.add("409")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                if code not in responses or "application/problem+json" not in responses[code].get(
                    "content", {}
                ):
                    responses[code] = _response(code)
            if method == "patch":
                _require_version(result, operation)
    return result


def _require_version(result: dict[str, Any], operation: dict[str, Any]) -> None:
    """A PATCH body with a ``version`` must send it (optimistic locking): required, although
    every other field of a partial update is optional."""
    schemas = result["components"]["schemas"]
    for content in operation.get("requestBody", {}).get("content", {}).values():
        ref = content.get("schema", {}).get("$ref", "")
        body = schemas.get(ref.rsplit("/", 1)[-1], {})
        if "version" in body.get("properties", {}):
            required = body.setdefault("required", [])
            if "version" not in required:
                required.append("version")
