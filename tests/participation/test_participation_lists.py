"""Activity ideas have a list page and an API (add, list); registration and rating lists of the
API are paged; consultation results come as Excel through the API."""

import io
import json

from django.test import Client
from openpyxl import load_workbook

from niangjia.participation import services
from niangjia.participation.models import Answer, Idea
from tests.participation.conftest import good_sheet, make_activity, make_consultation, phone


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_ideas_page_lists_typed_and_answer_ideas_and_adds_one(tree, personas):
    # given an idea taken from an answer and an activity of 东县
    c = make_consultation(personas.east, tree.east)
    r, _ = services.submit_response(consultation=c, values=good_sheet(c, "希望有午饭"), channel="website", key="k")
    services.answer_to_idea(actor=personas.east, answer=Answer.objects.get(response=r, question__kind="text"))
    a = make_activity(personas.east, tree.east)
    client = _client(personas.east)
    # when a cadre types an idea for the activity on the ideas page
    done = client.post("/participation/ideas/new/", {"unit": tree.east.pk, "activity": a.pk, "text": "请志愿者辅导作业"})
    # then both ideas are listed, and the filters separate them
    assert done.status_code == 302
    page = client.get("/participation/ideas/").content.decode()
    assert "希望有午饭" in page and "请志愿者辅导作业" in page
    typed = client.get("/participation/ideas/", {"source": "typed"}).content.decode()
    assert "请志愿者辅导作业" in typed and "希望有午饭" not in typed
    assert Idea.objects.get(text="请志愿者辅导作业").activity == a


def test_ideas_are_scoped(tree, personas):
    services.idea_add(actor=personas.east, unit=tree.east, text="东县的点子")
    assert "东县的点子" not in _client(personas.west).get("/participation/ideas/").content.decode()
    r = _post(_client(personas.west), "/api/v1/participation/ideas", {"unit": tree.east.pk, "text": "越权"})
    assert r.status_code == 404 and Idea.objects.count() == 1
    r = _post(_client(personas.statistician), "/api/v1/participation/ideas", {"unit": tree.east.pk, "text": "无权"})
    assert r.status_code == 403 and Idea.objects.count() == 1


def test_ideas_api_add_and_list(tree, personas):
    client = _client(personas.east)
    made = _post(client, "/api/v1/participation/ideas", {"unit": tree.east_town.pk, "text": "周末开课"})
    assert made.status_code == 201 and made.json()["unit"]["id"] == tree.east_town.pk
    blank = _post(client, "/api/v1/participation/ideas", {"unit": tree.east.pk, "text": "  "})
    assert blank.status_code == 400 and "text" in blank.json()["error"]["fields"]
    listed = client.get("/api/v1/participation/ideas", {"q": "周末"}).json()
    assert [i["text"] for i in listed["items"]] == ["周末开课"] and listed["next_cursor"] is None


def test_registrations_and_ratings_api_are_paged(tree, personas):
    a = make_activity(personas.east, tree.east, capacity=5, day_offset=0)
    regs = [services.register(activity=a, name=f"人{n}", phone=phone(n), key=f"k{n}")[0] for n in range(5)]
    for r in regs:
        services.attendance_mark(actor=personas.east, registration=r, attended=True)
        services.rating_submit(registration=r, score=4)
    client = _client(personas.east)
    page = client.get(f"/api/v1/participation/activities/{a.pk}/registrations", {"limit": 2}).json()
    assert [r["name"] for r in page["items"]] == ["人0", "人1"] and page["next_cursor"]
    rest = client.get(f"/api/v1/participation/activities/{a.pk}/registrations",
                      {"limit": 10, "cursor": page["next_cursor"]}).json()
    assert [r["name"] for r in rest["items"]] == ["人2", "人3", "人4"] and rest["next_cursor"] is None
    ratings = client.get(f"/api/v1/participation/activities/{a.pk}/ratings", {"limit": 3}).json()
    assert len(ratings["items"]) == 3 and ratings["next_cursor"]


def test_results_excel_through_the_api(tree, personas):
    c = make_consultation(personas.east, tree.east)
    services.submit_response(consultation=c, values=good_sheet(c), channel="website", key="k")
    r = _client(personas.east).get(f"/api/v1/participation/consultations/{c.pk}/results.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0][:3] == ("答卷编号", "提交日期", "渠道") and rows[1][3] == "下午" and len(rows) == 2
    assert _client(personas.west).get(f"/api/v1/participation/consultations/{c.pk}/results.xlsx").status_code == 404
    assert Client().get(f"/api/v1/participation/consultations/{c.pk}/results.xlsx").status_code == 401
