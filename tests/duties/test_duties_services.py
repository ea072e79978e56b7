"""Duty checklist services: templates, hand-out, evidence by whom, withdraw and correct, reminders, reviews."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from niangjia.core import policies
from niangjia.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from niangjia.core.models import AuditEntry, SummaryCount
from niangjia.duties import queries, rules, services
from niangjia.duties.models import Assignment, ChecklistTemplate, Evidence, Reminder, Review
from niangjia.stats import rollup
from tests.duties.conftest import executive, record

pytestmark = pytest.mark.django_db


def summary(kind, status="recorded"):
    return sum(SummaryCount.objects.filter(metric="duty_evidence", category=kind, status=status)
               .values_list("count", flat=True))


# ---------------------------------------------------------------- templates


def test_preset_in_one_action_gives_the_eight_items(tree, personas):
    # when the east cadre uses the preset
    tpl = services.template_from_preset(actor=personas.east, unit=tree.east)
    # then the federation has the §4 checklist, audited once
    items = list(tpl.items.order_by("order"))
    assert tpl.name == "执委履职清单" and len(items) == 8 and tpl.unit == tree.east
    assert (items[0].target_kind, items[0].target_min, items[0].target_max) == ("between", 5, 7)
    assert AuditEntry.objects.filter(action="duties.template.create", target_id=str(tpl.pk)).count() == 1


def test_template_outside_reach_is_refused(tree, personas):
    with pytest.raises(NotFound):
        services.template_from_preset(actor=personas.east, unit=tree.west)
    assert not ChecklistTemplate.objects.exists()


def test_executive_cannot_make_templates(tree, personas):
    with pytest.raises(Forbidden):
        services.template_create(actor=personas.village, unit=tree.east_village, name="我的清单")
    assert not ChecklistTemplate.objects.exists()


def test_bad_item_target_names_the_field(tree, personas):
    tpl = services.template_create(actor=personas.east, unit=tree.east, name="自建清单")
    with pytest.raises(ValidationFailed) as exc:
        services.item_add(actor=personas.east, template=tpl, title="联系代表", target_kind="between", target_min=5,
                          target_max=3)
    assert "target_max" in exc.value.fields
    assert not tpl.items.exists()


# ---------------------------------------------------------------- hand-out


def test_hand_out_to_the_executive_body_is_idempotent(tree, personas, duty):
    # given the preset already handed to the 3 east executives (fixture)
    assert Assignment.objects.filter(unit=tree.east, year=duty.year).count() == 3
    audits = AuditEntry.objects.filter(action="duties.assignment.hand_out").count()
    # when a fourth member joins and the cadre hands it out again
    d = executive(personas.east, tree.east, "执委丁")
    result = services.assignment_hand_out(actor=personas.east, unit=tree.east, template=duty.east_tpl, year=duty.year)
    # then only the newcomer gets one, the others are skipped, one audit row for the new one
    assert [a.person_id for a in result["created"]] == [d.pk] and result["skipped"] == 3
    assert Assignment.objects.filter(unit=tree.east, year=duty.year).count() == 4
    assert AuditEntry.objects.filter(action="duties.assignment.hand_out").count() == audits + 1
    assert Assignment.objects.get(person=d).items_total == 8


def test_hand_out_to_chosen_people_only(tree, personas, duty):
    result = services.assignment_hand_out(actor=personas.east, unit=tree.east, template=duty.east_tpl,
                                          year=duty.year + 1, person_ids=[duty.a_person.pk])
    assert [a.person_id for a in result["created"]] == [duty.a_person.pk]


def test_hand_out_refuses_strangers_and_changes_nothing(tree, personas, duty):
    before = Assignment.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.assignment_hand_out(actor=personas.east, unit=tree.east, template=duty.east_tpl, year=duty.year + 1,
                                     person_ids=[duty.a_person.pk, duty.w_person.pk])
    assert "person_ids" in exc.value.fields
    assert Assignment.objects.count() == before


def test_hand_out_to_an_empty_body_says_so(tree, personas, duty):
    with pytest.raises(ValidationFailed, match="没有在任成员"):
        services.assignment_hand_out(actor=personas.east, unit=tree.east, template=duty.east_tpl, year=duty.year,
                                     body="standing")


def test_hand_out_of_another_units_template_is_refused(tree, personas, duty):
    with pytest.raises(ValidationFailed):
        services.assignment_hand_out(actor=personas.province, unit=tree.east, template=duty.west_tpl, year=duty.year)


# ---------------------------------------------------------------- evidence


def test_member_records_her_own_evidence_and_progress_moves(tree, personas, duty):
    # given 执委甲 with nothing recorded
    delegates = duty.items["contact_delegate"]
    # when she records 3 delegate contacts and one research report
    record(duty.exec_a, duty.a, delegates, 3)
    ev = record(duty.exec_a, duty.a, duty.items["research_report"])[0]
    duty.a.refresh_from_db()
    # then the delegates item is 3/5–7 (partly), the report item done, 1 of 8 items done
    rows = {r.item.evidence_kind: r for r in queries.item_rows([duty.a])[duty.a.pk]}
    assert rows["contact_delegate"].label == "3/5–7" and rows["contact_delegate"].progress.state == "partly"
    assert rows["research_report"].progress.done
    assert (duty.a.items_done, duty.a.items_total, duty.a.evidence_count) == (1, 8, 4)
    # and the record is hers, not on behalf, audited, and counted in the summary
    assert not ev.on_behalf and ev.recorded_by == duty.exec_a and ev.kind == "research_report"
    assert AuditEntry.objects.filter(action="duties.evidence.record").count() == 4
    assert summary("contact_delegate") == 3 and summary("research_report") == 1


def test_another_member_cannot_record_on_her_checklist(tree, personas, duty):
    # 执委乙 (an executive in the same county) tries to record on 执委甲's checklist
    with pytest.raises(Forbidden):
        record(duty.exec_b, duty.a, duty.items["proposal"])
    assert not Evidence.objects.exists()
    duty.a.refresh_from_db()
    assert duty.a.items_done == 0


def test_a_manager_records_on_her_behalf_and_it_is_noted(tree, personas, duty):
    ev = record(personas.east, duty.c, duty.items["proposal"])[0]
    assert ev.on_behalf and ev.recorded_by == personas.east
    entry = AuditEntry.objects.get(action="duties.evidence.record", target_id=str(ev.pk))
    assert entry.detail["on_behalf"] is True and entry.detail["person"] == duty.c_person.pk


def test_a_manager_of_another_county_cannot_record(tree, personas, duty):
    with pytest.raises(Forbidden):
        record(personas.west, duty.a, duty.items["proposal"])
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("shift", "field"), [(1, "day"), (-400, "day")])
def test_evidence_day_must_be_in_the_year_and_not_future(tree, personas, duty, shift, field):
    day = timezone.localdate() + timedelta(days=shift)
    with pytest.raises(ValidationFailed) as exc:
        record(duty.exec_a, duty.a, duty.items["proposal"], day=day)
    assert field in exc.value.fields and not Evidence.objects.exists()


def test_evidence_needs_what(tree, personas, duty):
    with pytest.raises(ValidationFailed) as exc:
        services.evidence_record(actor=duty.exec_a, assignment=duty.a, item=duty.items["proposal"], what="  ",
                                 day=timezone.localdate())
    assert "what" in exc.value.fields


def test_item_of_another_template_is_not_found(tree, personas, duty):
    with pytest.raises(NotFound):
        record(duty.exec_a, duty.a, duty.w_items["proposal"])


def test_evidence_with_a_photo_is_kept_and_a_fake_one_refused(tree, personas, duty):
    photo = SimpleUploadedFile("走访.jpg", b"\xff\xd8\xff\xe0" + b"0" * 200, content_type="image/jpeg")
    ev = services.evidence_record(actor=duty.exec_a, assignment=duty.a, item=duty.items["poor_family"],
                                  what="入户走访", day=timezone.localdate(), attachment=photo)
    assert ev.attachment and ev.attachment_name == "走访.jpg" and ev.attachment.read().startswith(b"\xff\xd8")
    fake = SimpleUploadedFile("x.png", b"<script>", content_type="image/png")
    with pytest.raises(ValidationFailed) as exc:
        services.evidence_record(actor=duty.exec_a, assignment=duty.a, item=duty.items["poor_family"],
                                 what="入户走访", day=timezone.localdate(), attachment=fake)
    assert "attachment" in exc.value.fields and Evidence.objects.count() == 1


def test_links_to_a_person_and_organisation_and_a_report(tree, personas, duty, records_org):
    ev = services.evidence_record(actor=personas.east, assignment=duty.a, item=duty.items["social_org"],
                                  what="指导协会", day=timezone.localdate(), organisation=records_org,
                                  person=duty.b_person, link_type="report", link_id=42, link_text="调研报告")
    assert (ev.organisation, ev.person, ev.link_type, ev.link_id) == (records_org, duty.b_person, "report", 42)
    with pytest.raises(ValidationFailed):
        services.evidence_record(actor=personas.east, assignment=duty.a, item=duty.items["proposal"], what="x",
                                 day=timezone.localdate(), link_type="proposal")


def test_linking_someone_outside_reach_is_refused(tree, personas, duty):
    with pytest.raises(NotFound):
        services.evidence_record(actor=duty.exec_a, assignment=duty.a, item=duty.items["poor_family"], what="x",
                                 day=timezone.localdate(), person=duty.w_person)


def test_withdraw_keeps_the_row_drops_progress_and_moves_the_summary(tree, personas, duty):
    ev = record(duty.exec_a, duty.a, duty.items["proposal"])[0]
    duty.a.refresh_from_db()
    assert duty.a.items_done == 1
    services.evidence_withdraw(actor=duty.exec_a, evidence=ev, version=ev.version, reason="记错了")
    ev.refresh_from_db()
    duty.a.refresh_from_db()
    assert ev.status == "withdrawn" and ev.withdrawn_reason == "记错了" and ev.withdrawn_by == duty.exec_a
    assert duty.a.items_done == 0 and duty.a.evidence_count == 0
    assert summary("proposal") == 0 and summary("proposal", "withdrawn") == 1
    assert AuditEntry.objects.filter(action="duties.evidence.withdraw", target_id=str(ev.pk)).exists()
    # and withdrawing twice is refused
    with pytest.raises(ValidationFailed):
        services.evidence_withdraw(actor=duty.exec_a, evidence=ev, version=ev.version)


def test_withdraw_with_a_stale_version_is_refused(tree, personas, duty):
    ev = record(duty.exec_a, duty.a, duty.items["proposal"])[0]
    with pytest.raises(StaleVersion):
        services.evidence_withdraw(actor=duty.exec_a, evidence=ev, version=ev.version + 5)
    ev.refresh_from_db()
    assert ev.status == "recorded"


def test_another_member_cannot_withdraw(tree, personas, duty):
    ev = record(duty.exec_a, duty.a, duty.items["proposal"])[0]
    with pytest.raises(Forbidden):
        services.evidence_withdraw(actor=duty.exec_b, evidence=ev, version=ev.version)
    ev.refresh_from_db()
    assert ev.status == "recorded"


def test_correction_is_a_new_record_superseding_the_old(tree, personas, duty):
    old = record(duty.exec_a, duty.a, duty.items["proposal"], what="提交建议案")[0]
    new = services.evidence_correct(actor=duty.exec_a, evidence=old, version=old.version, what="提交《托管点建议案》")
    old.refresh_from_db()
    duty.a.refresh_from_db()
    assert old.status == "superseded" and new.supersedes == old and new.what == "提交《托管点建议案》"
    assert Evidence.objects.count() == 2 and duty.a.evidence_count == 1 and duty.a.items_done == 1
    assert summary("proposal") == 1 and summary("proposal", "superseded") == 1


def test_summary_rebuild_agrees_with_the_bumps(tree, personas, duty):
    evs = record(duty.exec_a, duty.a, duty.items["contact_delegate"], 3)
    services.evidence_withdraw(actor=duty.exec_a, evidence=evs[0], version=evs[0].version)
    record(personas.west, duty.w, duty.w_items["proposal"])
    bumped = set(SummaryCount.objects.filter(metric="duty_evidence").exclude(count=0)
                 .values_list("period", "category", "status", "l1", "l2", "l3", "count"))
    rollup.rebuild("duty_evidence")
    rebuilt = set(SummaryCount.objects.filter(metric="duty_evidence")
                  .values_list("period", "category", "status", "l1", "l2", "l3", "count"))
    assert rebuilt == bumped


def test_changing_an_item_target_rescores_assignments(tree, personas, duty):
    record(duty.exec_a, duty.a, duty.items["contact_delegate"], 3)
    duty.a.refresh_from_db()
    assert duty.a.items_done == 0
    item = duty.items["contact_delegate"]
    services.item_update(actor=personas.east, item=item, version=item.version, target_kind="at_least", target_min=3)
    duty.a.refresh_from_db()
    item.refresh_from_db()
    assert duty.a.items_done == 1 and item.target_max is None


# ---------------------------------------------------------------- reminders


def _behind_day(year):
    return date(year, 11, 1)


def test_reminders_go_to_those_behind_once_a_day(tree, personas, duty):
    # given 执委甲 complete, the others with nothing, on 1 November
    for item in duty.east_tpl.items.all():
        duties_needed = item.target_min
        record(duty.exec_a, duty.a, item, duties_needed, day=date(duty.year, 1, 1))
    day = _behind_day(duty.year)
    behind = queries.behind_for(personas.east, unit=tree.east, year=duty.year, day=day)
    assert {a.person_id for a in behind} == {duty.b_person.pk, duty.c_person.pk}
    # when the cadre sends reminders twice the same day
    first = services.reminders_send(actor=personas.east, assignments=behind, day=day)
    second = services.reminders_send(actor=personas.east, assignments=behind, day=day)
    # then each member behind got one, the second run none
    assert len(first) == 2 and second == []
    assert Reminder.objects.filter(day=day).count() == 2
    assert "0/8" in first[0].message and "距年底还有 60 天" in first[0].message
    # and the next day is a new day
    assert len(services.reminders_send(actor=personas.east, assignments=behind, day=day + timedelta(days=1))) == 2


def test_reminders_for_another_county_are_refused(tree, personas, duty):
    with pytest.raises(NotFound):
        services.reminders_send(actor=personas.east, assignments=[duty.w], day=_behind_day(duty.year))
    assert not Reminder.objects.exists()


def test_the_command_twice_a_day_sends_none_twice(tree, personas, duty):
    day = date(duty.year, 11, 1)
    out = StringIO()
    call_command("duty_reminders", "--day", day.isoformat(), stdout=out)
    call_command("duty_reminders", "--day", day.isoformat(), stdout=out)
    assert Reminder.objects.count() == 4  # 3 in the east, 1 in the west, once each
    assert "新发送提醒 4 条" in out.getvalue() and "新发送提醒 0 条" in out.getvalue()
    assert AuditEntry.objects.filter(action="duties.reminder.send", actor_name="system").count() == 4


def test_the_command_waits_for_the_window(tree, personas, duty):
    call_command("duty_reminders", "--day", date(duty.year, 9, 30).isoformat(), stdout=StringIO())
    assert not Reminder.objects.exists()


# ---------------------------------------------------------------- reviews


def test_review_is_recorded_then_revised_under_a_version(tree, personas, duty):
    r = services.review_record(actor=personas.east, assignment=duty.a, rating="competent", comment="履职到位")
    assert r.get_rating_display() == "称职" and r.reviewer == personas.east
    services.review_record(actor=personas.east, assignment=duty.a, rating="excellent", version=r.version)
    r.refresh_from_db()
    assert r.rating == "excellent" and Review.objects.count() == 1
    with pytest.raises(StaleVersion):
        services.review_record(actor=personas.east, assignment=duty.a, rating="basic", version=1)
    r.refresh_from_db()
    assert r.rating == "excellent"


def test_review_needs_a_valid_rating_and_the_manage_permission(tree, personas, duty):
    with pytest.raises(ValidationFailed) as exc:
        services.review_record(actor=personas.east, assignment=duty.a, rating="great")
    assert "rating" in exc.value.fields
    with pytest.raises(Forbidden):
        services.review_record(actor=duty.exec_b, assignment=duty.a, rating="excellent")
    with pytest.raises(NotFound):
        services.review_record(actor=personas.west, assignment=duty.a, rating="excellent")
    assert not Review.objects.exists()


# ---------------------------------------------------------------- queries


def test_progress_states_and_counts_in_sql_match_the_rules(tree, personas, duty):
    for item in duty.east_tpl.items.all():
        record(duty.exec_a, duty.a, item, item.target_min, day=date(duty.year, 1, 1))
    for kind in ("proposal", "research_report", "online_group", "social_org", "public_service"):
        record(duty.exec_b, duty.b, duty.items[kind], day=date(duty.year, 1, 1))
    day = date(duty.year, 7, 2)
    qs = queries.assignments_for(personas.east, unit=tree.east, year=duty.year)
    counts = queries.counts_by_state(qs, day, duty.year, tree.east)
    assert counts == {"total": 3, "complete": 1, "behind": 1, "on_track": 1}
    for state, who in (("complete", duty.a_person), ("on_track", duty.b_person), ("behind", duty.c_person)):
        assert [a.person_id for a in queries.assignments_for(personas.east, unit=tree.east, year=duty.year,
                                                             state=state, day=day)] == [who.pk]
    policy = queries.schedule_policy(tree.east)
    assert [queries.state_of(a, day, policy) for a in qs.order_by("id")] == ["complete", "on_track", "behind"]


def test_item_completion_counts_members(tree, personas, duty):
    record(duty.exec_a, duty.a, duty.items["contact_delegate"], 5)
    record(duty.exec_b, duty.b, duty.items["contact_delegate"], 2)
    rows = {r["key"]: r for r in queries.item_completion(
        queries.assignments_for(personas.east, unit=tree.east, year=duty.year))}
    it = duty.items["contact_delegate"]
    row = rows[rules.item_key(it.order, it.title)]
    assert (row["title"], row["done"], row["partly"], row["not_started"]) == (it.title, 1, 1, 1)


def test_item_rows_cost_a_fixed_number_of_queries(tree, personas, duty, django_assert_max_num_queries):
    record(duty.exec_a, duty.a, duty.items["contact_delegate"], 2)
    assignments = list(Assignment.objects.all())
    with django_assert_max_num_queries(2):
        queries.item_rows(assignments)


def test_policy_override_changes_who_is_behind(tree, personas, duty):
    day = date(duty.year, 7, 2)
    assert queries.assignments_for(personas.east, unit=tree.east, year=duty.year, state="behind", day=day).count() == 3
    with transaction.atomic():
        policies.set_override(actor=personas.province, key=rules.SCHEDULE_POLICY, unit=tree.east,
                              value={"tolerance_pct": 100})
    assert queries.assignments_for(personas.east, unit=tree.east, year=duty.year, state="behind", day=day).count() == 0


def test_a_reminder_reaches_the_member_in_her_notifications_and_home_panel(client, tree, personas, duty):
    from niangjia.core.models import Notification

    # given 执委乙 (account exec_b) behind schedule and 执委丙 (no account)
    day = timezone.localdate()
    # when the cadre sends reminders to both, twice
    services.reminders_send(actor=personas.east, assignments=[duty.b, duty.c], day=day)
    services.reminders_send(actor=personas.east, assignments=[duty.b, duty.c], day=day)
    # then exec_b has exactly one notification linking to her checklist; 执委丙 has no account to tell
    notes = list(Notification.objects.filter(recipient=duty.exec_b))
    assert [(n.kind, n.link) for n in notes] == [("duties.reminder", f"/duties/?year={duty.year}")]
    assert notes[0].text.startswith("执委乙：您") and Notification.objects.count() == 1
    # and her home page shows the reminder in the duty panel
    client.force_login(duty.exec_b)
    page = client.get("/").content.decode()
    assert 'data-testid="home-duty-reminder"' in page and "执委乙：您" in page


def test_reminders_look_up_the_members_accounts_once(tree, personas, duty):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from niangjia.accounts.models import User
    from niangjia.core.models import Notification

    # given three members of 东县 (two with accounts); when one reminder each is sent
    with CaptureQueriesContext(connection) as ctx:
        made = services.reminders_send(actor=personas.east, assignments=[duty.a, duty.b, duty.c],
                                       day=timezone.localdate())
    # then each got one, her accounts told, and the accounts were read in one query
    table = User._meta.db_table
    account_reads = [q for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"] and "person_id" in q["sql"]]
    assert len(made) == 3 and len(account_reads) == 1
    assert sorted(n.recipient.username for n in Notification.objects.filter(kind="duties.reminder")) == [
        "exec_a", "exec_b"]
