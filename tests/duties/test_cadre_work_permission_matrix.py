"""The permission matrix of cadre work (duties, fieldwork, contacts), in the foundation's style.

Who: `east` (cadre of 东县, with every cadre-work permission and her own person record) must
neither see nor change anything of 西县. Every API endpoint of the three apps is one row: a list
leaves 西县's record out and shows 东县's (so the check is not vacuous); a detail, a filter by
西县 and every write answer 404 in the error shape, and after a refused write nothing changed.
Add a row when you add an endpoint; test_every_cadre_work_path_is_in_the_matrix fails otherwise.
"""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from scope_matrix import Endpoint, assert_paths_covered, client_of, fingerprint, run_row, version_of

from niangjia.contacts import services as contacts
from niangjia.contacts.models import ContactEvent, ContactPlan, ContactTarget
from niangjia.core.models import AuditEntry, Notification, SummaryCount
from niangjia.duties import services as duties
from niangjia.duties.models import (
    Assignment,
    ChecklistItem,
    ChecklistTemplate,
    Evidence,
    ItemStanding,
    Reminder,
    Review,
)
from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import Diary, FieldRule, FieldStay, Proposal, ResearchReport, RuleAdoption
from niangjia.needs.models import Need
from niangjia.people import services as people
from niangjia.people.models import Person, Post

pytestmark = pytest.mark.django_db
YEAR = date.today().year
PDF = b"%PDF-1.4\n" + b"x" * 32
MODELS = (ChecklistTemplate, ChecklistItem, Assignment, ItemStanding, Evidence, Reminder, Review, FieldRule,
          RuleAdoption, FieldStay, Diary, ResearchReport, Proposal, ContactPlan, ContactTarget, ContactEvent, Need,
          Person, Post, AuditEntry, SummaryCount, Notification)


_v = version_of  # short: the rows below are long enough


def snapshot() -> dict:
    return fingerprint(MODELS)


def _d(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


ENDPOINTS = [
    # ---- duties
    Endpoint("GET", "/duties/templates?limit=200", "tpl", "list"),
    Endpoint("GET", "/duties/templates?unit={id}", "fed", "detail"),
    Endpoint("GET", "/duties/templates/{id}", "tpl", "detail"),
    Endpoint("POST", "/duties/templates", "fed", "write", lambda w, t: {"unit": t.id, "name": "新清单"}),
    Endpoint("POST", "/duties/templates/preset", "fed", "write", lambda w, t: {"unit": t.id}),
    Endpoint("PATCH", "/duties/templates/{id}", "tpl", "write", lambda w, t: {"version": _v(t), "name": "改名"}),
    Endpoint("POST", "/duties/templates/{id}/items", "tpl", "write", lambda w, t: {"title": "新事项"}),
    Endpoint("PATCH", "/duties/items/{id}", "item", "write", lambda w, t: {"version": _v(t), "title": "改"}),
    Endpoint("POST", "/duties/hand-out", "tpl", "write", lambda w, t: {"template": t.id, "year": YEAR}),
    Endpoint("GET", "/duties/my/assignments", "asg", "list"),
    Endpoint("GET", "/duties/assignments?limit=200", "asg", "list"),
    Endpoint("GET", "/duties/assignments?unit={id}", "fed", "detail"),
    Endpoint("GET", "/duties/assignments/{id}", "asg", "detail"),
    Endpoint("POST", "/duties/assignments/{id}/cancel", "asg", "write", lambda w, t: {"version": _v(t)}),
    Endpoint("GET", "/duties/behind?limit=200", "asg", "list", own_shown=False),
    Endpoint("GET", "/duties/behind?unit={id}", "fed", "detail"),
    Endpoint("GET", "/duties/assignments/{id}/evidence", "asg", "detail"),
    Endpoint("POST", "/duties/assignments/{id}/evidence", "asg", "write", multipart=True,
             body=lambda w, t: {"item": w["item"]["west"].id, "what": "走访"}),
    Endpoint("POST", "/duties/evidence/{id}/withdraw", "ev", "write", lambda w, t: {"version": _v(t)}),
    Endpoint("POST", "/duties/evidence/{id}/correct", "ev", "write", lambda w, t: {"version": _v(t), "what": "改"}),
    Endpoint("GET", "/duties/reminders?limit=200", "reminder", "list"),
    Endpoint("GET", "/duties/reminders?unit={id}", "fed", "detail"),
    Endpoint("POST", "/duties/reminders", "fed", "write", lambda w, t: {"unit": t.id, "year": YEAR}),
    Endpoint("POST", "/duties/assignments/{id}/review", "asg", "write", lambda w, t: {"rating": "competent", "version": 0}),
    Endpoint("GET", "/duties/reviews?limit=200", "review", "list"),
    Endpoint("GET", "/duties/reviews?unit={id}", "fed", "detail"),
    Endpoint("GET", "/duties/progress?unit={id}", "fed", "detail"),
    # ---- fieldwork
    Endpoint("GET", "/fieldwork/adoptions", "adoption", "list"),
    Endpoint("GET", "/fieldwork/adoptions?unit={id}", "fed", "detail"),
    Endpoint("POST", "/fieldwork/adoptions", "fed", "write", lambda w, t: {"unit": t.id, "preset": "fieldwork.organ_cadres"}),
    Endpoint("POST", "/fieldwork/adoptions/{id}/end", "adoption", "write", lambda w, t: {"version": _v(t)}),
    Endpoint("PATCH", "/fieldwork/rules/{id}", "rule", "write",
             lambda w, t: {"version": _v(t), "params": {"min_days": 1}, "count_trip": True}),
    Endpoint("GET", "/fieldwork/stays?limit=200", "stay", "list"),
    Endpoint("GET", "/fieldwork/stays?unit={id}", "fed", "detail"),
    Endpoint("GET", "/fieldwork/stays/{id}", "stay", "detail"),
    Endpoint("POST", "/fieldwork/stays", "person", "write",
             lambda w, t: {"person": t.id, "place": w["fed"]["east"].id, "start": _d(2), "end": _d(1)}),
    Endpoint("POST", "/fieldwork/stays", "fed", "write",
             lambda w, t: {"place": t.id, "start": _d(2), "end": _d(1)}),
    Endpoint("PATCH", "/fieldwork/stays/{id}", "stay", "write", lambda w, t: {"version": _v(t), "note": "改"}),
    Endpoint("POST", "/fieldwork/stays/{id}/cancel", "stay", "write", lambda w, t: {"version": _v(t)}),
    Endpoint("GET", "/fieldwork/diaries?limit=200", "diary", "list"),
    Endpoint("GET", "/fieldwork/diaries?unit={id}", "fed", "detail"),
    Endpoint("GET", "/fieldwork/diaries/{id}", "diary", "detail"),
    Endpoint("POST", "/fieldwork/diaries", "fed", "write",
             lambda w, t: {"place": t.id, "date": _d(1), "title": "日记", "text": "内容"}),
    Endpoint("PATCH", "/fieldwork/diaries/{id}", "diary", "write", lambda w, t: {"version": _v(t), "title": "改"}),
    Endpoint("POST", "/fieldwork/diaries/{id}/needs", "diary", "write",
             lambda w, t: {"needs": [{"category": "employment", "description": "就业"}]}),
    Endpoint("GET", "/fieldwork/reports?limit=200", "report", "list"),
    Endpoint("GET", "/fieldwork/reports?unit={id}", "fed", "detail"),
    Endpoint("GET", "/fieldwork/reports/{id}", "report", "detail"),
    Endpoint("PATCH", "/fieldwork/reports/{id}", "report", "write", lambda w, t: {"version": _v(t), "title": "改"}),
    Endpoint("GET", "/fieldwork/reports/{id}/file", "report", "detail"),
    Endpoint("POST", "/fieldwork/reports/{id}/file", "report", "write", multipart=True,
             body=lambda w, t: {"file": SimpleUploadedFile("b.pdf", PDF), "version": _v(t)}),
    Endpoint("GET", "/fieldwork/proposals?limit=200", "proposal", "list"),
    Endpoint("GET", "/fieldwork/proposals?unit={id}", "fed", "detail"),
    Endpoint("GET", "/fieldwork/proposals/{id}", "proposal", "detail"),
    Endpoint("PATCH", "/fieldwork/proposals/{id}", "proposal", "write", lambda w, t: {"version": _v(t), "title": "改"}),
    Endpoint("POST", "/fieldwork/proposals/{id}/status", "proposal", "write",
             lambda w, t: {"version": _v(t), "status": "adopted"}),
    Endpoint("GET", "/fieldwork/standing/unit/{id}", "fed", "detail"),
    Endpoint("GET", "/fieldwork/units/{id}/counts", "fed", "detail"),
    # ---- contacts
    Endpoint("GET", "/contacts/my", "plan", "list"),
    Endpoint("GET", "/contacts/plans/{id}", "plan", "detail"),
    Endpoint("POST", "/contacts/plans", "fed", "write",
             lambda w, t: {"person": w["person"]["east"].id, "unit": t.id, "year": YEAR + 1, "kind": "ten_women"}),
    Endpoint("POST", "/contacts/plans", "person", "write",
             lambda w, t: {"person": t.id, "unit": w["fed"]["east"].id, "year": YEAR + 1, "kind": "ten_women"}),
    Endpoint("PATCH", "/contacts/plans/{id}", "plan", "write", lambda w, t: {"version": _v(t), "wechat_group": "改"}),
    Endpoint("POST", "/contacts/plans/{id}/targets", "plan", "write",
             lambda w, t: {"slot": "ordinary_woman", "person": w["woman"]["east"].id}),
    Endpoint("POST", "/contacts/targets/{id}/remove", "target", "write", lambda w, t: {"version": _v(t)}),
    Endpoint("GET", "/contacts/targets/{id}/events", "target", "detail"),
    Endpoint("POST", "/contacts/targets/{id}/events", "target", "write", lambda w, t: {"channel": "visit"}),
    Endpoint("POST", "/contacts/targets/{id}/reveal", "target", "write", lambda w, t: {"field": "phone"}),
    Endpoint("GET", "/contacts/units/{id}/overview", "fed", "detail"),
]
EXEMPT = {("GET", "/fieldwork/presets"),  # the shipped presets: no scoped record behind them
          ("GET", "/fieldwork/standing/me"),  # her own standing only, computed from her own records
          ("POST", "/fieldwork/reports"), ("POST", "/fieldwork/proposals")}  # filed as hers: no unit or record named


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(tree, personas, admin_user):
    """One record of every cadre-work kind in 东县 (east's own) and in 西县 (hidden from her)."""
    a = admin_user
    w: dict[str, dict] = {k: {} for k in ("fed", "person", "woman", "tpl", "item", "asg", "ev", "reminder",
                                          "review", "adoption", "rule", "stay", "diary", "report", "proposal", "plan",
                                          "target")}
    for side, unit, user in (("east", tree.east, personas.east), ("west", tree.west, personas.west)):
        w["fed"][side] = unit
        p = people.person_create(actor=a, unit=unit, name=f"{unit.name[:2]}干部")
        people.post_create(actor=a, person=p, unit=unit, body="executive", title="执委")
        people.post_create(actor=a, person=p, unit=unit, body="organ_staff", title="干部")
        people.post_create(actor=a, person=p, unit=unit, body="leadership", title="副主席")
        user.person = p
        user.save(update_fields=["person"])
        w["person"][side] = p
        w["woman"][side] = people.person_create(actor=a, unit=unit, name=f"{unit.name[:2]}妇女", phone="13800138000")
        tpl = duties.template_from_preset(actor=a, unit=unit)
        duties.assignment_hand_out(actor=a, unit=unit, template=tpl, year=YEAR)
        asg = Assignment.objects.get(person=p, year=YEAR)
        w["tpl"][side], w["asg"][side] = tpl, asg
        w["item"][side] = tpl.items.order_by("id").first()
        w["ev"][side] = duties.evidence_record(actor=a, assignment=asg, item=w["item"][side], what="走访",
                                               day=date(YEAR, 1, 1) if date.today() > date(YEAR, 1, 1) else date.today())
        w["reminder"][side] = duties.reminders_send(actor=a, assignments=[asg])[0]
        w["review"][side] = duties.review_record(actor=a, assignment=asg, rating="competent")
        w["adoption"][side] = fw.rule_adopt(actor=a, unit=unit, preset="fieldwork.organ_cadres")
        w["rule"][side] = w["adoption"][side].rule
        w["stay"][side] = fw.stay_log(actor=a, person=p, place=unit, start=date.today() - timedelta(days=9),
                                      end=date.today() - timedelta(days=8))
        w["diary"][side] = fw.diary_write(actor=a, person=p, place=unit, date=date.today(), title="日记", text="内容")
        w["report"][side] = fw.report_file(actor=a, person=p, date=date.today(), title="报告", topic="就业",
                                           file=SimpleUploadedFile("r.pdf", PDF))
        w["proposal"][side] = fw.proposal_file(actor=a, person=p, date=date.today(), title="建议", text="内容",
                                               addressed_to="县政府")
        plan = contacts.plan_create(actor=a, person=p, unit=unit, year=YEAR, kind="ten_women")
        w["plan"][side] = plan
        w["target"][side] = contacts.target_add(actor=a, plan=plan, slot="ordinary_woman", person=w["woman"][side])
        contacts.event_record(actor=a, target=w["target"][side], day=date.today(), channel="visit")
    return w


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_east_does_not_reach_west_on_any_cadre_work_endpoint(world, personas, ep):
    target = world[ep.family]["west"]
    body = ep.body(world, target) if ep.body else None
    run_row(client_of(personas.east), ep, ep.url.format(id=target.id), body, hidden=target.id,
            own=world[ep.family]["east"].id, snapshot=snapshot)


def test_every_cadre_work_path_is_in_the_matrix(db):
    assert_paths_covered(["duties", "fieldwork", "contacts"], ENDPOINTS, EXEMPT)


WEB = [
    "/duties/a/{asg}/", "/duties/a/{asg}/review/", "/duties/evidence/{ev}/file/", "/duties/templates/{tpl}/",
    "/duties/items/{item}/edit/", "/duties/progress/?unit={fed}", "/fieldwork/stays/{stay}/",
    "/fieldwork/diaries/{diary}/", "/fieldwork/reports/{report}/", "/fieldwork/reports/{report}/file/",
    "/fieldwork/proposals/{proposal}/", "/fieldwork/unit/{fed}/", "/fieldwork/diaries/?unit={fed}",
    "/contacts/unit/{fed}/",
]


@pytest.mark.parametrize("url", WEB)
def test_east_gets_404_for_west_pages(client, world, personas, url):
    client.force_login(personas.east)
    ids = {k: world[k]["west"].id for k in ("asg", "ev", "tpl", "item", "fed", "stay", "diary", "report", "proposal",
                                                  "rule")}
    r = client.get(url.format(**ids))
    assert r.status_code == 404
