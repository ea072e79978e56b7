"""JSON endpoints of the needs ledger, the service catalogue, providers and service orders
(thin: parse, fetch through scoped queries, call a service, render)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from niangjia.core.api_schemas import (
    PageParams,
    VersionIn,
    changes_of,
    choice,
    page_of,
    page_out,
    responses,
    whole_list,
)
from niangjia.core.errors import ValidationFailed
from niangjia.core.roles import require
from niangjia.org import queries as org_queries
from niangjia.org.models import Federation
from niangjia.people import queries as people_queries

from .. import counts, queries, services
from ..models import Category, Need, Service, ServiceOrder, ServiceProvider
from .public import router as public_router
from .schemas import (
    CloseIn,
    ContactOut,
    NeedAssignIn,
    NeedCountsOut,
    NeedDetailOut,
    NeedFilters,
    NeedIn,
    NeedOut,
    NeedPatch,
    OrderDeliverIn,
    OrderEndIn,
    OrderFilters,
    OrderIn,
    OrderOut,
    ProviderFilters,
    ProviderIn,
    ProviderOut,
    ProviderPatch,
    RateIn,
    ReferIn,
    ResolveIn,
    ServiceIn,
    ServiceOut,
    ServicePatch,
)

router = Router(tags=["需求台账与服务"])

# ---------------------------------------------------------------- helpers


def _unit(user, unit_id):
    return org_queries.subtree_of(user, unit_id)


def _federation(user, pk) -> Federation:
    return org_queries.get_federation_for(user, pk)


def _assignee(user, pk):
    """The chosen user (any user: the service checks she may handle the need)."""
    found = get_user_model().objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(_("承办人不存在"), fields={"assignee": _("用户不存在")})
    return found


def _need(request, id: int, perm: str = "needs.view") -> Need:
    return queries.get_need_for(request.user, id, perm=perm)


def _order(request, id: int) -> ServiceOrder:
    return queries.get_order_for(request.user, id, perm="needs.view")


# ---------------------------------------------------------------- needs


@router.get("/needs", response=responses(page_of(NeedOut)), summary="需求台账（按状态、类别、渠道、紧急程度、超期、上报筛选）")
def need_list(request, filters: Query[NeedFilters], page: Query[PageParams]):
    require(request.user, "needs.view")
    qs = queries.needs_for(request.user, unit=_unit(request.user, filters.unit), status=filters.status or "",
                           category=filters.category or "", channel=filters.channel or "",
                           urgency=filters.urgency or "", overdue=filters.overdue, escalated=filters.escalated,
                           assignee=request.user if filters.mine else None, q=filters.q.strip(),
                           escalated_to_me=filters.escalated_to_me)
    return page_out(qs, order=queries.NEED_SORTS[filters.sort][1], params=page)


@router.get("/needs/counts", response=responses(NeedCountsOut),
            summary="需求与服务订单数量（按类别、状态、渠道、超期、上报；市级及以上来自汇总表）")
def need_counts(request, unit: int | None = Query(None, description="只统计此组织及其下级")):
    require(request.user, "needs.view")
    return counts.counts_for(request.user, unit=_federation(request.user, unit) if unit else None)


@router.post("/needs", response=responses(NeedDetailOut, status=201, write=True), summary="登记一条需求")
def need_create(request, payload: NeedIn):
    unit = _federation(request.user, payload.unit)
    person = people_queries.get_person_for(request.user, payload.person) if payload.person else None
    service = queries.get_service_for(request.user, payload.requested_service) if payload.requested_service else None
    need = services.need_create(actor=request.user, unit=unit, category=payload.category, urgency=payload.urgency,
                                description=payload.description, channel=payload.channel, day=payload.day,
                                person=person, contact_name=payload.contact_name,
                                contact_phone=payload.contact_phone, requested_service=service)
    return Status(201, queries.get_need_for(request.user, need.pk))


@router.get("/needs/{int:id}", response=responses(NeedDetailOut), summary="需求详情")
def need_detail(request, id: int):
    return _need(request, id)


@router.patch("/needs/{int:id}", response=responses(NeedDetailOut, write=True),
              summary="修改需求（类别、紧急程度、内容、所在组织、提出人；需带版本号；仅未办结的需求）")
def need_update(request, id: int, payload: NeedPatch):
    need = _need(request, id, perm="needs.handle")
    changes = changes_of(payload)
    for field in ("category", "urgency", "description", "unit"):
        if field in changes and changes[field] is None:
            raise ValidationFailed(_("不能为空"), fields={field: _("不能为空")})
    if "unit" in changes:
        changes["unit"] = _federation(request.user, changes["unit"])
    if changes.get("person") is not None:
        changes["person"] = people_queries.get_person_for(request.user, changes["person"])
    services.need_update(actor=request.user, need=need, version=payload.version, **changes)
    return queries.get_need_for(request.user, id)


@router.post("/needs/{int:id}/assign", response=responses(NeedDetailOut, write=True), summary="指派承办人（需要 needs.manage）")
def need_assign(request, id: int, payload: NeedAssignIn):
    need = _need(request, id)
    return services.need_assign(actor=request.user, need=need, assignee=_assignee(request.user, payload.assignee),
                                version=payload.version, note=payload.note)


@router.post("/needs/{int:id}/start", response=responses(NeedDetailOut, write=True), summary="开始办理")
def need_start(request, id: int, payload: VersionIn):
    return services.need_start(actor=request.user, need=_need(request, id), version=payload.version)


@router.post("/needs/{int:id}/resolve", response=responses(NeedDetailOut, write=True), summary="办结（填写办理结果）")
def need_resolve(request, id: int, payload: ResolveIn):
    return services.need_resolve(actor=request.user, need=_need(request, id), version=payload.version,
                                 resolution=payload.resolution)


@router.post("/needs/{int:id}/refer", response=responses(NeedDetailOut, write=True),
             summary="转介到单位（填写去向）；派单给服务机构请用 POST /service-orders")
def need_refer(request, id: int, payload: ReferIn):
    return services.need_refer(actor=request.user, need=_need(request, id), version=payload.version,
                               target=payload.target)


@router.post("/needs/{int:id}/close", response=responses(NeedDetailOut, write=True), summary="关闭（填写原因）")
def need_close(request, id: int, payload: CloseIn):
    return services.need_close(actor=request.user, need=_need(request, id), version=payload.version,
                               reason=payload.reason)


@router.post("/needs/{int:id}/rating", response=responses(NeedDetailOut, write=True), summary="代妇女录入对需求办理的评价（1–5 分）")
def need_rate(request, id: int, payload: RateIn):
    return services.need_rate(actor=request.user, need=_need(request, id), rating=payload.rating,
                              comment=payload.comment)


@router.post("/needs/{int:id}/contact", response=responses(ContactOut, write=True), summary="查看联系人姓名和电话（记录审计）")
def need_contact(request, id: int):
    return services.contact_reveal(actor=request.user, need=_need(request, id))


@router.get("/needs/{int:id}/orders", response=responses(page_of(OrderOut)), summary="一条需求的服务订单")
def need_orders(request, id: int):
    need = _need(request, id)
    return whole_list(list(queries.orders_for(request.user, need=need).order_by("ordered_at", "id")))


# ---------------------------------------------------------------- catalogue


@router.get("/services", response=responses(page_of(ServiceOut)), summary="服务目录")
def service_list(request, page: Query[PageParams], unit: int | None = None, category: choice(Category) | None = None,
                 active: bool | None = True):
    require(request.user, "needs.view")
    qs = queries.services_for(request.user, unit=_unit(request.user, unit), category=category or "", active=active)
    return page_out(qs, order=("id",), params=page)


@router.get("/services/available", response=responses(page_of(ServiceOut)), summary="某地可预约的服务（服务区域覆盖该地）")
def service_available(request, unit: int):
    require(request.user, "needs.view")
    return whole_list(queries.services_available_at(_federation(request.user, unit)))


@router.get("/services/{int:id}", response=responses(ServiceOut), summary="服务详情")
def service_detail(request, id: int):
    return queries.get_service_for(request.user, id)


@router.post("/services", response=responses(ServiceOut, status=201, write=True), summary="新增服务（需要 needs.manage）")
def service_create(request, payload: ServiceIn):
    unit = _federation(request.user, payload.unit)
    return Status(201, services.service_create(actor=request.user, unit=unit, name=payload.name,
                                               category=payload.category, description=payload.description,
                                               government_purchased=payload.government_purchased))


@router.patch("/services/{int:id}", response=responses(ServiceOut, write=True), summary="修改或停用服务（需带版本号）")
def service_update(request, id: int, payload: ServicePatch):
    svc = queries.get_service_for(request.user, id, write=True)
    return services.service_update(actor=request.user, service=svc, version=payload.version, **changes_of(payload))


def _links(user, service_ids, area_ids):
    svcs = [queries.get_service_for(user, pk) for pk in service_ids] if service_ids is not None else None
    areas = [_federation(user, pk) for pk in area_ids] if area_ids is not None else None
    return svcs, areas


@router.get("/services/providers", response=responses(page_of(ProviderOut)), summary="服务机构")
def provider_list(request, page: Query[PageParams], filters: Query[ProviderFilters]):
    require(request.user, "needs.view")
    qs = queries.providers_for(request.user, unit=_unit(request.user, filters.unit), active=filters.active,
                               q=filters.q, category=filters.category or "")
    return page_out(qs, order=queries.PROVIDER_SORTS[filters.sort][1], params=page)


@router.get("/services/providers/{int:id}", response=responses(ProviderOut), summary="服务机构详情")
def provider_detail(request, id: int):
    return queries.get_provider_for(request.user, id)


@router.post("/services/providers", response=responses(ProviderOut, status=201, write=True),
             summary="把合作组织登记为服务机构（提供的服务、服务区域）")
def provider_create(request, payload: ProviderIn):
    organisation = org_queries.get_organisation_for(request.user, payload.organisation)
    svcs, areas = _links(request.user, payload.services, payload.areas)
    p = services.provider_create(actor=request.user, organisation=organisation, services=svcs, areas=areas,
                                 note=payload.note)
    return Status(201, queries.get_provider_for(request.user, p.pk))


@router.patch("/services/providers/{int:id}", response=responses(ProviderOut, write=True), summary="修改服务机构（需带版本号）")
def provider_update(request, id: int, payload: ProviderPatch):
    provider = queries.get_provider_for(request.user, id, write=True)
    svcs, areas = _links(request.user, payload.services, payload.areas)
    changes = changes_of(payload, exclude={"version", "services", "areas"})
    services.provider_update(actor=request.user, provider=provider, version=payload.version, services=svcs,
                             areas=areas, **changes)
    return queries.get_provider_for(request.user, id)


# ---------------------------------------------------------------- orders


@router.get("/service-orders", response=responses(page_of(OrderOut)), summary="服务订单")
def order_list(request, page: Query[PageParams], filters: Query[OrderFilters]):
    require(request.user, "needs.view")
    prov = queries.get_provider_for(request.user, filters.provider) if filters.provider else None
    qs = queries.orders_for(request.user, unit=_unit(request.user, filters.unit), status=filters.status or "",
                            provider=prov, category=filters.category or "", start=filters.start, end=filters.end)
    return page_out(qs, order=queries.ORDER_SORTS["new"][1], params=page)


@router.get("/service-orders/{int:id}", response=responses(OrderOut), summary="服务订单详情")
def order_detail(request, id: int):
    return _order(request, id)


@router.post("/service-orders", response=responses(OrderOut, status=201, write=True),
             summary="派单：由覆盖需求所在地的服务机构提供服务（未办结的需求转为已转介）")
def order_create(request, payload: OrderIn):
    need = _need(request, payload.need)
    svc = _service_any(payload.service)
    provider = _provider_any(payload.provider)
    return Status(201, services.order_create(actor=request.user, need=need, service=svc, provider=provider,
                                             note=payload.note, version=payload.version))


def _service_any(pk):
    """A catalogue service from any federation: coverage, not the caller's reach, decides (checked by the service)."""
    found = Service.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(_("服务不存在"), fields={"service": _("不存在")})
    return found


def _provider_any(pk):
    found = ServiceProvider.objects.select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(_("服务机构不存在"), fields={"provider": _("不存在")})
    return found


@router.post("/service-orders/{int:id}/accept", response=responses(OrderOut, write=True), summary="服务机构接单")
def order_accept(request, id: int, payload: VersionIn):
    return services.order_accept(actor=request.user, order=_order(request, id), version=payload.version)


@router.post("/service-orders/{int:id}/deliver", response=responses(OrderOut, write=True), summary="完成服务（填写服务情况）")
def order_deliver(request, id: int, payload: OrderDeliverIn):
    return services.order_deliver(actor=request.user, order=_order(request, id), version=payload.version,
                                  outcome=payload.outcome)


@router.post("/service-orders/{int:id}/decline", response=responses(OrderOut, write=True), summary="服务机构拒单（填写原因）")
def order_decline(request, id: int, payload: OrderEndIn):
    return services.order_decline(actor=request.user, order=_order(request, id), version=payload.version,
                                  reason=payload.reason)


@router.post("/service-orders/{int:id}/cancel", response=responses(OrderOut, write=True), summary="取消订单（填写原因）")
def order_cancel(request, id: int, payload: OrderEndIn):
    return services.order_cancel(actor=request.user, order=_order(request, id), version=payload.version,
                                 reason=payload.reason)


@router.post("/service-orders/{int:id}/rating", response=responses(OrderOut, write=True), summary="代妇女录入服务评价（1–5 分）")
def order_rate(request, id: int, payload: RateIn):
    return services.order_rate(actor=request.user, order=_order(request, id), rating=payload.rating,
                               comment=payload.comment)


router.add_router("", public_router)  # the no-login endpoints (api/public.py)
