"""Validation of identity numbers (GB 11643) and phone numbers (libphonenumber)."""

import re
from datetime import date
from functools import lru_cache
from operator import mul

import phonenumbers
from django.utils.translation import gettext_lazy as _

from niangjia.core import periods

from .errors import ValidationFailed

# GB 11643-1999 weights for the first 17 digits, and the check character for sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# First two digits: provincial codes, plus 81/82/83 for Hong Kong, Macao and Taiwan residence permits.
_REGIONS = {
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
}
_ID_RE = re.compile(r"^\d{17}[\dX]$")

MSG_ID_FORMAT = _("身份证号应为18位，最后一位可以是数字或X")
MSG_ID_REGION = _("身份证号前两位不是有效的地区代码")
MSG_ID_BIRTH = _("身份证号中的出生日期无效")
MSG_ID_CHECKSUM = _("身份证号校验位不正确")
MSG_PHONE = _("电话号码无效（手机11位，座机需带区号）")


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != len(_WEIGHTS):
        raise ValueError("GB 11643 check character needs the first 17 digits")
    total = sum(map(mul, map(int, first17), _WEIGHTS))
    return _CHECK[total % 11]


def normalize_id_number(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def id_number_problem(raw: str) -> str | None:
    """The first problem with an ID number, or None when it is valid per GB 11643."""
    value = normalize_id_number(raw)
    if not _ID_RE.match(value):
        return MSG_ID_FORMAT
    if int(value[:2]) not in _REGIONS:
        return MSG_ID_REGION
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return MSG_ID_BIRTH
    if born.year < 1900 or born > periods.today():
        return MSG_ID_BIRTH
    if id_check_char(value[:17]) != value[17]:
        return MSG_ID_CHECKSUM
    return None


def clean_id_number(raw: str, field: str = "id_number") -> str:
    problem = id_number_problem(raw)
    if problem:
        raise ValidationFailed(problem, fields={field: problem})
    return normalize_id_number(raw)


@lru_cache(maxsize=256)
def _parsed_phone(text: str):
    """The parsed number, or None when it does not parse (kept for the next look at the same text: a form or an
    import row checks a number, then normalizes it)."""
    try:
        return phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None


def phone_problem(raw: str) -> str | None:
    number = _parsed_phone((raw or "").strip())
    if number is None:
        return MSG_PHONE
    return None if phonenumbers.is_valid_number(number) else MSG_PHONE


def normalize_phone(raw: str) -> str:
    """E.164 form, so that 138 0013 8000 and +86-13800138000 are the same number."""
    number = _parsed_phone((raw or "").strip())
    if number is None:
        raise phonenumbers.NumberParseException(phonenumbers.NumberParseException.NOT_A_NUMBER, MSG_PHONE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_phone(stored: str) -> str:
    """A stored E.164 number as a Chinese operator types it: 13900001111, 057112345678 (trunk 0 kept);
    numbers of other countries stay international."""
    if not stored:
        return ""
    number = phonenumbers.parse(stored, "CN")
    if number.country_code != 86:
        return stored
    return "".join(ch for ch in phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
                   if ch.isdigit())


def clean_phone(raw: str, field: str = "phone") -> str:
    problem = phone_problem(raw)
    if problem:
        raise ValidationFailed(problem, fields={field: problem})
    return normalize_phone(raw)


_MOBILE_RE = re.compile(r"^1\d{10}$")


@lru_cache(maxsize=1 << 17)
def _mobile_prefix_valid(prefix: str) -> bool:
    return phone_problem(prefix + "0000") is None


def check_phone(raw: str) -> tuple[str | None, str]:
    """(problem, E.164 form) of a phone number, as phone_problem and normalize_phone give them, for many numbers
    (an import): a Chinese mobile number (11 digits from 1) is valid by its first seven digits alone in
    libphonenumber's patterns for China (every pattern ends in plain digits after at most five), so one parse per
    seven-digit prefix decides all its numbers; anything else is parsed."""
    text = (raw or "").strip()
    if _MOBILE_RE.match(text):
        return (None, "+86" + text) if _mobile_prefix_valid(text[:7]) else (MSG_PHONE, "")
    problem = phone_problem(text)
    return (problem, "") if problem else (None, normalize_phone(text))


def looks_like_phone(text: str) -> bool:
    return phone_problem(text) is None


def looks_like_id_number(text: str) -> bool:
    return bool(_ID_RE.match(normalize_id_number(text)))
