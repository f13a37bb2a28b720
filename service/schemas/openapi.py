"""OpenAPI 3.1 component schemas generated from the models (JSON Schema 2020-12)."""

from __future__ import annotations

from pydantic.json_schema import models_json_schema

from .inputs import AppendIn, TextIn, ThreadIn
from .outputs import ModelInfo, Problem, Ready, ThreadAnalysis, ThreadList

REF = "#/components/schemas/{model}"
INPUTS = (ThreadIn, AppendIn, TextIn)
OUTPUTS = (ThreadAnalysis, ThreadList, ModelInfo, Problem, Ready)


def ref(name: str) -> dict:
    """A reference to the component schema ``name``."""
    return {"$ref": REF.format(model=name)}


def problem(description: str) -> dict:
    """An error response: problem+json, the shape of ``Problem``."""
    return {"description": description,
            "content": {"application/problem+json": {"schema": ref("Problem")}}}


def json_response(schema: dict, description: str = "OK") -> dict:
    """A JSON response of the given schema."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _tidy(schema):
    """Without pydantic's generated ``title`` of each property (names say it already)."""
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "properties":
                out[key] = {name: _tidy({k: v for k, v in prop.items() if k != "title"})
                            for name, prop in value.items()}
            else:
                out[key] = _tidy(value)
        return out
    if isinstance(schema, list):
        return [_tidy(item) for item in schema]
    return schema


def component_schemas() -> dict:
    """Every model's schema, and those of the models inside them, by model name."""
    pairs = [(m, "validation") for m in INPUTS] + [(m, "serialization") for m in OUTPUTS]
    _, top = models_json_schema(pairs, ref_template=REF)
    return _tidy(top["$defs"])
