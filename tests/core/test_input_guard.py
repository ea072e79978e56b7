"""Malformed input is refused at the door with 400 naming the field, on the API and on pages alike."""

import json

import pytest
from django.test import Client

from niangjia.core.input_guard import MAX_INT, Refusal, check_value

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("value", ["a\x00b", "\x07bell", "x\x1b[31m", "\ud800", "\x85"])
def test_control_characters_and_lone_surrogates_are_refused(value):
    with pytest.raises(Refusal) as refused:
        check_value("description", value)
    assert refused.value.field == "description"


@pytest.mark.parametrize("value", ["第一行\n第二行\t缩进\r\n", "张秀兰", "2026-02-28", "3/5–7 人", ""])
def test_ordinary_text_passes(value):
    check_value("description", value)


@pytest.mark.parametrize("field,value", [("year", 10000), ("year", -1), ("birth_year", 1800),
                                         ("unit", MAX_INT + 1), ("score", float("nan")),
                                         ("day", "0001-01-01"), ("day", "99999-01-01T00:00:00")])
def test_numbers_years_and_dates_out_of_range_are_refused(field, value):
    with pytest.raises(Refusal):
        check_value(field, value)


def test_years_and_ids_within_range_pass():
    check_value("year", 2026)
    check_value("unit", MAX_INT)
    check_value("items", [{"year": 1949, "day": "2100-12-31"}])


def test_a_nul_in_a_query_answers_400_naming_the_parameter(personas):
    # when a list is filtered by a text holding a NUL byte
    r = _api(personas.east).get("/api/v1/federations", {"q": "东\x00县"})
    # then the field is named, in the API's error shape
    assert r.status_code == 400
    assert list(r.json()["error"]["fields"]) == ["q"]


def test_a_nul_in_a_json_body_answers_400_naming_the_field(personas, tree):
    r = _api(personas.east).post("/api/v1/needs", json.dumps({"unit": tree.east.pk, "category": "legal",
                                                              "description": "a\u0000b"}),
                                 content_type="application/json")
    assert r.status_code == 400
    assert r.json()["error"]["fields"] == {"description": "含有不可见的控制字符，请删除后重试 / contains control characters"}


def test_an_out_of_range_year_answers_400(personas):
    for year in ("10000", "-1"):
        r = _api(personas.east).get("/api/v1/duties/reviews", {"year": year})
        assert r.status_code == 400, year
        assert list(r.json()["error"]["fields"]) == ["year"]


def test_a_twenty_digit_id_answers_404_on_the_api_and_on_pages(personas):
    client = _api(personas.east)
    r = client.get("/api/v1/federations/99999999999999999999")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.get("/needs/99999999999999999999/").status_code == 404


def test_a_twenty_digit_id_in_a_query_or_body_answers_400(personas):
    client = _api(personas.east)
    r = client.get("/api/v1/federations", {"parent": "99999999999999999999"})
    assert r.status_code == 400 and list(r.json()["error"]["fields"]) == ["parent"]
    r = client.post("/api/v1/needs", json.dumps({"unit": 10**20, "category": "legal", "description": "x"}),
                    content_type="application/json")
    assert r.status_code == 400 and list(r.json()["error"]["fields"]) == ["unit"]


def test_a_page_form_with_a_nul_answers_a_400_page(personas):
    r = _api(personas.east).post("/needs/new/", {"description": "a\x00b"})
    assert r.status_code == 400
    assert "description" in r.content.decode()
