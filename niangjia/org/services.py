"""Writes of the tree, sites, organisations and grassroots reform. The only writers of org tables."""

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit, callers, periods, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import Forbidden, ValidationFailed
from niangjia.core.pinyin import pinyin_full, pinyin_initials
from niangjia.core.roles import require
from niangjia.core.scope import AncestorColumns
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.org.audit_actions import Action

from . import metrics, rules
from .models import (
    EstablishmentQuota,
    Federation,
    Organisation,
    Site,
    TownshipRegionalisation,
    VillageConversion,
)
from .queries import quota_history

FEDERATION_FIELDS = {"name", "code", "form", "staffing_quota", "departments_quota", "has_hotline"}
SITE_FIELDS = {"kind", "name", "address", "host", "services", "established_on"}
ORG_FIELDS = {"kind", "agency_type", "name", "contact_name", "contact_phone", "women_count"}
MSG_HAS_ACTIVE_CHILDREN = gettext_lazy("该组织还有有效的下级组织，请先停用下级组织")
MSG_CODE_TAKEN = gettext_lazy("组织代码已被使用")


def federation_create(*, actor, parent: Federation | None, name: str, code: str, **fields) -> Federation:
    """Create a federation under `parent` (a national root needs a superuser)."""
    require(actor, "org.edit")
    if parent is None and not actor.is_superuser:
        raise Forbidden(_("只有超级管理员可以创建全国一级组织"))
    if parent is not None:
        ensure_unit_in_reach(actor, parent)
    name = require_text(name, "name", _("名称"))
    code = require_text(code, "code", _("组织代码"))
    level = rules.child_level(parent.level if parent else None)
    if Federation.objects.filter(code=code).exists():
        raise ValidationFailed(MSG_CODE_TAKEN, fields={"code": MSG_CODE_TAKEN})
    unknown = set(fields) - FEDERATION_FIELDS
    if unknown:
        raise ValidationFailed(_("未知字段：{value}").format(value=', '.join(sorted(unknown))))
    fed = Federation(parent=parent, name=name, code=code, level=level, **fields)
    fed.name_pinyin, fed.name_initials = pinyin_full(name), pinyin_initials(name)
    fed.path = "/"
    full_clean_or_raise(fed, exclude=["path"])
    with transaction.atomic():
        fed.save()
        parent_cols = parent.ancestors() if parent else {}
        for f, v in rules.ancestor_columns(parent_cols, level, fed.id).items():
            setattr(fed, f, v)
        fed.path = rules.path_of(parent.path if parent else None, fed.id)
        Federation.objects.filter(pk=fed.pk).update(path=fed.path, **fed.ancestors())
        audit.record(actor, Action.FEDERATION_CREATE, fed, detail={"parent": parent.pk if parent else None})
        if fed.staffing_quota or fed.departments_quota:  # the first approved quota starts its history
            _quota_follows_edit(actor, fed)
    return fed


def federation_root_create(*, actor, name: str, code: str, level: int = 1) -> Federation:
    """The tree's root: the national federation (level 1), or a province's (level 2) for a provincial deployment."""
    if not actor.is_superuser:
        raise Forbidden(_("只有超级管理员可以创建根组织"))
    if level not in (1, 2):
        raise ValidationFailed(_("根组织只能是全国（1）或省（2）一级"), fields={"level": _("应为 1 或 2")})
    if Federation.objects.filter(parent__isnull=True).exists():
        raise ValidationFailed(_("已有根组织"), fields={"parent": _("已有根组织")})
    name, code = require_text(name, "name", _("名称")), require_text(code, "code", _("组织代码"))
    if Federation.objects.filter(code=code).exists():
        raise ValidationFailed(MSG_CODE_TAKEN, fields={"code": MSG_CODE_TAKEN})
    fed = Federation(name=name, code=code, level=level, path="/")
    fed.name_pinyin, fed.name_initials = pinyin_full(name), pinyin_initials(name)
    full_clean_or_raise(fed, exclude=["path"])
    with transaction.atomic():
        fed.save()
        fed.path = rules.path_of(None, fed.id)
        setattr(fed, f"l{level}", fed.id)
        Federation.objects.filter(pk=fed.pk).update(path=fed.path, **fed.ancestors())
        audit.record(actor, Action.FEDERATION_CREATE, fed, detail={"parent": None, "root": True})
    return fed


def federation_update(*, actor, federation: Federation, version: int | None, **changes) -> Federation:
    require(actor, "org.edit")
    ensure_unit_in_reach(actor, federation)
    if "code" in changes and Federation.objects.exclude(pk=federation.pk).filter(code=changes["code"]).exists():
        raise ValidationFailed(MSG_CODE_TAKEN, fields={"code": MSG_CODE_TAKEN})
    if "name" in changes:
        changes["name"] = require_text(changes["name"], "name", _("名称"))
        changes["name_pinyin"] = pinyin_full(changes["name"])
        changes["name_initials"] = pinyin_initials(changes["name"])
    apply_changes(actor=actor, obj=federation, version=version, changes=changes,
                  allowed=FEDERATION_FIELDS | {"name_pinyin", "name_initials"}, action=Action.FEDERATION_UPDATE)
    if {"staffing_quota", "departments_quota"} & set(changes):
        _quota_follows_edit(actor, federation)
    callers.forget_all()  # cached home units carry the unit's fields
    return federation


def federation_set_active(*, actor, federation: Federation, active: bool, version: int | None) -> Federation:
    require(actor, "org.edit")
    ensure_unit_in_reach(actor, federation)
    if not active and federation.children.filter(is_active=True).exists():
        raise ValidationFailed(MSG_HAS_ACTIVE_CHILDREN)
    if active and federation.parent and not federation.parent.is_active:
        raise ValidationFailed(_("上级组织已停用，不能启用本组织"))
    apply_changes(actor=actor, obj=federation, version=version, changes={"is_active": active},
                  allowed={"is_active"}, action=Action.FEDERATION_ACTIVATE if active else Action.FEDERATION_DEACTIVATE)
    callers.forget_all()  # a deactivated unit leaves every cached reach and home unit it was in
    return federation


def scoped_models() -> list[type]:
    """Every concrete model carrying ancestor columns (the tree itself included)."""
    return [m for m in apps.get_models() if issubclass(m, AncestorColumns) and not m._meta.abstract]


def federation_move(*, actor, federation: Federation, new_parent: Federation) -> Federation:
    """Move a subtree under a new parent of the same level; rewrites every ancestor column at once."""
    if not actor.is_superuser:
        raise Forbidden(_("只有超级管理员可以调整组织隶属关系"))
    old_parent = federation.parent
    if old_parent is None or new_parent.level != old_parent.level:
        raise ValidationFailed(_("只能移到同一层级的另一个上级组织之下"))
    if federation.path and new_parent.path.startswith(federation.path):
        raise ValidationFailed(_("不能移到自己的下级组织之下"))
    level = federation.level
    new_cols = {f"l{n}": getattr(new_parent, f"l{n}") for n in range(1, level)}
    old_path, new_path = federation.path, rules.path_of(new_parent.path, federation.id)
    with transaction.atomic():
        # the tree first: the audit trigger lets a row's ancestor columns change only to its unit's current ones
        for model in sorted(scoped_models(), key=lambda m: m is not Federation):
            model._base_manager.filter(**{f"l{level}": federation.id}).update(**new_cols)
        for fed in Federation.objects.filter(**{f"l{level}": federation.id}).only("id", "path"):
            Federation.objects.filter(pk=fed.pk).update(path=new_path + fed.path[len(old_path):])
        Federation.objects.filter(pk=federation.pk).update(parent=new_parent, version=F("version") + 1)
        callers.forget_all()  # cached home units carry the old ancestor columns
        federation.refresh_from_db()
        audit.record(actor, Action.FEDERATION_MOVE, federation,
                     detail={"from": old_parent.pk, "to": new_parent.pk})
    return federation


def _create_scoped(actor, model, unit, action: str, allowed: set[str], fields: dict):
    require(actor, "org.edit")
    ensure_unit_in_reach(actor, unit)
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(_("未知字段：{value}").format(value=', '.join(sorted(unknown))))
    obj = model(**fields)
    obj.place_in(unit)
    full_clean_or_raise(obj)
    with transaction.atomic():
        obj.save()
        audit.record(actor, action, obj)
    return obj


def site_create(*, actor, unit: Federation, **fields) -> Site:
    return _create_scoped(actor, Site, unit, Action.SITE_CREATE, SITE_FIELDS, fields)


def site_update(*, actor, site: Site, version: int | None, **changes) -> Site:
    require(actor, "org.edit")
    ensure_unit_in_reach(actor, site)
    apply_changes(actor=actor, obj=site, version=version, changes=changes,
                  allowed=SITE_FIELDS | {"is_active"}, action=Action.SITE_UPDATE)
    return site


def organisation_create(*, actor, unit: Federation, **fields) -> Organisation:
    return _create_scoped(actor, Organisation, unit, Action.ORGANISATION_CREATE, ORG_FIELDS, fields)


def organisation_update(*, actor, organisation: Organisation, version: int | None, **changes) -> Organisation:
    require(actor, "org.edit")
    ensure_unit_in_reach(actor, organisation)
    apply_changes(actor=actor, obj=organisation, version=version, changes=changes,
                  allowed=ORG_FIELDS | {"is_active"}, action=Action.ORGANISATION_UPDATE)
    return organisation


def village_conversion_record(*, actor, village: Federation, converted_on, executive_members_added: int,
                              with_village_election: bool = True, note: str = "") -> VillageConversion:
    """会改联: the village congress becomes a federation, with the executive members it adds."""
    if village.level != 6:
        raise ValidationFailed(_("会改联只适用于村/社区一级"), fields={"unit": _("应为村/社区")})
    if VillageConversion.objects.filter(unit=village).exists():
        raise ValidationFailed(_("该村已登记过会改联"), fields={"unit": _("已登记")})
    with transaction.atomic():
        conv = _create_scoped(actor, VillageConversion, village, Action.VILLAGE_CONVERT,
                              {"converted_on", "executive_members_added", "with_village_election", "note"},
                              {"converted_on": converted_on, "executive_members_added": executive_members_added,
                               "with_village_election": with_village_election, "note": note})
        Federation.objects.filter(pk=village.pk).update(form=Federation.Form.FEDERATION, version=F("version") + 1)
        summaries.bump(metrics.VILLAGE_CONVERSION.name, village, converted_on, total=executive_members_added)
    return conv


def township_regionalisation_record(*, actor, township: Federation, completed_on, members_before: int,
                                    members_after: int, note: str = "") -> TownshipRegionalisation:
    """区域化建设: record the township federation's executive members before and after.

    A township is regionalised once: a later record for the same township amends the first (its date,
    members and note, audited as an amendment, its summary counts moved) and never adds a second
    township to the figures."""
    if township.level != 5:
        raise ValidationFailed(_("区域化建设只适用于乡镇/街道一级"), fields={"unit": _("应为乡镇/街道")})
    if members_after < members_before:
        raise ValidationFailed(_("改革后执委人数不应少于改革前"), fields={"members_after": _("少于改革前")})
    fields = {"completed_on": completed_on, "members_before": members_before, "members_after": members_after,
              "note": note}
    with transaction.atomic():
        existing = (TownshipRegionalisation.objects.select_for_update().filter(unit=township)
                    .order_by("id").first())
        if existing is None:
            rec = _create_scoped(actor, TownshipRegionalisation, township, Action.TOWNSHIP_REGIONALISE, set(fields), fields)
            metrics.TOWNSHIP_REGIONALISATION.move(rec, after={})
            return rec
        require(actor, "org.edit")
        ensure_unit_in_reach(actor, township)
        was = {"day": existing.completed_on, "total": existing.members_after - existing.members_before}
        old = {k: getattr(existing, k) for k in fields}
        for k, v in fields.items():
            setattr(existing, k, v)
        full_clean_or_raise(existing)
        existing.save(update_fields=list(fields))
        metrics.TOWNSHIP_REGIONALISATION.move(existing, before=was, after={})
        audit.record(actor, Action.TOWNSHIP_REGIONALISE_AMEND, existing, summary="再次登记：修正原记录，不另计一个乡镇",
                     detail={"before": {k: str(v) for k, v in old.items()}})
    return existing



# ---------------------------------------------------------------- 机构编制核定 (establishment quotas and their history)

QUOTA_FIELDS = {"effective_on", "staff", "departments", "institutions", "document", "note"}
MSG_QUOTA_DAY_TAKEN = gettext_lazy("该组织在这一天已有核定记录，请修改那条记录")


def quota_record(*, actor, unit: Federation, effective_on, staff: int, departments: int, institutions: int,
                 document: str = "", note: str = "") -> EstablishmentQuota:
    """Record a quota taking effect on `effective_on` (one per unit and day); the federation's current
    quota fields follow the row in force today."""
    if EstablishmentQuota.objects.filter(unit=unit, effective_on=effective_on).exists():
        raise ValidationFailed(MSG_QUOTA_DAY_TAKEN, fields={"effective_on": MSG_QUOTA_DAY_TAKEN})
    fields = {"effective_on": effective_on, "staff": staff, "departments": departments,
              "institutions": institutions, "document": document, "note": note}
    with transaction.atomic():
        quota = _create_scoped(actor, EstablishmentQuota, unit, Action.QUOTA_RECORD, QUOTA_FIELDS, fields)
        _sync_current_quota(unit)
    return quota


def quota_update(*, actor, quota: EstablishmentQuota, version: int | None, **changes) -> EstablishmentQuota:
    """Correct a recorded quota (versioned, audited); the federation's current fields follow."""
    require(actor, "org.edit")
    ensure_unit_in_reach(actor, quota)
    day = changes.get("effective_on")
    if day and EstablishmentQuota.objects.filter(unit_id=quota.unit_id, effective_on=day).exclude(pk=quota.pk).exists():
        raise ValidationFailed(MSG_QUOTA_DAY_TAKEN, fields={"effective_on": MSG_QUOTA_DAY_TAKEN})
    with transaction.atomic():
        apply_changes(actor=actor, obj=quota, version=version, changes=changes, allowed=QUOTA_FIELDS,
                      action=Action.QUOTA_UPDATE)
        _sync_current_quota(quota.unit)
    return quota


def _sync_current_quota(unit: Federation) -> None:
    """Mirror today's quota on the federation (what the coverage figures compare staff against)."""
    now = rules.quota_in_force(quota_history(unit), periods.today())
    if now is None or (unit.staffing_quota, unit.departments_quota) == (now.staff, now.departments):
        return
    Federation.objects.filter(pk=unit.pk).update(staffing_quota=now.staff, departments_quota=now.departments,
                                                 version=F("version") + 1)
    unit.refresh_from_db(fields=["staffing_quota", "departments_quota", "version"])
    callers.forget_all()  # cached home units carry the unit's fields


def _quota_follows_edit(actor, federation: Federation) -> None:
    """An edit of the current staffing/departments on the federation itself is history too: it becomes
    (or corrects) the row taking effect today, keeping the institutions in force."""
    today = periods.today()
    now = rules.quota_in_force(quota_history(federation), today)
    fields = {"staff": federation.staffing_quota, "departments": federation.departments_quota}
    row = EstablishmentQuota.objects.filter(unit=federation, effective_on=today).first()
    if row is not None:
        apply_changes(actor=actor, obj=row, version=row.version, changes=fields, allowed=QUOTA_FIELDS,
                      action=Action.QUOTA_UPDATE)
        return
    _create_scoped(actor, EstablishmentQuota, federation, Action.QUOTA_RECORD, QUOTA_FIELDS,
                   {**fields, "effective_on": today, "institutions": now.institutions if now else 0,
                    "note": "新建或修改组织信息时登记"})
