"""Every list costs the same number of queries whatever its rows (no per-row queries), checked with one
helper (`tests.checks.assert_queries_do_not_grow`), like the permission matrix: every paginated GET of the
published API (a `cursor` parameter) and every HTML page with a pager is a row, and a test fails when a
list has no row.

A row names who looks (a persona, or a fixture's user), where, and how one more row of the list is made
through the real services; the check adds 2 rows, counts, adds 6 more (fewer where a quota caps them),
counts again, and wants the page longer and the count the same. The domain worlds come from their folders'
conftests, borrowed by name. A row that has found a per-row query the app still has says so (`grows`) and
is a strict xfail, so that the fix shows.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client

from niangjia.cases import intake
from niangjia.contacts import services as contacts
from niangjia.core import periods
from niangjia.core.sms import last_sent_to
from niangjia.duties import services as duties
from niangjia.duties.models import Assignment, Review
from niangjia.fieldwork import services as fieldwork
from niangjia.needs import services as needs
from niangjia.org import services as org
from niangjia.participation import services as participation
from niangjia.people import services as people
from niangjia.reform import services as reform
from niangjia.wechat import services as wechat
from niangjia.wechat.models import WeChatAccount
from tests.api.test_query_counts import LISTS as ORG_API_LISTS
from tests.awards.conftest import city, org_nom, rnd, to_evaluation, today  # noqa: F401 - city, rnd, today: fixtures
from tests.cases.conftest import open_case, staff  # noqa: F401 - staff: a fixture
from tests.checks import assert_queries_do_not_grow
from tests.contacts.conftest import PLAN_YEAR, cw  # noqa: F401 - cw: a fixture
from tests.duties.conftest import duty, executive, media_in_tmp, record  # noqa: F401 - duty, media_in_tmp: fixtures
from tests.fieldwork.conftest import adopted, fw_people  # noqa: F401 - fixtures
from tests.needs.conftest import catalogue, register  # noqa: F401 - catalogue: a fixture
from tests.participation.conftest import good_sheet, make_activity, make_consultation, phone
from tests.selection.conftest import apply, new_selection, sel  # noqa: F401 - sel: a fixture
from tests.wechat.conftest import plain_account, text_xml, wechat_plain  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Row:
    url: str  # "{name}" placeholders are filled from the world (see `_fill`)
    who: str  # a persona ("east"), "admin", or "fixture.attribute" ("staff.worker")
    add: object  # (world, i) -> None: one more row of the list, seen by `who`
    needs: tuple = ()  # the fixtures the row's world needs
    template: str = ""  # HTML rows: the list's template (it includes the pager)
    few: int = 2
    more: int = 6
    grows: str = ""  # a per-row query this row has found and the app still has (the test is a strict xfail)


# ---- one more row of each kind ----------------------------------------------------------------------

def _need(w, i):
    register(w.p.east, w.tree.east_village, description=f"需求{i}")


def _case(w, i):
    open_case(w.staff, w.tree, name=f"人{i}", phone=f"1390000{i:04d}", id_number="")


def _call(w, i):
    intake.call_receive(actor=w.staff.hotline, call_id=f"Q-{i}", started_at=periods.now(), caller="", duration_seconds=1,
                        operator="hotline")


def _round(w, i):
    from niangjia.awards import services as awards

    day = periods.today()
    awards.round_create(actor=w.city, unit=w.tree.city, name=f"第{i}届评选", award="三八红旗手",
                        nomination_ends=day + timedelta(days=10), evaluation_ends=day + timedelta(days=20),
                        places=2, default_org_quota=3, public_quota=2, max_choices=2)


def _nomination(w, i):
    # the round's quota is 3 a county: alternate the two counties
    actor, unit = (w.p.east, w.tree.east) if i % 2 else (w.p.west, w.tree.west)
    org_nom(actor, w.rnd, unit, f"王{i}")


def _awards_at(w, phase: str):
    """The round with one nomination, moved on to `phase` ("evaluation" or "notice")."""
    from niangjia.awards import services as awards

    w.nominee = org_nom(w.p.east, w.rnd, w.tree.east)
    to_evaluation(w.city, w.rnd, [w.nominee])
    if phase == "notice":
        awards.phase_advance(actor=w.city, rnd=w.rnd, to="notice")


def _objection(w, i):
    from niangjia.awards import services as awards

    awards.objection_file(rnd=w.rnd, nomination_id=w.nominee.pk, text=f"事迹有出入{i}")


def _ballot(w, i):
    from niangjia.awards import evaluation

    voter = f"1370000{i:04d}"
    evaluation.code_send(rnd=w.rnd, phone=voter)
    code = last_sent_to("+86" + voter, purpose="awards.check_code").body.split("验证码是 ")[1][:6]
    evaluation.ballot_by_code(rnd=w.rnd, phone=voter, code=code, marks={w.nominee.pk: 1})


def _selection(w, i):
    new_selection(w.p.east, w.tree.east, title=f"第{i}次公开选配")


def _candidate(w, i):
    apply(w.p.east, w.sel.selection, f"候选{i}", f"1377000{i:04d}")


def _consultation(w, i):
    make_consultation(w.p.east, w.tree.east)


def _activity(w, i):
    make_activity(w.p.east, w.tree.east)


def _registration(w, i):
    participation.register(activity=w.activity, name=f"甲{i}", phone=phone(i), key=f"r{i}")


def _rating(w, i):
    reg, _ = participation.register(activity=w.rated, name=f"乙{i}", phone=phone(100 + i), key=f"t{i}")
    reg = participation.attendance_mark(actor=w.p.east, registration=reg, attended=True)
    participation.rating_submit(registration=reg, score=5, comment=f"很好{i}", key=f"k{i}")


def _suggestion(w, i):
    participation.submit_suggestion(federation=w.tree.east, text=f"希望开夜校{i}", channel="wechat", key=f"s{i}",
                                    anonymous=True)


def _idea(w, i):
    participation.idea_add(actor=w.p.east, unit=w.tree.east, text=f"办夜校{i}")


def _stay(w, i):
    day = periods.today() - timedelta(days=3 * i + 3)
    fieldwork.stay_log(actor=w.p.east, person=w.fw_people.east, place=w.tree.east_village, start=day, end=day)


def _diary(w, i):
    fieldwork.diary_write(actor=w.p.east, person=w.fw_people.east, place=w.tree.east_village,
                          date=periods.today() - timedelta(days=i + 1), title=f"走访日记{i}", text="走访留守妇女")


def _report(w, i):
    fieldwork.report_file(actor=w.p.east, person=w.fw_people.east, date=periods.today() - timedelta(days=i + 1),
                          title=f"调研报告{i}", topic="留守妇女就业")


def _proposal(w, i):
    fieldwork.proposal_file(actor=w.p.east, person=w.fw_people.east, date=periods.today() - timedelta(days=i + 1),
                            title=f"建议{i}", text="增设技能培训", addressed_to="县妇联")


def _template(w, i):
    duties.template_create(actor=w.p.east, unit=w.tree.east, name=f"履职清单{i}")


def _evidence(w, i):
    record(w.duty.exec_a, w.duty.a, w.duty.items["contact_delegate"], what=f"走访{i}")


def _member(w, i):
    """One more executive member of 东县 with this year's checklist handed out to her."""
    executive(w.p.east, w.tree.east, f"执委{i}")
    duties.assignment_hand_out(actor=w.p.east, unit=w.tree.east, template=w.duty.east_tpl, year=w.duty.year)
    return Assignment.objects.filter(person__name=f"执委{i}").get()


def _reminder(w, i):
    duties.reminders_send(actor=w.p.east, assignments=[_member(w, i)])


def _organ_cadre(w, i):
    """One more organ cadre of 东县, held to the province's field-work rule."""
    person = people.person_create(actor=w.admin, unit=w.tree.east, name=f"机关干部{i}")
    people.post_create(actor=w.admin, person=person, unit=w.tree.east, body="organ_staff", title="干部")


def _review(w, i):
    duties.review_record(actor=w.p.east, assignment=_member(w, i), rating=Review.Rating.values[0])


def _sheet(w, i):
    participation.submit_response(consultation=w.consultation, values=good_sheet(w.consultation), channel="paper",
                                  key=f"p{i}", actor=w.p.east)


def _conversion(w, i):
    village = org.federation_create(actor=w.admin, parent=w.tree.east_town, name=f"新村{i}",
                                    code=f"1101010019{i:02d}")
    org.village_conversion_record(actor=w.admin, village=village, converted_on=periods.today(),
                                  executive_members_added=1)


def _plan(w, i):
    person = people.person_create(actor=w.admin, unit=w.tree.east, name=f"干部{i}")
    people.post_create(actor=w.admin, person=person, unit=w.tree.east, body="organ_staff", title="干部")
    contacts.plan_create(actor=w.cw.east_leader, person=person, unit=w.tree.east, year=PLAN_YEAR, kind="three_ones")


def _service(w, i):
    needs.service_create(actor=w.admin, unit=w.tree.east, name=f"服务{i}", category="legal")


def _provider(w, i):
    body = org.organisation_create(actor=w.admin, unit=w.tree.east, kind="service_provider", name=f"服务社{i}")
    needs.provider_create(actor=w.admin, organisation=body, services=[w.catalogue.legal], areas=[w.tree.east])


def _order(w, i):
    need = register(w.p.east, w.tree.east_village, description=f"派单{i}")
    needs.order_create(actor=w.p.east, need=need, service=w.catalogue.legal, provider=w.catalogue.provider,
                       version=need.version)


def _village(w, i):
    org.federation_create(actor=w.admin, parent=w.tree.east_town, name=f"新村{i}", code=f"1101010019{i:02d}")


def _wechat_account(w, i):
    wechat.account_create(actor=w.admin, unit=w.tree.east, name=f"公众号{i}", slug=f"acc-{i}",
                          app_id=f"wx{i:016d}", token="dongxiantoken", mode=WeChatAccount.Mode.PLAINTEXT)


def _wechat_message(w, i):
    w.wechat_plain.post_plain(text_xml(f"消息{i}", msg_id=str(1000 + i)))


def _document(w, i):
    reform.document_create(actor=w.p.east, unit=w.tree.east, title=f"改革文件{i}", issued_on=periods.today())


def _measure(w, i):
    reform.measure_create(actor=w.p.east, unit=w.tree.east, code=f"M{i}", title=f"改革措施{i}",
                          deadline=periods.today() + timedelta(days=30))


# ---- the rows ---------------------------------------------------------------------------------------


API = {
    "/needs": Row("/needs", "east", _need),
    "/services": Row("/services", "east", _service, ("catalogue",)),
    "/services/providers": Row("/services/providers", "east", _provider, ("catalogue",)),
    "/service-orders": Row("/service-orders", "east", _order, ("catalogue",)),
    "/needs/public/villages": Row("/needs/public/villages?q=新村", "", _village),
    "/cases": Row("/cases", "staff.worker", _case, ("staff",)),
    "/cases/hotline-calls": Row("/cases/hotline-calls", "staff.hotline", _call, ("staff",)),
    "/awards/rounds": Row("/awards/rounds", "city", _round, ("city",)),
    "/awards/rounds/{id}/nominations": Row("/awards/rounds/{rnd}/nominations", "city", _nomination,
                                           ("rnd", "city"), more=4),
    "/awards/rounds/{id}/objections": Row("/awards/rounds/{rnd}/objections", "city", _objection,
                                          ("rnd", "city", "notice")),
    "/awards/rounds/{id}/ballots": Row("/awards/rounds/{rnd}/ballots", "city", _ballot, ("rnd", "city", "evaluation")),
    "/selection/selections": Row("/selection/selections", "east", _selection),
    "/selection/selections/{id}/candidates": Row("/selection/selections/{sel}/candidates", "east", _candidate,
                                                 ("sel",)),
    "/participation/consultations": Row("/participation/consultations", "east", _consultation),
    "/participation/activities": Row("/participation/activities", "east", _activity),
    "/participation/activities/{pk}/registrations": Row("/participation/activities/{activity}/registrations",
                                                        "east", _registration, ("activity",)),
    "/participation/activities/{pk}/ratings": Row("/participation/activities/{rated}/ratings", "east", _rating,
                                                  ("rated",)),
    "/participation/suggestions": Row("/participation/suggestions", "east", _suggestion),
    "/participation/ideas": Row("/participation/ideas", "east", _idea),
    "/fieldwork/stays": Row("/fieldwork/stays", "east", _stay, ("fw_people",)),
    "/fieldwork/diaries": Row("/fieldwork/diaries", "east", _diary, ("fw_people",)),
    "/fieldwork/reports": Row("/fieldwork/reports", "east", _report, ("fw_people",)),
    "/fieldwork/proposals": Row("/fieldwork/proposals", "east", _proposal, ("fw_people",)),
    "/duties/templates": Row("/duties/templates", "east", _template),
    "/duties/assignments": Row("/duties/assignments", "east", _member, ("duty",)),
    "/duties/behind": Row("/duties/behind", "east", _member, ("duty",)),
    "/duties/reminders": Row("/duties/reminders", "east", _reminder, ("duty",)),
    "/fieldwork/standing/unit/{pk}": Row("/fieldwork/standing/unit/{east}", "east", _organ_cadre, ("adopted",)),
    "/duties/reviews": Row("/duties/reviews", "east", _review, ("duty",)),
    "/contacts/units/{id}/overview": Row(f"/contacts/units/{{east}}/overview?year={PLAN_YEAR}", "cw.east_leader",
                                         _plan, ("cw",)),
    "/federations/{id}/subtree": Row("/federations/{east}/subtree", "east", _village),
    "/participation/consultations/{pk}/responses": Row("/participation/consultations/{consultation}/responses",
                                                       "east", _sheet, ("consultation",)),
    "/duties/assignments/{id}/evidence": Row("/duties/assignments/{duty_a}/evidence", "duty.exec_a", _evidence,
                                             ("duty",)),
    "/wechat/accounts": Row("/wechat/accounts", "admin", _wechat_account),
    "/wechat/accounts/{account_id}/messages": Row("/wechat/accounts/{account}/messages", "admin",
                                                  _wechat_message, ("wechat_plain",)),
    "/reform/documents": Row("/reform/documents", "east", _document),
    "/reform/measures": Row("/reform/measures", "east", _measure),
}

HTML = {
    "needs/ledger.html": Row("/needs/", "east", _need, template="needs/ledger.html"),
    "needs/catalogue.html": Row("/needs/catalogue/", "east", _service, ("catalogue",), "needs/catalogue.html"),
    "needs/providers.html": Row("/needs/providers/", "east", _provider, ("catalogue",), "needs/providers.html"),
    "needs/orders.html": Row("/needs/orders/", "east", _order, ("catalogue",), "needs/orders.html"),
    "cases/my_cases.html": Row("/cases/", "staff.worker", _case, ("staff",), "cases/my_cases.html"),
    "cases/hotline.html": Row("/cases/hotline/", "staff.hotline", _call, ("staff",), "cases/hotline.html"),
    "awards/rounds.html": Row("/awards/", "city", _round, ("city",), "awards/rounds.html"),
    "awards/nominations.html": Row("/awards/{rnd}/nominations/", "city", _nomination, ("rnd", "city"),
                                   "awards/nominations.html", more=4),
    "awards/objections.html": Row("/awards/{rnd}/objections/", "city", _objection, ("rnd", "city", "notice"),
                                  "awards/objections.html"),
    "awards/ballots.html": Row("/awards/{rnd}/ballots/", "city", _ballot, ("rnd", "city", "evaluation"),
                               "awards/ballots.html"),
    "selection/list.html": Row("/selection/", "east", _selection, template="selection/list.html"),
    "selection/candidates.html": Row("/selection/{sel}/candidates/", "east", _candidate, ("sel",),
                                     "selection/candidates.html"),
    "participation/consultations.html": Row("/participation/consultations/", "east", _consultation,
                                            template="participation/consultations.html"),
    "participation/activities.html": Row("/participation/activities/", "east", _activity,
                                         template="participation/activities.html"),
    "participation/inbox.html": Row("/participation/suggestions/", "east", _suggestion,
                                    template="participation/inbox.html"),
    "participation/ideas.html": Row("/participation/ideas/", "east", _idea, template="participation/ideas.html"),
    "fieldwork/stays.html": Row("/fieldwork/stays/", "east", _stay, ("fw_people",), "fieldwork/stays.html"),
    "fieldwork/diaries.html": Row("/fieldwork/diaries/", "east", _diary, ("fw_people",), "fieldwork/diaries.html"),
    "fieldwork/reports.html": Row("/fieldwork/reports/", "east", _report, ("fw_people",), "fieldwork/reports.html"),
    "fieldwork/proposals.html": Row("/fieldwork/proposals/", "east", _proposal, ("fw_people",),
                                    "fieldwork/proposals.html"),
    "duties/progress.html": Row("/duties/progress/", "east", _member, ("duty",), "duties/progress.html"),
    "duties/behind.html": Row("/duties/behind/", "east", _member, ("duty",), "duties/behind.html"),
    "org/conversion_list.html": Row("/org/conversions/", "east", _conversion, template="org/conversion_list.html"),
    "duties/templates.html": Row("/duties/templates/", "east", _template, template="duties/templates.html"),
    "wechat/account_list.html": Row("/wechat/", "admin", _wechat_account, template="wechat/account_list.html"),
    "wechat/account_detail.html": Row("/wechat/{account}/", "admin", _wechat_message, ("wechat_plain",),
                                      "wechat/account_detail.html"),
}

# HTML list pages checked by tests/web/test_web_list_query_counts.py with the same helper
HTML_ELSEWHERE = {"org/site_list.html", "org/organisation_list.html", "stats/activities.html",
                  "accounts/audit_list.html", "accounts/user_list.html"}


# ---- the world a row needs ---------------------------------------------------------------------------

def _world(request, row: Row) -> SimpleNamespace:
    w = SimpleNamespace(tree=request.getfixturevalue("tree"), p=request.getfixturevalue("personas"),
                        admin=request.getfixturevalue("admin_user"))
    for name in row.needs:
        if name == "activity":
            w.activity = make_activity(w.p.east, w.tree.east, capacity=20)
        elif name == "rated":  # an activity held today, so that her attendance and rating may be recorded
            w.rated = make_activity(w.p.east, w.tree.east, capacity=20, day_offset=0)
        elif name in ("evaluation", "notice"):
            _awards_at(w, name)
        elif name == "consultation":
            w.consultation = make_consultation(w.p.east, w.tree.east, via_paper=True)
        else:
            setattr(w, name, request.getfixturevalue(name))
    return w


def _fill(url: str, w) -> str:
    ids = {"east": w.tree.east, "rnd": getattr(w, "rnd", None), "consultation": getattr(w, "consultation", None),
           "rated": getattr(w, "rated", None), "sel": getattr(getattr(w, "sel", None), "selection", None),
           "activity": getattr(w, "activity", None), "duty_a": getattr(getattr(w, "duty", None), "a", None),
           "account": getattr(getattr(w, "wechat_plain", None), "account", None)}
    return url.format(**{k: v.pk for k, v in ids.items() if v is not None})


def _user(w, who: str):
    """"admin", "fixture.attribute" ("staff.worker"), a fixture that is a user ("city"), or a persona ("east")."""
    holder, _, attr = who.rpartition(".")
    if who == "admin":
        return w.admin
    if holder:
        return getattr(getattr(w, holder), attr)
    return getattr(w, who, None) or getattr(w.p, who)


def _client(w, who: str) -> Client:
    client = Client()
    if who:
        client.force_login(_user(w, who))
    return client


def _check(request, row: Row, base: str) -> None:
    w = _world(request, row)
    client = _client(w, row.who)
    url = base + _fill(row.url, w)
    assert_queries_do_not_grow(client.get, url, lambda numbers: [row.add(w, i) for i in numbers],
                               few=row.few, more=row.more)
    if row.template:
        assert row.template in [t.name for t in client.get(url).templates]


def _params(table: dict) -> list:
    return [pytest.param(key, marks=pytest.mark.xfail(strict=True, reason=row.grows)) if row.grows else key
            for key, row in sorted(table.items())]


@pytest.mark.parametrize("path", _params(API))
def test_an_api_list_costs_the_same_queries_for_more_rows(request, path):
    _check(request, API[path], "/api/v1")


@pytest.mark.parametrize("name", _params(HTML))
def test_a_list_page_costs_the_same_queries_for_more_rows(request, name):
    _check(request, HTML[name], "")


def _api_lists(client) -> set[str]:
    spec = client.get("/api/openapi.json").json()
    return {path.removeprefix("/api/v1") for path, ops in spec["paths"].items()
            if any(p["name"] == "cursor" for p in ops.get("get", {}).get("parameters", []))}


def _pager_templates() -> set[str]:
    """Every page template that includes the pager, named as Django names it ("needs/ledger.html")."""
    root = Path(__file__).resolve().parent.parent / "niangjia"
    return {p.as_posix().split("/templates/", 1)[1] for p in root.glob("*/templates/**/*.html")
            if '"partials/_pager.html"' in p.read_text(encoding="utf-8")}


def test_every_list_has_a_row(client):
    org_rows = {url.split("?")[0] for url in ORG_API_LISTS}
    api = _api_lists(client)
    assert sorted(api - set(API) - org_rows) == []  # every paginated list has a row
    assert sorted(set(API) - api) == []  # and every row is one (a stale row would test nothing)
    pages = _pager_templates()
    assert sorted(pages - set(HTML) - HTML_ELSEWHERE) == []
    assert sorted((set(HTML) | HTML_ELSEWHERE) - pages) == []
