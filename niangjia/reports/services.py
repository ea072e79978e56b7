"""Writes of report forms: the only code that writes the reports tables.

Filling is for the unit's own reach (reports.fill); returning, approving and undoing an approval
are for the level above or higher (reports.review with a reach covering the unit's parent). A
submitted or approved report's numeric figures are `Value` facts and `report_value` summary rows
(category "<form>.<field>", status = the report's), moved in the transaction of each step.
"""

from datetime import date

from django.db import transaction
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit, metrics, notify, periods
from niangjia.core.access import ensure_unit_in_reach, reach_of
from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.versioning import bump_version
from niangjia.reports.audit_actions import Action

from . import prefill, rules
from .metrics import REPORT_VALUE
from .models import ReportField, ReportForm, Submission, Value
from .queries import expected_units

METRIC = REPORT_VALUE.name
MSG_LEVEL = gettext_lazy("填报层级应低于制表单位")
MSG_NOT_EXPECTED = gettext_lazy("该组织不在本报表的填报范围内")
MSG_ROLLUP = gettext_lazy("本级报表由下级汇总，不另填数")
MSG_COMMENT = gettext_lazy("退回或撤销审核须写明理由")


# ---------------------------------------------------------------- forms


def form_create(*, actor, unit, title: str, fill_level: int, period_kind: str, fields: list[dict],
                checks: list[dict] | None = None, due_days: int = 10, description: str = "") -> ReportForm:
    """A periodic form for `unit`'s subtree, its fields and cross-field checks, checked before anything is written."""
    require(actor, "reports.manage")
    ensure_unit_in_reach(actor, unit)
    if not (unit.level < fill_level <= 6):
        raise ValidationFailed(MSG_LEVEL, fields={"fill_level": MSG_LEVEL})
    if period_kind not in rules.PERIOD_NAMES:
        raise ValidationFailed(_("报送周期应为月、季或年"), fields={"period_kind": _("取值无效")})
    rows = [ReportField(order=n, key=f.get("key", ""), label=f.get("label", ""), kind=f.get("kind", ""),
                        required=f.get("required", True), min_value=f.get("min_value"), max_value=f.get("max_value"),
                        choices=list(f.get("choices") or []), prefill=f.get("prefill", ""))
            for n, f in enumerate(fields)]
    specs = [r.spec() for r in rows]
    problems = {**rules.field_problems(specs), **rules.check_problems(checks or [], specs)}
    if not rows:
        problems["fields"] = _("至少要有一个字段")
    for n, r in enumerate(rows):
        if r.prefill and r.prefill not in prefill.SOURCES:
            problems[f"fields.{n}.prefill"] = _("可预填的数据：{SOURCES}").format(SOURCES='、'.join(prefill.SOURCES))
    if problems:
        raise ValidationFailed(_("报表定义有误：") + "；".join(f"{k} {v}" for k, v in problems.items()), fields=problems)
    form = ReportForm(title=require_text(title, "title", _("报表名称")), description=description or "",
                      fill_level=fill_level, period_kind=period_kind, due_days=due_days, checks=list(checks or []))
    form.place_in(unit)
    full_clean_or_raise(form)
    with transaction.atomic():
        form.save()
        for r in rows:
            r.form = form
        ReportField.objects.bulk_create(rows)
        audit.record(actor, Action.FORM_CREATE, form, detail={"fields": [r.key for r in rows], "checks": checks or []})
    return form


def _check_expected(form: ReportForm, unit) -> None:
    if not (form.unit.level < unit.level <= form.fill_level) or getattr(unit, f"l{form.unit.level}") != form.unit_id:
        raise ValidationFailed(MSG_NOT_EXPECTED, fields={"unit": MSG_NOT_EXPECTED})


# ---------------------------------------------------------------- filling


def submission_open(*, actor, form: ReportForm, unit, day: date) -> tuple[Submission, bool]:
    """The unit's report for the period containing `day`, opened as a draft pre-filled with what the
    platform knows when it does not exist yet. Returns (report, created)."""
    require(actor, "reports.fill")
    ensure_unit_in_reach(actor, unit)
    _check_expected(form, unit)
    start = rules.period_start(day, form.period_kind)
    found = Submission.objects.filter(form=form, unit=unit, period=start).first()
    if found is not None:
        return found, False
    sub = _new(form, unit, start)
    if not sub.rollup:
        known = prefill.values_for(unit, {f.key: f.prefill for f in form.fields.all() if f.prefill})
        sub.values = rules.stored(known)
    with transaction.atomic():
        sub.save()
        audit.record(actor, Action.REPORTS_OPEN, sub, detail={"period": start.isoformat(), "prefilled": sorted(sub.values)})
    return sub, True


def _new(form, unit, start) -> Submission:
    sub = Submission(form=form, period=start, rollup=unit.level < form.fill_level,
                     due_on=rules.due_on(start, form.period_kind, form.due_days))
    sub.place_in(unit)
    return sub


def _specs(form: ReportForm) -> list[rules.FieldSpec]:
    return [f.spec() for f in form.fields.all()]


def submission_save(*, actor, submission: Submission, version: int | None, values: dict) -> Submission:
    """Keep the typed figures of a draft or returned report; a wrong figure is refused, a missing one
    waits for the submit."""
    require(actor, "reports.fill")
    ensure_unit_in_reach(actor, submission)
    if submission.rollup:
        raise ValidationFailed(MSG_ROLLUP)
    if submission.status not in rules.EDITABLE:
        raise rules.PIPELINE.refuse(_("“{STATUS_NAMES}”的报表已锁定，不能修改").format(STATUS_NAMES=rules.STATUS_NAMES[submission.status]))
    parsed, problems = rules.check_values(_specs(submission.form), submission.form.checks, values)
    problems = {k: v for k, v in problems.items() if v != _("必填")}
    if problems:
        raise _invalid(submission.form, problems)
    submission.values = rules.stored(parsed)
    with transaction.atomic():
        bump_version(submission, version, ["values"])
        audit.record(actor, Action.REPORTS_SAVE, submission, detail={"values": submission.values})
    return submission


def _invalid(form: ReportForm, problems: dict[str, str]) -> ValidationFailed:
    """One refusal naming each field by its label (the fields map keeps the keys)."""
    labels = {f.key: f.label for f in form.fields.all()}
    text = "；".join(v if v.startswith(labels.get(k, k)) else f"{labels.get(k, k)}：{v}" for k, v in problems.items())
    return ValidationFailed(text, fields=problems)


# ---------------------------------------------------------------- the pipeline


def _refuse(message: str):
    raise rules.PIPELINE.refuse(message)


def _access(actor, sub: Submission, perm: str) -> None:
    """Filling is the unit's reach; reviewing is the level above (or higher), never the unit itself."""
    require(actor, perm)
    ensure_unit_in_reach(actor, sub)
    if perm == "reports.review":
        parent = sub.unit.parent
        if parent is None or not reach_of(actor).covers_obj(parent):
            raise NotFound()


def _check_step(actor, sub: Submission, step: str):
    """Permission → reach (the level above for a review) → status, through the one pipeline check."""
    return rules.PIPELINE.check(actor, sub, step, access=_access)


def _children_counts(sub: Submission) -> tuple[int, int]:
    children = expected_units(sub.form, within=sub.unit).filter(level=sub.unit.level + 1)
    expected = children.count()
    approved = Submission.objects.filter(form=sub.form, period=sub.period, unit__in=children,
                                         status=rules.APPROVED).count()
    return expected, approved


def _count(sub: Submission, status: str, sign: int) -> None:
    """Move the report's figures in or out of the summary rows under `status`, in one upsert."""
    metrics.write(REPORT_VALUE.add(sub.unit, sub.period, category=metric_key, status=status, count=sign,
                                   total=sign * scaled)
                  for metric_key, scaled in Value.objects.filter(submission=sub).values_list("metric_key", "scaled"))


def _write_facts(sub: Submission) -> None:
    kinds = {f.key: f for f in _specs(sub.form)}
    rows = []
    for key, value in sub.values.items():
        spec = kinds.get(key)
        if spec is None or spec.kind not in rules.NUMERIC or value is None:
            continue
        v = Value(submission=sub, metric_key=f"{sub.form_id}.{key}", period=sub.period, status=sub.status,
                  scaled=rules.scaled(spec, value))
        v.place_in(sub.unit)
        rows.append(v)
    Value.objects.bulk_create(rows)


def _move(actor, sub: Submission, spec: rules.Step, version: int | None, fields: dict, detail: dict) -> Submission:
    old = sub.status
    for k, v in fields.items():
        setattr(sub, k, v)
    sub.status = spec.target
    with transaction.atomic():
        bump_version(sub, version, ["status", *fields])
        if old in rules.COUNTED:
            _count(sub, old, -1)
        if spec.target in rules.COUNTED:
            if old not in rules.COUNTED:
                _write_facts(sub)
            Value.objects.filter(submission=sub).update(status=spec.target)
            _count(sub, spec.target, 1)
        else:
            Value.objects.filter(submission=sub).delete()
        audit.record(actor, Action(f"reports.{spec.name}"), sub, summary=f"{spec.label}：{sub.form.title} {sub.unit.name}",
                     detail={"from": old, "to": sub.status, **detail})
    return sub


def submission_submit(*, actor, submission: Submission, version: int | None) -> Submission:
    """上报: every check passes (a roll-up: every child's report approved)."""
    spec = _check_step(actor, submission, "submit")
    if submission.rollup:
        problem = rules.children_problem(*_children_counts(submission))
        if problem:
            _refuse(problem)
    else:
        _, problems = rules.check_values(_specs(submission.form), submission.form.checks, submission.values)
        if problems:
            raise _invalid(submission.form, problems)
    fields = {"comment": ""}
    if submission.submitted_at is None:
        fields["submitted_at"] = periods.now()
    return _move(actor, submission, spec, version, fields, {})


def submission_return(*, actor, submission: Submission, version: int | None, comment: str) -> Submission:
    """退回 with a comment: the unit corrects and sends it up again."""
    spec = _check_step(actor, submission, "return")
    comment = require_text(comment, "comment", _("退回理由"))
    return _move(actor, submission, spec, version, {"comment": comment[:300]}, {"comment": comment})


def submission_approve(*, actor, submission: Submission, version: int | None) -> Submission:
    """审核通过: locks the report (and, for a roll-up, the subtree below)."""
    spec = _check_step(actor, submission, "approve")
    if submission.rollup:
        problem = rules.children_problem(*_children_counts(submission))
        if problem:
            _refuse(problem)
    return _move(actor, submission, spec, version, {"approved_at": periods.now(),
                                                    "approved_by": actor if getattr(actor, "pk", None) else None}, {})


def submission_unapprove(*, actor, submission: Submission, version: int | None, comment: str) -> Submission:
    """撤销审核 (audited, with its reason): refused while the report above has gone up or been approved."""
    spec = _check_step(actor, submission, "unapprove")
    comment = require_text(comment, "comment", _("撤销理由"))
    parent_status = Submission.objects.filter(form=submission.form, period=submission.period,
                                              unit_id=submission.unit.parent_id).values_list("status", flat=True).first()
    problem = rules.unapprove_problem(parent_status)
    if problem:
        _refuse(problem)
    return _move(actor, submission, spec, version, {"approved_at": None, "approved_by": None, "comment": comment[:300]},
                 {"comment": comment})


# ---------------------------------------------------------------- reminders


def remind_late(*, today: date | None = None) -> int:
    """Remind every unit whose report of the last closed period is late (once a day at most)."""
    today = today or periods.today()
    sent = 0
    for form in ReportForm.objects.filter(is_active=True).select_related("unit"):
        start = rules.period_start(today, form.period_kind)
        prev = rules.period_start(date.fromordinal(start.toordinal() - 1), form.period_kind)
        if today <= rules.due_on(prev, form.period_kind, form.due_days):
            continue
        have = dict(Submission.objects.filter(form=form, period=prev).values_list("unit_id", "status"))
        for unit in expected_units(form):
            if have.get(unit.pk) in rules.COUNTED:
                continue
            with transaction.atomic():
                sub = Submission.objects.select_for_update().filter(form=form, unit=unit, period=prev).first()
                if sub is None:
                    sub = _new(form, unit, prev)
                    sub.save()
                if sub.reminded_on == today:
                    continue
                sub.reminded_on = today
                bump_version(sub, None, ["reminded_on"])
                n = notify.notify(notify.unit_officers(unit, "reports.fill"), kind="reports.late",
                                  link=f"/reports/submissions/{sub.pk}/",
                                  text=format_lazy(gettext_lazy("《{title}》{period_kind}已过截止日期，请尽快填报"), title=form.title,
                                                    period_kind=lazy(rules.period_label, str)(prev, form.period_kind)))
                audit.record(None, Action.REPORTS_REMIND, sub, detail={"notified": n})
            sent += 1
    return sent
