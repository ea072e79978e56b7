"""JSON endpoints of direct-contact plans (thin: scoped query, service, render).

A woman on a plan is named, tagged and shown masked only to the plan's own person; leaders
over the plan get counts and status. `POST /contacts/targets/{id}/reveal` applies that rule
before the people app's audited reveal.
"""


from ninja import Query, Router, Status

from niangjia.core.api_schemas import (
    OkOut,
    PageParams,
    VersionIn,
    changes_of,
    page_of,
    responses,
    whole_list,
)
from niangjia.core.pagination import keyset_page
from niangjia.core.roles import require
from niangjia.org import queries as org_queries
from niangjia.people import queries as people_queries

from .. import queries, services
from .schemas import (
    ContactEventOut,
    ContactRevealIn,
    ContactRevealOut,
    EventIn,
    OverviewOut,
    OverviewParams,
    PlanIn,
    PlanOut,
    PlanPatch,
    TargetIn,
    TargetOut,
    TargetStatusOut,
)

router = Router(tags=["直接联系"])


# ---------------------------------------------------------------- rendering


def _target(view: queries.TargetView, own: bool) -> dict:
    t = view.target
    out = {"id": t.pk, "slot": t.slot, "slot_name": t.get_slot_display(),
           "label": "" if t.person_id else view.label, "last_contact_on": t.last_contact_on,
           "days_silent": view.days_silent, "overdue": view.overdue, "version": t.version}
    if own:
        linked = t.linked
        out.update(label=view.label, link_type=type(linked).__name__.lower(), link_id=linked.pk, note=t.note,
                   tags=list(t.person.tag_names) if t.person_id else [],
                   phone=t.person.phone_mask if t.person_id else "",
                   address=t.person.address_mask if t.person_id else "")
    return TargetOut(**out).model_dump() if own else TargetStatusOut(**out).model_dump()


def _plan(user, view: queries.PlanView) -> dict:
    p = view.plan
    own = queries.may_see_details(user, p)
    return {"id": p.pk, "person": p.person, "unit": p.unit, "year": p.year, "kind": p.kind,
            "kind_name": p.get_kind_display(), "started_on": p.started_on, "contact_point": p.contact_point,
            "wechat_group": p.wechat_group, "version": p.version,
            "check": {**view.check.__dict__, "text": view.check.text}, "overdue": view.overdue,
            "not_heard_days": view.days, "own": own, "targets": [_target(v, own) for v in view.targets]}


def _row(ov, plan) -> dict:
    r = queries.overview_row(ov, plan)
    return {"id": plan.pk, "person": plan.person, "unit": plan.unit, "year": plan.year, "kind": plan.kind,
            "kind_name": plan.get_kind_display(), "targets": r["targets"], "complete": r["check"].complete,
            "missing": r["check"].missing, "overdue": r["overdue"]}


def _site(user, pk):
    return org_queries.get_site_for(user, pk) if pk else None


# ---------------------------------------------------------------- plans


@router.get("/contacts/my", response=responses(page_of(PlanOut)), summary="我的直接联系计划与检查结果（缺什么、久未联系）")
def my_plans(request, year: int | None = None):
    require(request.user, "contacts.record")
    return whole_list([_plan(request.user, v) for v in queries.my_plans(request.user, year=year)])


@router.get("/contacts/plans/{int:id}", response=responses(PlanOut), summary="计划详情：本人可见联系对象，领导只见数量与状态")
def plan_detail(request, id: int):
    plan = queries.get_plan_for(request.user, id)
    return _plan(request.user, queries.plan_status(request.user, plan))


@router.post("/contacts/plans", response=responses(PlanOut, status=201, write=True), summary="制定直接联系计划（五个一、三个一、十名普通妇女）")
def plan_create(request, payload: PlanIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    own = getattr(request.user, "person_id", None) == payload.person
    person = request.user.person if own else people_queries.get_person_for(request.user, payload.person)
    plan = services.plan_create(actor=request.user, person=person, unit=unit, year=payload.year, kind=payload.kind,
                                started_on=payload.started_on, contact_point=_site(request.user, payload.contact_point),
                                wechat_group=payload.wechat_group)
    return Status(201, _plan(request.user, queries.plan_status(request.user, plan)))


@router.patch("/contacts/plans/{int:id}", response=responses(PlanOut, write=True), summary="修改计划的基层联系点、好姐妹微信群或开始日期")
def plan_update(request, id: int, payload: PlanPatch):
    plan = queries.get_plan_for(request.user, id)
    changes = changes_of(payload)
    if "contact_point" in changes:
        changes["contact_point"] = _site(request.user, changes["contact_point"])
    services.plan_update(actor=request.user, plan=plan, version=payload.version, **changes)
    return _plan(request.user, queries.plan_status(request.user, plan))


# ---------------------------------------------------------------- targets and events


@router.post("/contacts/plans/{int:id}/targets", response=responses(TargetOut | TargetStatusOut, status=201, write=True), summary="为计划添加联系对象（妇联、组织或人员，须在管辖范围内）")
def target_add(request, id: int, payload: TargetIn):
    plan = queries.get_plan_for(request.user, id)
    user = request.user
    target = services.target_add(
        actor=user, plan=plan, slot=payload.slot, note=payload.note,
        federation=org_queries.get_federation_for(user, payload.federation) if payload.federation else None,
        organisation=org_queries.get_organisation_for(user, payload.organisation) if payload.organisation else None,
        person=people_queries.get_person_for(user, payload.person) if payload.person else None)
    view = queries.TargetView(target, 0, False)
    return Status(201, _target(view, queries.may_see_details(user, plan)))


@router.post("/contacts/targets/{int:id}/remove", response=responses(OkOut, write=True), summary="把联系对象移出计划（联系记录保留）")
def target_remove(request, id: int, payload: VersionIn):
    target = queries.get_target_for(request.user, id)
    services.target_remove(actor=request.user, target=target, version=payload.version)
    return {"ok": True}


@router.get("/contacts/targets/{int:id}/events", response=responses(page_of(ContactEventOut)), summary="联系记录（本人或管理该计划的领导）")
def target_events(request, id: int):
    target = queries.get_target_for(request.user, id)
    return whole_list(queries.events_for(request.user, target, limit=200))


@router.post("/contacts/targets/{int:id}/events", response=responses(ContactEventOut, status=201, write=True), summary="记一次联系（走访、电话、微信、座谈）")
def event_record(request, id: int, payload: EventIn):
    target = queries.get_target_for(request.user, id)
    event = services.event_record(actor=request.user, target=target, day=payload.day, channel=payload.channel,
                                  note=payload.note)
    return Status(201, event)


@router.post("/contacts/targets/{int:id}/reveal", response=responses(ContactRevealOut, write=True), summary="查看联系妇女的完整电话或地址（仅计划本人，记入审计日志）")
def target_reveal(request, id: int, payload: ContactRevealIn):
    target = queries.get_target_for(request.user, id)
    value = services.target_reveal(actor=request.user, target=target, field=payload.field)
    return {"field": payload.field, "value": value}


# ---------------------------------------------------------------- leaders' overview


@router.get("/contacts/units/{int:id}/overview", response=responses(OverviewOut), summary="下级直接联系情况：每人的计划、缺项与久未联系数（只含数量）")
def unit_overview(request, id: int, filters: Query[OverviewParams], page: Query[PageParams]):
    unit = org_queries.get_federation_for(request.user, id)
    f = queries.OverviewFilters(year=filters.year or services.today().year, kind=filters.kind or "",
                                gaps=filters.gaps, overdue=filters.overdue, q=filters.q)
    ov = queries.overview(request.user, unit, f)
    pg = keyset_page(ov.qs, order=("person_id", "id"), cursor=page.cursor, limit=page.limit)
    return {"unit": unit, "not_heard_days": ov.days, "totals": queries.overview_totals(ov),
            "items": [_row(ov, p) for p in pg.items], "next_cursor": pg.next_cursor}

