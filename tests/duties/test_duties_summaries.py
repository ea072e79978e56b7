"""The summary-backed progress dashboard (duties/standing.py) agrees with the row-level computation.

National, province and city reach read duty_members / duty_items summary rows; county and below
read assignments. After every kind of write (evidence, withdrawal, correction, a changed or
retired item, a new item, a cancellation, a second hand-out) the summary figures must equal an
independent recomputation from the evidence rows, on several days of the year, and
`rollup --rebuild` must give back exactly the bumped rows.
"""

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from niangjia.core.access import scoped
from niangjia.core.models import SummaryCount
from niangjia.duties import queries, rules, services, standing
from niangjia.duties.models import Assignment, Evidence, ItemStanding
from niangjia.stats import rollup
from tests.duties.conftest import executive, record


def from_evidence(user, unit, year: int, day: date) -> tuple[dict, Counter]:
    """State counts and item completion recomputed from the evidence rows, without any stored column."""
    qs = scoped(Assignment.objects.filter(year=year, status=Assignment.Status.ACTIVE), user)
    if unit is not None:
        qs = qs.filter(**{f"l{unit.level}": unit.pk})
    rows = queries.item_rows(qs)
    policy = queries.schedule_policy(unit)
    threshold = rules.behind_threshold(day, year, policy)
    counts = {"total": 0, "complete": 0, "behind": 0, "on_track": 0}
    items = Counter()
    for per in rows.values():
        done = sum(1 for r in per if r.progress.done)
        counts["total"] += 1
        counts[rules.bucket_state(done, len(per), threshold)] += 1
        for r in per:
            items[(rules.item_key(r.item.order, r.item.title), rules.completion_slot(r.progress))] += 1
    return counts, items


def evidence_from_rows(user, unit, year: int) -> dict:
    qs = scoped(Evidence.objects.filter(status="recorded", day__year=year), user)
    if unit is not None:
        qs = qs.filter(**{f"l{unit.level}": unit.pk})
    return dict(Counter(qs.values_list("kind", flat=True)))


def as_counter(completion: list[dict]) -> Counter:
    return Counter({(r["key"], s): r[s] for r in completion for s in rules.SLOTS if r[s]})


def check_agrees(user, unit, year, days, *, source):
    for day in days:
        got = queries.progress_overview(user, unit=unit, year=year, day=day)
        assert got["source"] == source
        counts, items = from_evidence(user, unit, year, day)
        assert got["counts"] == counts, day
        assert as_counter(got["completion"]) == items, day
        assert {e["kind"]: e["n"] for e in got["evidence"]} == evidence_from_rows(user, unit, year)


def live_rows(metrics=(standing.MEMBERS, standing.ITEMS)) -> set:
    return set(SummaryCount.objects.filter(metric__in=metrics).exclude(count=0)
               .values_list("metric", "period", "category", "status", "l1", "l2", "l3", "count", "total"))


@pytest.fixture
def busy(tree, personas, duty, today):
    """Evidence in both counties, a withdrawal, a correction, a retitled item and a cancellation."""
    year = duty.year
    early = date(year, 1, 10)
    record(duty.exec_a, duty.a, duty.items["contact_delegate"], 6, day=early)
    for item in duty.east_tpl.items.all():
        record(duty.exec_a, duty.a, item, item.target_min, day=early)
    record(duty.exec_b, duty.b, duty.items["contact_delegate"], 2, day=early)
    [wrong] = record(duty.exec_b, duty.b, duty.items["proposal"], 1, day=early)
    services.evidence_withdraw(actor=duty.exec_b, evidence=wrong, version=wrong.version, reason="记错了")
    [fix] = record(duty.exec_b, duty.b, duty.items["online_group"], 1, day=early)
    services.evidence_correct(actor=duty.exec_b, evidence=fix, version=fix.version, what="建了网上妇女群")
    record(duty.exec_w, duty.w, duty.w_items["research_report"], 1, day=early)
    item = duty.items["social_org"]
    services.item_update(actor=personas.east, item=item, version=item.version, title="联系一个社会组织并参加公益活动")
    extra = executive(personas.east, tree.east, "执委丁")
    services.assignment_hand_out(actor=personas.east, unit=tree.east, template=duty.east_tpl, year=year,
                                 person_ids=[extra.pk])
    c = Assignment.objects.get(pk=duty.c.pk)
    services.assignment_cancel(actor=personas.east, assignment=c, version=c.version)
    return duty


def days_of(year: int, today: date) -> list[date]:
    return [d for d in (date(year, 1, 15), date(year, 7, 2), date(year, 10, 1), date(year, 12, 31)) if d.year == year]


def test_summary_agrees_with_rows_for_nation_province_and_city(tree, personas, admin_user, busy, today):
    days = days_of(busy.year, today)
    check_agrees(admin_user, None, busy.year, days, source="summary")
    check_agrees(personas.province, tree.province, busy.year, days, source="summary")
    check_agrees(personas.province, tree.city, busy.year, days, source="summary")
    check_agrees(personas.province, None, busy.year, days, source="summary")  # her whole reach: a province


def test_county_reads_rows_and_agrees_too(tree, personas, busy, today):
    check_agrees(personas.east, tree.east, busy.year, days_of(busy.year, today), source="rows")
    check_agrees(personas.east, None, busy.year, days_of(busy.year, today), source="rows")


def test_cancelled_assignment_leaves_the_live_counts(tree, personas, admin_user, busy, today):
    got = queries.progress_overview(admin_user, unit=tree.city, year=busy.year, day=today)
    assert got["counts"]["total"] == Assignment.objects.filter(year=busy.year, status="active").count() == 4
    assert set(ItemStanding.objects.filter(assignment=busy.c).values_list("state", flat=True)) == {rules.CANCELLED}


def test_retitled_item_moves_to_its_new_key(busy):
    keys = set(ItemStanding.objects.values_list("item_key", flat=True))
    assert rules.item_key(busy.items["social_org"].order, "联系一个社会组织并参加公益活动") in keys
    assert not any(k.endswith(busy.items["social_org"].title) for k in keys
                   if busy.items["social_org"].title != "联系一个社会组织并参加公益活动")


def test_retired_item_leaves_the_tables(tree, personas, admin_user, busy, today):
    item = busy.items["proposal"]
    services.item_update(actor=personas.east, item=item, version=item.version, is_active=False)
    assert not ItemStanding.objects.filter(item=item).exists()
    check_agrees(admin_user, tree.city, busy.year, days_of(busy.year, today), source="summary")


def test_rebuild_gives_back_the_bumped_rows(busy):
    bumped = live_rows()
    assert bumped
    rollup.rebuild(standing.MEMBERS)
    rollup.rebuild(standing.ITEMS)
    assert live_rows() == bumped


def test_members_total_is_their_evidence(busy):
    total = sum(SummaryCount.objects.filter(metric=standing.MEMBERS, category="active").values_list("total", flat=True))
    assert total == sum(Assignment.objects.filter(status="active").values_list("evidence_count", flat=True))


def test_national_dashboard_is_one_query_whatever_the_members(admin_user, busy, today,
                                                              django_assert_num_queries):
    with django_assert_num_queries(1):  # unit None: no policy look-up, one GROUP BY over summaries
        queries.progress_overview(admin_user, unit=None, year=busy.year, day=today)


def test_progress_page_at_city_reach_shows_the_summary(tree, personas, busy, client):
    client.force_login(personas.province)
    resp = client.get(f"/duties/progress/?unit={tree.city.pk}&year={busy.year}")
    assert resp.status_code == 200
    html = resp.content.decode()
    live = Assignment.objects.filter(year=busy.year, status="active").count()
    assert f'data-testid="count-total">{live}<' in html
    assert "联系一个社会组织并参加公益活动" in html


@pytest.mark.parametrize("done,total,threshold,state", [
    (0, 0, 0.5, rules.ON_TRACK), (6, 6, 0.9, rules.COMPLETE), (7, 6, 0.9, rules.COMPLETE),
    (2, 6, 0.5, rules.BEHIND), (3, 6, 0.5, rules.ON_TRACK), (0, 6, 0.0, rules.ON_TRACK),
    (5, 6, 1.0, rules.BEHIND),
])
def test_bucket_state_edges(done, total, threshold, state):
    assert rules.bucket_state(done, total, threshold) == state


def test_keys_round_trip():
    assert rules.parse_standing(rules.standing_key(3, 6)) == (3, 6)
    key = rules.item_key(3, "一个网上妇女群")
    assert key == "03 一个网上妇女群" and rules.item_key_title(key) == "一个网上妇女群"
    assert len(rules.item_key(12, "长" * 100)) == rules.ITEM_KEY_LENGTH


def test_progress_api_gives_the_same_figures_and_is_in_openapi(client, tree, personas, busy, today):
    client.force_login(personas.province)
    r = client.get(f"/api/v1/duties/progress?unit={tree.city.pk}&year={busy.year}")
    assert r.status_code == 200, r.content
    body = r.json()
    want = queries.progress_overview(personas.province, unit=tree.city, year=busy.year, day=today)
    assert body["counts"] == want["counts"] and body["source"] == "summary"
    assert [(c["key"], c["done"]) for c in body["completion"]] == [(c["key"], c["done"]) for c in want["completion"]]
    assert sum(e["n"] for e in body["evidence"]) == Evidence.objects.filter(status="recorded").count()
    assert "/api/v1/duties/progress" in client.get("/api/openapi.json").json()["paths"]


def test_progress_api_refuses_outside_reach_and_without_permission(client, tree, personas, duty):
    client.force_login(personas.west)
    assert client.get(f"/api/v1/duties/progress?unit={tree.east.pk}").status_code == 404
    client.force_login(duty.exec_a)  # an executive member: her own checklist only
    assert client.get("/api/v1/duties/progress").status_code == 403


def test_cancelling_a_checklist_of_8_items_costs_at_most_20_queries(tree, personas, duty):
    # given 执委甲's checklist of the preset's 8 items, one with evidence (88 queries before core.metrics)
    record(duty.exec_a, duty.a, duty.items["contact_delegate"], 2)
    assert duty.east_tpl.items.filter(is_active=True).count() == 8
    before = live_rows()
    assignment = Assignment.objects.get(pk=duty.a.pk)
    # when a manager cancels it
    with CaptureQueriesContext(connection) as ctx:
        services.assignment_cancel(actor=personas.east, assignment=assignment, version=assignment.version)
    # then at most 20 queries, and the summaries still agree with a rebuild
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) <= 20, "\n".join(sql)
    assert live_rows() != before
    after = live_rows()
    rollup.rebuild(standing.MEMBERS)
    rollup.rebuild(standing.ITEMS)
    assert live_rows() == after
