"""Writes of field rules, stays, diaries, reports and proposals: the only code that writes them.

Summaries (core.SummaryCount), each bumped in the writer's transaction:
- field_days: one row per stay, category = kind, status = planned/done/cancelled, total = the
  stay's days, counted in the month the stay starts (not split across months, so the
  rollup rebuild gives the same rows). Dashboards read status "done".
- diary (total = women met), research_report, proposal (status = submitted/adopted/responded).
"""

from datetime import date

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit, periods, policies, uploads
from niangjia.core.access import ensure_unit_in_reach, reach_of
from niangjia.core.crud import apply_changes
from niangjia.core.errors import ValidationFailed
from niangjia.core.extensions import work_filed
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.versioning import bump_version
from niangjia.fieldwork.audit_actions import Action
from niangjia.needs import services as needs_services
from niangjia.needs.models import Need
from niangjia.people.models import Person

from . import metrics, rules
from .models import Diary, FieldRule, FieldStay, Proposal, ResearchReport, RuleAdoption

MAX_STAY_DAYS = 366
MSG_END_BEFORE_START = gettext_lazy("结束日期不能早于开始日期")
MSG_TOO_LONG = format_lazy(gettext_lazy("一次蹲点最长 {days} 天"), days=MAX_STAY_DAYS)
MSG_DONE_IN_FUTURE = gettext_lazy("已完成的蹲点不能晚于今天；未来的请用“计划”")
MSG_OVERLAP = gettext_lazy("与已有的蹲点记录重叠")
MSG_CANCELLED = gettext_lazy("已取消的蹲点不能再修改")
MSG_PRESET = gettext_lazy("未知的预设规则")
STAY_FIELDS = {"place", "start", "end", "kind", "setting", "paired_with", "note", "status"}


def _check_actor_for(actor, person: Person) -> None:
    """Her own records need fieldwork.record; someone else's need fieldwork.manage and the person in reach."""
    if person is None:
        raise ValidationFailed(_("请选择人员：您的账号未关联人员档案"), fields={"person": _("必填")})
    if getattr(actor, "person_id", None) == person.pk:
        require(actor, "fieldwork.record")
    else:
        require(actor, "fieldwork.manage")
        ensure_unit_in_reach(actor, person)


def _by(actor):
    return actor if getattr(actor, "pk", None) else None


# ---------------------------------------------------------------- rules

def rule_adopt(*, actor, unit, preset: str = "", rule: FieldRule | None = None, body: str = "",
               title_contains: str = "", levels: list[int] | None = None, overrides: dict | None = None,
               name: str = "") -> RuleAdoption:
    """Apply a rule to posts in `unit`'s subtree: a preset (copied with the unit's policy figures) or a rule."""
    require(actor, "fieldwork.manage")
    ensure_unit_in_reach(actor, unit)
    with transaction.atomic():
        if rule is None:
            rule = _rule_from_preset(actor, unit, preset, overrides or {}, name)
        else:
            ensure_unit_in_reach(actor, rule)
        defaults = rules.PRESETS.get(rule.preset, ("", {}))[1]
        adoption = RuleAdoption(rule=rule, body=body or defaults.get("body", ""), title_contains=title_contains.strip(),
                                levels=sorted(set(levels if levels is not None else defaults.get("levels", []))))
        if any(lv not in range(1, 7) for lv in adoption.levels):
            raise ValidationFailed(_("适用层级应为 1–6"), fields={"levels": _("应为 1–6")})
        adoption.place_in(unit)
        full_clean_or_raise(adoption, exclude=["unit", "rule"])
        adoption.save()
        audit.record(actor, Action.RULE_ADOPT, adoption, summary=f"{unit.name} 采用 {rule.name}",
                     detail={"rule": rule.pk, "body": adoption.body, "title": adoption.title_contains,
                             "levels": adoption.levels})
    return adoption


def _rule_from_preset(actor, unit, preset: str, overrides: dict, name: str) -> FieldRule:
    if preset not in rules.PRESETS:
        raise ValidationFailed(f"{MSG_PRESET}：{preset}", fields={"preset": MSG_PRESET})
    values = policies.resolve(preset, unit)
    for k, v in overrides.items():
        if k not in values or k in ("kind", "body", "levels"):
            raise ValidationFailed(_("规则没有参数 {k}").format(k=k), fields={k: _("未知参数")})
        if not isinstance(v, type(values[k])) or (isinstance(v, int) and not isinstance(v, bool) and v < 0):
            raise ValidationFailed(_("参数 {k} 应为{bool}").format(k=k, bool=_('是/否') if isinstance(values[k], bool) else _('非负整数')),
                                   fields={k: _("类型错误")})
        values[k] = v
    fields, params = rules.split_preset(values)
    rule = FieldRule(preset=preset, name=(name or rules.PRESETS[preset][0])[:80], kind=fields["kind"], params=params,
                     **{k: fields[k] for k in rules.COMMON})
    rule.place_in(unit)
    full_clean_or_raise(rule, exclude=["unit"])
    rule.save()
    audit.record(actor, Action.RULE_CREATE, rule, detail={"preset": preset, "params": params,
                                                               "flags": rule.flags})
    return rule


def rule_update(*, actor, rule: FieldRule, version: int | None, name: str | None = None,
                params: dict | None = None, flags: dict | None = None) -> FieldRule:
    """Change a rule's name, figures (only those its kind has) or count flags; audited old → new.
    Standings are computed from the rule when read, so every person's standing follows at once."""
    require(actor, "fieldwork.manage")
    ensure_unit_in_reach(actor, rule)
    changes: dict = {}
    if name is not None:
        changes["name"] = require_text(name, "name", _("名称"))[:80]
    if params is not None:
        unknown = set(params) - set(rule.params)
        if unknown:
            raise ValidationFailed(_("规则没有参数 {unknown}").format(unknown=', '.join(sorted(unknown))), fields={k: _("未知参数") for k in unknown})
        for k, v in params.items():
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValidationFailed(_("参数 {k} 应为非负整数").format(k=rules.PARAM_LABELS.get(k, (k,))[0]), fields={k: _("应为非负整数")})
            if k == "min_place_level" and v not in rules.PLACE_LEVELS:
                raise ValidationFailed(_("计入的地点应为 1–6 级"), fields={k: _("应为 1–6")})
        changes["params"] = {**rule.params, **params}
    for k, v in (flags or {}).items():
        if k not in rules.COMMON or not isinstance(v, bool):
            raise ValidationFailed(_("未知的计入选项：{k}").format(k=k), fields={k: _("未知")})
        changes[k] = v
    apply_changes(actor=actor, obj=rule, version=version, changes=changes,
                  allowed={"name", "params", *rules.COMMON}, action=Action.RULE_UPDATE)
    return rule


def adoption_end(*, actor, adoption: RuleAdoption, version: int | None) -> RuleAdoption:
    require(actor, "fieldwork.manage")
    ensure_unit_in_reach(actor, adoption)
    apply_changes(actor=actor, obj=adoption, version=version, changes={"is_active": False}, allowed={"is_active"},
                  action=Action.RULE_END)
    return adoption


# ---------------------------------------------------------------- stays

def stay_plan(*, actor, person: Person, place, start: date, end: date, kind: str = "stay", **fields) -> FieldStay:
    """Plan a stay (may lie in the future); planned days do not count until the stay is done."""
    return _stay_create(actor, person, place, start, end, kind, FieldStay.Status.PLANNED, fields)


def stay_log(*, actor, person: Person, place, start: date, end: date, kind: str = "stay", **fields) -> FieldStay:
    """Record a stay that took place (it must have ended by today)."""
    return _stay_create(actor, person, place, start, end, kind, FieldStay.Status.DONE, fields)


def _stay_create(actor, person, place, start, end, kind, status, fields) -> FieldStay:
    _check_actor_for(actor, person)
    ensure_unit_in_reach(actor, place)
    unknown = set(fields) - {"setting", "paired_with", "note"}
    if unknown:
        raise ValidationFailed(_("未知字段：{unknown}").format(unknown=', '.join(sorted(unknown))))
    _check_paired(actor, fields.get("paired_with"))
    stay = FieldStay(person=person, place=place, start=start, end=end, kind=kind, status=status,
                     created_by=_by(actor), note=(fields.get("note") or "").strip(),
                     paired_with=fields.get("paired_with"), setting=fields.get("setting") or "")
    stay.place_in(person.unit)
    _prepare_stay(stay)
    with transaction.atomic():
        _refuse_overlap(stay)
        stay.save()
        metrics.FIELD_DAYS.move(stay, after={})
        audit.record(actor, Action("fieldwork.stay_" + ("log" if status == "done" else "plan")), stay,
                     detail={"place": place.pk, "start": start.isoformat(), "end": end.isoformat(), "kind": kind,
                             "person": person.pk, "on_behalf": getattr(actor, "person_id", None) != person.pk})
    return stay


MSG_PAIRED_OUT = gettext_lazy("结对妇女不存在或不在您的管辖范围内")


def _check_paired(actor, paired) -> None:
    """The woman paired with on a stay (城市“六个一”) must be a person in the actor's reach."""
    if paired is None:
        return
    if not isinstance(paired, Person) or not reach_of(actor).covers_obj(paired):
        raise ValidationFailed(MSG_PAIRED_OUT, fields={"paired_with": MSG_PAIRED_OUT})


def _prepare_stay(stay: FieldStay) -> None:
    """Derived fields and the checks a stay must pass before it is written."""
    if stay.start and stay.end and stay.end < stay.start:
        raise ValidationFailed(MSG_END_BEFORE_START, fields={"end": MSG_END_BEFORE_START})
    if stay.start and stay.end and rules.stay_days(stay.start, stay.end) > MAX_STAY_DAYS:
        raise ValidationFailed(MSG_TOO_LONG, fields={"end": MSG_TOO_LONG})
    if stay.status == FieldStay.Status.DONE and stay.end and stay.end > periods.today():
        raise ValidationFailed(MSG_DONE_IN_FUTURE, fields={"end": MSG_DONE_IN_FUTURE})
    stay.place_level = stay.place.level
    stay.setting = stay.setting or rules.setting_for(stay.place.name, stay.place.level)
    stay.days = rules.stay_days(stay.start, stay.end)
    full_clean_or_raise(stay, exclude=["unit", "person", "place", "paired_with", "created_by"])


def _refuse_overlap(stay: FieldStay) -> None:
    """Inside the writer's transaction, with the person's row locked so two writes cannot both pass
    (the plain manager: a lock must find her row whoever she is)."""
    Person.objects.select_for_update().filter(pk=stay.person_id).values_list("pk", flat=True).first()
    other = (FieldStay.objects.filter(person_id=stay.person_id, start__lte=stay.end, end__gte=stay.start)
             .exclude(status=FieldStay.Status.CANCELLED).exclude(pk=stay.pk).select_related("place")
             .order_by("start").first())
    if other is not None:
        msg = _("{overlap}：{place} {start:%Y-%m-%d}至{end:%Y-%m-%d}（{kind}，{status}）").format(
            overlap=MSG_OVERLAP, place=other.place.name, start=other.start, end=other.end,
            kind=other.get_kind_display(), status=other.get_status_display())
        raise ValidationFailed(msg, fields={"start": msg}, code="overlap")


def stay_update(*, actor, stay: FieldStay, version: int | None, **changes) -> FieldStay:
    """Edit a stay (dates, place, kind, status…); the overlap check runs again in the transaction."""
    _check_actor_for(actor, stay.person)
    unknown = set(changes) - STAY_FIELDS
    if unknown:
        raise ValidationFailed(_("不能修改这些字段：{unknown}").format(unknown=', '.join(sorted(unknown))))
    if stay.status == FieldStay.Status.CANCELLED:
        raise ValidationFailed(MSG_CANCELLED)
    if "place" in changes:
        ensure_unit_in_reach(actor, changes["place"])
    if changes.get("paired_with") is not None:
        _check_paired(actor, changes["paired_with"])
    if changes.get("status") not in (None, "planned", "done"):
        raise ValidationFailed(_("状态只能改为计划或已完成；取消请用“取消”"), fields={"status": _("无效")})
    before = FieldStay.objects.get(pk=stay.pk)
    diff = {}
    for field, new in changes.items():
        if getattr(stay, field) != new:
            diff[field] = [_plain(getattr(stay, field)), _plain(new)]
            setattr(stay, field, new)
    if "place" in changes and "setting" not in changes:
        stay.setting = ""
    _prepare_stay(stay)
    with transaction.atomic():
        _refuse_overlap(stay)
        bump_version(stay, version, [*STAY_FIELDS, "place_level", "days"])
        metrics.FIELD_DAYS.move(stay, before=before, after={})
        audit.record(actor, Action.STAY_UPDATE, stay, detail={"changes": diff})
    return stay


def stay_cancel(*, actor, stay: FieldStay, version: int | None) -> FieldStay:
    """Cancel a stay: it stays on record, no longer counts and no longer blocks its dates."""
    _check_actor_for(actor, stay.person)
    if stay.status == FieldStay.Status.CANCELLED:
        return stay
    with transaction.atomic():
        old = stay.status
        stay.status = FieldStay.Status.CANCELLED
        bump_version(stay, version, ["status"])
        metrics.FIELD_DAYS.move(stay, before={"status": old}, after={})
        audit.record(actor, Action.STAY_CANCEL, stay)
    return stay


def _plain(v):
    return v.pk if hasattr(v, "pk") else (v.isoformat() if hasattr(v, "isoformat") else v)


# ---------------------------------------------------------------- diaries, reports, proposals

def diary_write(*, actor, person: Person, place, date: date, title: str, text: str, women_met: int = 0,
                needs: list[dict] | None = None) -> Diary:
    """Write a diary and register the needs heard (channel 下基层走访) in the same transaction."""
    _check_actor_for(actor, person)
    ensure_unit_in_reach(actor, place)
    needs = [n for n in (needs or []) if any(str(v or "").strip() for v in n.values())]
    _check_needs(needs)
    diary = Diary(person=person, place=place, date=date, title=require_text(title, "title", _("标题")),
                  text=require_text(text, "text", _("内容")), women_met=women_met or 0, created_by=_by(actor))
    diary.place_in(person.unit)
    full_clean_or_raise(diary, exclude=["unit", "person", "place", "created_by"])
    with transaction.atomic():
        diary.save()
        metrics.DIARY.move(diary, after={})
        audit.record(actor, Action.DIARY_WRITE, diary, detail={"needs": len(needs)})
        for n in needs:
            needs_services.need_register(actor=actor, unit=place, category=n["category"],
                                         urgency=n.get("urgency") or "normal", description=n["description"],
                                         channel=Need.Channel.FIELD_VISIT, source=("fieldwork.diary", diary.pk),
                                         day=diary.date)
    return diary


DIARY_FIELDS = {"place", "date", "title", "text", "women_met"}
REPORT_FIELDS = {"date", "title", "topic", "summary"}
PROPOSAL_FIELDS = {"date", "title", "text", "addressed_to"}


def _edit(actor, obj, version: int | None, changes: dict, *, allowed: set[str], required: dict[str, str],
          action: str) -> None:
    """Edit a diary, report or proposal: texts required, a new place in reach, then core's versioned edit
    (unknown fields refused, validated, version-checked, audited old → new). Call it inside the
    transaction that also moves the record's summary count."""
    _check_actor_for(actor, obj.person)
    for field, label in required.items():
        if field in changes:
            changes[field] = require_text(changes[field], field, label)
    if "place" in changes:
        ensure_unit_in_reach(actor, changes["place"])
    apply_changes(actor=actor, obj=obj, version=version, changes=changes, allowed=allowed, action=action)


def diary_update(*, actor, diary: Diary, version: int | None, **changes) -> Diary:
    """Correct a diary (place, date, title, text, women met); its summary count moves with its date."""
    before = Diary.objects.get(pk=diary.pk)
    with transaction.atomic():
        _edit(actor, diary, version, changes, allowed=DIARY_FIELDS, required={"title": _("标题"), "text": _("内容")},
              action=Action.DIARY_UPDATE)
        metrics.DIARY.move(diary, before=before, after={})
    return diary


def diary_add_needs(*, actor, diary: Diary, needs: list[dict]) -> list:
    """Needs heard, added to the ledger from a diary already saved (channel 下基层走访, same source)."""
    _check_actor_for(actor, diary.person)
    needs = [n for n in (needs or []) if any(str(v or "").strip() for v in n.values())]
    if not needs:
        raise ValidationFailed(_("请至少填写一条需求"), fields={"needs": _("请至少填写一条需求")})
    _check_needs(needs)
    made = []
    with transaction.atomic():
        for n in needs:
            made.append(needs_services.need_register(
                actor=actor, unit=diary.place, category=n["category"], urgency=n.get("urgency") or "normal",
                description=n["description"], channel=Need.Channel.FIELD_VISIT, source=("fieldwork.diary", diary.pk),
                day=diary.date))
        audit.record(actor, Action.DIARY_NEEDS, diary, detail={"needs": len(made)})
    return made


def report_update(*, actor, report: ResearchReport, version: int | None, **changes) -> ResearchReport:
    before = ResearchReport.objects.get(pk=report.pk)
    with transaction.atomic():
        _edit(actor, report, version, changes, allowed=REPORT_FIELDS, required={"title": _("标题"), "topic": _("调研问题")},
              action=Action.REPORT_UPDATE)
        if before.date != report.date:
            metrics.RESEARCH_REPORT.move(report, before=before, after={})
    return report


def proposal_update(*, actor, proposal: Proposal, version: int | None, **changes) -> Proposal:
    before = Proposal.objects.get(pk=proposal.pk)
    with transaction.atomic():
        _edit(actor, proposal, version, changes, allowed=PROPOSAL_FIELDS,
              required={"title": _("标题"), "text": _("内容"), "addressed_to": _("提交对象")}, action=Action.PROPOSAL_UPDATE)
        if before.date != proposal.date:
            metrics.PROPOSAL.move(proposal, before=before, after={})
    return proposal


def _check_needs(needs: list[dict]) -> None:
    """Every need row is checked before anything is written, so the refusal names the row."""
    for i, n in enumerate(needs, start=1):
        if n.get("category") not in Need.Category.values:
            raise ValidationFailed(_("第 {i} 条需求：请选择类别").format(i=i), fields={f"needs.{i}.category": _("请选择类别")})
        if (n.get("urgency") or "normal") not in Need.Urgency.values:
            raise ValidationFailed(_("第 {i} 条需求：紧急程度无效").format(i=i), fields={f"needs.{i}.urgency": _("无效")})
        if not str(n.get("description") or "").strip():
            raise ValidationFailed(_("第 {i} 条需求：需求内容不能为空").format(i=i), fields={f"needs.{i}.description": _("不能为空")})


def _check_upload(upload) -> None:
    """The same type/size/content check as duty evidence (core.uploads.check_upload)."""
    uploads.check_upload(upload or None, field="file", label=_("附件"))


def _to_duties(actor, obj, link_type: str):
    """Record the filed report/proposal on her duty checklist too (duties listens through
    core.extensions.work_filed), same transaction."""
    obj.duty_evidence = work_filed(actor=actor, person=obj.person, link_type=link_type, link_id=obj.pk,
                                   what=f"{obj.title}"[:200], day=obj.date)


def report_file(*, actor, person: Person, date: date, title: str, topic: str, summary: str = "",
                file=None, record_duty: bool = False) -> ResearchReport:
    """File a research report; with `record_duty`, also as evidence on her checklist's 调研报告 item."""
    _check_actor_for(actor, person)
    _check_upload(file)
    report = ResearchReport(person=person, date=date, title=require_text(title, "title", _("标题")),
                            topic=require_text(topic, "topic", _("调研问题")), summary=(summary or "").strip(),
                            created_by=_by(actor))
    if file:
        report.file = file
    report.place_in(person.unit)
    full_clean_or_raise(report, exclude=["unit", "person", "created_by"])
    with uploads.kept_only_if_saved() as keep, transaction.atomic():
        report.save()
        metrics.RESEARCH_REPORT.move(report, after={})
        keep(report.file)
        audit.record(actor, Action.REPORT_FILE, report)
        report.duty_evidence = None
        if record_duty:
            _to_duties(actor, report, "report")
    return report


def report_attach(*, actor, report: ResearchReport, file, version: int | None = None) -> ResearchReport:
    """Attach (or replace) the file of a report; the old file is kept on disk, the audit names both."""
    _check_actor_for(actor, report.person)
    if not file:
        raise ValidationFailed(_("请选择要上传的附件"), fields={"file": _("必填")})
    _check_upload(file)
    old = report.file.name if report.file else ""
    with uploads.kept_only_if_saved() as keep, transaction.atomic():
        report.file.save(file.name, file, save=False)
        keep(report.file)
        bump_version(report, version, ["file"])
        audit.record(actor, Action.REPORT_ATTACH, report, detail={"old": old, "new": report.file.name})
    return report


def proposal_file(*, actor, person: Person, date: date, title: str, text: str, addressed_to: str,
                  record_duty: bool = False) -> Proposal:
    """File a proposal; with `record_duty`, also as evidence on her checklist's 建议案 item."""
    _check_actor_for(actor, person)
    proposal = Proposal(person=person, date=date, title=require_text(title, "title", _("标题")),
                        text=require_text(text, "text", _("内容")),
                        addressed_to=require_text(addressed_to, "addressed_to", _("提交对象")), created_by=_by(actor))
    proposal.place_in(person.unit)
    full_clean_or_raise(proposal, exclude=["unit", "person", "created_by"])
    with transaction.atomic():
        proposal.save()
        metrics.PROPOSAL.move(proposal, after={})
        audit.record(actor, Action.PROPOSAL_FILE, proposal)
        proposal.duty_evidence = None
        if record_duty:
            _to_duties(actor, proposal, "proposal")
    return proposal


def proposal_set_status(*, actor, proposal: Proposal, version: int | None, status: str) -> Proposal:
    _check_actor_for(actor, proposal.person)
    if status not in Proposal.Status.values:
        raise ValidationFailed(_("状态无效"), fields={"status": _("无效")})
    with transaction.atomic():
        old = proposal.status
        apply_changes(actor=actor, obj=proposal, version=version, changes={"status": status}, allowed={"status"},
                      action=Action.PROPOSAL_STATUS)
        if old != status:
            metrics.PROPOSAL.move(proposal, before={"status": old}, after={})
    return proposal
