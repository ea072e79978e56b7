"""The direct-contact rules, exhaustively: what each check says is missing, and when a contact is overdue."""

from datetime import date, timedelta

import pytest

from niangjia.contacts import rules
from niangjia.contacts.models import Kind, Slot
from niangjia.core import policies

FIVE = rules.FIVE_ONES.preset
THREE = rules.THREE_ONES.preset
TEN = rules.TEN_WOMEN.preset
ALL_FIVE = {s: 1 for s in rules.FIVE_ONES_SLOTS}
ALL_THREE = {s: 1 for s in rules.THREE_ONES_SLOTS}

FIVE_MESSAGES = {
    Slot.COUNTY_FEDERATION: "缺：一个县级妇联",
    Slot.GROUP_MEMBER: "缺：一个团体会员",
    Slot.WORKPLACE_COMMITTEE: "缺：一个机关企事业单位妇委会",
    Slot.FIRM_OR_SOCIAL_ORG: "缺：一个女性较多的非公企业或社会组织",
    Slot.PROVINCIAL_EXECUTIVE: "缺：一名省妇联执委",
}
THREE_MESSAGES = {
    Slot.TOWNSHIP_FEDERATION: "缺：一个乡镇（街道）妇联",
    Slot.VILLAGE_FEDERATION: "缺：一个村（社区）妇联",
    Slot.REPRESENTATIVE_WOMAN: "缺：一名代表性妇女",
}


# ---------------------------------------------------------------- presets


def test_presets_are_registered_with_the_documents_figures():
    assert policies.REGISTRY["contacts.five_ones"].preset == {str(s): 1 for s in rules.FIVE_ONES_SLOTS}
    assert policies.REGISTRY["contacts.three_ones"].preset == {str(s): 1 for s in rules.THREE_ONES_SLOTS}
    assert policies.REGISTRY["contacts.ten_women"].preset == {"ordinary_women_min": 10, "poor_min": 1,
                                                               "new_org_min": 1}
    assert policies.REGISTRY["contacts.not_heard_from"].preset == {"days": 90}


# ---------------------------------------------------------------- five ones


def test_five_ones_empty_plan_lists_all_five_missing():
    result = rules.check(Kind.FIVE_ONES, {}, FIVE)
    assert not result.complete
    assert result.missing == list(FIVE_MESSAGES.values())
    assert (result.have, result.need) == (0, 5)


@pytest.mark.parametrize("absent", rules.FIVE_ONES_SLOTS)
def test_five_ones_names_exactly_the_one_missing_slot(absent):
    counts = {s: 1 for s in rules.FIVE_ONES_SLOTS if s != absent}
    result = rules.check(Kind.FIVE_ONES, counts, FIVE)
    assert result.missing == [FIVE_MESSAGES[absent]]
    assert (result.have, result.need) == (4, 5)
    assert result.text == FIVE_MESSAGES[absent]


def test_five_ones_complete_and_extras_do_not_hurt():
    result = rules.check(Kind.FIVE_ONES, {**ALL_FIVE, Slot.COUNTY_FEDERATION: 3}, FIVE)
    assert result.complete and result.missing == [] and result.text == "齐全"
    assert (result.have, result.need) == (5, 5)


def test_five_ones_with_a_federation_asking_two_says_how_many_are_missing():
    policy = {**FIVE, Slot.WORKPLACE_COMMITTEE: 2, Slot.GROUP_MEMBER: 3}
    result = rules.check(Kind.FIVE_ONES, ALL_FIVE, policy)
    assert result.missing == ["缺：2 个团体会员", "缺：一个机关企事业单位妇委会"]
    assert (result.have, result.need) == (5, 8)


def test_five_ones_slot_set_to_zero_is_not_required():
    counts = {s: 1 for s in rules.FIVE_ONES_SLOTS if s != Slot.GROUP_MEMBER}
    assert rules.check(Kind.FIVE_ONES, counts, {**FIVE, Slot.GROUP_MEMBER: 0}).complete


def test_five_ones_ignores_slots_of_other_kinds():
    result = rules.check(Kind.FIVE_ONES, {**ALL_THREE, Slot.ORDINARY_WOMAN: 10}, FIVE)
    assert len(result.missing) == 5


# ---------------------------------------------------------------- three ones


def test_three_ones_empty_and_complete():
    assert rules.check(Kind.THREE_ONES, {}, THREE).missing == list(THREE_MESSAGES.values())
    assert rules.check(Kind.THREE_ONES, ALL_THREE, THREE).complete


@pytest.mark.parametrize("absent", rules.THREE_ONES_SLOTS)
def test_three_ones_names_the_missing_slot(absent):
    counts = {s: 1 for s in rules.THREE_ONES_SLOTS if s != absent}
    assert rules.check(Kind.THREE_ONES, counts, THREE).missing == [THREE_MESSAGES[absent]]


# ---------------------------------------------------------------- ten ordinary women


def women(n, poor=0, new_org=0):
    return {Slot.ORDINARY_WOMAN: n, "poor": poor, "new_org": new_org}


def test_ten_women_seven_with_poor_and_new_org_needs_three_more():
    result = rules.check(Kind.TEN_WOMEN, women(7, 1, 1), TEN)
    assert result.missing == ["还需 3 名普通妇女"]
    assert (result.have, result.need) == (9, 12)


def test_ten_women_without_a_poor_woman():
    assert rules.check(Kind.TEN_WOMEN, women(10, 0, 2), TEN).missing == ["缺少困难妇女"]


def test_ten_women_without_a_woman_from_a_new_organisation():
    assert rules.check(Kind.TEN_WOMEN, women(10, 3, 0), TEN).missing == ["缺少新经济新社会组织中的妇女"]


def test_ten_women_none_at_all():
    assert rules.check(Kind.TEN_WOMEN, {}, TEN).missing == [
        "还需 10 名普通妇女", "缺少困难妇女", "缺少新经济新社会组织中的妇女"]


def test_ten_women_exactly_ten_with_one_each_is_complete_and_more_is_too():
    assert rules.check(Kind.TEN_WOMEN, women(10, 1, 1), TEN).complete
    assert rules.check(Kind.TEN_WOMEN, women(14, 2, 5), TEN).complete


def test_ten_women_nine_is_one_short():
    assert rules.check(Kind.TEN_WOMEN, women(9, 1, 1), TEN).missing == ["还需 1 名普通妇女"]


def test_ten_women_with_a_federation_asking_two_poor_women():
    policy = {**TEN, "poor_min": 2}
    assert rules.check(Kind.TEN_WOMEN, women(10, 1, 1), policy).missing == ["还需 1 名困难妇女"]
    assert rules.check(Kind.TEN_WOMEN, women(10, 0, 1), policy).missing == ["缺少困难妇女"]


def test_ten_women_a_lower_local_minimum():
    assert rules.check(Kind.TEN_WOMEN, women(5, 1, 1), {**TEN, "ordinary_women_min": 5}).complete


def test_counts_of_counts_tags_of_ordinary_women_only():
    counts = rules.counts_of([
        (Slot.ORDINARY_WOMAN, ["poor", "rural"]),
        (Slot.ORDINARY_WOMAN, ["new_org", "poor"]),
        (Slot.ORDINARY_WOMAN, []),
        (Slot.REPRESENTATIVE_WOMAN, ["poor"]),
        (Slot.COUNTY_FEDERATION, None),
    ])
    assert counts == {Slot.ORDINARY_WOMAN: 3, "poor": 2, "new_org": 1, Slot.REPRESENTATIVE_WOMAN: 1,
                      Slot.COUNTY_FEDERATION: 1}


def test_one_woman_both_poor_and_from_a_new_org_meets_both():
    counts = rules.counts_of([(Slot.ORDINARY_WOMAN, ["poor", "new_org"])] + [(Slot.ORDINARY_WOMAN, [])] * 9)
    assert rules.check(Kind.TEN_WOMEN, counts, TEN).complete


# ---------------------------------------------------------------- not heard from


def test_exactly_n_days_is_not_flagged_one_more_is():
    today = date(2025, 6, 30)
    assert not rules.is_overdue(today - timedelta(days=90), date(2025, 1, 1), today, 90)
    assert rules.is_overdue(today - timedelta(days=91), date(2025, 1, 1), today, 90)
    assert rules.days_silent(today - timedelta(days=91), date(2025, 1, 1), today) == 91


def test_contacted_today_is_zero_days_silent():
    today = date(2025, 6, 30)
    assert rules.days_silent(today, date(2025, 1, 1), today) == 0
    assert not rules.is_overdue(today, date(2025, 1, 1), today, 90)


def test_no_events_flags_from_the_plan_start():
    start = date(2025, 1, 1)
    assert not rules.is_overdue(None, start, start + timedelta(days=90), 90)
    assert rules.is_overdue(None, start, start + timedelta(days=91), 90)
    assert rules.days_silent(None, start, date(2025, 4, 6)) == 95


def test_a_target_added_later_runs_from_the_day_it_joined():
    start, added = date(2025, 1, 1), date(2025, 5, 1)
    since = rules.target_since(start, added)
    assert since == added
    assert not rules.is_overdue(None, since, date(2025, 7, 30), 90)  # 90 days after joining
    assert rules.is_overdue(None, since, date(2025, 7, 31), 90)
    assert rules.target_since(start, date(2024, 12, 1)) == start  # added before the plan started


def test_leap_year_february_has_29_days():
    # 2024-02-28 → 2024-05-28 spans Feb 29: 90 days, not flagged; the next day is
    assert rules.days_silent(date(2024, 2, 28), date(2024, 1, 1), date(2024, 5, 28)) == 90
    assert not rules.is_overdue(date(2024, 2, 28), date(2024, 1, 1), date(2024, 5, 28), 90)
    assert rules.is_overdue(date(2024, 2, 28), date(2024, 1, 1), date(2024, 5, 29), 90)
    # the same calendar days in 2023 are one day shorter
    assert rules.days_silent(date(2023, 2, 28), date(2023, 1, 1), date(2023, 5, 28)) == 89
    assert not rules.is_overdue(date(2023, 2, 28), date(2023, 1, 1), date(2023, 5, 29), 90)


def test_leap_day_contact_and_a_year_later():
    assert rules.days_silent(date(2024, 2, 29), date(2024, 1, 1), date(2025, 2, 28)) == 365
    assert rules.days_silent(date(2024, 2, 29), date(2024, 1, 1), date(2025, 3, 1)) == 366
    assert rules.is_overdue(date(2024, 2, 29), date(2024, 1, 1), date(2024, 5, 30), 90)
    assert not rules.is_overdue(date(2024, 2, 29), date(2024, 1, 1), date(2024, 5, 29), 90)


def test_a_plan_starting_in_the_future_is_not_silent_yet():
    assert rules.days_silent(None, date(2026, 1, 1), date(2025, 12, 1)) == 0
    assert not rules.is_overdue(None, date(2026, 1, 1), date(2025, 12, 1), 90)


def test_cutoff_agrees_with_is_overdue_for_every_day_around_it():
    today = date(2024, 3, 31)
    cutoff = rules.overdue_cutoff(today, 30)
    for back in range(25, 36):
        last = today - timedelta(days=back)
        assert rules.is_overdue(last, date(2024, 1, 1), today, 30) == (last < cutoff) == (back > 30)


def test_event_day_rules():
    start, today = date(2025, 1, 1), date(2025, 6, 30)
    assert rules.event_day_problem(today, start, today) is None
    assert rules.event_day_problem(start, start, today) is None
    assert rules.event_day_problem(today + timedelta(days=1), start, today) == "联系日期不能晚于今天"
    assert rules.event_day_problem(date(2024, 12, 31), start, today) == "联系日期早于计划开始日期（2025-01-01）"


# ---------------------------------------------------------------- who, which slot, what link


def test_eligibility_by_post():
    assert rules.eligibility_problem(Kind.FIVE_ONES, {"leadership"}) is None
    assert rules.eligibility_problem(Kind.TEN_WOMEN, {"leadership", "executive"}) is None
    assert rules.eligibility_problem(Kind.THREE_ONES, {"organ_staff"}) is None
    assert "领导班子成员" in rules.eligibility_problem(Kind.FIVE_ONES, {"organ_staff"})
    assert "机关干部" in rules.eligibility_problem(Kind.THREE_ONES, {"leadership"})
    assert rules.eligibility_problem(Kind.TEN_WOMEN, set()) is not None
    assert rules.eligibility_problem("seven_ones", {"leadership"}) == "未知的联系制度"


@pytest.mark.parametrize("kind,slots", list(rules.KIND_SLOTS.items()))
def test_slots_belong_to_their_kind_only(kind, slots):
    for slot in Slot.values:
        assert (rules.slot_problem(kind, slot) is None) == (slot in slots)
    assert rules.slot_problem(kind, "cousin") == "未知的联系对象类别"


FED = rules.LinkFacts
GOOD_LINKS = {
    Slot.COUNTY_FEDERATION: FED("federation", level=4),
    Slot.TOWNSHIP_FEDERATION: FED("federation", level=5),
    Slot.VILLAGE_FEDERATION: FED("federation", level=6),
    Slot.GROUP_MEMBER: FED("organisation", org_kind="group_member"),
    Slot.WORKPLACE_COMMITTEE: FED("organisation", org_kind="workplace_committee"),
    Slot.FIRM_OR_SOCIAL_ORG: FED("organisation", org_kind="social_org"),
    Slot.PROVINCIAL_EXECUTIVE: FED("person", gender="F", provincial_executive=True),
    Slot.REPRESENTATIVE_WOMAN: FED("person", gender="F"),
    Slot.ORDINARY_WOMAN: FED("person", gender="F"),
}


@pytest.mark.parametrize("slot", Slot.values)
def test_each_slot_takes_its_own_kind_of_record_only(slot):
    assert rules.link_problem(slot, GOOD_LINKS[slot]) is None
    for other, link in GOOD_LINKS.items():
        if rules.SLOT_LINKS[other][0] != rules.SLOT_LINKS[slot][0]:
            assert "应选择" in rules.link_problem(slot, link)


def test_link_details():
    assert rules.link_problem(Slot.COUNTY_FEDERATION, FED("federation", level=5)) == "“县级妇联”应选择县级妇联"
    assert rules.link_problem(Slot.FIRM_OR_SOCIAL_ORG, FED("organisation", org_kind="new_org_women")) is None
    assert rules.link_problem(Slot.FIRM_OR_SOCIAL_ORG, FED("organisation", org_kind="partner_agency")) == \
        "所选组织不是女性较多的非公企业或社会组织"
    assert rules.link_problem(Slot.PROVINCIAL_EXECUTIVE, FED("person", gender="F")) == "所选人员不是在任的省妇联执委"
    assert rules.link_problem(Slot.ORDINARY_WOMAN, FED("person", gender="M")) == "“普通妇女”应选择女性"
    assert rules.link_problem(Slot.ORDINARY_WOMAN, FED("person", gender="F", active=False)) == "所选记录已停用"
    # a man may be a provincial executive member
    assert rules.link_problem(Slot.PROVINCIAL_EXECUTIVE, FED("person", gender="M", provincial_executive=True)) is None
