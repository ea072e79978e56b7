"""Public (no account) JSON twins of the /p/needs/ pages, for a website or a WeChat helper: find the village,
see its catalogue, describe a need or order a service (retry-safe on the caller's key), look the status up
by tracking code and rate. Rate-limited per client address like the pages; what the tracking code shows
is what the page shows: status, dates, category, the orders' status — never the words or the contact.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Status

from niangjia.core import periods, ratelimit
from niangjia.core.api_schemas import page_of, responses, whole_list
from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.pagination import keyset_page

from .. import queries, rules, services
from ..models import Need, ServiceOrder
from ..views.public import SUBMIT_RATE, TRACK_RATE
from .schemas import (
    PublicNeedCreated,
    PublicNeedIn,
    PublicRatedOut,
    PublicRateIn,
    PublicServiceOut,
    PublicTrackOut,
    VillagePage,
)

router = Router(tags=["需求台账与服务（公开）"])
MSG_CODE = gettext_lazy("查询码不存在，请核对后再试（查询码为 8 位字母和数字）")


def _limit(request, scope: str, rate: str) -> None:
    ratelimit.check_request(request, f"api.{scope}", rate)


def _retry_safe(schema) -> dict:
    """201 for a new record, 200 when a retry with the same key returns the first one."""
    return {**responses(schema, status=201, write=True), 200: schema}


def _need(code: str) -> Need:
    need = queries.need_by_code(code)
    if need is None:
        raise NotFound(MSG_CODE)
    return need


def _track(need: Need) -> dict:

    orders = queries.orders_of(need)
    to_rate = queries.order_to_rate(need, orders)
    rate_next = "order" if to_rate is not None else (
        "need" if not rules.need_rateable(need.status, need.rated_at is not None) else "")
    return {"tracking_code": need.tracking_code, "day": need.day, "category": need.category,
            "category_name": need.get_category_display(),
            "requested_service": need.requested_service.name if need.requested_service_id else None,
            "status": need.status, "status_name": rules.STATUS_NAMES[need.status], "deadline": need.deadline,
            "overdue": rules.is_overdue(need.status, need.deadline, periods.now()), "resolved_at": need.resolved_at,
            "orders": [{"service": o.service.name, "status": o.status, "status_name": rules.ORDER_STATUS_NAMES[o.status],
                        "ordered_at": o.ordered_at, "delivered_at": o.delivered_at, "rated": o.rated_at is not None}
                       for o in orders],
            "rate_next": rate_next, "rating": need.rating}


@router.get("/needs/public/villages", auth=None, response=responses(VillagePage),
            summary="公开：按名称或拼音（含首字母）查找村（社区）")
def public_villages(request, q: str = "", cursor: str | None = None):
    _limit(request, "needs.public.search", "120/h")
    q = q.strip()[:30]
    if not q:
        return {"items": [], "next_cursor": None}
    page = keyset_page(queries.public_villages(q), order=("code", "id"), cursor=cursor, limit=20)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/needs/public/villages/{int:village}/services", auth=None, response=responses(page_of(PublicServiceOut)),
            summary="公开：该村（社区）可预约的服务（服务机构的服务区域覆盖该地）")
def public_services(request, village: int):
    _limit(request, "needs.public.search", "120/h")
    return whole_list(queries.services_available_at(queries.public_village(village)))


@router.post("/needs/public/needs", auth=None, response=_retry_safe(PublicNeedCreated),
             summary="公开：提出需求或预约服务（按幂等键只登记一次），返回查询码")
def public_need(request, payload: PublicNeedIn):
    _limit(request, "needs.public", SUBMIT_RATE)
    place = queries.public_village(payload.village)
    service = None
    if payload.service is not None:
        service = next((s for s in queries.services_available_at(place) if s.pk == payload.service), None)
        if service is None:
            raise ValidationFailed(_("该服务在您所在的村（社区）暂不提供，请重新选择"), fields={"service": _("不可预约")})
    elif payload.category is None:
        raise ValidationFailed(_("请选择需求类别"), fields={"category": _("请选择需求类别")})
    need, created = services.need_submit_public(
        unit=place, category=payload.category or "other", description=payload.description, channel=payload.channel,
        key=payload.key, urgency=payload.urgency, contact_name=payload.contact_name,
        contact_phone=payload.contact_phone, service=service)
    return Status(201 if created else 200, {"tracking_code": need.tracking_code, "status": need.status,
                                            "status_name": rules.STATUS_NAMES[need.status],
                                            "deadline": need.deadline, "created": created})


@router.get("/needs/public/track/{code}", auth=None, response=responses(PublicTrackOut),
            summary="公开：凭查询码查看办理进度（不含需求内容和联系方式）")
def public_track(request, code: str):
    _limit(request, "needs.track", TRACK_RATE)
    return _track(_need(code))


@router.post("/needs/public/track/{code}/rating", auth=None, response=_retry_safe(PublicRatedOut),
             summary="公开：凭查询码评价（先评价已完成的服务订单，再评价需求办理）")
def public_rate(request, code: str, payload: PublicRateIn):
    _limit(request, "needs.track", TRACK_RATE)
    need = _need(code)
    rated, created = services.rate_by_code(need=need, rating=payload.rating, comment=payload.comment,
                                           key=payload.key.strip())
    return Status(201 if created else 200, {"rated": "order" if isinstance(rated, ServiceOrder) else "need",
                                            "rating": rated.rating, "created": created})
