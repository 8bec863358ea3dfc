"""`inputs` in the assessment: an open object (keys are added, never removed), whose keys
with a model of their own are named in its JSON Schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RoadLayerProblem(_Model):
    """A feature of the road layer left out, or with parts left out, and why."""

    feature: int  # its index in the layer's features
    message: str  # "osm_id 77: Point geometry: ...; feature left out"


class UnattachedPlace(_Model):
    """A place farther than `attach_km` from every road: routes cannot start or end there."""

    place: str
    name: str
    km: float  # to the nearest road, great-circle


class RoadLayerInputs(_Model):
    """`inputs.road_layer`, present when a road layer was given (`--roads`): what was read of
    it, what was left out, and the places that are not on its network."""

    path: str
    features: int
    stretches: int
    features_left_out: int  # whole features, for any reason (highway class included)
    left_out_by_highway: dict[str, int]  # features of classes rules/roads.yaml does not keep
    problems: list[RoadLayerProblem]
    attach_km: float
    unattached: list[UnattachedPlace]  # nearest first


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON Schema with its `$defs` written in place of their references."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    out: dict[str, Any] = walk(schema)
    return out


def inputs_schema(schema: dict[str, Any]) -> None:
    """`inputs` is an open object (keys are added, never removed); the schema names the keys
    whose content has a model."""
    schema["properties"] = {"road_layer": _inline(RoadLayerInputs.model_json_schema())}
