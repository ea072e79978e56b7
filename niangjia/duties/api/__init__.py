"""JSON endpoints of duty checklists (thin: parse, fetch through scoped queries, call a service, render)."""


from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from niangjia.core import periods
from niangjia.core.api_schemas import (
    PageParams,
    VersionIn,
    changes_of,
    page_of,
    page_out,
    responses,
    whole_list,
)
from niangjia.core.errors import ValidationFailed
from niangjia.core.roles import require
from niangjia.org import queries as org_queries
from niangjia.people import queries as people_queries

from .. import queries, rules, services
from ..models import Assignment
from .schemas import (
    AssignmentDetailOut,
    AssignmentFilters,
    AssignmentOut,
    EvidenceCorrectIn,
    EvidenceIn,
    EvidenceOut,
    HandOutIn,
    HandOutOut,
    ItemIn,
    ItemOut,
    ItemPatch,
    PresetIn,
    ProgressOut,
    ReminderOut,
    RemindIn,
    ReviewIn,
    ReviewOut,
    TemplateDetailOut,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
    WithdrawIn,
)

router = Router(tags=["履职清单"])


# ---------------------------------------------------------------- helpers


def _unit(user, unit_id):
    return org_queries.subtree_of(user, unit_id)


def _states(assignments) -> list:
    today = periods.today()
    policy = queries.schedule_policies(assignments)
    for a in assignments:
        a.state = queries.state_of(a, today, policy[a.unit_id])
        a.state_name = rules.SCHEDULE_NAMES[a.state]
    return assignments


def _detail(a: Assignment) -> Assignment:
    _states([a])
    a.items = [{"item": r.item, "count": r.progress.count, "state": r.progress.state,
                "state_name": r.progress.state_name, "label": r.label} for r in queries.item_rows([a])[a.pk]]
    return a


# ---------------------------------------------------------------- templates


@router.get("/duties/templates", response=responses(page_of(TemplateOut)), summary="履职清单模板列表")
def template_list(request, page: Query[PageParams], unit: int | None = None, active: bool | None = True):
    require(request.user, "duties.view")
    return page_out(queries.templates_for(request.user, unit=_unit(request.user, unit), active=active),
                    order=("id",), params=page)


@router.get("/duties/templates/{int:id}", response=responses(TemplateDetailOut), summary="清单模板详情（含事项）")
def template_detail(request, id: int):
    return queries.get_template_for(request.user, id)


@router.post("/duties/templates", response=responses(TemplateDetailOut, status=201, write=True), summary="新建清单模板（可带事项）")
def template_create(request, payload: TemplateIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    items = [i.model_dump(exclude_none=True) | {"target_max": i.target_max} for i in payload.items]
    tpl = services.template_create(actor=request.user, unit=unit, name=payload.name, description=payload.description,
                                   items=items)
    return Status(201, tpl)


@router.post("/duties/templates/preset", response=responses(TemplateDetailOut, status=201, write=True),
             summary="使用预设清单（PRODUCT §4：联系 5–7 名代表、困难家庭、网上妇女群、社会组织、调研报告、建议案）")
def template_preset(request, payload: PresetIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    return Status(201, services.template_from_preset(actor=request.user, unit=unit))


@router.patch("/duties/templates/{int:id}", response=responses(TemplateDetailOut, write=True), summary="修改清单模板（需带版本号）")
def template_update(request, id: int, payload: TemplatePatch):
    tpl = queries.get_template_for(request.user, id, write=True)
    return services.template_update(actor=request.user, template=tpl, version=payload.version, **changes_of(payload))


@router.post("/duties/templates/{int:id}/items", response=responses(ItemOut, status=201, write=True), summary="为清单添加事项")
def item_add(request, id: int, payload: ItemIn):
    tpl = queries.get_template_for(request.user, id, write=True)
    fields = payload.model_dump(exclude_none=True) | {"target_max": payload.target_max}
    return Status(201, services.item_add(actor=request.user, template=tpl, **fields))


@router.patch("/duties/items/{int:id}", response=responses(ItemOut, write=True), summary="修改事项（已下发清单按新目标重算进度）")
def item_update(request, id: int, payload: ItemPatch):
    item = queries.get_item_for(request.user, id, write=True)
    return services.item_update(actor=request.user, item=item, version=payload.version, **changes_of(payload))


# ---------------------------------------------------------------- hand-out and assignments


@router.post("/duties/hand-out", response=responses(HandOutOut, status=201, write=True),
             summary="一次下发：把清单下发给本组织某机构全体在任成员（或指定人员），已有者跳过")
def hand_out(request, payload: HandOutIn):
    tpl = queries.get_template_for(request.user, payload.template, write=True)
    result = services.assignment_hand_out(actor=request.user, unit=tpl.unit, template=tpl, year=payload.year,
                                          body=payload.body, person_ids=payload.person_ids)
    made = list(Assignment.objects.filter(pk__in=[a.pk for a in result["created"]])
                .select_related("person", "template", "unit").order_by("id"))
    return Status(201, {"created": len(made), "skipped": result["skipped"], "assignments": _states(made)})


@router.get("/duties/my/assignments", response=responses(page_of(AssignmentDetailOut)), summary="我的履职清单（含各事项进度）")
def my_assignments(request, year: int | None = None):
    require(request.user, "duties.record")
    return whole_list([_detail(a) for a in queries.my_assignments(request.user, year=year)])


@router.get("/duties/assignments", response=responses(page_of(AssignmentOut)), summary="下发的履职清单及进度（按组织、年度、进度筛选）")
def assignment_list(request, filters: Query[AssignmentFilters], page: Query[PageParams]):
    unit = _unit(request.user, filters.unit)
    qs = queries.assignments_for(request.user, unit=unit, year=filters.year, q=filters.q, state=filters.state or "",
                                 day=periods.today())
    out = page_out(qs, order=("id",), params=page)
    _states(out["items"])
    return out


@router.get("/duties/assignments/{int:id}", response=responses(AssignmentDetailOut), summary="一份履职清单（含各事项进度）")
def assignment_detail(request, id: int):
    return _detail(queries.get_assignment_for(request.user, id))


@router.post("/duties/assignments/{int:id}/cancel", response=responses(AssignmentOut, write=True),
             summary="撤销一份已下发的清单（不再计入进度；已有佐证保留）")
def assignment_cancel(request, id: int, payload: VersionIn):
    a = queries.get_assignment_for(request.user, id)
    return _states([services.assignment_cancel(actor=request.user, assignment=a, version=payload.version)])[0]


@router.get("/duties/behind", response=responses(page_of(AssignmentOut)), summary="进度落后名单")
def behind_list(request, page: Query[PageParams], unit: int | None = None, year: int | None = None):
    year = year or periods.today().year
    qs = queries.behind_for(request.user, unit=_unit(request.user, unit), year=year)
    out = page_out(qs, order=("id",), params=page)
    _states(out["items"])
    return out


# ---------------------------------------------------------------- evidence


@router.get("/duties/assignments/{int:id}/evidence", response=responses(page_of(EvidenceOut)), summary="一份清单的佐证记录")
def evidence_list(request, id: int, page: Query[PageParams], all: bool = Query(False, description="含已撤回、已更正")):
    a = queries.get_assignment_for(request.user, id)
    return page_out(queries.evidence_of(request.user, a, include_retired=all), order=("-day", "-id"), params=page)


@router.post("/duties/assignments/{int:id}/evidence", response=responses(EvidenceOut, status=201, write=True),
             summary="记录履职佐证（本人，或管理者代为记录）；可附照片或文件（multipart）")
def evidence_create(request, id: int, payload: Form[EvidenceIn], file: File[UploadedFile] = None):
    a = queries.get_assignment_for(request.user, id)
    item = a.template.items.filter(pk=payload.item, is_active=True).first()
    if item is None:
        raise ValidationFailed(_("清单中没有这个事项"), fields={"item": _("不在此清单中")})
    person = people_queries.get_person_for(request.user, payload.person) if payload.person else None
    organisation = org_queries.get_organisation_for(request.user, payload.organisation) if payload.organisation else None
    ev = services.evidence_record(actor=request.user, assignment=a, item=item, what=payload.what, day=payload.day,
                                  with_whom=payload.with_whom, attachment=file, person=person,
                                  organisation=organisation, link_type=payload.link_type, link_id=payload.link_id,
                                  link_text=payload.link_text)
    return Status(201, ev)


@router.post("/duties/evidence/{int:id}/withdraw", response=responses(EvidenceOut, write=True), summary="撤回佐证（保留记录并审计）")
def evidence_withdraw(request, id: int, payload: WithdrawIn):
    ev = queries.get_evidence_for(request.user, id)
    return services.evidence_withdraw(actor=request.user, evidence=ev, version=payload.version, reason=payload.reason)


@router.post("/duties/evidence/{int:id}/correct", response=responses(EvidenceOut, status=201, write=True),
             summary="更正佐证：生成新记录取代旧记录（旧记录保留）")
def evidence_correct(request, id: int, payload: EvidenceCorrectIn):
    ev = queries.get_evidence_for(request.user, id)
    return Status(201, services.evidence_correct(actor=request.user, evidence=ev, version=payload.version,
                                                 **changes_of(payload)))


# ---------------------------------------------------------------- reminders and reviews


@router.post("/duties/reminders", response=responses(list[ReminderOut], status=201, write=True),
             summary="向进度落后的执委发送提醒（同一天不重复）")
def reminders_send(request, payload: RemindIn):
    require(request.user, "duties.manage")
    qs = queries.behind_for(request.user, unit=_unit(request.user, payload.unit), year=payload.year)
    return Status(201, services.reminders_send(actor=request.user, assignments=qs))


@router.get("/duties/reminders", response=responses(page_of(ReminderOut)), summary="已发送的提醒")
def reminder_list(request, page: Query[PageParams], unit: int | None = None, year: int | None = None):
    return page_out(queries.reminders_for(request.user, unit=_unit(request.user, unit), year=year),
                    order=("-day", "-id"), params=page)


@router.post("/duties/assignments/{int:id}/review", response=responses(ReviewOut, write=True), summary="记录或修改述职评议")
def review_record(request, id: int, payload: ReviewIn):
    a = queries.get_assignment_for(request.user, id)
    require(request.user, "duties.manage")
    return services.review_record(actor=request.user, assignment=a, rating=payload.rating, comment=payload.comment,
                                  reviewed_on=payload.reviewed_on, version=payload.version)


@router.get("/duties/reviews", response=responses(page_of(ReviewOut)), summary="述职评议列表")
def review_list(request, page: Query[PageParams], unit: int | None = None, year: int | None = None):
    return page_out(queries.reviews_for(request.user, unit=_unit(request.user, unit), year=year),
                    order=("-reviewed_on", "-id"), params=page)


# ---------------------------------------------------------------- the dashboard


@router.get("/duties/progress", response=responses(ProgressOut),
            summary="履职进度看板：完成/正常/落后人数、各事项完成人数、各类佐证条数（全国、省、市读汇总表）")
def progress(request, unit: int | None = None, year: int | None = None):
    today = periods.today()
    year = year or today.year
    out = queries.progress_overview(request.user, unit=_unit(request.user, unit), year=year, day=today)
    return {"year": year, **out}
