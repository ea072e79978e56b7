"""Report forms through the API: define, open (pre-filled), save, submit, return, approve level by
level, locks, undoing an approval, totals from summaries and facts, completeness, reminders."""

from datetime import date

import pytest
from api.helpers import Api, error_of
from conftest import make_user

from niangjia.core.models import AuditEntry, Notification, SummaryCount
from niangjia.org import services as org
from niangjia.reports import queries, services
from niangjia.reports.models import Submission, Value

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 14)
FIELDS = [{"key": "homes", "label": "妇女之家数", "kind": "int", "prefill": "womens_homes"},
          {"key": "visits", "label": "服务人次", "kind": "int", "min_value": 0},
          {"key": "rural", "label": "其中农村人次", "kind": "int", "min_value": 0},
          {"key": "hours", "label": "志愿服务小时", "kind": "decimal", "required": False}]


@pytest.fixture
def form(tree, personas):
    r = Api(personas.east).post("/reports/forms", {
        "unit": tree.east.id, "title": "妇女之家月报", "fill_level": 6, "period_kind": "month", "due_days": 10,
        "fields": FIELDS, "checks": [{"left": "rural", "op": "<=", "right": "visits"}]})
    assert r.status_code == 201, r.content
    return r.json()


def _open(user, form, unit):
    r = Api(user).post(f"/reports/forms/{form['id']}/submissions", {"unit": unit.id, "day": DAY.isoformat()})
    assert r.status_code in (200, 201), r.content
    return r.json()


def _fill_and_submit(user, form, unit, visits=10, rural=4):
    sub = _open(user, form, unit)
    api = Api(user)
    sub = api.put(f"/reports/submissions/{sub['id']}/values",
                  {"version": sub["version"], "values": {"homes": 1, "visits": visits, "rural": rural, "hours": "2.5"}}).json()
    return api.post(f"/reports/submissions/{sub['id']}/steps/submit", {"version": sub["version"]})


def _step(user, sub, step, comment=""):
    fresh = Submission.objects.get(pk=sub["id"])
    return Api(user).post(f"/reports/submissions/{sub['id']}/steps/{step}", {"version": fresh.version, "comment": comment})


def test_a_village_opens_its_report_prefilled_with_what_the_platform_knows(tree, personas, admin_user, form):
    # given 东村 has two women's homes
    for n in range(2):
        org.site_create(actor=admin_user, unit=tree.east_village, kind="womens_home", name=f"妇女之家{n}")
    # when the village executive opens the February report
    sub = _open(personas.village, form, tree.east_village)
    # then
    assert (sub["status"], sub["period"], sub["due_on"], sub["values"], sub["rollup"]) == \
        ("draft", "2026-02-01", "2026-03-10", {"homes": 2}, False)


def test_a_wrong_figure_is_refused_per_field_and_of_which_over_the_total_too(tree, personas, form):
    sub = _open(personas.village, form, tree.east_village)
    r = Api(personas.village).put(f"/reports/submissions/{sub['id']}/values",
                                  {"version": sub["version"], "values": {"visits": "-1", "rural": "x"}})
    assert (r.status_code, error_of(r)["fields"]) == (400, {"visits": "不能小于 0", "rural": "应为数字"})
    r = Api(personas.village).put(f"/reports/submissions/{sub['id']}/values",
                                  {"version": sub["version"], "values": {"visits": 3, "rural": 5}})
    assert error_of(r)["fields"] == {"rural": "其中农村人次应不大于服务人次（3）"}
    assert Submission.objects.get(pk=sub["id"]).values == {"homes": 0}


def test_submitting_needs_every_required_figure(tree, personas, form):
    sub = _open(personas.village, form, tree.east_village)
    r = Api(personas.village).post(f"/reports/submissions/{sub['id']}/steps/submit", {"version": sub["version"]})
    assert (r.status_code, error_of(r)["fields"]) == (400, {"visits": "必填", "rural": "必填"})


def test_approval_goes_up_level_by_level_and_locks_the_subtree(tree, personas, form):
    village, township, county = personas.village, personas.township, personas.east
    # given 东村 submits; the village may not review her own report
    v1 = _fill_and_submit(village, form, tree.east_village).json()
    assert _step(village, v1, "approve").status_code == 403
    # when the township returns it with a comment, the village fixes it and submits again
    r = _step(township, v1, "return", "服务人次有误")
    assert (r.json()["status"], r.json()["comment"]) == ("returned", "服务人次有误")
    assert _fill_and_submit(village, form, tree.east_village, visits=12).json()["status"] == "submitted"
    assert _step(township, v1, "approve").json()["status"] == "approved"
    # then the township's own report cannot go up while 东二村 has not reported
    town = _open(township, form, tree.east_town)
    assert town["rollup"] is True
    r = _step(township, town, "submit")
    assert (r.status_code, error_of(r)["message"]) == (409, "下级报表尚未全部审核通过（1/2），不能上报或通过本级报表")
    # when 东二村 is filled (by the township for it) and approved, the township's report goes up
    v2 = _fill_and_submit(township, form, tree.east_village2, visits=5, rural=5).json()
    _step(township, v2, "approve")
    assert _step(township, town, "submit").json()["status"] == "submitted"
    # then the township may not undo a village's approval while its own report is up
    r = _step(township, v1, "unapprove", "重新核对")
    assert (r.status_code, error_of(r)["message"]) == (409, "上级汇总报表已上报，本报表已锁定；请先由上级撤销或退回")
    # and the county approves the township's report
    assert _step(county, town, "approve").json()["status"] == "approved"
    assert _step(township, town, "approve").status_code == 404  # the township does not review itself


def test_undoing_an_approval_needs_a_reason_and_is_audited(tree, personas, form):
    v1 = _fill_and_submit(personas.village, form, tree.east_village).json()
    _step(personas.township, v1, "approve")
    r = _step(personas.east, v1, "unapprove")
    assert (r.status_code, error_of(r)["fields"]) == (400, {"comment": "撤销理由不能为空"})
    r = _step(personas.east, v1, "unapprove", "数据来源有误")  # one level above the approving one
    assert r.json()["status"] == "submitted"
    entry = AuditEntry.objects.get(action="reports.unapprove")
    assert (entry.actor_name, entry.detail["comment"]) == ("east", "数据来源有误")


def test_totals_agree_from_facts_and_from_summaries_and_follow_the_status(tree, personas, form, admin_user):
    # given two villages submitted (10 and 5 visits), one approved
    v1 = _fill_and_submit(personas.village, form, tree.east_village, visits=10, rural=4).json()
    _fill_and_submit(personas.township, form, tree.east_village2, visits=5, rural=1)
    _step(personas.township, v1, "approve")
    f = queries.get_form_for(personas.east, form["id"])
    period = date(2026, 2, 1)
    # when the county (facts) and the province (summary rows) ask
    county = queries.field_total(personas.east, f, "visits", period, unit=tree.east)
    province = queries.field_total(personas.province, f, "visits", period, unit=tree.province)
    approved = queries.field_total(personas.province, f, "visits", period, unit=tree.province, approved_only=True)
    hours = queries.field_total(personas.east, f, "hours", period)
    # then
    assert county == province == {"reports": 2, "total": 15}
    assert approved == {"reports": 1, "total": 10}
    assert str(hours["total"]) == "5"
    # and a returned report leaves the totals
    sub2 = Submission.objects.get(unit=tree.east_village2)
    services.submission_return(actor=personas.township, submission=sub2, version=None, comment="重报")
    assert queries.field_total(personas.province, f, "visits", period, unit=tree.province)["total"] == 10
    assert Value.objects.filter(submission=sub2).count() == 0
    assert SummaryCount.objects.filter(metric="report_value", category=f"{f.pk}.visits", status="submitted",
                                       count__gt=0).count() == 0


def test_the_api_total_and_completeness(tree, personas, form):
    v1 = _fill_and_submit(personas.village, form, tree.east_village).json()
    _step(personas.township, v1, "approve")
    api = Api(personas.township)
    r = api.get(f"/reports/forms/{form['id']}/totals/visits?unit={tree.east_town.id}&day=2026-02-14")
    assert (r.status_code, r.json()["reports"], r.json()["total"]) == (200, 1, "10")
    c = api.get(f"/reports/forms/{form['id']}/completeness?unit={tree.east_town.id}&day=2026-02-14").json()
    assert [(ch["unit"]["name"], ch["status"]) for ch in c["children"]] == [("东村妇联", "approved"), ("东二村妇联", "")]
    assert (c["subtree"]["expected"], c["subtree"]["submitted"], c["subtree"]["approved"]) == (2, 1, 1)


def test_the_village_sees_a_form_defined_above_her_but_another_county_does_not(tree, personas, form):
    assert [f["id"] for f in Api(personas.village).get("/reports/forms").json()] == [form["id"]]
    assert Api(personas.west).get("/reports/forms").json() == []
    assert Api(personas.west).get(f"/reports/forms/{form['id']}").status_code == 404


def test_a_unit_outside_the_form_is_refused(tree, personas, form):
    r = Api(personas.east).post(f"/reports/forms/{form['id']}/submissions", {"unit": tree.east.id})
    assert (r.status_code, error_of(r)["fields"]) == (400, {"unit": "该组织不在本报表的填报范围内"})


def test_a_bad_definition_writes_nothing(tree, personas):
    r = Api(personas.east).post("/reports/forms", {"unit": tree.east.id, "title": "坏表", "fill_level": 4,
                                                   "period_kind": "month", "fields": [{"key": "a", "label": "A", "kind": "int"}]})
    assert (r.status_code, error_of(r)["fields"]) == (400, {"fill_level": "填报层级应低于制表单位"})
    r = Api(personas.east).post("/reports/forms", {"unit": tree.east.id, "title": "坏表", "fill_level": 6,
                                                   "period_kind": "month", "fields": FIELDS,
                                                   "checks": [{"left": "homes", "op": "<=", "right": "nope"}]})
    assert error_of(r)["fields"] == {"checks.0.right": "应为本表的数字字段"}


def test_late_units_are_reminded_once_a_day(tree, personas, form):
    # given the village's officer, and February's report due 2026-03-10 not sent by 东二村
    officer = make_user("v2_officer", ["executive"], [tree.east_village2])
    _fill_and_submit(personas.village, form, tree.east_village)
    # when the run passes on 2026-03-11, twice
    assert services.remind_late(today=date(2026, 3, 11)) == 2  # 东二村 and 东镇
    assert services.remind_late(today=date(2026, 3, 11)) == 0  # already reminded today
    # then one notification for the officer, and 东村 (submitted) none
    assert Notification.objects.filter(recipient=officer, kind="reports.late").count() == 1
    assert Notification.objects.filter(recipient=personas.village, kind="reports.late").count() == 0
