"""Reform tracking through the API and its services: documents, measures with their timeline and
steps, plans with dated stages, pilots, the computed board, the overdue run and the Excel rows."""

from datetime import date, timedelta

import pytest
from api.helpers import Api, error_of

from niangjia.core.models import AuditEntry, Notification
from niangjia.reform import exports, services
from niangjia.reform.models import Entry, Measure, Plan

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def measure(tree, admin_user):
    return services.measure_create(actor=admin_user, unit=tree.province, code="1", title="推进会改联",
                                   deadline=D(2016, 12, 31), responsible=[tree.east], lead_department="组织部")


def test_a_cadre_registers_a_measure_and_it_starts_not_started(tree, personas):
    # when
    r = Api(personas.east).post("/reform/measures", {"unit": tree.east.id, "code": "东1", "title": "建立执委履职清单",
                                                     "deadline": "2017-06-30", "responsible": [tree.east_town.id]})
    # then
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["due_year"], [u["id"] for u in body["responsible"]]) == \
        ("not_started", 2017, [tree.east_town.id])
    assert AuditEntry.objects.filter(action="reform.measure.create", target_id=str(body["id"])).count() == 1


def test_a_responsible_unit_outside_the_reach_is_refused_and_nothing_is_written(tree, personas):
    r = Api(personas.east).post("/reform/measures", {"unit": tree.east.id, "code": "东1", "title": "x",
                                                     "deadline": "2017-06-30", "responsible": [tree.west.id]})
    assert r.status_code == 404
    assert not Measure.objects.exists()


def test_the_same_code_twice_in_one_unit_is_refused_naming_the_field(tree, personas, measure):
    r = Api(personas.province).post("/reform/measures", {"unit": tree.province.id, "code": "1", "title": "再来",
                                                         "deadline": "2017-06-30"})
    assert r.status_code == 400
    assert error_of(r)["fields"] == {"code": "该单位已有相同编号的改革措施"}


def test_the_responsible_unit_sees_the_measure_reports_on_it_and_it_goes_on_the_timeline(personas, measure):
    # given east is responsible for a province measure (not in her reach as a record of the province)
    api = Api(personas.east)
    # when she starts it and adds evidence
    r1 = api.post(f"/reform/measures/{measure.id}/steps/start", {"version": measure.version, "day": "2016-03-01"})
    r2 = api.post(f"/reform/measures/{measure.id}/entries", {"kind": "evidence", "text": "改建方案", "link": "/org/tree/"})
    # then
    assert r1.status_code == 200, r1.content
    assert (r1.json()["status"], r1.json()["started_on"]) == ("started", "2016-03-01")
    assert r2.status_code == 201, r2.content
    timeline = api.get(f"/reform/measures/{measure.id}").json()["timeline"]
    assert [(e["kind"], e["text"]) for e in timeline] == [("status", "启动：未启动 → 已启动"), ("status", "登记改革措施"),
                                                          ("evidence", "改建方案")]  # by day: the start is dated 2016


def test_but_the_responsible_unit_may_not_manage_the_measure(personas, measure):
    r = Api(personas.east).patch(f"/reform/measures/{measure.id}", {"version": measure.version, "title": "改"})
    assert r.status_code == 404
    assert Measure.objects.get(pk=measure.pk).title == "推进会改联"


def test_another_county_does_not_see_the_measure(personas, measure):
    api = Api(personas.west)
    assert api.get(f"/reform/measures/{measure.id}").status_code == 404
    assert api.get("/reform/measures").json()["items"] == []


def test_evidence_needs_a_file_or_a_link(personas, measure):
    r = Api(personas.province).post(f"/reform/measures/{measure.id}/entries", {"kind": "evidence", "text": "证明"})
    assert r.status_code == 400
    assert error_of(r)["fields"] == {"link": "佐证需要附件或链接"}


def test_a_step_from_the_wrong_status_is_a_409_and_a_stale_version_too(personas, measure):
    api = Api(personas.province)
    r = api.post(f"/reform/measures/{measure.id}/steps/finish", {"version": measure.version})
    assert r.status_code == 409
    assert error_of(r)["code"] == "invalid_transition"
    api.post(f"/reform/measures/{measure.id}/steps/start", {"version": measure.version})
    r = api.post(f"/reform/measures/{measure.id}/steps/finish", {"version": measure.version})
    assert (r.status_code, error_of(r)["code"]) == (409, "stale_version")
    assert Measure.objects.get(pk=measure.pk).status == "started"


def test_a_plan_goes_through_its_stages_with_dates_and_refuses_an_earlier_date(tree, personas):
    api = Api(personas.province)
    plan = api.post("/reform/plans", {"unit": tree.province.id, "title": "甲省妇联改革方案",
                                      "drafting_on": "2016-03-01"}).json()
    r = api.post(f"/reform/plans/{plan['id']}/steps/to_signing", {"version": plan["version"], "day": "2016-02-01"})
    assert r.status_code == 400
    assert error_of(r)["fields"] == {"day": "发文审签日期不能早于起草日期（2016-03-01）"}
    r = api.post(f"/reform/plans/{plan['id']}/steps/to_signing", {"version": plan["version"], "day": "2016-09-01"})
    assert (r.status_code, r.json()["stage"], r.json()["signing_on"]) == (200, "signing", "2016-09-01")
    r = api.post(f"/reform/plans/{plan['id']}/steps/issue", {"version": r.json()["version"], "day": "2016-10-01"})
    assert r.status_code == 409


def test_a_plan_belongs_to_a_province_only_and_only_once(tree, personas):
    api = Api(personas.province)
    r = api.post("/reform/plans", {"unit": tree.city.id, "title": "市方案", "drafting_on": "2016-03-01"})
    assert (r.status_code, error_of(r)["fields"]) == (400, {"unit": "省级改革方案只能由省级妇联（或兵团妇联）制定"})
    api.post("/reform/plans", {"unit": tree.province.id, "title": "方案", "drafting_on": "2016-03-01"})
    r = api.post("/reform/plans", {"unit": tree.province.id, "title": "方案二", "drafting_on": "2016-03-01"})
    assert r.status_code == 400
    assert Plan.objects.count() == 1


def test_the_board_is_computed_for_a_day(tree, personas, admin_user, measure):
    # given one done measure of 2016 and one not started of 2017, and a plan issued on 2017-02-01
    services.measure_move(actor=admin_user, measure=measure, step="start", version=None, day=D(2016, 2, 1))
    services.measure_move(actor=admin_user, measure=measure, step="finish", version=None, day=D(2016, 11, 1))
    services.measure_create(actor=admin_user, unit=tree.province, code="2", title="b", deadline=D(2017, 6, 30))
    plan = services.plan_create(actor=admin_user, unit=tree.province, title="p", drafting_on=D(2016, 3, 1))
    for step, day in (("to_signing", D(2016, 9, 1)), ("approve", D(2017, 1, 1)), ("issue", D(2017, 2, 1))):
        plan = services.plan_move(actor=admin_user, plan=plan, step=step, day=day, version=None)
    # when
    body = Api(personas.province).get(f"/reform/board?unit={tree.province.id}&as_of=2016-12-01").json()
    # then
    assert body["measure_sentence"].startswith("2项改革措施，已启动1项；2016年到期1项，已完成1项")
    assert body["plan_sentence"] == "截至2016-12-01：1个在发文审签"


def test_pilots_group_units_and_their_reach_is_cut_to_the_callers(tree, personas, admin_user):
    from niangjia.reform import queries

    pilot = services.pilot_create(actor=admin_user, unit=tree.city, name="县级试点", members=[tree.east, tree.west])
    r = Api(personas.province).get("/reform/pilots").json()
    assert [(p["name"], sorted(m["id"] for m in p["members"])) for p in r] == \
        [("县级试点", sorted([tree.east.id, tree.west.id]))]
    assert [s.unit_id for s in queries.pilot_reach(personas.east, pilot).subtrees] == [tree.east.id]  # 西县 cut off
    assert [s.unit_id for s in queries.pilot_reach(personas.province, pilot).subtrees] == [tree.east.id, tree.west.id]


def test_the_daily_run_delays_reminds_and_then_escalates_to_the_parent(tree, admin_user, measure):
    from conftest import make_user

    # given east's and the city's officers, and a measure due 2016-12-31 that was never finished
    east_officer = make_user("east_officer", ["cadre"], [tree.east])
    city_officer = make_user("city_officer", ["leader"], [tree.city])
    # when the run passes on 2017-01-02, again the same day, and on 2017-01-20
    first = services.overdue_run(today=D(2017, 1, 2))
    again = services.overdue_run(today=D(2017, 1, 2))
    later = services.overdue_run(today=D(2017, 1, 20))
    # then
    assert (first, again, later) == ({"delay": 1, "remind": 1, "escalate": 0}, {"delay": 0, "remind": 0, "escalate": 0},
                                     {"delay": 0, "remind": 1, "escalate": 1})
    m = Measure.objects.get(pk=measure.pk)
    assert (m.status, m.reminded_on, m.escalated_on) == ("delayed", D(2017, 1, 20), D(2017, 1, 20))
    assert Notification.objects.filter(recipient=east_officer, kind="reform.overdue").count() == 2
    assert Notification.objects.filter(recipient=city_officer, kind="reform.escalated").count() == 1
    assert list(Entry.objects.filter(measure=m).order_by("id").values_list("kind", flat=True)) == \
        ["status", "status", "reminder", "reminder", "escalation"]


def test_the_excel_rows_say_status_overdue_and_the_last_progress(personas, admin_user, measure):
    services.entry_add(actor=admin_user, measure=measure, kind="note", text="已起草", day=D(2016, 5, 1))
    headers, rows = exports.measures(personas.province, None)
    rows = list(rows)
    assert headers[0:2] == ["编号", "措施"]
    assert rows == [["1", "推进会改联", "甲省妇联", "组织部", ["东县妇联"], D(2016, 12, 31), 2016, "未启动", None, None,
                     date.today() > D(2016, 12, 31), "已起草"]]


def test_the_board_page_and_the_measure_page_render(client, personas, tree, measure):
    client.force_login(personas.province)
    r = client.get(f"/reform/?unit={tree.province.id}")
    assert r.status_code == 200
    assert "1项改革措施，已启动0项；2016年到期1项，已完成0项" in r.content.decode()
    r = client.get(f"/reform/measures/{measure.id}/")
    assert r.status_code == 200 and "推进会改联" in r.content.decode()
    r = client.get("/reform/measures/?export=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(personas.west)
    assert client.get(f"/reform/measures/{measure.id}/").status_code == 404


def test_the_measure_page_posts_a_step_and_a_note(client, personas, measure):
    client.force_login(personas.east)
    client.post(f"/reform/measures/{measure.id}/", {"step": "start", "version": measure.version})
    client.post(f"/reform/measures/{measure.id}/", {"kind": "note", "text": "进展顺利", "day": "2016-04-01"})
    m = Measure.objects.get(pk=measure.pk)
    assert m.status == "started"
    assert Entry.objects.filter(measure=m, kind="note", text="进展顺利", day=D(2016, 4, 1)).count() == 1
    assert timedelta(0) <= date.today() - m.started_on <= timedelta(days=1)


def test_coverage_counts_converted_villages_per_child_and_completes_a_county(tree, personas, admin_user):
    from niangjia.org import services as org
    from niangjia.reform import queries

    # given 东县 has 2 villages, both converted; 西县 has 1, not converted
    for v in (tree.east_village, tree.east_village2):
        org.village_conversion_record(actor=admin_user, village=v, converted_on=D(2024, 5, 1), executive_members_added=3)
    # when the city is asked
    out = queries.coverage(personas.province, tree.city)
    # then
    assert out["total"] == {"converted": 2, "villages": 3, "share_pct": 66.6, "complete": False}
    assert [(r["unit"].name, r["converted"], r["villages"], r["complete"]) for r in out["children"]] == \
        [("东县妇联", 2, 2, True), ("西县妇联", 0, 1, False)]


def test_the_overdue_reminder_reads_in_each_recipients_language(tree, admin_user, measure):
    from conftest import make_user

    # given two officers of east, one who chose English
    zh = make_user("east_zh", ["cadre"], [tree.east])
    en = make_user("east_en", ["cadre"], [tree.east])
    en.language = "en"
    en.save(update_fields=["language"])
    # when the daily run (in the server's default language) reminds them of the overdue measure
    services.overdue_run(today=D(2017, 1, 2))
    # then each reads the reminder in her own language; the measure's title stays as written
    text = {n.recipient_id: n.text for n in Notification.objects.filter(kind="reform.overdue")}
    assert text[zh.pk].startswith("改革措施“")
    assert measure.title[:20] in text[en.pk] and "改革措施" not in text[en.pk]
