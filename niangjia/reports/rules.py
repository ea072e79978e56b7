"""Pure rules of report forms: field definitions, parsing and checking values (per field and across
fields), the approval pipeline and its locks, due dates, completeness and timeliness. No I/O."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.periods import period_of
from niangjia.core.pipeline import Pipeline, Step

INT, DECIMAL, CHOICE, TEXT = "int", "decimal", "choice", "text"
KIND_NAMES = {INT: _("整数"), DECIMAL: _("小数"), CHOICE: _("选项"), TEXT: _("文字")}
NUMERIC = frozenset({INT, DECIMAL})
PERIOD_NAMES = {"month": _("月报"), "quarter": _("季报"), "year": _("年报")}
OPS = {"<=": _("不大于"), ">=": _("不小于"), "==": _("等于"), "<": _("小于"), ">": _("大于")}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SCALE = {INT: 1, DECIMAL: 100}


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str
    required: bool = True
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: tuple = ()


# ---------------------------------------------------------------- defining a form


def field_problems(fields: list[FieldSpec]) -> dict[str, str]:
    """What is wrong with a form's fields, keyed 'fields.<n>.<attr>'."""
    out, seen = {}, set()
    for n, f in enumerate(fields):
        where = f"fields.{n}"
        if not KEY_RE.match(f.key or ""):
            out[f"{where}.key"] = gettext("字段代码应以小写字母开头，只含小写字母、数字和下划线（至多40个）")
        elif f.key in seen:
            out[f"{where}.key"] = gettext("字段代码“{key}”重复").format(key=f.key)
        seen.add(f.key)
        if not (f.label or "").strip():
            out[f"{where}.label"] = gettext("名称不能为空")
        if f.kind not in KIND_NAMES:
            out[f"{where}.kind"] = gettext("类型应为整数、小数、选项或文字")
        if f.kind == CHOICE and len(f.choices) < 2:
            out[f"{where}.choices"] = gettext("选项字段至少要有两个选项")
        if f.min_value is not None and f.max_value is not None and f.min_value > f.max_value:
            out[f"{where}.max_value"] = gettext("最大值不能小于最小值")
        if f.kind not in NUMERIC and (f.min_value is not None or f.max_value is not None):
            out[f"{where}.min_value"] = gettext("只有数字字段可以设最小值、最大值")
    return out


def check_problems(checks: list[dict], fields: list[FieldSpec]) -> dict[str, str]:
    """Cross-field checks must compare two numeric fields of the form with a known operator."""
    numeric = {f.key for f in fields if f.kind in NUMERIC}
    out = {}
    for n, c in enumerate(checks):
        if c.get("op") not in OPS:
            out[f"checks.{n}.op"] = gettext("比较应为 {OPS} 之一").format(OPS='、'.join(OPS))
        for side in ("left", "right"):
            if c.get(side) not in numeric:
                out[f"checks.{n}.{side}"] = gettext("应为本表的数字字段")
    return out


# ---------------------------------------------------------------- filling it in


def parse(f: FieldSpec, raw) -> tuple[object, str]:
    """A typed value from what was typed (a string, a number or None), and the problem ('' if none)."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None, (gettext("必填") if f.required else "")
    if f.kind == TEXT:
        return (text, "") if len(text) <= 500 else (None, gettext("不能超过500字"))
    if f.kind == CHOICE:
        return (text, "") if text in f.choices else (None, gettext("应为：{choices}").format(choices='、'.join(f.choices)))
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None, gettext("应为数字")
    if not number.is_finite():
        return None, gettext("应为数字")
    if f.kind == INT and number != number.to_integral_value():
        return None, gettext("应为整数")
    if f.kind == DECIMAL and number != number.quantize(Decimal("0.01")):
        return None, gettext("至多两位小数")
    if f.min_value is not None and number < f.min_value:
        return None, gettext("不能小于 {min_value}").format(min_value=_plain(f.min_value))
    if f.max_value is not None and number > f.max_value:
        return None, gettext("不能大于 {max_value}").format(max_value=_plain(f.max_value))
    return (int(number) if f.kind == INT else number.quantize(Decimal("0.01"))), ""


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral_value() else str(d)


def _compare(a, op: str, b) -> bool:
    return {"<=": a <= b, ">=": a >= b, "==": a == b, "<": a < b, ">": a > b}[op]


def check_values(fields: list[FieldSpec], checks: list[dict], raw: dict) -> tuple[dict, dict[str, str]]:
    """Every field parsed and checked, then the cross-field checks over the numbers present.
    Returns (values ready to store, {field key: problem})."""
    values, problems = {}, {}
    for f in fields:
        value, problem = parse(f, raw.get(f.key))
        if problem:
            problems[f.key] = problem
        elif value is not None:
            values[f.key] = value
    labels = {f.key: f.label for f in fields}
    for c in checks:
        left, right = values.get(c["left"]), values.get(c["right"])
        if left is None or right is None or c["left"] in problems:
            continue
        if not _compare(left, c["op"], right):
            problems[c["left"]] = gettext("{labels}应{OPS}{labels2}（{right}）").format(labels=labels[c['left']], OPS=OPS[c['op']], labels2=labels[c['right']], right=right)
    return values, problems


def stored(values: dict) -> dict:
    """Values as JSON keeps them: decimals as strings."""
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}


def scaled(f: FieldSpec, value) -> int:
    """A numeric value as the integer the summary rows sum (decimals × 100)."""
    return int(Decimal(str(value)) * SCALE[f.kind])


def unscaled(kind: str, total: int):
    return total if kind == INT else Decimal(total) / 100


# ---------------------------------------------------------------- the approval pipeline

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
STATUS_NAMES = {DRAFT: _("草稿"), SUBMITTED: _("已上报"), RETURNED: _("已退回"), APPROVED: _("已审核通过")}
EDITABLE = frozenset({DRAFT, RETURNED})
COUNTED = frozenset({SUBMITTED, APPROVED})  # statuses whose figures are in the totals


PIPELINE = Pipeline("reports.submission", statuses=STATUS_NAMES, noun=_("报表"), steps=(
    Step("submit", _("上报"), frozenset({DRAFT, RETURNED}), SUBMITTED, "reports.fill"),
    Step("return", _("退回"), frozenset({SUBMITTED}), RETURNED, "reports.review"),
    Step("approve", _("审核通过"), frozenset({SUBMITTED}), APPROVED, "reports.review"),
    Step("unapprove", _("撤销审核"), frozenset({APPROVED}), SUBMITTED, "reports.review"),
))


def transition_problem(step: str, status: str) -> str:
    """Why `step` may not be taken from `status` ('' when it may), in Chinese (core.pipeline's words)."""
    return PIPELINE.problem(step, status)


def children_problem(children_expected: int, children_approved: int) -> str:
    """A roll-up report goes up (and is approved) only when every child's report is approved."""
    if children_approved < children_expected:
        return gettext("下级报表尚未全部审核通过（{children_approved}/{children_expected}），不能上报或通过本级报表").format(children_approved=children_approved, children_expected=children_expected)
    return ""


def unapprove_problem(parent_status: str | None) -> str:
    """An approval is locked while the report above it has gone up or been approved."""
    if parent_status in COUNTED:
        return gettext("上级汇总报表{STATUS_NAMES}，本报表已锁定；请先由上级撤销或退回").format(STATUS_NAMES=STATUS_NAMES[parent_status])
    return ""


# ---------------------------------------------------------------- periods, due dates, completeness


def period_start(day: date, kind: str) -> date:
    return period_of(day, kind).start


def period_label(start: date, kind: str) -> str:
    return period_of(start, kind).label


def due_on(start: date, kind: str, due_days: int) -> date:
    return period_of(start, kind).end + timedelta(days=due_days)


def on_time(submitted_on: date | None, due: date) -> bool | None:
    """True when first submitted by the due date; None when not submitted."""
    return None if submitted_on is None else submitted_on <= due


def completeness(expected: int, rows: list[tuple[str, date | None, date]]) -> dict:
    """Counts and shares over the expected units: rows are (status, first submitted on, due on) of the
    reports that exist; a missing report counts as not submitted."""
    submitted = sum(1 for s, _, _ in rows if s in COUNTED)
    approved = sum(1 for s, _, _ in rows if s == APPROVED)
    timely = sum(1 for s, sub, due in rows if sub is not None and sub <= due)

    def pct(n):
        return (n * 1000 // expected) / 10 if expected else 0.0

    return {"expected": expected, "submitted": submitted, "approved": approved, "on_time": timely,
            "submitted_pct": pct(submitted), "approved_pct": pct(approved), "on_time_pct": pct(timely),
            "missing": expected - submitted}


def is_late(status: str | None, due: date, today: date) -> bool:
    """Not yet sent up and past the due date (a reminder goes to the unit)."""
    return (status is None or status in EDITABLE) and today > due
