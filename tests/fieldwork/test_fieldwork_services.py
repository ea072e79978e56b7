"""Field-work services: stays (overlap, counting once, versions), diaries with needs, reports,
proposals, rule adoption; every write audited and counted in the summaries."""

from datetime import date, timedelta

import pytest

from niangjia.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from niangjia.core.models import AuditEntry, SummaryCount
from niangjia.fieldwork import queries
from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import Diary, FieldRule, FieldStay, Proposal, ResearchReport, RuleAdoption
from niangjia.needs.models import Need
from niangjia.stats import rollup
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db


def _field_days(status="done"):
    rows = SummaryCount.objects.filter(metric="field_days", status=status)
    return sum(r.count for r in rows), sum(r.total for r in rows)


def test_a_cadre_logs_her_own_stay_and_it_is_counted_and_audited(tree, personas, fw_people):
    # when
    stay = fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(6),
                       end=days_ago(2))
    # then
    assert (stay.days, stay.status, stay.setting, stay.place_level) == (5, "done", "rural", 6)
    assert (stay.unit_id, stay.l4) == (tree.east.pk, tree.east.pk)  # scoped to her home unit
    assert _field_days() == (1, 5)
    assert AuditEntry.objects.filter(action="fieldwork.stay_log", target_id=str(stay.pk)).count() == 1


def test_an_overlapping_stay_is_refused_naming_the_other_and_nothing_is_written(tree, personas, fw_people):
    # given
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(10),
                end=days_ago(5))
    audits = AuditEntry.objects.count()
    # when
    with pytest.raises(ValidationFailed) as exc:
        fw.stay_plan(actor=personas.east, person=fw_people.east, place=tree.east_town, start=days_ago(5),
                     end=days_ago(1))
    # then
    assert exc.value.code == "overlap"
    assert "东村妇联" in exc.value.message and "重叠" in exc.value.message
    assert FieldStay.objects.count() == 1
    assert AuditEntry.objects.count() == audits
    assert _field_days("planned") == (0, 0)


def test_a_cancelled_stay_frees_its_dates_and_stops_counting(tree, personas, fw_people):
    stay = fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(10),
                       end=days_ago(5))
    fw.stay_cancel(actor=personas.east, stay=stay, version=stay.version)
    again = fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_town, start=days_ago(7),
                        end=days_ago(6))
    assert again.pk
    assert _field_days() == (1, 2)
    assert _field_days("cancelled") == (1, 6)


def test_stays_of_different_people_may_overlap(tree, personas, fw_people):
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(3), end=days_ago(1))
    fw.stay_log(actor=personas.west, person=fw_people.west, place=tree.west_village, start=days_ago(3), end=days_ago(1))
    assert FieldStay.objects.count() == 2


def test_edit_rechecks_overlap_and_moves_the_summary(tree, personas, fw_people):
    a = fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(20),
                    end=days_ago(18))
    b = fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(10),
                    end=days_ago(9))
    with pytest.raises(ValidationFailed):
        fw.stay_update(actor=personas.east, stay=b, version=b.version, start=days_ago(18))
    b.refresh_from_db()
    assert b.start == days_ago(10)
    fw.stay_update(actor=personas.east, stay=b, version=b.version, end=days_ago(5))
    assert _field_days() == (2, 3 + 6)
    assert a.pk != b.pk


def test_a_stale_edit_is_refused(tree, personas, fw_people):
    stay = fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(3),
                       end=days_ago(1))
    fw.stay_update(actor=personas.east, stay=stay, version=stay.version, note="第一次")
    with pytest.raises(StaleVersion):
        fw.stay_update(actor=personas.east, stay=FieldStay.objects.get(pk=stay.pk), version=1, note="旧版本")
    assert FieldStay.objects.get(pk=stay.pk).note == "第一次"


def test_a_done_stay_cannot_end_in_the_future_but_a_plan_can(tree, personas, fw_people):
    future = date.today() + timedelta(days=10)
    with pytest.raises(ValidationFailed) as exc:
        fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=future, end=future)
    assert "end" in exc.value.fields
    plan = fw.stay_plan(actor=personas.east, person=fw_people.east, place=tree.east_village, start=future, end=future)
    assert plan.status == "planned"


def test_end_before_start_names_the_field(tree, personas, fw_people):
    with pytest.raises(ValidationFailed) as exc:
        fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(1),
                    end=days_ago(3))
    assert exc.value.fields == {"end": "结束日期不能早于开始日期"}
    assert not FieldStay.objects.exists()


def test_a_cadre_cannot_log_a_stay_for_someone_else(tree, personas, fw_people):
    with pytest.raises(Forbidden):
        fw.stay_log(actor=personas.township, person=fw_people.village, place=tree.east_village, start=days_ago(2),
                    end=days_ago(1))
    assert not FieldStay.objects.exists()


def test_a_leader_may_log_a_stay_for_someone_in_her_reach(tree, personas, fw_people):
    stay = fw.stay_log(actor=personas.province, person=fw_people.east, place=tree.east_village, start=days_ago(2),
                       end=days_ago(1))
    assert stay.person == fw_people.east


def test_a_stay_outside_the_reach_is_refused_as_not_found(tree, personas, fw_people):
    with pytest.raises(NotFound):
        fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.west_village, start=days_ago(2),
                    end=days_ago(1))
    assert not FieldStay.objects.exists()


def test_diary_registers_needs_heard_in_the_same_transaction(tree, personas, fw_people):
    diary = fw.diary_write(actor=personas.village, person=fw_people.village, place=tree.east_village, date=days_ago(1),
                           title="东村走访", text="听取意见", women_met=8,
                           needs=[{"category": "employment", "urgency": "normal", "description": "想学电商"},
                                  {"category": "hardship", "urgency": "urgent", "description": "医疗费用困难"}])
    needs = Need.objects.filter(source_type="fieldwork.diary", source_id=diary.pk).order_by("id")
    assert [(n.category, n.channel, n.unit_id, n.status) for n in needs] == [
        ("employment", "field_visit", tree.east_village.pk, "registered"),
        ("hardship", "field_visit", tree.east_village.pk, "registered")]
    assert SummaryCount.objects.get(metric="diary").total == 8
    assert sum(SummaryCount.objects.filter(metric="need").values_list("count", flat=True)) == 2


def test_a_bad_need_row_writes_no_diary_and_no_need(tree, personas, fw_people):
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        fw.diary_write(actor=personas.village, person=fw_people.village, place=tree.east_village, date=days_ago(1),
                       title="东村走访", text="听取意见",
                       needs=[{"category": "employment", "description": "想学电商"},
                              {"category": "employment", "description": "  "}])
    assert exc.value.message == "第 2 条需求：需求内容不能为空"
    assert not Diary.objects.exists() and not Need.objects.exists()
    assert AuditEntry.objects.count() == audits
    assert not SummaryCount.objects.filter(metric__in=["diary", "need"]).exists()


def test_a_failure_while_writing_needs_rolls_the_diary_back(tree, personas, fw_people, monkeypatch):
    from niangjia.needs import services as needs_services

    def boom(**kw):
        raise ValidationFailed("需求写入失败")

    monkeypatch.setattr(needs_services, "need_register", boom)
    with pytest.raises(ValidationFailed):
        fw.diary_write(actor=personas.village, person=fw_people.village, place=tree.east_village, date=days_ago(1),
                       title="t", text="x", needs=[{"category": "legal", "description": "咨询"}])
    assert not Diary.objects.exists()
    assert not SummaryCount.objects.filter(metric="diary").exists()


def test_report_and_proposal_with_status(tree, personas, fw_people):
    r = fw.report_file(actor=personas.east, person=fw_people.east, date=days_ago(3), title="调研", topic="留守妇女就业")
    p = fw.proposal_file(actor=personas.east, person=fw_people.east, date=days_ago(2), title="建议",
                         text="建议内容", addressed_to="县政府")
    fw.proposal_set_status(actor=personas.east, proposal=p, version=p.version, status="adopted")
    assert ResearchReport.objects.get().pk == r.pk
    assert Proposal.objects.get().status == "adopted"
    rows = {(s.status, s.count) for s in SummaryCount.objects.filter(metric="proposal")}
    assert rows == {("submitted", 0), ("adopted", 1)}


def test_rule_adoption_copies_the_units_policy_figures(tree, personas, fw_people):
    from niangjia.core import policies

    policies.set_override(actor=personas.province, key="fieldwork.provincial_leaders", unit=tree.province,
                          value={"min_days": 45})
    a = fw.rule_adopt(actor=personas.province, unit=tree.province, preset="fieldwork.provincial_leaders",
                      overrides={"count_trip": True})
    assert (a.rule.params["min_days"], a.rule.count_trip, a.body, a.levels) == (45, True, "leadership", [2])


def test_a_cadre_cannot_adopt_rules(tree, personas, fw_people):
    with pytest.raises(Forbidden):
        fw.rule_adopt(actor=personas.east, unit=tree.east, preset="fieldwork.organ_cadres")
    assert not FieldRule.objects.exists() and not RuleAdoption.objects.exists()


def test_unknown_override_is_refused(tree, personas, fw_people):
    with pytest.raises(ValidationFailed):
        fw.rule_adopt(actor=personas.province, unit=tree.province, preset="fieldwork.organ_cadres",
                      overrides={"bogus": 1})
    assert not FieldRule.objects.exists()


def test_standing_applies_through_posts_and_counts_days_once(tree, personas, fw_people, adopted):
    year = date.today().year
    fw.stay_log(actor=personas.province, person=fw_people.province, place=tree.east_village, start=date(year, 1, 2),
                end=date(year, 1, 11))
    fw.stay_log(actor=personas.province, person=fw_people.province, place=tree.city, start=date(year, 1, 12),
                end=date(year, 1, 13))  # a city is not the grassroots: not counted
    standings = queries.standing_of(fw_people.province, year=year)
    assert [s.headline for s in standings] == ["10 / 60 天"]
    cadre = queries.standing_of(fw_people.east, year=year)
    assert [s.kind for s in cadre] == ["window_week"]
    assert queries.standing_of(fw_people.village, year=year) == []  # executives: no rule adopted


def test_unit_standings_lists_the_subtree_and_who_broke_a_rule(tree, personas, fw_people, adopted):
    last = date.today().year - 1
    for m in (1, 3, 5, 7, 9, 11):
        fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=date(last, m, 3),
                    end=date(last, m, 7), kind="work_week")
    rows, _ = queries.unit_standings(personas.province, tree.province, year=last)
    by_name = {r["person"].name: r["standing"].status for r in rows}
    assert by_name == {"省主席": "broken", "东县干部": "met", "西县干部": "broken", "东镇干部": "broken"}
    broken, _ = queries.unit_standings(personas.province, tree.province, year=last, status="broken")
    assert "东县干部" not in {r["person"].name for r in broken}
    east_only, _ = queries.unit_standings(personas.east, tree.east, year=last)
    assert {r["person"].name for r in east_only} == {"东县干部", "东镇干部"}


def test_rollup_rebuild_gives_the_rows_the_bumps_gave(tree, personas, fw_people):
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(9), end=days_ago(7))
    fw.diary_write(actor=personas.east, person=fw_people.east, place=tree.east_village, date=days_ago(7), title="t",
                   text="x", women_met=3, needs=[{"category": "legal", "description": "咨询"}])
    fw.report_file(actor=personas.east, person=fw_people.east, date=days_ago(3), title="r", topic="t")
    metrics = ["field_days", "diary", "research_report", "proposal", "need"]

    def snapshot():
        return set(SummaryCount.objects.filter(metric__in=metrics, count__gt=0)
                   .values_list("metric", "period", "category", "status", "l1", "l2", "l3", "count", "total"))

    before = snapshot()
    rollup.rebuild_all(metrics)
    assert snapshot() == before
