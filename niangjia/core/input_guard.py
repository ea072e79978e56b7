"""Malformed input is refused at the door, naming the field, for every page and every API operation.

Some values no schema or form should have to think about, because the database or the standard
library fails on them with a 500 rather than a refusal: a NUL byte (PostgreSQL refuses it in text),
other control characters and lone surrogates (not encodable), integers past the database's 64-bit
range (SQLite raises OverflowError), dates outside the years the federation's records can hold
(date arithmetic overflows at year 9999), and `year` values likewise. `InputGuardMiddleware` checks
the path, the query string and the body (JSON or form) of every request and answers 400 naming the
field (404 for an id in the path that no row can have).
"""

import json
import re

from django.http import Http404
from django.utils.translation import gettext as _

from .http_errors import api_error, bad_request_page

MAX_INT = 2**63 - 1  # the widest integer column in SQLite and PostgreSQL
YEAR_MIN, YEAR_MAX = 1900, 2100
# \t \n \r are ordinary in text; every other C0 control, DEL and the C1 controls are not.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
INTEGER = re.compile(r"^[+-]?\d+$")
DATE_LIKE = re.compile(r"^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})(?:$|[T ])")
YEAR_NAMES = re.compile(r"(^|_)year$|^year_")
JSON_TYPES = ("application/json", "application/merge-patch+json")


class Refusal(Exception):
    def __init__(self, field: str, problem: str):
        super().__init__(field)
        self.field, self.problem = field, problem


def check_text(field: str, value: str, *, textual_numbers: bool) -> None:
    if CONTROL.search(value):
        raise Refusal(field, _("含有不可见的控制字符，请删除后重试 / contains control characters"))
    match = DATE_LIKE.match(value)
    if match and not YEAR_MIN <= int(match.group(1)) <= YEAR_MAX:
        raise Refusal(field, _("日期超出范围（%(lo)s–%(hi)s 年） / date out of range") % {"lo": YEAR_MIN, "hi": YEAR_MAX})
    if textual_numbers and INTEGER.match(value.strip()):  # a query or form value is text even when it is a number
        check_number(field, int(value.strip()))


def check_number(field: str, value) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise Refusal(field, _("应为有限的数字 / must be a finite number"))
    if abs(value) > MAX_INT:
        raise Refusal(field, _("数值超出范围 / number out of range"))
    name = field.rsplit(".", 1)[-1]
    if YEAR_NAMES.search(name) and isinstance(value, int) and not YEAR_MIN <= value <= YEAR_MAX:
        raise Refusal(field, _("年份应在 %(lo)s–%(hi)s 之间 / year out of range") % {"lo": YEAR_MIN, "hi": YEAR_MAX})


def check_value(field: str, value, *, textual_numbers: bool = False) -> None:
    """Walk one value (a JSON document or a form field) and raise Refusal at the first bad part."""
    if isinstance(value, str):
        check_text(field, value, textual_numbers=textual_numbers)
    elif isinstance(value, int | float):
        check_number(field, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_name(key)
            check_value(f"{field}.{key}" if field else str(key), item)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_value(f"{field}.{i}" if field else str(i), item)


def check_name(name: str) -> None:
    if CONTROL.search(str(name)):
        raise Refusal(CONTROL.sub("?", str(name))[:40], _("参数名含有控制字符 / parameter name contains control characters"))


def check_request(request) -> None:
    for name, values in request.GET.lists():
        check_name(name)
        for value in values:
            check_value(name, value, textual_numbers=True)
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE") and not request.META.get("CONTENT_LENGTH"):
        return
    content_type = request.content_type or ""
    if content_type in JSON_TYPES:
        try:
            document = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return  # the API's own parser answers malformed JSON
        check_value("", document)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, values in request.POST.lists():
            check_name(name)
            for value in values:
                check_value(name, value, textual_numbers=True)


def path_id_out_of_range(path: str) -> bool:
    return any(part.isdigit() and len(part) > 18 and int(part) > MAX_INT for part in path.split("/"))


class InputGuardMiddleware:
    """Refuses malformed values before any view sees them (400 naming the field; 404 for an impossible id)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if path_id_out_of_range(request.path):
            if request.path.startswith("/api/"):
                return api_error(404)

            raise Http404
        try:
            check_request(request)
        except Refusal as refusal:
            message = f"{refusal.field}：{refusal.problem}"
            return bad_request_page(request, message, {refusal.field: refusal.problem})
        return self.get_response(request)
