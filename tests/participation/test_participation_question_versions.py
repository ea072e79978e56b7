"""A questionnaire's questions carry a version (issue 13, no lost update): an edit, a move or a removal names
the version it read, on the API and on the builder page; stale answers 409, missing or garbage 400, and
nothing is written. Two builders working on the same draft never silently overwrite each other."""

import json

import pytest
from django.test import Client

from niangjia.core.errors import StaleVersion
from niangjia.participation import services
from niangjia.participation.models import Question
from tests.participation.conftest import make_consultation

BASE = "/api/v1/participation"
EDIT = {"kind": "text", "text": "您最想要什么服务？", "required": True}


@pytest.fixture
def draft(tree, personas):
    c = make_consultation(personas.east, tree.east, publish=False)
    return c, list(c.questions.all())


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(c):
    return list(c.questions.values_list("pk", "position", "text", "version"))


def send(client, method, url, body=None):
    return getattr(client, method)(BASE + url, json.dumps(body or {}), content_type="application/json")


# ---- the API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("version, status, code", [(None, 400, "invalid"), ("abc", 400, "invalid"),
                                                   (7, 409, "stale_version")])
def test_an_api_question_edit_without_its_current_version_is_refused(draft, personas, version, status, code):
    # given a draft questionnaire the cadre read at version 1
    c, qs = draft
    before = rows(c)
    body = dict(EDIT) if version is None else {**EDIT, "version": version}
    # when she rewrites its last question without the version, with garbage, or with one that is not current
    r = send(api(personas.east), "put", f"/questions/{qs[3].pk}", body)
    # then it is refused with the one error shape, naming the version, and the question is as it was
    assert r.status_code == status and r.json()["error"]["code"] == code
    if status == 400:
        assert "version" in r.json()["error"]["fields"]
    assert rows(c) == before


def test_an_api_question_edit_with_its_version_saves_and_moves_the_version_on(draft, personas):
    c, qs = draft
    client = api(personas.east)
    r = send(client, "put", f"/questions/{qs[3].pk}", {**EDIT, "version": 1})
    assert r.status_code == 200 and r.json()["text"] == EDIT["text"] and r.json()["version"] == 2
    # a second editor who read version 1 too now gets 409, not a silent overwrite of the first one's words
    again = send(client, "put", f"/questions/{qs[3].pk}", {**EDIT, "text": "覆盖", "version": 1})
    assert again.status_code == 409
    assert Question.objects.get(pk=qs[3].pk).text == EDIT["text"]


def test_an_api_move_and_removal_need_the_current_version(draft, personas):
    c, qs = draft
    client = api(personas.east)
    before = rows(c)
    # a move without a version, or with an old one, changes no order
    assert send(client, "post", f"/questions/{qs[2].pk}/move", {"direction": "up"}).status_code == 400
    assert send(client, "post", f"/questions/{qs[2].pk}/move", {"direction": "up", "version": 5}).status_code == 409
    # a removal without a version, with garbage, or with an old one, removes nothing
    assert client.delete(f"{BASE}/questions/{qs[0].pk}").status_code == 400
    assert client.delete(f"{BASE}/questions/{qs[0].pk}?version=abc").status_code == 400
    assert client.delete(f"{BASE}/questions/{qs[0].pk}?version=3").status_code == 409
    assert rows(c) == before
    # with the versions read: the third goes up, then the first is removed
    moved = send(client, "post", f"/questions/{qs[2].pk}/move", {"direction": "up", "version": 1})
    assert moved.status_code == 200
    assert [q["id"] for q in moved.json()] == [qs[0].pk, qs[2].pk, qs[1].pk, qs[3].pk]
    assert client.delete(f"{BASE}/questions/{qs[0].pk}?version=1").status_code == 200
    assert [(pk, pos) for pk, pos, _t, _v in rows(c)] == [(qs[2].pk, 1), (qs[1].pk, 2), (qs[3].pk, 3)]


def test_a_move_changes_the_version_of_both_questions_it_swaps(draft, personas):
    # given two builders who both read the questionnaire in its first order
    c, qs = draft
    services.question_move(actor=personas.east, question=qs[1], version=1, direction="up")
    # then what the second builder read of either swapped question is stale: her move of the old
    # second question would otherwise land it somewhere she never saw
    with pytest.raises(StaleVersion):
        services.question_move(actor=personas.east, question=Question.objects.get(pk=qs[0].pk), version=1,
                               direction="down")
    assert list(c.questions.values_list("pk", flat=True)) == [qs[1].pk, qs[0].pk, qs[2].pk, qs[3].pk]
    # and the questions the move did not touch keep their version
    assert Question.objects.get(pk=qs[3].pk).version == 1


# ---- the builder page ------------------------------------------------------------------------------


def test_the_builder_page_carries_each_questions_version_in_its_forms(draft, personas):
    c, qs = draft
    Question.objects.filter(pk=qs[1].pk).update(version=6)
    html = api(personas.east).get(f"/participation/consultations/{c.pk}/").content.decode()
    # the edit, up, down and remove forms of the second question each post version 6
    assert html.count('<input type="hidden" name="version" value="6">') == 4


PAGE_POSTS = [("edit", {**EDIT, "scale": "5"}), ("move", {"direction": "down"}), ("remove", {})]


@pytest.mark.parametrize("action, data", PAGE_POSTS, ids=[a for a, _ in PAGE_POSTS])
@pytest.mark.parametrize("version, status, message", [
    (None, 400, "缺少版本号"),
    ("abc", 400, "版本号无效"),
    ("-1", 400, "版本号无效"),
    ("3", 409, "该记录已被他人修改"),
])
def test_a_builder_post_without_its_current_version_is_refused_on_the_page(draft, personas, action, data,
                                                                         version, status, message):
    # given the builder page of a draft, its questions at version 1
    c, qs = draft
    before = rows(c)
    if version is not None:
        data = {**data, "version": version}
    # when an edit, a move or a removal is posted without the version, with garbage, or with a stale one
    r = api(personas.east).post(f"/participation/questions/{qs[0].pk}/{action}/", data)
    # then the questionnaire comes back with the reason and the status, and nothing is written
    assert r.status_code == status and message in r.content.decode()
    assert "问卷题目" in r.content.decode()
    assert rows(c) == before


def test_a_builder_edit_with_its_version_saves(draft, personas):
    c, qs = draft
    r = api(personas.east).post(f"/participation/questions/{qs[3].pk}/edit/", {**EDIT, "scale": "5", "version": "1"})
    assert r.status_code == 302
    q = Question.objects.get(pk=qs[3].pk)
    assert (q.text, q.version) == (EDIT["text"], 2)
