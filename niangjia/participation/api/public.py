"""The no-login (public) endpoints of the participation API, on their own router mounted into the main one."""

from django.utils.translation import gettext as _
from ninja import Router, Status

from niangjia.core import ratelimit
from niangjia.core.api_schemas import OkOut, page_of, responses, whole_list
from niangjia.core.errors import NotFound
from niangjia.org.models import Federation

from .. import queries, services
from ..models import Registration
from .schemas import (
    CheckCodeIn,
    PublicConsultationItem,
    PublicConsultationOut,
    PublicRegistrationIn,
    PublicRegistrationOut,
    PublicSuggestionOut,
    RatingIn,
    RatingOut,
    ResponseOut,
    SheetIn,
    SuggestionCreatedOut,
    SuggestionIn,
    answer_values,
    retry_safe,
)

router = Router()  # mounted into api/__init__.py's router, whose tags it takes
P = "/participation"  # the app's path prefix, as in api/__init__.py


def _limit(request, scope: str, rate: str = "30/h") -> None:
    ratelimit.check_request(request, f"api.{scope}", rate)


@router.get(f"{P}/public/consultations", auth=None, response=responses(page_of(PublicConsultationItem)),
            summary="公开：正在征集的意见（网站公告）；给出 unit 则只列面向该地的（含上级妇联面向本地的）")
def public_consultation_list(request, unit: int | None = None):
    _limit(request, "participation.index", "120/h")
    if unit is None:
        return whole_list(list(queries.open_consultations_public()))
    return whole_list(list(queries.open_consultations_for_unit(queries.public_place(unit))))


@router.get(f"{P}/public/consultations/{{pk}}", auth=None, response=responses(PublicConsultationOut))
def public_consultation(request, pk: int):
    return queries.public_consultation(pk)


@router.post(f"{P}/public/consultations/{{pk}}/check-code", auth=None, response=responses(OkOut, write=True))
def public_check_code(request, pk: int, payload: CheckCodeIn):
    _limit(request, "participation.check_code", "10/h")
    services.send_check_code(consultation=queries.public_consultation(pk), phone=payload.phone)
    return {"ok": True}


@router.post(f"{P}/public/consultations/{{pk}}/responses", auth=None,
             response=retry_safe(ResponseOut))
def public_response(request, pk: int, payload: SheetIn):
    _limit(request, "participation.answer")
    c = queries.public_consultation(pk)
    r, created = services.submit_response(consultation=c, values=answer_values(payload.answers), channel=payload.channel,
                                          key=payload.key, phone=payload.phone, code=payload.code,
                                          token=payload.token)
    return Status(201 if created else 200, {**ResponseOut.from_orm(r).model_dump(), "created": created})


@router.post(f"{P}/public/suggestions", auth=None, response=retry_safe(SuggestionCreatedOut))
def public_suggestion(request, payload: SuggestionIn):
    _limit(request, "participation.suggestion", "20/h")
    federation = Federation.objects.filter(pk=payload.federation, is_active=True).first()
    s, created = services.submit_suggestion(federation=federation, text=payload.text, channel=payload.channel,
                                            key=payload.key, contact_name=payload.contact_name,
                                            contact_phone=payload.contact_phone, anonymous=payload.anonymous)
    return Status(201 if created else 200, {"id": s.pk, "tracking_code": s.tracking_code, "created": created})


@router.get(f"{P}/public/suggestions/{{code}}", auth=None, response=responses(PublicSuggestionOut))
def public_suggestion_get(request, code: str):
    _limit(request, "participation.track")
    s = services.suggestion_by_code(code)
    if s is None:
        raise NotFound(_("没有找到这个查询码"))
    return {"unit_name": s.unit.name, "day": s.day, "text": s.text, "status": s.status, "reply": s.reply,
            "replied_at": s.replied_at}


def _public_reg(reg: Registration, created: bool = True) -> dict:
    return {"tracking_code": reg.tracking_code, "activity_id": reg.activity_id, "activity_title": reg.activity.title,
            "day": reg.activity.day, "status": reg.status, "rated": hasattr(reg, "rating"), "created": created}


@router.post(f"{P}/public/activities/{{pk}}/registrations", auth=None,
             response=retry_safe(PublicRegistrationOut))
def public_register(request, pk: int, payload: PublicRegistrationIn):
    _limit(request, "participation.register", "20/h")
    a = queries.public_activity(pk)
    reg, created = services.register(activity=a, name=payload.name, phone=payload.phone, key=payload.key,
                                     channel=payload.channel)
    return Status(201 if created else 200, _public_reg(reg, created))


@router.get(f"{P}/public/registrations/{{code}}", auth=None, response=responses(PublicRegistrationOut))
def public_registration(request, code: str):
    _limit(request, "participation.mine")
    return _public_reg(services.registration_by_code(code))


@router.post(f"{P}/public/registrations/{{code}}/cancel", auth=None, response=responses(PublicRegistrationOut,
                                                                                        write=True))
def public_cancel(request, code: str):
    _limit(request, "participation.mine")
    reg = services.registration_by_code(code)
    services.registration_cancel(registration=reg)
    return _public_reg(services.registration_by_code(code))


@router.post(f"{P}/public/registrations/{{code}}/rating", auth=None, response=retry_safe(RatingOut))
def public_rating(request, code: str, payload: RatingIn):
    _limit(request, "participation.mine")
    reg = services.registration_by_code(code)
    rating, created = services.rating_submit(registration=reg, score=payload.score, comment=payload.comment,
                                             key=payload.key or request.headers.get("Idempotency-Key", ""))
    return Status(201 if created else 200, rating)
