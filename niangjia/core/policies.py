"""Policies: every rule's figures are data, shipped with the reform documents' presets.

A federation may override a policy; its subtree inherits the nearest override. Resolution
is one query over the unit's ancestor ids.
"""

from dataclasses import dataclass

from django.db import transaction

from . import audit
from .errors import ValidationFailed


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
    from .models import PolicyOverride

    spec = REGISTRY[key]
    if unit is None:
        return dict(spec.preset)
    ids = [getattr(unit, f"l{n}") for n in range(1, 7) if getattr(unit, f"l{n}", None)]
    overrides = {
        o.unit_id: o.value for o in PolicyOverride.objects.filter(policy_key=key, unit_id__in=ids)
    }
    value = dict(spec.preset)
    for unit_id in ids:  # root first, so the nearest override is applied last
        value.update(overrides.get(unit_id, {}))
    return value


def set_override(*, actor, key: str, unit, value: dict):
    """Record a federation's own figures for a policy (only keys the preset knows)."""
    from .models import PolicyOverride

    spec = REGISTRY.get(key)
    if spec is None:
        raise ValidationFailed(f"未知的制度规则：{key}")
    unknown = set(value) - set(spec.preset)
    if unknown:
        raise ValidationFailed(f"规则 {spec.name} 没有这些参数：{', '.join(sorted(unknown))}")
    for k, v in value.items():
        if not isinstance(v, type(spec.preset[k])):
            raise ValidationFailed(f"参数 {k} 的类型应与预设相同", fields={k: "类型错误"})
    with transaction.atomic():
        override, _ = PolicyOverride.objects.update_or_create(
            policy_key=key, unit=unit, defaults={"value": value}
        )
        audit.record(actor, "policy.set", unit, summary=f"{spec.name}: {value}", detail={"key": key, "value": value})
    return override
