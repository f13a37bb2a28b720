"""The API's reference: ``/openapi.json`` for machines, ``/docs`` for people (no CDN)."""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, render_template

from .openapi import document

bp = Blueprint("reference", __name__)

METHODS = ("get", "put", "post", "delete", "patch")


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document())


@bp.get("/docs")
def docs():
    """A readable page generated from the same document, served from local assets."""
    spec = document()
    operations = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
                operations.append({
                    "method": method.upper(), "path": path, "summary": op["summary"],
                    "tag": op["tags"][0], "auth": op.get("security") != [],
                    "params": op.get("parameters", []),
                    "body": body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1],
                    "responses": {code: r["description"] for code, r in op["responses"].items()},
                })
    schemas = {name: json.dumps(schema, indent=2, ensure_ascii=False)
               for name, schema in spec["components"]["schemas"].items()}
    return render_template("docs.html", info=spec["info"], operations=operations,
                           schemas=schemas)
