"""The pure rules of duty checklists: targets, item and assignment progress, schedule, window, presets."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from niangjia.core import policies
from niangjia.duties import rules
from niangjia.duties.rules import AT_LEAST, BETWEEN, EXACTLY, SCHEDULE_PRESET

NO_GRACE = {**SCHEDULE_PRESET, "grace_days": 0, "tolerance_pct": 0}

# ---------------------------------------------------------------- item progress


@pytest.mark.parametrize(("count", "state", "label"), [
    (0, "not_started", "0/5–7"), (1, "partly", "1/5–7"), (4, "partly", "4/5–7"), (5, "done", "5/5–7"),
    (6, "done", "6/5–7"), (7, "done", "7/5–7"), (8, "over", "8/5–7"), (20, "over", "20/5–7"),
])
def test_between_five_and_seven(count, state, label):
    p = rules.item_progress(count, BETWEEN, 5, 7)
    assert p.state == state
    assert f"{p.count}/{rules.target_text(BETWEEN, 5, 7)}" == label
    # over still counts as done
    assert p.done == (count >= 5)


@pytest.mark.parametrize(("count", "state"), [(0, "not_started"), (1, "done"), (2, "over"), (9, "over")])
def test_exactly_one(count, state):
    p = rules.item_progress(count, EXACTLY, 1)
    assert p.state == state and p.done == (count >= 1)


@pytest.mark.parametrize(("count", "state"), [(0, "not_started"), (1, "partly"), (2, "partly"), (3, "done"),
                                              (4, "done"), (100, "done")])
def test_at_least_three_is_never_over(count, state):
    assert rules.item_progress(count, AT_LEAST, 3).state == state


def test_exactly_three_partial_and_over():
    assert rules.item_progress(2, EXACTLY, 3).state == "partly"
    assert rules.item_progress(3, EXACTLY, 3).state == "done"
    assert rules.item_progress(4, EXACTLY, 3).state == "over"


def test_negative_counts_read_as_not_started():
    assert rules.item_progress(-3, AT_LEAST, 1).state == "not_started"


def test_bar_width_is_capped_and_states_are_named():
    assert rules.item_progress(3, BETWEEN, 5, 7).pct == 60
    assert rules.item_progress(9, BETWEEN, 5, 7).pct == 100
    assert rules.item_progress(0, AT_LEAST, 1).state_name == "未开始"
    assert rules.item_progress(8, BETWEEN, 5, 7).state_name == "已超额完成"


def test_target_texts():
    assert rules.target_text(BETWEEN, 5, 7) == "5–7"
    assert rules.target_text(BETWEEN, 5, 5) == "5"
    assert rules.target_text(AT_LEAST, 1, None) == "至少 1"
    assert rules.target_text(EXACTLY, 2, None) == "2"


@pytest.mark.parametrize(("kind", "low", "high", "field"), [
    ("sometimes", 1, None, "target_kind"), (AT_LEAST, 0, None, "target_min"), (AT_LEAST, None, None, "target_min"),
    (BETWEEN, 5, None, "target_max"), (BETWEEN, 5, 4, "target_max"),
])
def test_bad_targets_name_the_field(kind, low, high, field):
    assert field in rules.target_problem(kind, low, high)


def test_good_targets_pass():
    assert rules.target_problem(BETWEEN, 5, 7) == {} and rules.target_problem(EXACTLY, 1, None) == {}
    assert rules.target_problem(BETWEEN, 3, 3) == {}


@given(kind=st.sampled_from([AT_LEAST, BETWEEN, EXACTLY]), low=st.integers(1, 50), extra=st.integers(0, 20),
       count=st.integers(0, 200))
def test_item_progress_properties(kind, low, extra, count):
    high = low + extra if kind == BETWEEN else None
    p = rules.item_progress(count, kind, low, high)
    # done exactly when the minimum is reached, whatever the kind
    assert p.done == (count >= low)
    assert (p.state == "not_started") == (count == 0)
    assert (p.state == "partly") == (0 < count < low)
    ceiling = high if kind == BETWEEN else (low if kind == EXACTLY else None)
    assert (p.state == "over") == (ceiling is not None and count > ceiling)
    assert 0 <= p.pct <= 100
    # one more piece of evidence never makes an item less done
    assert rules.item_progress(count + 1, kind, low, high).done >= p.done


# ---------------------------------------------------------------- assignment progress


def test_assignment_progress_counts_done_items():
    items = [rules.item_progress(c, AT_LEAST, 1) for c in (0, 1, 3, 0)] + [rules.item_progress(8, BETWEEN, 5, 7)]
    p = rules.assignment_progress(items)
    assert (p.done, p.total, p.pct, p.complete) == (3, 5, 60, False)
    assert rules.assignment_progress([]).share == 0 and not rules.assignment_progress([]).complete
    assert rules.assignment_progress([rules.item_progress(1, EXACTLY, 1)]).complete


# ---------------------------------------------------------------- schedule


def test_elapsed_fraction_in_a_leap_year():
    assert rules.days_in_year(2024) == 366 and rules.days_in_year(2025) == 365 and rules.days_in_year(2100) == 365
    assert rules.elapsed_fraction(date(2024, 2, 29), 2024) == 60 / 366
    assert rules.elapsed_fraction(date(2024, 3, 1), 2024) == 61 / 366
    assert rules.elapsed_fraction(date(2025, 3, 1), 2025) == 60 / 365
    assert rules.elapsed_fraction(date(2024, 12, 31), 2024) == 1.0
    assert rules.elapsed_fraction(date(2023, 12, 31), 2024) == 0.0
    assert rules.elapsed_fraction(date(2025, 1, 1), 2024) == 1.0


def test_expected_share_with_grace():
    policy = {**SCHEDULE_PRESET, "grace_days": 31}
    assert rules.expected_share(date(2025, 1, 31), 2025, policy) == 0.0
    assert rules.expected_share(date(2025, 2, 1), 2025, policy) == 1 / 334
    assert rules.expected_share(date(2025, 12, 31), 2025, policy) == 1.0
    assert rules.expected_share(date(2024, 12, 31), 2024, policy) == 1.0
    assert rules.expected_share(date(2024, 2, 29), 2024, policy) == (60 - 31) / (366 - 31)
    assert rules.expected_share(date(2026, 1, 1), 2025, policy) == 1.0
    assert rules.expected_share(date(2024, 6, 1), 2025, policy) == 0.0


def test_behind_and_on_track_at_the_boundary():
    # no grace, no tolerance: on 1 July 2025 (day 182 of 365) half the year is gone
    day = date(2025, 7, 1)
    expected = 182 / 365
    assert rules.expected_share(day, 2025, NO_GRACE) == expected
    # 8 items: 4 done is 50% >= 49.9% -> on track; 3 is behind
    assert rules.schedule_state(4, 8, day, 2025, NO_GRACE) == "on_track"
    assert rules.schedule_state(3, 8, day, 2025, NO_GRACE) == "behind"
    assert rules.schedule_state(8, 8, day, 2025, NO_GRACE) == "complete"
    # one day later, 183/365 = 50.1% > 50%: 4 of 8 is now behind
    assert rules.schedule_state(4, 8, day + timedelta(days=1), 2025, NO_GRACE) == "behind"


def test_tolerance_lets_a_member_lag_a_little():
    policy = {**SCHEDULE_PRESET, "grace_days": 0, "tolerance_pct": 15}
    day = date(2025, 7, 2)  # 183/365 = 50.1% expected, threshold 35.1%
    assert rules.schedule_state(3, 8, day, 2025, policy) == "on_track"  # 37.5%
    assert rules.schedule_state(2, 8, day, 2025, policy) == "behind"  # 25%


def test_nobody_is_behind_in_the_grace_period_or_before_the_year():
    assert rules.schedule_state(0, 8, date(2025, 1, 20), 2025) == "on_track"
    assert rules.schedule_state(0, 8, date(2024, 12, 1), 2025) == "on_track"


def test_after_the_year_anything_short_of_the_tolerance_is_behind():
    assert rules.schedule_state(7, 8, date(2026, 2, 1), 2025) == "on_track"  # 87.5% >= 85%
    assert rules.schedule_state(6, 8, date(2026, 2, 1), 2025) == "behind"


@given(done=st.integers(0, 12), total=st.integers(1, 12), doy=st.integers(0, 365), leap=st.booleans(),
       grace=st.integers(0, 90), tol=st.integers(0, 50))
def test_min_done_agrees_with_schedule_state(done, total, doy, leap, grace, tol):
    done = min(done, total)
    year = 2024 if leap else 2025
    day = date(year, 1, 1) + timedelta(days=min(doy, rules.days_in_year(year) - 1))
    policy = {**SCHEDULE_PRESET, "grace_days": grace, "tolerance_pct": tol}
    state = rules.schedule_state(done, total, day, year, policy)
    floor = rules.min_done_to_be_on_track(total, day, year, policy)
    if done < total:
        assert (state == "behind") == (done < floor)
    # later in the year never expects less
    later = day + timedelta(days=1)
    assert rules.behind_threshold(later, year, policy) >= rules.behind_threshold(day, year, policy)


# ---------------------------------------------------------------- the "behind before year end" window


def test_window_from_first_october():
    assert rules.list_window_opens(2025) == date(2025, 10, 1)
    assert not rules.in_list_window(date(2025, 9, 30), 2025)
    assert rules.in_list_window(date(2025, 10, 1), 2025)
    assert rules.in_list_window(date(2025, 12, 31), 2025)
    assert not rules.in_list_window(date(2026, 1, 1), 2025)


def test_window_day_is_clamped_to_the_month():
    policy = {**SCHEDULE_PRESET, "list_from_month": 2, "list_from_day": 30}
    assert rules.list_window_opens(2024, policy) == date(2024, 2, 29)
    assert rules.list_window_opens(2025, policy) == date(2025, 2, 28)
    assert rules.list_window_opens(2025, {**SCHEDULE_PRESET, "list_from_month": 12, "list_from_day": 31}) == \
        date(2025, 12, 31)


def test_days_left():
    assert rules.days_left(date(2025, 12, 1), 2025) == 30
    assert rules.days_left(date(2026, 1, 5), 2025) == 0


# ---------------------------------------------------------------- presets and files


def test_executive_preset_is_the_cities_checklist():
    preset = policies.resolve(rules.PRESET_POLICY)
    items = {i["evidence_kind"]: i for i in preset["items"]}
    assert items["contact_delegate"]["target_kind"] == BETWEEN
    assert (items["contact_delegate"]["target_min"], items["contact_delegate"]["target_max"]) == (5, 7)
    for kind in ("poor_family", "problem_solved", "online_group", "social_org", "public_service", "research_report",
                 "proposal"):
        assert items[kind]["target_min"] == 1, kind
    assert len(preset["items"]) == 8
    assert all(rules.target_problem(i["target_kind"], i["target_min"], i["target_max"]) == {} for i in preset["items"])
    assert "43" in policies.REGISTRY[rules.PRESET_POLICY].source


def test_schedule_policy_is_registered_with_its_preset():
    assert policies.resolve(rules.SCHEDULE_POLICY) == SCHEDULE_PRESET


@pytest.mark.parametrize(("name", "size", "head", "ok"), [
    ("photo.jpg", 1000, b"\xff\xd8\xff\xe0", True), ("photo.JPG", 1000, b"\xff\xd8\xff\xe0", True),
    ("scan.pdf", 1000, b"%PDF-1.7", True), ("report.docx", 1000, b"PK\x03\x04", True),
    ("photo.heic", 1000, b"\x00\x00\x00\x18ftyp", True),
    ("virus.exe", 1000, b"MZ", False), ("noext", 1000, b"", False), ("empty.png", 0, b"", False),
    ("huge.png", rules.MAX_FILE_BYTES + 1, b"\x89PNG", False), ("fake.png", 1000, b"<html>", False),
])
def test_file_checks(name, size, head, ok):
    assert (rules.file_problem(name, size, head) == "") == ok
