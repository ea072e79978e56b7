"""A mistyped paper questionnaire is never edited in place: it is voided (who, when, why kept) or
corrected (voided, and a new sheet that points at it); results, exports and the one-per-phone
rule count only sheets that stand. Public sheets cannot be voided this way."""

import json

import pytest
from django.test import Client

from niangjia.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from niangjia.core.models import AuditEntry
from niangjia.participation import queries, services
from niangjia.participation.models import Answer, Consultation, Response
from niangjia.participation.services.consultations import MSG_PHONE_USED
from tests.participation.conftest import PHONE_A, PHONE_B, good_sheet, make_consultation


@pytest.fixture
def paper(tree, personas):
    c = make_consultation(personas.east, tree.east, identity="phone", via_paper=True)
    r, _ = services.submit_response(consultation=c, values=good_sheet(c), channel="paper", key="p1",
                                    actor=personas.east, phone=PHONE_A)
    return c, r


def _single_counts(c):
    return queries.results(c)[0].options


def test_void_keeps_the_sheet_and_drops_it_from_results(personas, paper):
    c, r = paper
    assert _single_counts(c) == [("上午", 0), ("下午", 1), ("晚上", 0)]
    services.response_void(actor=personas.east, response=r, reason="重复录入")
    r.refresh_from_db()
    assert (r.voided_by, r.void_reason) == (personas.east, "重复录入") and r.voided_at is not None
    assert Answer.objects.filter(response=r).count() == 4  # the answers stay as typed
    assert _single_counts(c) == [("上午", 0), ("下午", 0), ("晚上", 0)]
    assert Consultation.objects.get(pk=c.pk).response_count == 0
    assert AuditEntry.objects.get(action="participation.response_void").detail == {"reason": "重复录入"}
    with pytest.raises(Conflict, match="已作废"):
        services.response_void(actor=personas.east, response=r, reason="再来")


def test_correction_voids_the_old_sheet_and_points_at_it(personas, paper):
    c, r = paper
    q = list(c.questions.all())
    fixed = good_sheet(c) | {q[0].pk: [2]}
    new, created = services.response_correct(actor=personas.east, response=r, values=fixed, reason="第1题录错",
                                             key="c1")
    again, created2 = services.response_correct(actor=personas.east, response=r, values=fixed, reason="第1题录错",
                                                key="c1")
    assert (created, created2, again.pk) == (True, False, new.pk)
    r.refresh_from_db()
    assert r.voided_at and new.corrects == r and new.phone_bidx == r.phone_bidx and new.entered_by == personas.east
    assert _single_counts(c) == [("上午", 0), ("下午", 0), ("晚上", 1)]
    assert Consultation.objects.get(pk=c.pk).response_count == 1 and Response.objects.count() == 2
    entry = AuditEntry.objects.get(action="participation.response_correct")
    assert entry.detail == {"reason": "第1题录错", "new": new.pk}


def test_the_phone_stays_one_answer_per_woman(personas, paper):
    c, r = paper
    with pytest.raises(Conflict):  # her sheet stands: a second one with her phone is refused
        services.submit_response(consultation=c, values=good_sheet(c), channel="paper", key="p2",
                                 actor=personas.east, phone=PHONE_A)
    services.response_void(actor=personas.east, response=r, reason="录错人")
    again, _ = services.submit_response(consultation=c, values=good_sheet(c), channel="paper", key="p3",
                                        actor=personas.east, phone=PHONE_A)
    assert again.phone_bidx == r.phone_bidx


def test_a_bad_correction_changes_nothing(personas, paper):
    c, r = paper
    q = list(c.questions.all())
    with pytest.raises(ValidationFailed):
        services.response_correct(actor=personas.east, response=r, values={q[0].pk: [9]}, reason="x", key="c1")
    with pytest.raises(ValidationFailed):
        services.response_correct(actor=personas.east, response=r, values=good_sheet(c), reason="", key="c2")
    r.refresh_from_db()
    assert r.voided_at is None and Response.objects.count() == 1


def test_only_paper_sheets_by_a_manager_in_reach(tree, personas, paper):
    c, r = paper
    with pytest.raises(Forbidden):
        services.response_void(actor=personas.statistician, response=r, reason="x")
    with pytest.raises(NotFound):
        services.response_void(actor=personas.west, response=r, reason="x")
    web = make_consultation(personas.east, tree.east)
    public, _ = services.submit_response(consultation=web, values=good_sheet(web), channel="website", key="w")
    with pytest.raises(Conflict, match="只有干部录入的纸质问卷"):
        services.response_void(actor=personas.east, response=public, reason="x")
    assert not Response.objects.filter(voided_at__isnull=False).exists()


def test_paper_page_lists_sheets_and_corrects_one(personas, paper):
    c, r = paper
    client = Client()
    client.force_login(personas.east)
    page = client.get(f"/participation/consultations/{c.pk}/paper/").content.decode()
    assert f'id="sheet-{r.pk}"' in page and f"/participation/responses/{r.pk}/correct/" in page
    form = client.get(f"/participation/responses/{r.pk}/correct/").content.decode()
    q = list(c.questions.all())
    assert f'id="q{q[0].pk}-1" checked' in form  # the old answers are offered to fix
    post = {"key": "k", "reason": "改第1题", f"q{q[0].pk}": "0", f"q{q[1].pk}": ["0", "2"], f"q{q[2].pk}": "4"}
    assert client.post(f"/participation/responses/{r.pk}/correct/", post).status_code == 302
    new = Response.objects.get(corrects=r)
    assert _single_counts(c) == [("上午", 1), ("下午", 0), ("晚上", 0)]
    assert client.post(f"/participation/responses/{new.pk}/void/", {"reason": ""}).status_code == 302
    assert Response.objects.get(pk=new.pk).voided_at is None  # no reason, no void


def test_api_lists_voids_and_corrects(personas, paper):
    c, r = paper
    client = Client()
    client.force_login(personas.east)
    q = list(c.questions.all())
    body = {"key": "api-c", "reason": "录错", "answers": {str(q[0].pk): [0], str(q[1].pk): [1], str(q[2].pk): 5}}
    made = client.post(f"/api/v1/participation/responses/{r.pk}/correct", json.dumps(body),
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["corrects_id"] == r.pk
    voided = client.get(f"/api/v1/participation/consultations/{c.pk}/responses", {"voided": "true"}).json()
    assert [s["id"] for s in voided["items"]] == [r.pk] and voided["items"][0]["void_reason"] == "录错"
    gone = client.post(f"/api/v1/participation/responses/{made.json()['id']}/void", json.dumps({"reason": "作废"}),
                       content_type="application/json")
    assert gone.status_code == 200 and gone.json()["voided_at"]
    assert Consultation.objects.get(pk=c.pk).response_count == 0


def test_a_correction_to_a_phone_another_sheet_holds_is_refused_and_the_old_sheet_stands(personas, paper):
    # given a second woman's sheet with PHONE_B
    c, r = paper
    other, _ = services.submit_response(consultation=c, values=good_sheet(c), channel="paper", key="p2",
                                        actor=personas.east, phone=PHONE_B)
    # when the first sheet is corrected to her phone
    with pytest.raises(Conflict) as exc:
        services.response_correct(actor=personas.east, response=r, values=good_sheet(c), reason="改电话",
                                  key="c1", phone=PHONE_B)
    # then it is refused on the phone field and the whole correction is undone: the old sheet stands
    assert exc.value.fields == {"phone": MSG_PHONE_USED}
    r.refresh_from_db()
    assert r.voided_at is None and Response.objects.count() == 2
    assert Consultation.objects.get(pk=c.pk).response_count == 2
    assert not AuditEntry.objects.filter(action="participation.response_correct").exists()
