"""Policies: every rule's figures are data, shipped with the reform documents' presets.

A federation may override a policy; its subtree inherits the nearest override. Resolution
is one query over the unit's ancestor ids.
"""

import copy
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from niangjia.core.audit import CoreAction

from . import audit, callers, policy_params
from .access import ensure_unit_in_reach
from .errors import NotFound, StaleVersion, ValidationFailed
from .models import PolicyOverride
from .roles import require


@dataclass(frozen=True)
class PolicySpec:
    key: str
    name: str
    preset: dict
    source: str


REGISTRY: dict[str, PolicySpec] = {}


def register(key: str, name: str, preset: dict, source: str) -> PolicySpec:
    spec = PolicySpec(key, name, preset, source)
    REGISTRY[key] = spec
    return spec


def resolve(key: str, unit=None) -> dict:
    """The preset for `key`, overlaid with the nearest override on the unit's ancestry."""
    spec = REGISTRY[key]
    if unit is None:
        return dict(spec.preset)
    ids = _ancestor_ids(unit)

    def build() -> dict:
        rows = {o.unit_id: o for o in PolicyOverride.objects.filter(policy_key=key, unit_id__in=ids).only("unit_id", "value")}
        return _overlay(spec.preset, ids, rows)[0]

    # resolved once per ancestry: a change to any override (callers.forget_on_change) starts afresh
    return copy.deepcopy(callers.remember_for(callers.POLICIES, f"{key}:{'.'.join(map(str, ids))}", build))


def resolve_many(key: str, units) -> dict[int, dict]:
    """`resolve(key, unit)` for each of `units`, by unit id, in one query for all their ancestries."""
    spec = REGISTRY[key]
    ancestry = {u.pk: _ancestor_ids(u) for u in units}
    ids = {i for chain in ancestry.values() for i in chain}
    rows = {o.unit_id: o for o in PolicyOverride.objects.filter(policy_key=key, unit_id__in=ids).only("unit_id", "value")} \
        if ids else {}
    return {pk: _overlay(spec.preset, chain, rows)[0] for pk, chain in ancestry.items()}


def _ancestor_ids(unit) -> list[int]:
    """The unit's ancestors and itself, root first (from its ancestor columns, no tree walk)."""
    return [getattr(unit, f"l{n}") for n in range(1, 7) if getattr(unit, f"l{n}", None)]


def _overlay(preset: dict, ids: list[int], rows: dict) -> tuple[dict, dict]:
    """The preset overlaid root first (so the nearest override wins), and which unit id set each figure."""
    value, setter = dict(preset), dict.fromkeys(preset)
    for unit_id in ids:
        if (row := rows.get(unit_id)) is not None:
            value.update(row.value)
            setter.update(dict.fromkeys(row.value, unit_id))
    return value, setter


def inherited(key: str, unit) -> dict:
    """What `unit` would follow without its own override: the preset under its ancestors' overrides."""
    return resolve(key, unit.parent) if unit.parent_id else dict(REGISTRY[key].preset)


def explain(key: str, unit) -> dict:
    """The effective figures for `unit`, its own override (or None), and who set each top-level figure."""
    return explain_many([key], unit)[key]


def explain_many(keys: list[str], unit) -> dict[str, dict]:
    """`explain` for several policies in one query (a page listing every rule)."""
    ids = _ancestor_ids(unit)
    rows: dict[str, dict] = {key: {} for key in keys}
    for o in PolicyOverride.objects.filter(policy_key__in=keys, unit_id__in=ids).select_related("unit"):
        rows[o.policy_key][o.unit_id] = o
    out = {}
    for key in keys:
        spec = REGISTRY[key]
        value, setter = _overlay(spec.preset, ids, rows[key])
        names = {unit_id: row.unit.name for unit_id, row in rows[key].items()}
        out[key] = {"spec": spec, "value": value, "own": rows[key].get(unit.id),
                    "set_by": {k: names[u] if u else _("预设") for k, u in setter.items()}}
    return out


def set_override(*, actor, key: str, unit, value: dict, version: int | None = None):
    """Record a federation's own figures for a policy; its subtree inherits them.

    `value` may name some figures only; the rest stay as inherited. Only the figures that differ
    from what the unit inherits are stored, so a later change above still reaches the others; when
    nothing differs the override is removed. `version` is the override's version the editor read
    (0 when there was none); a stale one raises StaleVersion.
    """
    require(actor, "policy.edit")
    ensure_unit_in_reach(actor, unit)
    spec = _spec(key)
    base = inherited(key, unit)
    merged = {**base, **{k: ({**base[k], **v} if isinstance(v, dict) else v) for k, v in _checked(spec, value).items()}}
    if problems := policy_params.whole_problems(key, merged):
        raise ValidationFailed("；".join(problems.values()), fields=problems)
    own = policy_params.changed_from(base, merged)
    with transaction.atomic():
        current = _locked_own(key, unit, version)
        if not own:
            if current is not None:
                current.delete()
            audit.record(actor, CoreAction.POLICY_CLEAR, unit, summary=f"{spec.name}：恢复为上级或预设的规定", detail={"key": key})
            return None
        override = _save_own(current, key, unit, own)
        audit.record(actor, CoreAction.POLICY_SET, unit, summary=f"{spec.name}：{own}", detail={"key": key, "value": own})
    return override


def clear_override(*, actor, key: str, unit, version: int | None = None) -> None:
    """Drop a federation's own figures; it follows its ancestors (or the preset) again."""
    _spec(key)
    set_override(actor=actor, key=key, unit=unit, value=inherited(key, unit), version=version)


def _spec(key: str) -> PolicySpec:
    spec = REGISTRY.get(key)
    if spec is None:
        raise NotFound(_("未知的制度规则：{key}").format(key=key))
    return spec


def _checked(spec: PolicySpec, value: dict) -> dict:
    unknown = set(value) - set(spec.preset)
    if unknown:
        raise ValidationFailed(_("规则“{name}”没有这些参数：{value}").format(name=spec.name, value='、'.join(sorted(unknown))))
    errors = {}
    for k, v in value.items():
        preset = spec.preset[k]
        if isinstance(preset, bool) != isinstance(v, bool) or not isinstance(v, type(preset)):
            errors[k] = _("“{value}”的类型应与预设相同").format(value=policy_params.label_of(spec.key, k))
        elif isinstance(v, dict) and set(v) - set(preset):
            errors[k] = _("“{value}”没有这些项：{v2}").format(value=policy_params.label_of(spec.key, k), v2='、'.join(sorted(set(v) - set(preset))))
    for p in policy_params.parameters(spec.key, spec.preset):
        given = policy_params.get_path(value, p.path)
        if given is not None and not isinstance(given, bool) and (problem := policy_params.value_problem(p, given)):
            errors[p.path] = problem
    if errors:
        raise ValidationFailed("；".join(errors.values()), fields=errors)
    return value


def _locked_own(key: str, unit, version: int | None):
    current = PolicyOverride.objects.select_for_update().filter(policy_key=key, unit=unit).first()
    if version is not None and version != (current.version if current else 0):
        raise StaleVersion()
    return current


def _save_own(current, key: str, unit, own: dict):
    if current is None:
        return PolicyOverride.objects.create(policy_key=key, unit=unit, value=own)
    current.value = own
    current.version += 1
    current.save(update_fields=["value", "version", "updated_at"])
    return current
