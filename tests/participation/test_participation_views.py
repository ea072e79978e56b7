"""Staff and public pages: they render, they refuse outside the reach (404) or without
participation.manage (403), and the public flows work end to end without an account."""

import pytest
from django.test import Client

from niangjia.participation import services
from niangjia.participation.models import Registration, Response, Suggestion
from tests.participation.conftest import make_activity, make_consultation, phone

PASSWORD = "Niangjia-Test-2026!"


def login(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def world(tree, personas):
    c = make_consultation(personas.east, tree.east)
    s, _ = services.submit_suggestion(federation=tree.east, text="希望周末开放", channel="website", key="s1")
    a = make_activity(personas.east, tree.east, capacity=1)
    r = services.register(activity=a, name="甲", phone=phone(1), key="r1")[0]
    return c, s, a, r


def test_staff_pages_render(world, personas):
    c, s, a, _ = world
    client = login(personas.east)
    for url in ["/participation/", "/participation/consultations/?state=open&sort=closes",
                f"/participation/consultations/{c.pk}/", f"/participation/consultations/{c.pk}/results/",
                "/participation/consultations/new/", f"/participation/consultations/{c.pk}/edit/",
                "/participation/suggestions/?status=new", f"/participation/suggestions/{s.pk}/",
                "/participation/activities/", f"/participation/activities/{a.pk}/", "/participation/activities/new/",
                "/"]:
        r = client.get(url)
        assert r.status_code == 200, url
    assert "意见征集与活动" in client.get("/").content.decode()


def test_excel_exports(world, personas):
    c, _, a, _ = world
    client = login(personas.east)
    for url in ["/participation/consultations/?export=xlsx", f"/participation/consultations/{c.pk}/results/?export=xlsx",
                "/participation/suggestions/?export=xlsx", "/participation/activities/?export=xlsx",
                f"/participation/activities/{a.pk}/registrations.xlsx"]:
        r = client.get(url)
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats"), url


def test_another_countys_cadre_gets_404(world, personas):
    c, s, a, r = world
    client = login(personas.west)
    for url in [f"/participation/consultations/{c.pk}/", f"/participation/consultations/{c.pk}/results/",
                f"/participation/suggestions/{s.pk}/", f"/participation/activities/{a.pk}/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/participation/suggestions/{s.pk}/reply/", {"reply": "越权"}).status_code == 404
    assert client.post(f"/participation/registrations/{r.pk}/cancel/").status_code == 404
    s.refresh_from_db()
    assert s.reply == ""


def test_without_manage_gets_403(world, personas):
    c, s, a, r = world
    client = login(personas.statistician)
    assert client.get(f"/participation/consultations/{c.pk}/").status_code == 200  # may look
    assert client.get("/participation/consultations/new/").status_code == 403
    assert client.post(f"/participation/suggestions/{s.pk}/reply/", {"reply": "无权"}).status_code == 403
    assert client.post(f"/participation/consultations/{c.pk}/questions/",
                       {"kind": "text", "text": "新题"}).status_code == 403
    assert client.post(f"/participation/registrations/{r.pk}/cancel/").status_code == 403
    assert c.questions.count() == 4


def test_builder_through_the_page(tree, personas):
    c = make_consultation(personas.east, tree.east, publish=False)
    client = login(personas.east)
    r = client.post(f"/participation/consultations/{c.pk}/questions/",
                    {"kind": "multiple", "text": "想学什么", "options": "直播\n茶艺\n竹编", "required": "on",
                     "max_choices": "2", "scale": "5"})
    assert r.status_code == 302 and c.questions.last().options == ["直播", "茶艺", "竹编"]
    r = client.post(f"/participation/consultations/{c.pk}/questions/", {"kind": "single", "text": "只有一项",
                                                                          "options": "是"}, follow=True)
    assert "选择题至少需要两个选项" in r.content.decode()
    last = c.questions.last()
    assert client.post(f"/participation/questions/{last.pk}/move/",
                       {"direction": "up", "version": last.version}).status_code == 302
    last.refresh_from_db()
    assert last.position == 4
    assert client.post(f"/participation/questions/{last.pk}/remove/", {"version": last.version}).status_code == 302
    assert c.questions.count() == 4
    client.post(f"/participation/consultations/{c.pk}/publish/", {"published": "1", "version": c.version})
    c.refresh_from_db()
    assert c.published


def test_public_answer_page_and_window(tree, personas):
    c = make_consultation(personas.east, tree.east)
    q = list(c.questions.all())
    client = Client()
    page = client.get(f"/p/participation/c/{c.pk}/")
    assert page.status_code == 200 and "什么时间方便" in page.content.decode()
    data = {"key": "form-1", f"q{q[0].pk}": "1", f"q{q[1].pk}": ["0", "2"], f"q{q[2].pk}": "5"}
    assert client.post(f"/p/participation/c/{c.pk}/", data).status_code == 302
    assert client.post(f"/p/participation/c/{c.pk}/", data).status_code == 302  # a retry
    assert Response.objects.count() == 1
    bad = client.post(f"/p/participation/c/{c.pk}/", {"key": "form-2", f"q{q[0].pk}": "1"})
    assert bad.status_code == 400 and "此题为必答题" in bad.content.decode()
    closed = make_consultation(personas.east, tree.east, opens=-5, closes=-1)
    body = client.get(f"/p/participation/c/{closed.pk}/").content.decode()
    assert "已结束" in body and "<form" not in body.split("</header>")[1]
    draft = make_consultation(personas.east, tree.east, publish=False)
    assert client.get(f"/p/participation/c/{draft.pk}/").status_code == 404


def test_qr_codes(world):
    c = world[0]
    client = Client()
    svg = client.get(f"/p/participation/c/{c.pk}/qr.svg")
    png = client.get(f"/p/participation/c/{c.pk}/qr.png")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_public_box_and_tracking(tree, personas):
    client = Client()
    r = client.post(f"/p/participation/box/{tree.east.pk}/", {"key": "b1", "text": "路灯坏了", "anonymous": "0",
                                                              "contact_name": "李", "contact_phone": "13800138000"})
    assert r.status_code == 200
    s = Suggestion.objects.get()
    assert s.tracking_code in r.content.decode().replace("-", "")
    services.suggestion_reply(actor=personas.east, pk=s.pk, reply="已修好", is_public=True)
    track = client.get(f"/p/participation/box/track/?code={s.tracking_code}").content.decode()
    assert "已修好" in track and "13800138000" not in track
    box = client.get(f"/p/participation/box/{tree.east.pk}/").content.decode()
    assert "路灯坏了" in box and "已修好" in box and "138" not in box.split("公开的来信")[1]
    assert client.post(f"/p/participation/box/{tree.east.pk}/", {"key": "b2", "text": ""}).status_code == 400


def test_public_registration_waitlist_and_rating(tree, personas):
    a = make_activity(personas.east, tree.east, capacity=1, day_offset=0)
    client = Client()
    r1 = client.post(f"/p/participation/a/{a.pk}/", {"key": "p1", "name": "甲", "phone": phone(1)})
    r2 = client.post(f"/p/participation/a/{a.pk}/", {"key": "p2", "name": "乙", "phone": phone(2)})
    assert r1.status_code == r2.status_code == 302
    first, second = Registration.objects.order_by("id")
    assert (first.status, second.status) == ("confirmed", "waiting")
    dup = client.post(f"/p/participation/a/{a.pk}/", {"key": "p3", "name": "甲", "phone": phone(1)})
    assert "已经报名" in dup.content.decode()
    client.post("/p/participation/mine/", {"code": first.tracking_code, "action": "cancel"})
    second.refresh_from_db()
    assert second.status == "confirmed"
    staff = login(personas.east)
    staff.post(f"/participation/registrations/{second.pk}/attendance/", {"attended": "1"})
    page = client.get(f"/p/participation/mine/?code={second.tracking_code}").content.decode()
    assert "给这次活动打分" in page
    client.post("/p/participation/mine/", {"code": second.tracking_code, "action": "rate", "score": "5"})
    assert second.rating.score == 5
