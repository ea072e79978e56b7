"""Writes of checklist templates and their items (duties.manage), and the refresh of the checklists handed out from them."""


from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from niangjia.core import audit, policies
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import ValidationFailed
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.duties.audit_actions import Action

from .. import rules
from ..models import Assignment, ChecklistItem, ChecklistTemplate, EvidenceKind
from .progress import refresh_progress

TEMPLATE_FIELDS = {"name", "description", "is_active"}
ITEM_FIELDS = {"order", "title", "description", "target_kind", "target_min", "target_max", "noun", "evidence_kind",
               "is_active"}



# ---------------------------------------------------------------- templates


def _check_target(kind, low, high) -> None:
    problem = rules.target_problem(kind, low, high)
    if problem:
        raise ValidationFailed("；".join(problem.values()), fields=problem)


def _clean_item_fields(fields: dict) -> dict:
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise ValidationFailed(_("未知字段：{value}").format(value=', '.join(sorted(unknown))))
    out = dict(fields)
    if "title" in out:
        out["title"] = require_text(out["title"], "title", _("事项"))
    if out.get("target_kind") and out["target_kind"] != rules.BETWEEN:
        out["target_max"] = None
    if "evidence_kind" in out and out["evidence_kind"] not in EvidenceKind.values:
        raise ValidationFailed(_("佐证类别无效"), fields={"evidence_kind": _("取值无效")})
    return out


def template_create(*, actor, unit, name: str, description: str = "", items: list[dict] | None = None,
                    preset_key: str = "") -> ChecklistTemplate:
    """A federation's new checklist, optionally with its items in one go."""
    require(actor, "duties.manage")
    ensure_unit_in_reach(actor, unit)
    tpl = ChecklistTemplate(name=require_text(name, "name", _("清单名称")), description=description or "",
                            preset_key=preset_key, created_by=actor if getattr(actor, "pk", None) else None)
    tpl.place_in(unit)
    full_clean_or_raise(tpl)
    built = []
    for n, raw in enumerate(items or [], start=1):
        fields = _clean_item_fields({"order": n, **raw})
        item = ChecklistItem(**fields)
        _check_target(item.target_kind, item.target_min, item.target_max)
        full_clean_or_raise(item, exclude=["template"])
        built.append(item)
    with transaction.atomic():
        tpl.save()
        for item in built:
            item.template = tpl
        ChecklistItem.objects.bulk_create(built)
        audit.record(actor, Action.TEMPLATE_CREATE, tpl, detail={"items": len(built), "preset": preset_key})
    return tpl


def template_from_preset(*, actor, unit, key: str = rules.PRESET_POLICY) -> ChecklistTemplate:
    """"使用预设清单": the shipped checklist (or the federation's override of it) as a new template."""
    if key not in policies.REGISTRY or not key.startswith("duties.preset."):
        raise ValidationFailed(_("未知的预设清单"), fields={"preset": _("未知")})
    preset = policies.resolve(key, unit)
    items = [{k: v for k, v in item.items() if k in ITEM_FIELDS} for item in preset.get("items", [])]
    return template_create(actor=actor, unit=unit, name=preset.get("name", _("履职清单")),
                           description=preset.get("description", ""), items=items, preset_key=key)


def template_update(*, actor, template: ChecklistTemplate, version: int | None, **changes) -> ChecklistTemplate:
    require(actor, "duties.manage")
    ensure_unit_in_reach(actor, template)
    if "name" in changes:
        changes["name"] = require_text(changes["name"], "name", _("清单名称"))
    apply_changes(actor=actor, obj=template, version=version, changes=changes, allowed=TEMPLATE_FIELDS,
                  action=Action.TEMPLATE_UPDATE)
    return template


def item_add(*, actor, template: ChecklistTemplate, **fields) -> ChecklistItem:
    require(actor, "duties.manage")
    ensure_unit_in_reach(actor, template)
    if "order" not in fields:
        fields["order"] = (template.items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = ChecklistItem(template=template, **_clean_item_fields(fields))
    _check_target(item.target_kind, item.target_min, item.target_max)
    full_clean_or_raise(item)
    with transaction.atomic():
        item.save()
        audit.record(actor, Action.ITEM_ADD, template, summary=f"新增事项：{item.title}",
                     detail={"item": item.pk})
        _refresh_assignments_of(template)
    return item


def item_update(*, actor, item: ChecklistItem, version: int | None, **changes) -> ChecklistItem:
    """Change an item; every assignment of its template is re-scored in the same transaction."""
    require(actor, "duties.manage")
    ensure_unit_in_reach(actor, item.template)
    changes = _clean_item_fields(changes)
    merged = {f: changes.get(f, getattr(item, f)) for f in ("target_kind", "target_min", "target_max")}
    if merged["target_kind"] != rules.BETWEEN:
        merged["target_max"] = None
        if item.target_max is not None:
            changes["target_max"] = None
    _check_target(merged["target_kind"], merged["target_min"], merged["target_max"])
    with transaction.atomic():
        diff = apply_changes(actor=actor, obj=item, version=version, changes=changes, allowed=ITEM_FIELDS,
                             action=Action.ITEM_UPDATE)
        if diff:
            _refresh_assignments_of(item.template)
    return item


def _refresh_assignments_of(template: ChecklistTemplate) -> None:
    for a in Assignment.objects.filter(template=template).only("id", "template_id"):
        refresh_progress(a)
