"""Drawing GeoJSON boundaries as SVG paths, without map tiles (the network may be isolated).

An equirectangular projection with the longitude scaled by the cosine of the middle latitude:
over a zone or a city (tens of kilometres) the shapes keep their proportions to well under a
percent, which is all a grid map needs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Ring = Sequence[Sequence[float]]


@dataclass(frozen=True)
class Drawing:
    """The SVG viewBox and one path (`d`) per shape, in the order given."""

    view_box: str
    paths: list[str]


def rings(geometry: dict[str, Any]) -> list[Ring]:
    """The outer and inner rings of a Polygon or MultiPolygon (anything else: none)."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coordinates)
    if kind == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon]
    return []


def draw(geometries: Iterable[dict[str, Any]], width: float = 1000.0) -> Drawing:
    """Project the geometries into one SVG coordinate space `width` wide, north up."""
    shapes = [rings(g) for g in geometries]
    points = [p for shape in shapes for ring in shape for p in ring]
    if not points:
        return Drawing("0 0 1 1", ["" for _ in shapes])
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    scale_x = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * scale_x, 1e-9)
    span_y = max(north - south, 1e-9)
    k = width / max(span_x, span_y)

    def xy(p: Sequence[float]) -> str:
        return f"{(p[0] - west) * scale_x * k:.1f},{(north - p[1]) * k:.1f}"

    paths = [
        " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for ring in shape if ring)
        for shape in shapes
    ]
    return Drawing(f"0 0 {span_x * k:.1f} {span_y * k:.1f}", paths)
