"""A map of the units below, coloured by a figure (ECharts `map` series over a GeoJSON drawing).

Official boundaries need an approved drawing (审图号), so none is bundled: a deployment puts its own
files in `NIANGJIA_BOUNDARIES_DIR`, one `<division code>.geojson` per parent unit, whose features
carry the children's division codes (`properties.code` or `properties.adcode`). Without a file the
page draws a schematic tile map — one square per unit below, in code order, labelled as a schematic —
so the feature can be seen and read, and nothing is shown as a map that is not one.
"""

import json
import math
from pathlib import Path

from django.conf import settings

from .charts import PALETTE


def division_key(code) -> str:
    """A division code as 12 digits: published boundary sets key counties by the 6-digit administrative code
    (adcode 330502, often a number) and townships by 9 digits, the tree by the 12-digit statistical code
    (330502000000); both name the same unit once padded. Other codes stay as they are."""
    text = str(code or "").strip()
    return text.ljust(12, "0") if text.isdigit() and len(text) in (6, 9, 12) else text


def boundary_file(unit) -> Path | None:
    """The deployment's boundary file for `unit`'s children, if one is installed: `<code>.geojson` by the
    unit's 12-digit code or its short administrative form (330500.geojson)."""
    folder = getattr(settings, "BOUNDARIES_DIR", None)
    if unit is None or not folder or not unit.code.isalnum():
        return None
    short = [unit.code[:n] for n in (6, 9) if len(unit.code) == 12 and unit.code[n:] == "0" * (12 - n)]
    for code in (unit.code, *short):
        path = Path(folder) / f"{code}.geojson"
        if path.is_file():
            return path
    return None


def load_boundaries(unit, names: dict[str, str]) -> dict | None:
    """The GeoJSON with each feature named as its unit is (matched by division code, `properties.code` or
    `properties.adcode`; `names` code → name, what the series' data refers to), or None."""
    path = boundary_file(unit)
    if path is None:
        return None
    geo = json.loads(path.read_text(encoding="utf-8"))
    by_key = {division_key(code): name for code, name in names.items()}
    for feat in geo.get("features", []):
        props = feat.get("properties") or {}
        feat["properties"] = props
        code = str(props.get("code") or props.get("adcode") or "")
        props["name"] = by_key.get(division_key(code), props.get("name") or code)
    return geo


def tiles(rows: list[dict]) -> dict:
    """A schematic drawing: one unit square per row on a grid of ⌈√n⌉ columns, named by code."""
    cols = max(1, math.ceil(math.sqrt(len(rows))))
    features = []
    for i, r in enumerate(rows):
        x, y = i % cols, -(i // cols)
        ring = [[x, y], [x + 0.94, y], [x + 0.94, y + 0.94], [x, y + 0.94], [x, y]]
        features.append({"type": "Feature", "properties": {"name": r["name"]},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


def map_option(unit, rows: list[dict], figure: str, label: str) -> dict | None:
    """The ECharts option (with its drawing under `njGeo`, which app.js registers) or None when
    there is nothing to draw."""
    if not rows:
        return None
    geo = load_boundaries(unit, {r["code"]: r["name"] for r in rows})
    schematic = geo is None
    if schematic:
        geo = tiles(rows)
    values = [r[figure] if r[figure] is not None else 0 for r in rows]
    top = max(values) if values else 0
    name = f"nj-{unit.code if unit is not None else 'pilot'}-{'tiles' if schematic else 'geo'}"
    return {
        "njGeo": {"name": name, "json": geo},
        "title": {"text": "示意图（非地图）" if schematic else "", "right": 0, "top": 0,
                  "textStyle": {"fontSize": 11, "fontWeight": "normal", "color": "#6c757d"}},
        "tooltip": {"trigger": "item"},
        "visualMap": {"min": 0, "max": max(top, 1), "calculable": True, "orient": "horizontal", "left": 0,
                      "bottom": 0, "itemWidth": 10, "text": [label, ""],
                      "inRange": {"color": ["#f6e3e6", PALETTE[0]]}},
        "series": [{"type": "map", "map": name, "roam": False, "aspectScale": 1 if schematic else 0.75,
                    "top": 24, "bottom": 48,
                    "label": {"show": True, "fontSize": 10, "color": "#222", "backgroundColor": "rgba(255,255,255,.8)",
                              "padding": 2},
                    "data": [{"name": r["name"], "value": v} for r, v in zip(rows, values, strict=True)]}],
    }
