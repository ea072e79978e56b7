"""JSON endpoints of consultations, the suggestion box and activities (thin: scoped query,
service, render). Endpoints under /participation/public/ need no account (the public pages'
twins, e.g. for a website or the WeChat helper) and are rate-limited per client IP."""


from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from niangjia.core.access import get_for
from niangjia.core.api_schemas import (
    OkOut,
    PageParams,
    changes_of,
    choice,
    page_of,
    page_out,
    responses,
)
from niangjia.core.errors import NotFound
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import require
from niangjia.org import queries as org_queries
from niangjia.people.models import Person

from .. import queries, services
from ..models import Channel, Registration
from .public import router as public_router
from .schemas import (
    ActivityDetailOut,
    ActivityFilters,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    AttendanceIn,
    CancelOut,
    CoDesignerIn,
    CoDesignerOut,
    ConsultationDetailOut,
    ConsultationFilters,
    ConsultationIn,
    ConsultationLinksIn,
    ConsultationLinksOut,
    ConsultationOut,
    ConsultationPatch,
    ConsultationResultsOut,
    IdeaDetailOut,
    IdeaFilters,
    IdeaIn,
    IdeaNewIn,
    IdeaOut,
    MoveIn,
    NeedRefOut,
    PaperSheetIn,
    PublicIn,
    PublishIn,
    QuestionIn,
    QuestionOut,
    QuestionPut,
    RatingOut,
    RegistrationOut,
    ReplyIn,
    ResponseCorrectIn,
    ResponseOut,
    ResponseVoidIn,
    SheetOut,
    StaffRegistrationIn,
    SuggestionFilters,
    SuggestionNeedIn,
    SuggestionOut,
    answer_values,
    retry_safe,
)

router = Router(tags=["意见征集、意见箱与活动"])
P = "/participation"


# ---------------------------------------------------------------- schemas: consultations


def _consultation(c) -> dict:
    return ConsultationOut.from_orm(c).model_dump()


def _results(c) -> dict:
    items = []
    for r in queries.results(c):
        items.append({
            "question": r.question, "answered": r.answered,
            "options": [{"label": label, "count": n} for label, n in r.options],
            "distribution": [{"label": str(v), "count": n} for v, n in r.distribution],
            "rating_sum": r.rating_sum, "rating_count": r.rating_count, "rating_mean": r.mean,
            "texts": r.texts})
    return {"consultation": c, "questions": items}


# ---------------------------------------------------------------- consultations (staff)


@router.get(f"{P}/consultations", response=responses(page_of(ConsultationOut)))
def consultation_list(request, f: Query[ConsultationFilters], page: Query[PageParams]):
    require(request.user, "participation.view")
    unit = org_queries.get_federation_for(request.user, f.unit) if f.unit else None
    qs = queries.consultations_for(request.user, unit=unit, q=f.q, state=f.state)
    return page_out(qs, order=("-opens_on", "-id"), params=page)


@router.post(f"{P}/consultations", response=responses(ConsultationDetailOut, status=201, write=True))
def consultation_create(request, payload: ConsultationIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    audience = org_queries.get_federation_for(request.user, payload.audience) if payload.audience else unit
    data = payload.dict(exclude={"unit", "audience"})
    c = services.consultation_create(actor=request.user, unit=unit, audience=audience, **data)
    return Status(201, c)


@router.get(f"{P}/consultations/{{pk}}", response=responses(ConsultationDetailOut))
def consultation_get(request, pk: int):
    return queries.get_consultation_for(request.user, pk)


@router.patch(f"{P}/consultations/{{pk}}", response=responses(ConsultationDetailOut, write=True))
def consultation_patch(request, pk: int, payload: ConsultationPatch):
    c = queries.get_consultation_for(request.user, pk, write=True)
    return services.consultation_update(actor=request.user, consultation=c, version=payload.version,
                                        changes=changes_of(payload))


@router.post(f"{P}/consultations/{{pk}}/publish", response=responses(ConsultationDetailOut, write=True))
def consultation_publish(request, pk: int, payload: PublishIn):
    c = queries.get_consultation_for(request.user, pk, write=True)
    return services.consultation_publish(actor=request.user, consultation=c, version=payload.version,
                                         published=payload.published)


@router.post(f"{P}/consultations/{{pk}}/questions", response=responses(QuestionOut, status=201, write=True))
def question_add(request, pk: int, payload: QuestionIn):
    c = queries.get_consultation_for(request.user, pk, write=True)
    return Status(201, services.question_add(actor=request.user, consultation=c, **payload.dict()))


@router.put(f"{P}/questions/{{pk}}", response=responses(QuestionOut, write=True))
def question_update(request, pk: int, payload: QuestionPut):
    q = queries.get_question_for(request.user, pk, write=True)
    return services.question_update(actor=request.user, question=q, **payload.dict())


@router.post(f"{P}/questions/{{pk}}/move", response=responses(list[QuestionOut], write=True))
def question_move(request, pk: int, payload: MoveIn):
    q = queries.get_question_for(request.user, pk, write=True)
    services.question_move(actor=request.user, question=q, version=payload.version, direction=payload.direction)
    return list(q.consultation.questions.all())


@router.delete(f"{P}/questions/{{pk}}", response=responses(OkOut, write=True))
def question_remove(request, pk: int, version: int = Query(..., description="读取时的版本号；他人已修改则返回 409")):
    q = queries.get_question_for(request.user, pk, write=True)
    services.question_remove(actor=request.user, question=q, version=version)
    return {"ok": True}


@router.get(f"{P}/consultations/{{pk}}/results", response=responses(ConsultationResultsOut))
def consultation_results(request, pk: int):
    return _results(queries.get_consultation_for(request.user, pk))


@router.post(f"{P}/consultations/{{pk}}/responses", response=retry_safe(ResponseOut))
def paper_response(request, pk: int, payload: PaperSheetIn):
    """A cadre enters a paper questionnaire."""
    c = queries.get_consultation_for(request.user, pk, write=True)
    r, created = services.submit_response(consultation=c, values=answer_values(payload.answers), channel=Channel.PAPER,
                                          key=payload.key, phone=payload.phone, actor=request.user)
    return Status(201 if created else 200, {**ResponseOut.from_orm(r).model_dump(), "created": created})


@router.get(f"{P}/consultations/{{pk}}/responses", response=responses(page_of(SheetOut)),
            summary="答卷（可按渠道、是否作废筛选）")
def response_list(request, pk: int, page: Query[PageParams], channel: choice(Channel) | None = None,
                  voided: bool | None = None):
    c = queries.get_consultation_for(request.user, pk)
    return page_out(queries.sheets_of(c, channel=channel or "", voided=voided), order=("-id",), params=page)


@router.post(f"{P}/responses/{{pk}}/void", response=responses(SheetOut, write=True),
             summary="作废录错的纸质问卷（原卷保留并标注，不计入结果）")
def response_void(request, pk: int, payload: ResponseVoidIn):
    r = queries.get_response_for(request.user, pk, write=True)
    return services.response_void(actor=request.user, response=r, reason=payload.reason)


@router.post(f"{P}/responses/{{pk}}/correct", response=retry_safe(SheetOut),
             summary="更正录错的纸质问卷：原卷作废，新录一份并指向原卷（同一提交标识重试返回首次更正）")
def response_correct(request, pk: int, payload: ResponseCorrectIn):
    r = queries.get_response_for(request.user, pk, write=True)
    new, created = services.response_correct(actor=request.user, response=r, values=answer_values(payload.answers),
                                             reason=payload.reason, key=payload.key, phone=payload.phone)
    return Status(201 if created else 200, new)


@router.post(f"{P}/consultations/{{pk}}/links", response=responses(ConsultationLinksOut, status=201, write=True))
def links_issue(request, pk: int, payload: ConsultationLinksIn):
    c = queries.get_consultation_for(request.user, pk, write=True)
    return Status(201, {"tokens": services.issue_links(actor=request.user, consultation=c, count=payload.count,
                                                       ttl_days=payload.ttl_days)})


@router.post(f"{P}/answers/{{pk}}/need", response=responses(NeedRefOut, status=201, write=True))
def answer_to_need(request, pk: int, payload: SuggestionNeedIn):
    a = queries.get_answer_for(request.user, pk, write=True)
    need = services.answer_to_need(actor=request.user, answer=a, category=payload.category, urgency=payload.urgency)
    return Status(201, {"need_id": need.pk, "tracking_code": need.tracking_code})


@router.post(f"{P}/answers/{{pk}}/idea", response=responses(IdeaOut, status=201, write=True))
def answer_to_idea(request, pk: int, payload: IdeaIn):
    a = queries.get_answer_for(request.user, pk, write=True)
    activity = queries.get_activity_for(request.user, payload.activity, write=True) if payload.activity else None
    return Status(201, services.answer_to_idea(actor=request.user, answer=a, activity=activity))


@router.get(f"{P}/consultations/{{pk}}/results.xlsx", response={200: None, **responses(OkOut)},
            summary="意见征集结果导出为 Excel（每份答卷一行，每题一列；需 export 权限）")
def consultation_results_xlsx(request, pk: int):
    c = queries.get_consultation_for(request.user, pk)
    require(request.user, "export")
    headers, rows = queries.results_export(c)
    return xlsx_response(request, _("意见征集结果-{title}").format(title=c.title)[:60], _("答卷"), headers, rows)


@router.get(f"{P}/ideas", response=responses(page_of(IdeaDetailOut)), summary="活动点子（直接录入的和来自意见征集回答的）")
def idea_list(request, f: Query[IdeaFilters], page: Query[PageParams]):
    require(request.user, "participation.view")
    unit = org_queries.get_federation_for(request.user, f.unit) if f.unit else None
    qs = queries.ideas_for(request.user, unit=unit, q=f.q.strip()[:50], source=f.source, activity_id=f.activity)
    return page_out(qs, order=("-created_at", "-id"), params=page)


@router.post(f"{P}/ideas", response=responses(IdeaDetailOut, status=201, write=True), summary="直接记录一个活动点子")
def idea_add(request, payload: IdeaNewIn):
    activity = queries.get_activity_for(request.user, payload.activity, write=True) if payload.activity else None
    unit = activity.unit if activity else org_queries.get_federation_for(request.user, payload.unit)
    return Status(201, services.idea_add(actor=request.user, unit=unit, text=payload.text, activity=activity,
                                         consultation=activity.consultation if activity else None))


# ---------------------------------------------------------------- consultations (public)


# ---------------------------------------------------------------- suggestions


@router.get(f"{P}/suggestions", response=responses(page_of(SuggestionOut)))
def suggestion_list(request, f: Query[SuggestionFilters], page: Query[PageParams]):
    require(request.user, "participation.view")
    unit = org_queries.get_federation_for(request.user, f.unit) if f.unit else None
    qs = queries.suggestions_for(request.user, unit=unit, status=f.status or "", channel=f.channel or "", q=f.q)
    return page_out(qs, order=("-day", "-id"), params=page)


@router.get(f"{P}/suggestions/{{pk}}", response=responses(SuggestionOut))
def suggestion_get(request, pk: int):
    return queries.get_suggestion_for(request.user, pk)


@router.post(f"{P}/suggestions/{{pk}}/reply", response=responses(SuggestionOut, write=True))
def suggestion_reply(request, pk: int, payload: ReplyIn):
    return services.suggestion_reply(actor=request.user, pk=pk, reply=payload.reply, version=payload.version,
                                     is_public=payload.is_public)


@router.post(f"{P}/suggestions/{{pk}}/public", response=responses(SuggestionOut, write=True))
def suggestion_public(request, pk: int, payload: PublicIn):
    return services.suggestion_set_public(actor=request.user, pk=pk, is_public=payload.is_public,
                                          version=payload.version)


@router.post(f"{P}/suggestions/{{pk}}/need", response=responses(NeedRefOut, status=201, write=True))
def suggestion_need(request, pk: int, payload: SuggestionNeedIn):
    need = services.suggestion_to_need(actor=request.user, pk=pk, category=payload.category, urgency=payload.urgency)
    return Status(201, {"need_id": need.pk, "tracking_code": need.tracking_code})


# ---------------------------------------------------------------- activities


@router.get(f"{P}/activities", response=responses(page_of(ActivityOut)))
def activity_list(request, f: Query[ActivityFilters], page: Query[PageParams]):
    require(request.user, "participation.view")
    unit = org_queries.get_federation_for(request.user, f.unit) if f.unit else None
    qs = queries.activities_for(request.user, unit=unit, status=f.status or "", q=f.q)
    return page_out(qs, order=("-day", "-id"), params=page)


@router.post(f"{P}/activities", response=responses(ActivityDetailOut, status=201, write=True))
def activity_create(request, payload: ActivityIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    consultation = queries.get_consultation_for(request.user, payload.consultation) if payload.consultation else None
    a = services.activity_create(actor=request.user, unit=unit, consultation=consultation,
                                 **payload.dict(exclude={"unit", "consultation"}))
    return Status(201, a)


@router.get(f"{P}/activities/{{pk}}", response=responses(ActivityDetailOut))
def activity_get(request, pk: int):
    return queries.get_activity_for(request.user, pk)


@router.patch(f"{P}/activities/{{pk}}", response=responses(ActivityDetailOut, write=True))
def activity_patch(request, pk: int, payload: ActivityPatch):
    a = queries.get_activity_for(request.user, pk, write=True)
    changes = changes_of(payload)
    if "consultation" in changes:
        raw = changes["consultation"]
        changes["consultation"] = queries.get_consultation_for(request.user, raw) if raw else None
    return services.activity_update(actor=request.user, activity=a, version=payload.version, changes=changes)


@router.post(f"{P}/activities/{{pk}}/co-designers", response=responses(CoDesignerOut, status=201, write=True))
def codesigner_add(request, pk: int, payload: CoDesignerIn):
    a = queries.get_activity_for(request.user, pk, write=True)
    person = get_for(Person.visible.all(), request.user, payload.person) if payload.person else None
    return Status(201, services.codesigner_add(actor=request.user, activity=a, person=person, name=payload.name,
                                               contribution=payload.contribution))


@router.delete(f"{P}/activities/{{pk}}/co-designers/{{did}}", response=responses(OkOut, write=True))
def codesigner_remove(request, pk: int, did: int):
    a = queries.get_activity_for(request.user, pk, write=True)
    d = a.co_designers.filter(pk=did).first()
    if d is None:
        raise NotFound()
    services.codesigner_remove(actor=request.user, codesigner=d)
    return {"ok": True}


@router.get(f"{P}/activities/{{pk}}/registrations", response=responses(page_of(RegistrationOut)))
def registration_list(request, pk: int, page: Query[PageParams], status: choice(Registration.Status) | None = None):
    a = queries.get_activity_for(request.user, pk)
    return page_out(queries.registrations_of(a, status or ""), order=("id",), params=page)


@router.post(f"{P}/activities/{{pk}}/registrations", response=retry_safe(RegistrationOut))
def registration_add(request, pk: int, payload: StaffRegistrationIn):
    """A cadre registers a woman who called or came in person (registration closes when the
    activity starts; after that only `after_the_fact` entries from the sign-in sheet)."""
    a = queries.get_activity_for(request.user, pk, write=True)
    reg, created = services.register(activity=a, name=payload.name, phone=payload.phone, key=payload.key,
                                     channel=Channel.PAPER, actor=request.user, after_the_fact=payload.after_the_fact)
    return Status(201 if created else 200, reg)


@router.post(f"{P}/registrations/{{pk}}/cancel", response=responses(CancelOut, write=True))
def registration_cancel(request, pk: int):
    reg = queries.get_registration_for(request.user, pk, write=True)
    promoted = services.registration_cancel(registration=reg, actor=request.user)
    return {"status": reg.status, "promoted": [r.pk for r in promoted]}


@router.post(f"{P}/registrations/{{pk}}/attendance", response=responses(RegistrationOut, write=True))
def attendance(request, pk: int, payload: AttendanceIn):
    reg = queries.get_registration_for(request.user, pk, write=True)
    return services.attendance_mark(actor=request.user, registration=reg, attended=payload.attended)


@router.get(f"{P}/activities/{{pk}}/ratings", response=responses(page_of(RatingOut)))
def rating_list(request, pk: int, page: Query[PageParams]):
    a = queries.get_activity_for(request.user, pk)
    return page_out(a.ratings.all(), order=("-id",), params=page)


router.add_router("", public_router)  # the no-login endpoints (api/public.py)
