"""GB 11643 identity numbers and phone numbers: pure rules."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from niangjia.core.errors import ValidationFailed
from niangjia.core.validators import (
    MSG_ID_BIRTH,
    MSG_ID_CHECKSUM,
    MSG_ID_FORMAT,
    MSG_ID_REGION,
    MSG_PHONE,
    clean_id_number,
    clean_phone,
    id_check_char,
    id_number_problem,
    national_phone,
    normalize_phone,
    phone_problem,
)


def with_check(first17: str) -> str:
    return first17 + id_check_char(first17)


@pytest.mark.parametrize("number", [
    "11010519491231002X",  # the standard's own example, check character X
    "110105194912310021"[:17] + id_check_char("11010519491231002"),
    with_check("44030419900307401"),
    with_check("81000019800101001"),  # Hong Kong residence permit
    with_check("82000019800101001"),  # Macao
    with_check("83000019800101001"),  # Taiwan
])
def test_valid_id_numbers_pass(number):
    assert id_number_problem(number) is None


def test_lower_case_x_is_accepted_and_normalized():
    assert id_number_problem("11010519491231002x") is None
    assert clean_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize("number, problem", [
    ("110105194912310021", MSG_ID_CHECKSUM),
    ("11010519491231002", MSG_ID_FORMAT),
    ("1101051949123100211", MSG_ID_FORMAT),
    ("11010519491231002Y", MSG_ID_FORMAT),
    (with_check("99010519491231002"), MSG_ID_REGION),
    (with_check("84000019800101001"), MSG_ID_REGION),
    (with_check("11010519490230002"), MSG_ID_BIRTH),  # 30 February
    (with_check("11010518991231002"), MSG_ID_BIRTH),  # before 1900
    ("", MSG_ID_FORMAT),
])
def test_invalid_id_numbers_name_their_problem(number, problem):
    assert id_number_problem(number) == problem


def test_clean_id_number_raises_with_the_field_named():
    with pytest.raises(ValidationFailed) as exc:
        clean_id_number("110105194912310021", field="id_number")
    assert exc.value.fields == {"id_number": MSG_ID_CHECKSUM}


@given(
    region=st.sampled_from(["11", "31", "44", "65", "81", "82", "83"]),
    area=st.integers(0, 9999),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    seq=st.integers(0, 999),
)
def test_every_number_with_its_check_character_passes_and_any_other_fails(region, area, born, seq):
    first17 = f"{region}{area:04d}{born:%Y%m%d}{seq:03d}"
    good = first17 + id_check_char(first17)
    assert id_number_problem(good) is None
    for wrong in "0123456789X":
        if wrong != good[-1]:
            assert id_number_problem(first17 + wrong) == MSG_ID_CHECKSUM


@pytest.mark.parametrize("raw, e164", [
    ("13800138000", "+8613800138000"),
    ("138 0013 8000", "+8613800138000"),
    ("+86 138-0013-8000", "+8613800138000"),
    ("010-12345678", "+861012345678"),  # Beijing landline
    ("0571-87654321", "+8657187654321"),  # Hangzhou landline
])
def test_mobiles_and_landlines_are_accepted_in_one_form(raw, e164):
    assert phone_problem(raw) is None
    assert clean_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12345", "1380013800", "abc", "", "23800138000", "+1 202"])
def test_bad_phone_numbers_are_refused(raw):
    assert phone_problem(raw) == MSG_PHONE


@pytest.mark.parametrize(("stored", "typed"), [
    ("+8613900001111", "13900001111"),  # a mobile
    ("+8657112345678", "057112345678"),  # a Hangzhou landline keeps its trunk 0
    ("+85291234567", "+85291234567"),  # Hong Kong stays international
    ("", ""),
])
def test_national_phone_is_what_an_operator_types(stored, typed):
    assert national_phone(stored) == typed
    if stored:
        assert normalize_phone(typed) == stored  # and it reads back as the same number
