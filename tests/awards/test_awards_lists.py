"""The objection list: paged, filtered, sorted, exported to Excel; every Excel export of the app
needs the 'export' permission (as in the other apps)."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from niangjia.awards import evaluation, services
from niangjia.core import roles
from tests.awards.conftest import PHONE_B, org_nom, to_evaluation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def objections(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east, "甲")
    b = org_nom(personas.west, rnd, tree.west, "乙")
    to_evaluation(city, rnd, [a, b])
    evaluation.ballot_by_link(token=evaluation.links_issue(actor=city, rnd=rnd, count=1)[0], marks={a.pk: 1})
    services.phase_advance(actor=city, rnd=rnd, to="notice")
    objs = [services.objection_file(rnd=rnd, nomination_id=(a if n % 2 else b).pk, text=f"异议第{n}条",
                                    contact_phone=PHONE_B if n == 0 else "")[0] for n in range(25)]
    services.objection_answer(actor=city, objection=objs[3], outcome="dismissed", answer="不属实")
    return a, b, objs


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_objections_are_paged_pending_first(city, rnd, objections):
    c = _client(city)
    first = c.get(f"/awards/{rnd.pk}/objections/").content.decode()
    assert first.count('id="objection-') == 20 and 'data-testid="unanswered">24<' in first
    assert "异议第3条" not in first  # the answered one sorts after every pending one
    nxt = first.split('href="?')[-1].split('"')[0].replace("&amp;", "&")
    second = c.get(f"/awards/{rnd.pk}/objections/?{nxt}").content.decode()
    assert second.count('id="objection-') == 5 and "异议第3条" in second


def test_objections_filter_by_outcome_nominee_and_text(city, rnd, objections):
    a, _, objs = objections
    c = _client(city)
    done = c.get(f"/awards/{rnd.pk}/objections/", {"outcome": "dismissed"}).content.decode()
    assert done.count('id="objection-') == 1 and "异议第3条" in done
    mine = c.get(f"/awards/{rnd.pk}/objections/", {"nomination": a.pk, "sort": "new"}).content.decode()
    assert mine.count('id="objection-') == 12 and mine.index("异议第23条") < mine.index("异议第1条<")
    code = c.get(f"/awards/{rnd.pk}/objections/", {"q": objs[7].tracking_code}).content.decode()
    assert code.count('id="objection-') == 1 and "异议第7条" in code


def test_objections_export(city, rnd, objections):
    r = _client(city).get(f"/awards/{rnd.pk}/objections/", {"export": "xlsx", "outcome": "pending"})
    assert r["Content-Type"].startswith("application/vnd.openxml")
    assert ".xlsx-" not in r["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0][:3] == ("编号", "查询码", "针对的拟表彰对象") and len(rows) == 25
    assert rows[1][6] == "138****8002" and "13800138002" not in str(rows)


def test_objections_api_filters_and_sorts(city, rnd, objections):
    a, _, _ = objections
    c = _client(city)
    r = c.get(f"/api/v1/awards/rounds/{rnd.pk}/objections", {"outcome": "pending", "nomination": a.pk,
                                                             "sort": "new", "limit": 5}).json()
    assert len(r["items"]) == 5 and r["next_cursor"]
    assert [o["text"] for o in r["items"]][:2] == ["异议第23条", "异议第21条"]


def test_exports_need_the_export_permission(tree, monkeypatch, rnd, objections):
    monkeypatch.setitem(roles.ROLES, "no_export", ("不能导出", roles.ROLES["cadre"][1] - {"export"}))
    user = make_user("noexport", ["no_export"], [tree.city])
    c = _client(user)
    for url in ["/awards/?export=xlsx", f"/awards/{rnd.pk}/nominations/?export=xlsx",
                f"/awards/{rnd.pk}/results/?export=xlsx", f"/awards/{rnd.pk}/objections/?export=xlsx"]:
        assert c.get(url).status_code == 403, url
    assert "导出 Excel" not in c.get(f"/awards/{rnd.pk}/objections/").content.decode()
