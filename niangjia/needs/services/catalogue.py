"""Writes of the service catalogue, its providers and the service orders (订单式服务).

Catalogue and providers are kept by managers (needs.manage); orders are placed and tracked by
handlers (needs.handle). Placing an order for an open need refers the need (rules.PIPELINE).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from niangjia.core import audit, periods
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import ValidationFailed
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.versioning import bump_version
from niangjia.needs.audit_actions import Action
from niangjia.org.models import Federation, Organisation

from .. import metrics, rules
from ..models import Category, Need, ProviderArea, Service, ServiceOrder, ServiceProvider

__all__ = ["service_create", "service_update", "provider_create", "provider_update", "order_create",
           "order_accept", "order_deliver", "order_decline", "order_cancel", "order_rate", "ORDER_METRIC",
           "provider_covers", "SERVICE_FIELDS"]

ORDER_METRIC = metrics.SERVICE_ORDER.name  # service category × order status
SERVICE_FIELDS = {"name", "category", "description", "government_purchased", "is_active"}
PROVIDER_FIELDS = {"note", "is_active"}


# ---------------------------------------------------------------- catalogue


def service_create(*, actor, unit: Federation, name: str, category: str, description: str = "",
                   government_purchased: bool = False) -> Service:
    require(actor, "needs.manage")
    ensure_unit_in_reach(actor, unit)
    if category not in Category.values:
        raise ValidationFailed(_("服务类别无效"), fields={"category": _("服务类别无效")})
    svc = Service(name=require_text(name, "name", _("服务名称")), category=category, description=description or "",
                  government_purchased=bool(government_purchased))
    svc.place_in(unit)
    full_clean_or_raise(svc, exclude=["unit"])
    with transaction.atomic():
        svc.save()
        audit.record(actor, Action.SERVICE_CREATE, svc, detail={"category": category})
    return svc


def service_update(*, actor, service: Service, version: int | None, **changes) -> Service:
    require(actor, "needs.manage")
    ensure_unit_in_reach(actor, service)
    if "name" in changes:
        changes["name"] = require_text(changes["name"], "name", _("服务名称"))
    if "category" in changes and changes["category"] not in Category.values:
        raise ValidationFailed(_("服务类别无效"), fields={"category": _("服务类别无效")})
    apply_changes(actor=actor, obj=service, version=version, changes=changes, allowed=SERVICE_FIELDS,
                  action=Action.SERVICE_UPDATE)
    return service


# ---------------------------------------------------------------- providers


def _check_links(actor, services: list[Service], areas: list[Federation]) -> None:
    for svc in services:
        ensure_unit_in_reach(actor, svc)
    if not areas:
        raise ValidationFailed(_("请选择服务区域"), fields={"areas": _("至少选择一个服务区域")})
    for area in areas:
        ensure_unit_in_reach(actor, area)


def provider_create(*, actor, organisation: Organisation, services: list[Service], areas: list[Federation],
                    note: str = "") -> ServiceProvider:
    """An organisation in reach becomes a provider of `services` covering the subtrees under `areas`."""
    require(actor, "needs.manage")
    ensure_unit_in_reach(actor, organisation)
    if not organisation.is_active:
        raise ValidationFailed(_("该组织已停用"), fields={"organisation": _("已停用")})
    if ServiceProvider.objects.filter(organisation=organisation).exists():
        raise ValidationFailed(_("该组织已是服务机构"), fields={"organisation": _("已是服务机构")})
    _check_links(actor, services, areas)
    provider = ServiceProvider(organisation=organisation, note=(note or "")[:200])
    provider.place_in(organisation.unit)
    with transaction.atomic():
        provider.save()
        provider.services.set(services)
        ProviderArea.objects.bulk_create([ProviderArea(provider=provider, area=a) for a in areas])
        audit.record(actor, Action.PROVIDER_CREATE, provider,
                     detail={"services": [s.pk for s in services], "areas": [a.pk for a in areas]})
    return provider


def provider_update(*, actor, provider: ServiceProvider, version: int | None, services: list[Service] | None = None,
                    areas: list[Federation] | None = None, **changes) -> ServiceProvider:
    require(actor, "needs.manage")
    ensure_unit_in_reach(actor, provider)
    if services is not None or areas is not None:
        _check_links(actor, services or [], areas if areas is not None else list(_areas_of(provider)))
    with transaction.atomic():
        apply_changes(actor=actor, obj=provider, version=version, changes=changes, allowed=PROVIDER_FIELDS,
                      action=Action.PROVIDER_UPDATE)
        if services is not None:
            provider.services.set(services)
        if areas is not None:
            ProviderArea.objects.filter(provider=provider).delete()
            ProviderArea.objects.bulk_create([ProviderArea(provider=provider, area=a) for a in areas])
        if services is not None or areas is not None:
            audit.record(actor, Action.PROVIDER_LINKS, provider,
                         detail={"services": [s.pk for s in services] if services is not None else None,
                                 "areas": [a.pk for a in areas] if areas is not None else None})
    return provider


def _areas_of(provider: ServiceProvider):
    return Federation.objects.filter(pk__in=ProviderArea.objects.filter(provider=provider).values("area_id"))


def provider_covers(provider: ServiceProvider, unit) -> bool:
    """Does one of the provider's areas contain `unit` (an ancestor id or the unit itself)?"""
    ids = [getattr(unit, f"l{n}") for n in range(1, 7) if getattr(unit, f"l{n}", None)]
    return ProviderArea.objects.filter(provider=provider, area_id__in=ids).exists()


# ---------------------------------------------------------------- orders


def _refuse(message: str, field: str = "status"):
    raise rules.ORDER_PIPELINE.refuse(message, field)


def order_create(*, actor, need: Need, service: Service, provider: ServiceProvider, note: str = "",
                 version: int | None = None) -> ServiceOrder:
    """派单: `provider` delivers `service` for `need`; an open need becomes 已转介 in the same transaction."""
    # cycle: needs.services → needs.services.catalogue
    from .. import services as need_services

    require(actor, "needs.handle")
    ensure_unit_in_reach(actor, need)
    problem = rules.order_status_for_need(need.status)
    if problem:
        _refuse(problem)
    if not service.is_active:
        raise ValidationFailed(_("该服务已停用"), fields={"service": _("已停用")})
    if not provider.is_active:
        raise ValidationFailed(_("该服务机构已停用"), fields={"provider": _("已停用")})
    if not provider.services.filter(pk=service.pk).exists():
        raise ValidationFailed(_("所选服务机构不提供此服务"), fields={"provider": _("不提供此服务")})
    if not provider_covers(provider, need.unit):
        raise ValidationFailed(_("所选服务机构的服务区域不包括需求所在地"), fields={"provider": _("服务区域不包括需求所在地")})
    order = ServiceOrder(need=need, service=service, provider=provider, category=service.category, note=(note or "").strip()[:300],
                         created_by=actor, day=periods.today())
    order.place_in(need.unit)
    with transaction.atomic():
        order.save()
        metrics.SERVICE_ORDER.move(order, after={})
        audit.record(actor, Action.ORDER_CREATE, order, detail={"need": need.pk, "service": service.pk,
                                                                 "provider": provider.pk})
        if need.status in rules.OPEN:
            need_services.need_refer(actor=actor, need=need, version=version, order=order,
                                     target=_("服务订单：{name} · {provider}").format(name=service.name, provider=provider))
        elif version is not None:
            bump_version(need, version, [])
    return order


def _order_move(actor, order: ServiceOrder, step: str, version: int | None, changes: dict) -> ServiceOrder:
    spec = rules.ORDER_PIPELINE.check(actor, order, step)  # permission → reach → status
    old = order.status
    for field, value in changes.items():
        setattr(order, field, value)
    order.status = spec.target
    with transaction.atomic():
        bump_version(order, version, [*changes, "status"])
        metrics.SERVICE_ORDER.move(order, before={"status": old}, after={})
        audit.record(actor, Action(f"needs.order.{step}"), order, detail={"from": old, "to": order.status, "need": order.need_id})
    return order


def _text(value, field: str, message: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationFailed(message, fields={field: message})
    return text[:300]


def order_accept(*, actor, order: ServiceOrder, version: int | None) -> ServiceOrder:
    return _order_move(actor, order, "accept", version, {"accepted_at": periods.now()})


def order_deliver(*, actor, order: ServiceOrder, version: int | None, outcome: str) -> ServiceOrder:
    text = _text(outcome, "outcome", _("请填写服务情况"))
    return _order_move(actor, order, "deliver", version, {"delivered_at": periods.now(), "outcome": text})


def order_decline(*, actor, order: ServiceOrder, version: int | None, reason: str) -> ServiceOrder:
    text = _text(reason, "reason", _("请填写拒单原因"))
    return _order_move(actor, order, "decline", version, {"ended_at": periods.now(), "end_reason": text})


def order_cancel(*, actor, order: ServiceOrder, version: int | None, reason: str) -> ServiceOrder:
    text = _text(reason, "reason", _("请填写取消原因"))
    return _order_move(actor, order, "cancel", version, {"ended_at": periods.now(), "end_reason": text})


def order_rate(*, actor, order: ServiceOrder, rating, comment: str = "") -> ServiceOrder:
    """The woman rates a delivered service (1–5 and a comment): by her tracking code, or entered by a cadre."""
    if actor is not None:
        require(actor, "needs.handle")
        ensure_unit_in_reach(actor, order)
    problem = rules.rating_problem(rating) or rules.order_rateable(order.status, order.rated_at is not None)
    if problem:
        raise ValidationFailed(problem, fields={"rating": problem})
    comment = (comment or "").strip()[:300]
    with transaction.atomic():
        n = ServiceOrder.objects.filter(pk=order.pk, rated_at__isnull=True).update(
            rating=rating, rating_comment=comment, rated_at=periods.now(), rated_by_woman=actor is None)
        if n != 1:
            raise ValidationFailed(_("这次服务已经评价过了，谢谢您"), fields={"rating": _("已评价")})
        audit.record(actor, Action.ORDER_RATE, order, detail={"rating": rating, "by_woman": actor is None})
    order.refresh_from_db()
    return order
