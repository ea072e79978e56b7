"""The pure rules of going down to the grassroots: counting days, windows, standings."""

from datetime import date

import pytest

from niangjia.core import policies
from niangjia.fieldwork import rules
from niangjia.fieldwork.rules import BROKEN, IN_PROGRESS, MET, UPCOMING, Evidence, RuleSpec, Stay

D = date
ALWAYS = rules.counted_kinds({})


# ---------------------------------------------------------------- union of days

def test_union_of_disjoint_ranges_adds_their_days():
    assert rules.union_days([(D(2025, 1, 1), D(2025, 1, 3)), (D(2025, 1, 10), D(2025, 1, 10))]) == 4


def test_overlapping_ranges_count_each_day_once():
    assert rules.union_days([(D(2025, 1, 1), D(2025, 1, 5)), (D(2025, 1, 3), D(2025, 1, 8))]) == 8


def test_a_range_inside_another_adds_nothing():
    assert rules.union_days([(D(2025, 1, 1), D(2025, 1, 31)), (D(2025, 1, 10), D(2025, 1, 12))]) == 31


def test_adjacent_ranges_join_without_double_counting():
    assert rules.union_days([(D(2025, 1, 1), D(2025, 1, 5)), (D(2025, 1, 5), D(2025, 1, 6))]) == 6
    assert rules.union_days([(D(2025, 1, 1), D(2025, 1, 5)), (D(2025, 1, 6), D(2025, 1, 6))]) == 6


def test_unsorted_and_duplicate_ranges():
    r = (D(2025, 3, 1), D(2025, 3, 2))
    assert rules.union_days([(D(2025, 5, 1), D(2025, 5, 1)), r, r]) == 3


def test_no_ranges_is_zero_days():
    assert rules.union_days([]) == 0


def test_clipping_to_a_period():
    # a stay from Dec 30 to Jan 2 gives two days to each year
    stay = [(D(2024, 12, 30), D(2025, 1, 2))]
    assert rules.union_days(stay, D(2024, 1, 1), D(2024, 12, 31)) == 2
    assert rules.union_days(stay, D(2025, 1, 1), D(2025, 12, 31)) == 2


def test_a_range_outside_the_period_counts_nothing():
    assert rules.union_days([(D(2024, 1, 1), D(2024, 1, 9))], D(2025, 1, 1), D(2025, 12, 31)) == 0


def test_leap_day_is_a_day():
    assert rules.union_days([(D(2024, 2, 28), D(2024, 3, 1))]) == 3
    assert rules.union_days([(D(2025, 2, 28), D(2025, 3, 1))]) == 2


def test_a_leap_year_has_366_days():
    assert rules.union_days([(D(2024, 1, 1), D(2024, 12, 31))], D(2024, 1, 1), D(2024, 12, 31)) == 366
    assert rules.union_days([(D(2023, 6, 1), D(2025, 6, 1))], D(2023, 1, 1), D(2023, 12, 31)) == 214


# ---------------------------------------------------------------- overlap

@pytest.mark.parametrize(("start", "end", "hit"), [
    (D(2025, 3, 1), D(2025, 3, 4), None),  # ends the day before
    (D(2025, 3, 1), D(2025, 3, 5), "a"),  # shares the first day
    (D(2025, 3, 10), D(2025, 3, 12), "a"),  # shares the last day
    (D(2025, 3, 11), D(2025, 3, 12), None),  # starts the day after
    (D(2025, 3, 6), D(2025, 3, 7), "a"),  # inside
    (D(2025, 2, 1), D(2025, 4, 1), "a"),  # around
])
def test_overlap_bounds_are_inclusive(start, end, hit):
    assert rules.find_overlap(start, end, [("a", D(2025, 3, 5), D(2025, 3, 10))]) == hit


# ---------------------------------------------------------------- counted kinds and places

def test_trips_inspections_home_visits_and_holidays_count_only_when_allowed():
    stays = [Stay(D(2025, 1, 1), D(2025, 1, 2), "trip"), Stay(D(2025, 1, 3), D(2025, 1, 3), "inspection"),
             Stay(D(2025, 1, 4), D(2025, 1, 4), "home_visit"), Stay(D(2025, 1, 5), D(2025, 1, 5), "holiday"),
             Stay(D(2025, 1, 6), D(2025, 1, 6), "stay")]
    year = (D(2025, 1, 1), D(2025, 12, 31))
    assert rules.days_in(stays, *year, kinds=rules.counted_kinds({})) == 1
    assert rules.days_in(stays, *year, kinds=rules.counted_kinds({"trip": True})) == 3
    all_flags = {"trip": True, "inspection": True, "home_visit": True, "holiday": True}
    assert rules.days_in(stays, *year, kinds=rules.counted_kinds(all_flags)) == 6


def test_work_weeks_and_cadre_days_always_count():
    assert {"stay", "work_week", "cadre_day"} <= ALWAYS


def test_planned_and_cancelled_stays_do_not_count():
    stays = [Stay(D(2025, 1, 1), D(2025, 1, 5), status="planned"), Stay(D(2025, 2, 1), D(2025, 2, 5), status="cancelled")]
    assert rules.days_in(stays, D(2025, 1, 1), D(2025, 12, 31), kinds=ALWAYS) == 0


def test_stays_above_the_grassroots_do_not_count_when_the_rule_says_county_and_below():
    stays = [Stay(D(2025, 1, 1), D(2025, 1, 5), place_level=3), Stay(D(2025, 2, 1), D(2025, 2, 2), place_level=4)]
    assert rules.days_in(stays, D(2025, 1, 1), D(2025, 12, 31), kinds=ALWAYS, min_place_level=4) == 2


@pytest.mark.parametrize(("name", "level", "setting"), [
    ("塘浦社区", 6, "urban"), ("递铺街道", 5, "urban"), ("余村", 6, "rural"), ("天荒坪镇", 5, "rural"),
    ("溪龙乡", 5, "rural"), ("吴兴区", 4, "urban"), ("安吉县", 4, "other"), ("湖州市", 3, "urban"),
    ("东村妇联", 6, "rural"),
])
def test_urban_or_rural_from_the_place_name(name, level, setting):
    assert rules.setting_for(name, level) == setting


# ---------------------------------------------------------------- days per year

PROVINCE = RuleSpec("省领导60天", "days_per_year", {"min_days": 60, "min_place_level": 4})


def _stays(*ranges, **kw):
    return [Stay(a, b, **kw) for a, b in ranges]


def test_days_per_year_in_progress_shows_days_against_target():
    ev = Evidence(_stays((D(2025, 3, 1), D(2025, 4, 7))))  # 38 days
    st = rules.evaluate(PROVINCE, ev, 2025, today=D(2025, 6, 1))
    assert (st.headline, st.status, st.period) == ("38 / 60 天", IN_PROGRESS, "2025年")


def test_days_per_year_met_as_soon_as_the_target_is_reached():
    ev = Evidence(_stays((D(2025, 3, 1), D(2025, 4, 29))))  # 60 days
    assert rules.evaluate(PROVINCE, ev, 2025, today=D(2025, 5, 1)).status == MET


def test_days_per_year_broken_once_the_year_has_closed():
    ev = Evidence(_stays((D(2024, 3, 1), D(2024, 3, 10))))
    st = rules.evaluate(PROVINCE, ev, 2024, today=D(2025, 1, 1))
    assert (st.status, st.status_name) == (BROKEN, "未完成")


def test_the_last_day_of_the_year_is_still_in_progress():
    assert rules.evaluate(PROVINCE, Evidence(), 2025, today=D(2025, 12, 31)).status == IN_PROGRESS


def test_planned_days_are_shown_apart():
    ev = Evidence(_stays((D(2025, 9, 1), D(2025, 9, 10)), status="planned"))
    st = rules.evaluate(PROVINCE, ev, 2025, today=D(2025, 6, 1))
    assert (st.done, st.note) == (0, "另有计划 10 天")


def test_a_stay_across_new_year_counts_in_each_year():
    ev = Evidence(_stays((D(2024, 12, 20), D(2025, 1, 10))))
    assert rules.evaluate(PROVINCE, ev, 2024, D(2025, 6, 1)).done == 12
    assert rules.evaluate(PROVINCE, ev, 2025, D(2025, 6, 1)).done == 10


# ---------------------------------------------------------------- windows

CADRES = RuleSpec("双月工作周", "window_week", {"min_days": 5, "min_place_level": 4})


def _chips(st):
    return {c.label: c.status for c in st.chips}


def test_six_two_month_windows_starting_in_january():
    st = rules.evaluate(CADRES, Evidence(), 2025, today=D(2026, 1, 1))
    assert [c.label for c in st.chips] == ["1–2月", "3–4月", "5–6月", "7–8月", "9–10月", "11–12月"]
    assert st.status == BROKEN and st.headline == "0 / 6 个窗口"


def test_five_days_in_a_window_need_not_be_consecutive():
    ev = Evidence(_stays((D(2025, 3, 3), D(2025, 3, 4)), (D(2025, 4, 20), D(2025, 4, 22)), kind="work_week"))
    st = rules.evaluate(CADRES, ev, 2025, today=D(2025, 5, 10))
    assert _chips(st)["3–4月"] == MET
    assert st.chips[1].text == "3–4月：已完成"


def test_four_days_do_not_make_a_window():
    ev = Evidence(_stays((D(2025, 3, 3), D(2025, 3, 6))))
    st = rules.evaluate(CADRES, ev, 2025, today=D(2025, 5, 10))
    assert _chips(st)["3–4月"] == BROKEN
    assert st.chips[1].text == "3–4月：缺"


def test_window_states_before_during_and_after():
    st = rules.evaluate(CADRES, Evidence(), 2025, today=D(2025, 5, 10))
    chips = _chips(st)
    assert (chips["1–2月"], chips["5–6月"], chips["7–8月"]) == (BROKEN, IN_PROGRESS, UPCOMING)
    assert st.status == BROKEN  # a closed window missed breaks the year


@pytest.mark.parametrize(("year", "first", "second"), [(2024, 3, 3), (2025, 2, 3)])
def test_a_stay_across_feb_end_splits_between_windows_in_leap_and_common_years(year, first, second):
    # Feb 27 to Mar 3: 2024 has Feb 29, so the first window gets one more day
    ev = Evidence(_stays((D(year, 2, 27), D(year, 3, 3))))
    st = rules.evaluate(CADRES, ev, year, today=D(year, 12, 1))
    assert [c.figure for c in st.chips[:2]] == [f"{first} 天", f"{second} 天"]


def test_leap_day_itself_belongs_to_the_first_window():
    ev = Evidence(_stays((D(2024, 2, 25), D(2024, 2, 29))))
    assert _chips(rules.evaluate(CADRES, ev, 2024, today=D(2024, 3, 1)))["1–2月"] == MET
    assert _chips(rules.evaluate(CADRES, ev, 2024, today=D(2024, 2, 29)))["1–2月"] == MET


def test_window_still_open_on_its_last_day_and_broken_the_day_after():
    ev = Evidence(_stays((D(2025, 2, 26), D(2025, 2, 28))))
    assert _chips(rules.evaluate(CADRES, ev, 2025, today=D(2025, 2, 28)))["1–2月"] == IN_PROGRESS
    assert _chips(rules.evaluate(CADRES, ev, 2025, today=D(2025, 3, 1)))["1–2月"] == BROKEN


def test_a_long_stay_across_windows_meets_each_window_it_fills():
    ev = Evidence(_stays((D(2025, 4, 26), D(2025, 5, 5)), kind="work_week"))  # 5 days in Apr, 5 in May
    chips = _chips(rules.evaluate(CADRES, ev, 2025, today=D(2025, 12, 1)))
    assert (chips["3–4月"], chips["5–6月"]) == (MET, MET)


def test_all_windows_met_is_met():
    ev = Evidence(_stays(*[(D(2025, m, 10), D(2025, m, 14)) for m in (1, 3, 5, 7, 9, 11)], kind="work_week"))
    st = rules.evaluate(CADRES, ev, 2025, today=D(2026, 1, 5))
    assert (st.status, st.headline) == (MET, "6 / 6 个窗口")


def test_overlapping_stays_do_not_double_count_a_window():
    ev = Evidence(_stays((D(2025, 3, 1), D(2025, 3, 3)), (D(2025, 3, 2), D(2025, 3, 4))))
    assert rules.evaluate(CADRES, ev, 2025, today=D(2025, 3, 20)).chips[1].figure == "4 天"


# ---------------------------------------------------------------- city pairing

CITY = RuleSpec("六个一", "city_pairing", {"urban_days": 5, "rural_days": 5, "paired": 1, "cadre_days": 1,
                                          "diaries": 1, "reports": 1})


def test_city_preset_lists_what_is_missing():
    ev = Evidence([Stay(D(2025, 4, 1), D(2025, 4, 7), setting="rural", paired=True)], diaries=[D(2025, 4, 3)])
    st = rules.evaluate(CITY, ev, 2025, today=D(2025, 6, 1))
    chips = {c.label: c for c in st.chips}
    assert chips["农村一周"].status == MET
    assert chips["城市社区一周"].status == IN_PROGRESS
    assert (chips["结对一名妇女"].status, chips["写一篇日记"].status) == (MET, MET)
    assert st.status == IN_PROGRESS and st.headline == "3 / 6 项"


def test_city_preset_met_with_all_six():
    ev = Evidence([Stay(D(2025, 4, 1), D(2025, 4, 7), setting="rural", paired=True),
                   Stay(D(2025, 5, 1), D(2025, 5, 5), setting="urban"),
                   Stay(D(2025, 6, 1), D(2025, 6, 1), kind="cadre_day", setting="rural")],
                  diaries=[D(2025, 4, 3)], reports=[D(2025, 7, 1)])
    assert rules.evaluate(CITY, ev, 2025, today=D(2025, 8, 1)).status == MET


def test_city_preset_broken_after_the_year_with_the_missing_week_named():
    ev = Evidence([Stay(D(2024, 4, 1), D(2024, 4, 7), setting="rural")])
    st = rules.evaluate(CITY, ev, 2024, today=D(2025, 1, 2))
    assert st.status == BROKEN
    assert "城市社区一周：缺" in [c.text for c in st.chips]


def test_city_preset_ignores_evidence_of_other_years():
    ev = Evidence([Stay(D(2024, 4, 1), D(2024, 4, 7), setting="rural")], diaries=[D(2024, 5, 1)])
    st = rules.evaluate(CITY, ev, 2025, today=D(2025, 3, 1))
    assert st.done == 0


# ---------------------------------------------------------------- presets and applies-to

def test_presets_carry_the_documents_figures():
    assert policies.resolve("fieldwork.national_leaders")["min_days"] == 90
    assert policies.resolve("fieldwork.provincial_leaders")["min_days"] == 60
    organ = policies.resolve("fieldwork.organ_cadres")
    assert (organ["kind"], organ["min_days"], organ["min_place_level"]) == ("window_week", 5, 4)
    city = policies.resolve("fieldwork.city_pairing")
    assert (city["urban_days"], city["rural_days"], city["paired"], city["diaries"]) == (5, 5, 1, 1)


def test_split_preset_into_fields_and_parameters():
    fields, params = rules.split_preset(policies.resolve("fieldwork.provincial_leaders"))
    assert fields["kind"] == "days_per_year" and fields["levels"] == [2]
    assert params == {"min_days": 60, "min_place_level": 4}


@pytest.mark.parametrize(("title_contains", "levels", "post", "hit"), [
    ("", [], ("leadership", "副主席", 4), True),
    ("主席", [], ("leadership", "兼职副主席", 4), True),
    ("主席", [], ("leadership", "妇代会主任", 6), False),
    ("", [2], ("leadership", "主席", 3), False),
    ("", [2, 3], ("leadership", "主席", 3), True),
    ("", [], ("organ_staff", "干部", 3), False),
])
def test_adoption_matches_body_title_and_level(title_contains, levels, post, hit):
    body, title, level = post
    assert rules.adoption_matches(body="leadership", title_contains=title_contains, levels=levels, post_body=body,
                                  post_title=title, post_level=level) is hit


def test_the_city_pairing_rule_binds_organ_cadres_as_the_source_rule_says():
    assert policies.resolve("fieldwork.city_pairing")["body"] == "organ_staff"
