"""JSON endpoints of field rules, stays, diaries (with needs), reports, proposals and standings (thin)."""

from typing import Literal

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from niangjia.core import periods
from niangjia.core.api_schemas import (
    READ_ERRORS,
    PageParams,
    VersionIn,
    changes_of,
    page_of,
    page_out,
    responses,
    whole_list,
)
from niangjia.core.errors import NotFound
from niangjia.core.roles import has_perm, require
from niangjia.needs.queries import needs_of_sources
from niangjia.org import queries as org_queries
from niangjia.people.queries import get_person_for

from .. import queries, rules, services
from ..views.records import file_response
from .schemas import (
    AdoptionIn,
    AdoptionOut,
    DiaryDetailOut,
    DiaryIn,
    DiaryNeedsIn,
    DiaryOut,
    DiaryPatch,
    FieldRuleOut,
    ListParams,
    ProposalFilters,
    ProposalIn,
    ProposalOut,
    ProposalPatch,
    ProposalStatusIn,
    ReportIn,
    ReportOut,
    ReportPatch,
    RulePatch,
    StandingOut,
    StayFilters,
    StayIn,
    StayOut,
    StayPatch,
    UnitStandingPage,
    WorkCountsOut,
)

router = Router(tags=["下基层蹲点"])


def _scope(request, unit_id, mine):
    unit = org_queries.subtree_of(request.user, unit_id)
    person = queries.my_person(request.user) if mine or not _may_view(request.user) else None
    if (mine or not _may_view(request.user)) and person is None:
        raise NotFound(_("您的账号未关联人员档案"))
    return unit, person


def _may_view(user) -> bool:
    return has_perm(user, "fieldwork.view")


def _require_any(user) -> None:
    """Lists need fieldwork.view (everyone in reach) or fieldwork.record (her own)."""
    if not _may_view(user):
        require(user, "fieldwork.record")


def _person(request, pk):
    if pk is None:
        return queries.my_person(request.user)
    return get_person_for(request.user, pk)


# ---------------------------------------------------------------- rules

@router.get("/fieldwork/adoptions", response=responses(page_of(AdoptionOut)), summary="适用于我管辖范围的下基层规则")
def adoption_list(request, unit: int | None = None):
    _require_any(request.user)
    fed = org_queries.subtree_of(request.user, unit)
    return whole_list(list(queries.adoptions_for(request.user, unit=fed)))


@router.patch("/fieldwork/rules/{pk}", response=responses(FieldRuleOut, write=True),
              summary="修改已采用规则的参数与计入选项（需带版本号；适用者的完成情况随即按新参数计算）")
def rule_patch(request, pk: int, payload: RulePatch):
    rule = queries.get_rule_for(request.user, pk)
    changes = changes_of(payload)
    flags = {k: changes.pop(k) for k in list(changes) if k.startswith("count_")}
    return services.rule_update(actor=request.user, rule=rule, version=payload.version, name=changes.get("name"),
                                params=changes.get("params"), flags=flags or None)


@router.get("/fieldwork/presets", response=responses(dict), summary="下基层规则预设（来自改革文件）")
def preset_list(request):
    require(request.user, "fieldwork.view")
    return {k: {"name": name, "preset": preset} for k, (name, preset) in rules.PRESETS.items()}


@router.post("/fieldwork/adoptions", response=responses(AdoptionOut, status=201, write=True), summary="采用预设规则")
def adoption_create(request, payload: AdoptionIn):
    fed = org_queries.get_federation_for(request.user, payload.unit)
    a = services.rule_adopt(actor=request.user, unit=fed, preset=payload.preset, body=payload.body or "",
                            title_contains=payload.title_contains, levels=payload.levels, overrides=payload.overrides)
    return Status(201, a)


@router.post("/fieldwork/adoptions/{pk}/end", response=responses(AdoptionOut, write=True), summary="停止适用规则")
def adoption_end(request, pk: int, payload: VersionIn):
    a = queries.get_adoption_for(request.user, pk)
    return services.adoption_end(actor=request.user, adoption=a, version=payload.version)


# ---------------------------------------------------------------- stays

@router.get("/fieldwork/stays", response=responses(page_of(StayOut)), summary="蹲点记录（本人或管辖范围）")
def stay_list(request, filters: Query[StayFilters], page: Query[PageParams]):
    _require_any(request.user)
    unit, person = _scope(request, filters.unit, filters.mine)
    qs = queries.stays_for(request.user, unit=unit, person=person, start=filters.start, end=filters.end,
                           kind=filters.kind or "", status=filters.status or "")
    return page_out(qs, order=("-start", "-id"), params=page)


@router.post("/fieldwork/stays", response=responses(StayOut, status=201, write=True),
             summary="记录或计划一次蹲点（与已有蹲点重叠返回 400，code=overlap）")
def stay_create(request, payload: StayIn):
    person = _person(request, payload.person)
    place = org_queries.get_federation_for(request.user, payload.place)
    paired = get_person_for(request.user, payload.paired_with) if payload.paired_with else None
    fn = services.stay_plan if payload.planned else services.stay_log
    stay = fn(actor=request.user, person=person, place=place, start=payload.start, end=payload.end, kind=payload.kind,
              setting=payload.setting or "", paired_with=paired, note=payload.note)
    return Status(201, stay)


@router.get("/fieldwork/stays/{pk}", response=responses(StayOut), summary="一条蹲点记录")
def stay_get(request, pk: int):
    return queries.get_stay_for(request.user, pk)


@router.patch("/fieldwork/stays/{pk}", response=responses(StayOut, write=True), summary="修改蹲点（版本过期返回 409）")
def stay_patch(request, pk: int, payload: StayPatch):
    stay = queries.get_stay_for(request.user, pk)
    changes = changes_of(payload)
    if "place" in changes:
        changes["place"] = org_queries.get_federation_for(request.user, changes["place"])
    if "paired_with" in changes:
        changes["paired_with"] = get_person_for(request.user, changes["paired_with"]) if changes["paired_with"] else None
    return services.stay_update(actor=request.user, stay=stay, version=payload.version, **changes)


@router.post("/fieldwork/stays/{pk}/cancel", response=responses(StayOut, write=True), summary="取消蹲点")
def stay_cancel(request, pk: int, payload: VersionIn):
    stay = queries.get_stay_for(request.user, pk)
    return services.stay_cancel(actor=request.user, stay=stay, version=payload.version)


# ---------------------------------------------------------------- diaries, reports, proposals

@router.get("/fieldwork/diaries", response=responses(page_of(DiaryOut)), summary="妇情日记")
def diary_list(request, filters: Query[ListParams], page: Query[PageParams]):
    _require_any(request.user)
    unit, person = _scope(request, filters.unit, filters.mine)
    return page_out(queries.diaries_for(request.user, **filters.args(unit, person)), order=("-date", "-id"),
                    params=page)


@router.post("/fieldwork/diaries", response=responses(DiaryDetailOut, status=201, write=True),
             summary="写妇情日记，听到的需求同时写入需求台账")
def diary_create(request, payload: DiaryIn):
    place = org_queries.get_federation_for(request.user, payload.place)
    diary = services.diary_write(actor=request.user, person=queries.my_person(request.user), place=place,
                                 date=payload.date, title=payload.title, text=payload.text,
                                 women_met=payload.women_met, needs=[n.model_dump() for n in payload.needs])
    return Status(201, _diary_detail(diary))


@router.get("/fieldwork/diaries/{pk}", response=responses(DiaryDetailOut), summary="一篇日记及其登记的需求")
def diary_get(request, pk: int):
    return _diary_detail(queries.get_diary_for(request.user, pk))


@router.patch("/fieldwork/diaries/{pk}", response=responses(DiaryDetailOut, write=True), summary="修改日记（需带版本号）")
def diary_patch(request, pk: int, payload: DiaryPatch):
    diary = queries.get_diary_for(request.user, pk)
    changes = changes_of(payload)
    if "place" in changes:
        changes["place"] = org_queries.get_federation_for(request.user, changes["place"])
    services.diary_update(actor=request.user, diary=diary, version=payload.version, **changes)
    return _diary_detail(diary)


@router.post("/fieldwork/diaries/{pk}/needs", response=responses(DiaryDetailOut, status=201, write=True),
             summary="为已保存的日记补充登记需求")
def diary_needs(request, pk: int, payload: DiaryNeedsIn):
    diary = queries.get_diary_for(request.user, pk)
    services.diary_add_needs(actor=request.user, diary=diary, needs=[n.model_dump() for n in payload.needs])
    return Status(201, _diary_detail(diary))


def _diary_detail(diary):
    diary.needs = needs_of_sources("fieldwork.diary", [diary.pk]).get(diary.pk, [])
    return diary


@router.get("/fieldwork/reports", response=responses(page_of(ReportOut)), summary="调研报告")
def report_list(request, filters: Query[ListParams], page: Query[PageParams]):
    _require_any(request.user)
    unit, person = _scope(request, filters.unit, filters.mine)
    return page_out(queries.reports_for(request.user, **filters.args(unit, person)), order=("-date", "-id"),
                    params=page)


@router.post("/fieldwork/reports", response=responses(ReportOut, status=201, write=True), summary="提交调研报告")
def report_create(request, payload: ReportIn):
    r = services.report_file(actor=request.user, person=queries.my_person(request.user), **payload.model_dump())
    return Status(201, r)


@router.get("/fieldwork/reports/{pk}", response=responses(ReportOut), summary="一份调研报告")
def report_get(request, pk: int):
    _require_any(request.user)
    return queries.get_report_for(request.user, pk)


@router.patch("/fieldwork/reports/{pk}", response=responses(ReportOut, write=True), summary="修改调研报告（需带版本号）")
def report_patch(request, pk: int, payload: ReportPatch):
    report = queries.get_report_for(request.user, pk)
    return services.report_update(actor=request.user, report=report, version=payload.version, **changes_of(payload))


@router.post("/fieldwork/reports/{pk}/file", response=responses(ReportOut, write=True),
             summary="上传或替换调研报告附件（multipart，字段 file；照片或 pdf/Word/Excel/txt，不超过 10 MB）")
def report_attach(request, pk: int, file: File[UploadedFile], version: Form[int]):
    report = queries.get_report_for(request.user, pk)
    return services.report_attach(actor=request.user, report=report, file=file, version=version)


@router.get("/fieldwork/reports/{pk}/file", summary="下载调研报告附件（图片与 pdf 直接显示）", response=READ_ERRORS)
def report_download(request, pk: int):
    _require_any(request.user)
    return file_response(queries.get_report_for(request.user, pk))


@router.get("/fieldwork/proposals", response=responses(page_of(ProposalOut)), summary="建议案")
def proposal_list(request, filters: Query[ProposalFilters], page: Query[PageParams]):
    _require_any(request.user)
    unit, person = _scope(request, filters.unit, filters.mine)
    return page_out(queries.proposals_for(request.user, status=filters.status or "", **filters.args(unit, person)),
                    order=("-date", "-id"), params=page)


@router.post("/fieldwork/proposals", response=responses(ProposalOut, status=201, write=True), summary="提交建议案")
def proposal_create(request, payload: ProposalIn):
    p = services.proposal_file(actor=request.user, person=queries.my_person(request.user), **payload.model_dump())
    return Status(201, p)


@router.get("/fieldwork/proposals/{pk}", response=responses(ProposalOut), summary="一份建议案")
def proposal_get(request, pk: int):
    _require_any(request.user)
    return queries.get_proposal_for(request.user, pk)


@router.patch("/fieldwork/proposals/{pk}", response=responses(ProposalOut, write=True), summary="修改建议案（需带版本号）")
def proposal_patch(request, pk: int, payload: ProposalPatch):
    p = queries.get_proposal_for(request.user, pk)
    return services.proposal_update(actor=request.user, proposal=p, version=payload.version, **changes_of(payload))


@router.post("/fieldwork/proposals/{pk}/status", response=responses(ProposalOut, write=True),
             summary="更新建议案状态（已提交、已采纳、已答复）")
def proposal_status(request, pk: int, payload: ProposalStatusIn):
    p = queries.get_proposal_for(request.user, pk)
    return services.proposal_set_status(actor=request.user, proposal=p, version=payload.version, status=payload.status)


# ---------------------------------------------------------------- standings

@router.get("/fieldwork/standing/me", response=responses(page_of(StandingOut)), summary="我对各项适用规则的完成情况")
def my_standing(request, year: int | None = None):
    require(request.user, "fieldwork.record")
    return whole_list(queries.my_standing(request.user, year=year or periods.today().year))


@router.get("/fieldwork/standing/unit/{pk}", response=responses(UnitStandingPage),
            summary="下级人员的完成情况（每人每条规则；status=broken 查看未完成者）")
def unit_standing(request, pk: int, page: Query[PageParams], year: int | None = None, rule: int | None = None,
                  status: str = "", sort: Literal[tuple(queries.STANDING_SORTS)] = "name"):  # type: ignore[valid-type]
    require(request.user, "fieldwork.view")
    fed = org_queries.get_federation_for(request.user, pk)
    rows, cursor = queries.unit_standings(request.user, fed, year=year or periods.today().year, rule_id=rule,
                                          status=status, cursor=page.cursor, limit=page.limit, sort=sort)
    return {"items": [{"person": r["person"], "unit": r["unit"], "rule_id": r["rule"].pk, "standing": r["standing"]}
                      for r in rows], "next_cursor": cursor}


@router.get("/fieldwork/units/{pk}/counts", response=responses(WorkCountsOut),
            summary="下级下基层看板：已完成蹲点天数、妇情日记、调研报告、建议案（市级及以上一次汇总查询）")
def unit_counts(request, pk: int, year: int | None = None):
    require(request.user, "fieldwork.view")
    fed = org_queries.get_federation_for(request.user, pk)
    year = year or periods.today().year
    return {"year": year, **queries.work_counts(request.user, fed, year)}
