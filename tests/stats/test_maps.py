"""The map of the units below: a deployment's boundary file (GeoJSON keyed by division code) when one is
installed, else a schematic tile drawing labelled as such.

The file below has the layout of the published administrative boundary sets (DataV.GeoAtlas style:
`adcode` a 6-digit number, `name`, `center`, `level`, `parent`, MultiPolygon geometry) for the city
甲一市 (110100) and its two counties, while the tree keys units by 12-digit statistical codes.
"""

import json

import pytest
from django.test import Client

from niangjia.stats import maps

BOUNDARY = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature",
         "properties": {"adcode": 110101, "name": "东城区", "center": [116.418757, 39.917544], "centroid": [116.416, 39.912],
                        "childrenNum": 17, "level": "district", "parent": {"adcode": 110100}, "subFeatureIndex": 0,
                        "acroutes": [100000, 110000]},
         "geometry": {"type": "MultiPolygon", "coordinates": [[[[116.38, 39.87], [116.44, 39.87], [116.44, 39.97],
                                                                 [116.38, 39.97], [116.38, 39.87]]]]}},
        {"type": "Feature",
         "properties": {"adcode": 110102, "name": "西城区", "center": [116.366794, 39.915309], "level": "district",
                        "parent": {"adcode": 110100}, "subFeatureIndex": 1},
         "geometry": {"type": "MultiPolygon", "coordinates": [[[[116.30, 39.87], [116.38, 39.87], [116.38, 39.97],
                                                                 [116.30, 39.97], [116.30, 39.87]]]]}},
        {"type": "Feature",  # a division the tree does not have keeps its own name
         "properties": {"adcode": 110105, "name": "朝阳区", "level": "district"},
         "geometry": {"type": "Polygon", "coordinates": [[[116.44, 39.87], [116.5, 39.87], [116.5, 39.97],
                                                          [116.44, 39.87]]]}},
    ],
}
ROWS = [{"code": "110101000000", "name": "东县妇联", "women": 3}, {"code": "110102000000", "name": "西县妇联", "women": 0}]


@pytest.fixture
def boundaries(tmp_path, settings):
    settings.BOUNDARIES_DIR = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize("filename", ["110100000000.geojson", "110100.geojson"])
def test_a_boundary_file_keyed_by_adcode_draws_the_units_by_their_statistical_codes(tree, boundaries, filename):
    (boundaries / filename).write_text(json.dumps(BOUNDARY, ensure_ascii=False), encoding="utf-8")
    option = maps.map_option(tree.city, ROWS, "women", "联系妇女（人）")
    names = [f["properties"]["name"] for f in option["njGeo"]["json"]["features"]]
    assert names == ["东县妇联", "西县妇联", "朝阳区"]  # matched by code, so the series' names hit the shapes
    assert option["njGeo"]["name"] == "nj-110100000000-geo"
    assert option["title"]["text"] == ""  # a real map is not labelled a schematic
    assert option["series"][0]["data"] == [{"name": "东县妇联", "value": 3}, {"name": "西县妇联", "value": 0}]
    assert option["series"][0]["aspectScale"] == 0.75


def test_without_a_file_the_drawing_is_a_labelled_schematic(tree, boundaries):
    option = maps.map_option(tree.city, ROWS, "women", "联系妇女（人）")
    assert option["title"]["text"] == "示意图（非地图）"
    assert [f["properties"]["name"] for f in option["njGeo"]["json"]["features"]] == ["东县妇联", "西县妇联"]
    assert maps.map_option(tree.city, [], "women", "") is None  # nothing below: no drawing at all


@pytest.mark.parametrize(("code", "key"), [(110101, "110101000000"), ("110101001", "110101001000"),
                                           ("110101001001", "110101001001"), ("X12", "X12"), ("", "")])
def test_division_keys(code, key):
    assert maps.division_key(code) == key


def test_the_coverage_page_draws_the_deployments_boundaries(tree, personas, boundaries):
    (boundaries / "110100000000.geojson").write_text(json.dumps(BOUNDARY), encoding="utf-8")
    client = Client()
    client.force_login(personas.province)
    r = client.get("/stats/coverage/", {"unit": tree.city.id, "start": "2025-01", "end": "2025-12", "map": "women"})
    assert r.status_code == 200
    option = json.loads(r.context["chart_map"])
    assert option["njGeo"]["name"] == "nj-110100000000-geo"
    assert {f["properties"]["name"] for f in option["njGeo"]["json"]["features"]} >= {"东县妇联", "西县妇联"}
    assert "示意图（非地图）" not in r.content.decode()
