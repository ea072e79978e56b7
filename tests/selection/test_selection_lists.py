"""Lists of the open selection: the candidate list (paged, filtered, sorted, Excel with masked
phones), the selection list's sorts, the 'export' permission on every Excel, and file names that
end in one '.xlsx'."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from niangjia.core import roles
from niangjia.selection.models import Candidate
from tests.conftest import make_user
from tests.selection.conftest import Api, apply, new_selection

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def many(sel, personas):
    """Four fixture candidates plus 30 more, every third wishing the second post."""
    post2 = sel.selection.posts.order_by("order")[1]
    for n in range(30):
        apply(personas.east, sel.selection, f"候选{n:02d}", f"1370000{n:04d}", wish=post2.pk if n % 3 == 0 else None)
    return sel


def test_candidate_list_pages_of_thirty(many, personas):
    c = _client(personas.east)
    first = c.get(f"/selection/{many.selection.pk}/candidates/").content.decode()
    assert first.count("data-candidate=") == 30 and "下一页" in first
    nxt = first.split('href="?cursor=')[1].split('"')[0]
    second = c.get(f"/selection/{many.selection.pk}/candidates/?cursor={nxt}").content.decode()
    assert second.count("data-candidate=") == 4


def test_candidate_list_filters(many, personas):
    c = _client(personas.east)
    post2 = many.selection.posts.order_by("order")[1]
    wished = c.get(f"/selection/{many.selection.pk}/candidates/", {"wish": post2.pk}).content.decode()
    assert wished.count("data-candidate=") == 10
    named = c.get(f"/selection/{many.selection.pk}/candidates/", {"q": "候选07"}).content.decode()
    assert named.count("data-candidate=") == 1
    Candidate.objects.filter(name="乙").update(vetting="passed")
    passed = c.get(f"/selection/{many.selection.pk}/candidates/", {"vetting": "passed"}).content.decode()
    assert passed.count("data-candidate=") == 1 and ">乙<" in passed
    by_name = c.get(f"/selection/{many.selection.pk}/candidates/", {"sort": "name", "q": "候选0"}).content.decode()
    assert by_name.index("候选00") < by_name.index("候选09")


def test_candidate_export_masks_phones(many, personas):
    r = _client(personas.east).get(f"/selection/{many.selection.pk}/candidates/", {"export": "xlsx", "q": "候选"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0][:5] == ("报名编号", "姓名", "性别", "工作单位/职业", "电话") and len(rows) == 31
    assert rows[1][4] == "137****0000" and "13700000000" not in str(rows)


def test_candidate_api_filters_and_sorts(many, personas):
    api = Api(personas.east)
    r = api.get(f"/selections/{many.selection.pk}/candidates", q="候选", sort="new", limit=3).json()
    assert [c["name"] for c in r["items"]] == ["候选29", "候选28", "候选27"] and r["next_cursor"]
    staff = api.get(f"/selections/{many.selection.pk}/candidates", channel="public").json()
    assert staff["items"] == []


def test_selection_list_sorts(tree, personas, sel):
    new_selection(personas.east, tree.east, title="阿 最先截止", call_closes=sel.selection.call_closes - timedelta(days=2))
    c = _client(personas.east)
    by_close = c.get("/selection/", {"sort": "closes"}).content.decode()
    assert by_close.index("阿 最先截止") < by_close.index(sel.selection.title)
    by_new = c.get("/selection/", {"sort": "new"}).content.decode()
    assert by_new.index("阿 最先截止") < by_new.index(sel.selection.title)
    api = Api(personas.east).get("/selections", sort="old").json()
    assert [s["title"] for s in api["items"]] == [sel.selection.title, "阿 最先截止"]


def test_excel_file_names_end_in_one_xlsx(personas, sel):
    r = _client(personas.east).get("/selection/", {"export": "xlsx"})
    disposition = r["Content-Disposition"]
    assert disposition.endswith(".xlsx") and disposition.count(".xlsx") == 1


def test_exports_need_the_export_permission(tree, monkeypatch, sel):
    monkeypatch.setitem(roles.ROLES, "no_export", ("不能导出", roles.ROLES["cadre"][1] - {"export"}))
    c = _client(make_user("noexport", ["no_export"], [tree.east]))
    for url in ["/selection/?export=xlsx", f"/selection/{sel.selection.pk}/candidates/?export=xlsx"]:
        assert c.get(url).status_code == 403, url
    assert "导出 Excel" not in c.get(f"/selection/{sel.selection.pk}/candidates/").content.decode()
    assert c.get(f"/selection/{sel.selection.pk}/candidates/").status_code == 200
