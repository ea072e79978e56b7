"""Permission matrix of every API path of participation: a county cadre (西县) against another county's
(东县) records gets 404 and changes nothing; lists leave 东县's records out and show her own. The last
test asserts every documented path of the app is in this matrix (or declared public), so a new
endpoint cannot go untested."""

from datetime import date

import pytest
from django.apps import apps
from django.test import Client
from scope_matrix import assert_list_keeps_to_each, assert_paths_covered, assert_refused, fill, fingerprint

from niangjia.core.models import AuditEntry, IdempotencyKey, OneTimeToken, OutboundMessage
from niangjia.needs.models import Need
from niangjia.participation import services
from niangjia.participation.models import Answer, Response
from tests.participation.conftest import good_sheet, make_activity, make_consultation, phone

PREFIX = "/api/v1/participation"
TODAY = str(date.today())

# (method, path, body): 西县 must get 404 for 东县's record, and nothing may change
NOT_FOUND = [
    ("POST", "/consultations", {"unit": "{east}", "title": "x", "opens_on": TODAY, "closes_on": TODAY}),
    ("GET", "/consultations/{c}", None),
    ("PATCH", "/consultations/{c}", {"version": 2, "title": "x"}),
    ("POST", "/consultations/{c}/publish", {"version": 2, "published": False}),
    ("POST", "/consultations/{c}/questions", {"kind": "text", "text": "x"}),
    ("PUT", "/questions/{q}", {"kind": "text", "text": "x", "version": 1}),
    ("DELETE", "/questions/{q}?version=1", None),
    ("POST", "/questions/{q}/move", {"direction": "down", "version": 1}),
    ("GET", "/consultations/{c}/results", None),
    ("GET", "/consultations/{c}/results.xlsx", None),
    ("POST", "/consultations/{c}/responses", {"key": "m1", "answers": {}}),
    ("GET", "/consultations/{c}/responses", None),
    ("POST", "/responses/{r}/void", {"reason": "x"}),
    ("POST", "/responses/{r}/correct", {"key": "m2", "answers": {}, "reason": "x"}),
    ("POST", "/consultations/{c}/links", {"count": 1}),
    ("POST", "/answers/{a}/need", {"category": "employment"}),
    ("POST", "/answers/{a}/idea", {}),
    ("POST", "/ideas", {"unit": "{east}", "text": "x"}),
    ("GET", "/suggestions/{s}", None),
    ("POST", "/suggestions/{s}/reply", {"reply": "x", "version": 1}),
    ("POST", "/suggestions/{s}/public", {"version": 1, "is_public": True}),
    ("POST", "/suggestions/{s}/need", {"category": "employment"}),
    ("POST", "/activities", {"unit": "{east}", "title": "x", "day": TODAY, "capacity": 1}),
    ("GET", "/activities/{act}", None),
    ("PATCH", "/activities/{act}", {"version": 1, "title": "x"}),
    ("POST", "/activities/{act}/co-designers", {"name": "x"}),
    ("DELETE", "/activities/{act}/co-designers/{d}", None),
    ("GET", "/activities/{act}/registrations", None),
    ("POST", "/activities/{act}/registrations", {"name": "x", "phone": "13900000099", "key": "m3"}),
    ("POST", "/registrations/{reg}/cancel", None),
    ("POST", "/registrations/{reg}/attendance", {"attended": True}),
    ("GET", "/activities/{act}/ratings", None),
]
# (path, id key of 东县's record, id key of 西县's own): 西县 sees hers and not 东县's
LISTS = [
    ("/consultations", "c", "w_c"),
    ("/ideas", "idea", "w_idea"),
    ("/suggestions", "s", "w_s"),
    ("/activities", "act", "w_act"),
]
PUBLIC = {
    ("GET", "/public/consultations"), ("GET", "/public/consultations/{pk}"),
    ("POST", "/public/consultations/{pk}/check-code"), ("POST", "/public/consultations/{pk}/responses"),
    ("POST", "/public/suggestions"), ("GET", "/public/suggestions/{code}"),
    ("POST", "/public/activities/{pk}/registrations"), ("GET", "/public/registrations/{code}"),
    ("POST", "/public/registrations/{code}/cancel"), ("POST", "/public/registrations/{code}/rating"),
}


@pytest.fixture
def world(tree, personas):
    c = make_consultation(personas.east, tree.east, via_paper=True)
    r, _ = services.submit_response(consultation=c, values=good_sheet(c, "要午饭"), channel="paper", key="p",
                                    actor=personas.east)
    s, _ = services.submit_suggestion(federation=tree.east, text="东县的信", channel="website", key="s")
    act = make_activity(personas.east, tree.east)
    d = services.codesigner_add(actor=personas.east, activity=act, name="王")
    reg, _ = services.register(activity=act, name="甲", phone=phone(1), key="r")
    idea = services.idea_add(actor=personas.east, unit=tree.east, text="东县的点子")
    w_c = make_consultation(personas.west, tree.west)
    w_s, _ = services.submit_suggestion(federation=tree.west, text="西县的信", channel="website", key="ws")
    w_act = make_activity(personas.west, tree.west)
    w_idea = services.idea_add(actor=personas.west, unit=tree.west, text="西县的点子")
    return {"east": tree.east.pk, "c": c.pk, "q": c.questions.first().pk, "r": r.pk,
            "a": Answer.objects.get(response=r, question__kind="text").pk, "s": s.pk, "act": act.pk, "d": d.pk,
            "reg": reg.pk, "idea": idea.pk, "w_c": w_c.pk, "w_s": w_s.pk, "w_act": w_act.pk, "w_idea": w_idea.pk}


def snapshot():
    """Every row of the app's tables, and what a write would leave behind elsewhere."""
    return fingerprint([*apps.get_app_config("participation").get_models(), Need, AuditEntry, OneTimeToken,
                        OutboundMessage, IdempotencyKey])


@pytest.mark.parametrize("method, path, body", NOT_FOUND, ids=[f"{m} {p}" for m, p, _ in NOT_FOUND])
def test_another_county_gets_404_and_nothing_changes(personas, world, method, path, body):
    assert_refused(personas.west, method, PREFIX + fill(path, world), fill(body, world), snapshot)


@pytest.mark.parametrize("path, theirs, mine", LISTS)
def test_lists_leave_out_another_countys_records(personas, world, path, theirs, mine):
    assert_list_keeps_to_each(PREFIX + path, caller=personas.west, mine=world[mine], owner=personas.east,
                              theirs=world[theirs])


def test_response_list_is_scoped_too(personas, world):
    east = Client()
    east.force_login(personas.east)
    assert [x["id"] for x in east.get(f"{PREFIX}/consultations/{world['c']}/responses").json()["items"]] == \
        [world["r"]]
    assert Response.objects.count() == 1


def test_every_documented_path_is_in_the_matrix(db):
    rows = [(m, p) for m, p, _ in NOT_FOUND] + [("GET", p) for p, _, _ in LISTS]
    assert_paths_covered(["participation"], rows, PUBLIC, under=PREFIX)
