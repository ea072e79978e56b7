"""The no-login (public) endpoints of the awards API, on their own router mounted into the main one."""

from django.utils.translation import gettext as _
from ninja import Router, Status

from niangjia.core import ratelimit
from niangjia.core.api_schemas import OkOut, page_of, responses, whole_list
from niangjia.core.context import client_ip
from niangjia.core.errors import NotFound

from .. import evaluation, queries, rules, services
from ..models import Nomination, Objection
from .schemas import (
    BallotIn,
    BallotReceiptOut,
    CodeIn,
    ConsentPublicIn,
    NominationConsentOut,
    NominationOut,
    PublicNominationIn,
    PublicObjectionIn,
    ReceiptOut,
    RoundOut,
    TrackOut,
)

router = Router()  # mounted into api/__init__.py's router, whose tags it takes


PUBLIC_RATE = "20/h"


def _limit(request, scope: str) -> None:
    ratelimit.check_request(request, scope, PUBLIC_RATE)


@router.get("/awards/public/{code}", auth=None, response=responses(RoundOut), summary="公开：评选信息")
def public_round(request, code: str):
    return queries.get_public_round(code)


@router.get("/awards/public/{code}/notice", auth=None, response=responses(page_of(NominationOut)),
            summary="公开：公示名单（只含姓名、单位、事迹）")
def public_notice(request, code: str):
    rnd = queries.get_public_round(code)
    if rnd.phase not in (rules.NOTICE, rules.FINAL):
        return whole_list([])
    return whole_list([_public_view(n) for n in queries.proposed(rnd)])


def _public_view(nom: Nomination) -> Nomination:
    """What the public may see of a nominee: no phones, no nominator."""
    nom.nominee_phone_mask = nom.nominator_phone_mask = nom.nominator_name = nom.consent_note = ""
    nom.consent_by_id = None
    return nom


@router.post("/awards/public/{code}/nominations", auth=None, response=responses(ReceiptOut, status=201, write=True),
             summary="公开：社会推荐（需推荐人姓名和手机号）")
def public_nominate(request, code: str, payload: PublicNominationIn):
    _limit(request, "awards.nominate")
    rnd = queries.get_public_round(code)
    nom, created = services.nomination_create_public(rnd=rnd, **payload.model_dump(exclude={"place_unit"}),
                                                     place_unit_id=payload.place_unit)
    return Status(201, {"id": nom.pk, "tracking_code": nom.tracking_code, "created": created})


@router.post("/awards/consent", auth=None, response=responses(NominationConsentOut, write=True),
             summary="公开：被推荐人通过一次性链接表示同意或不同意（带同一提交标识重试返回已保存的意见）")
def public_consent(request, payload: ConsentPublicIn):
    _limit(request, "awards.consent")
    nom, created = services.consent_by_link(token=payload.token, given=payload.given,
                                            key=payload.form_key or request.headers.get("Idempotency-Key", ""))
    return {"ok": True, "consent": nom.consent, "created": created}


@router.post("/awards/public/{code}/check-code", auth=None, response=responses(OkOut, write=True),
             summary="公开：发送评议短信验证码")
def public_code(request, code: str, payload: CodeIn):
    _limit(request, "awards.code_ip")
    evaluation.code_send(rnd=queries.get_public_round(code), phone=payload.phone)
    return {"ok": True}


@router.post("/awards/public/{code}/ballots", auth=None,
             response={**responses(BallotReceiptOut, status=201, write=True), 200: BallotReceiptOut},
             summary="公开：提交评议（手机号+验证码，或一次性链接令牌）；提交后不能修改")
def public_ballot(request, code: str, payload: BallotIn):
    _limit(request, "awards.ballot")
    rnd = queries.get_public_round(code)
    key = payload.form_key or request.headers.get("Idempotency-Key", "")
    if payload.token:
        ballot, created = evaluation.ballot_by_link(token=payload.token, marks=payload.marks, form_key=key, rnd=rnd)
    else:
        ballot, created = evaluation.ballot_by_code(rnd=rnd, phone=payload.phone, code=payload.code,
                                                    marks=payload.marks, form_key=key)
    return Status(201 if created else 200, {"id": ballot.pk, "created": created})


@router.post("/awards/public/{code}/objections", auth=None, response=responses(ReceiptOut, status=201, write=True),
             summary="公开：对拟表彰对象提出异议（公示期内，联系方式可不填）")
def public_objection(request, code: str, payload: PublicObjectionIn):
    _limit(request, "awards.objection")
    rnd = queries.get_public_round(code)
    obj, created = services.objection_file(rnd=rnd, nomination_id=payload.nomination, text=payload.text,
                                           contact_name=payload.contact_name, contact_phone=payload.contact_phone,
                                           form_key=payload.form_key)
    return Status(201, {"id": obj.pk, "tracking_code": obj.tracking_code, "created": created})


@router.get("/awards/public/track/{code}", auth=None, response=responses(TrackOut),
            summary="公开：用查询码查看异议的答复或社会推荐的进展")
def public_track(request, code: str):
    ratelimit.check("awards.track", client_ip(request.META) or "unknown", limit=30, per_seconds=3600)
    item = queries.tracked(code)
    if item is None:
        raise NotFound(_("没有找到这个查询码"))
    rnd = item.round
    base = {"round_name": rnd.name, "round_code": rnd.code, "phase": rnd.phase, "phase_name": rnd.phase_name,
            "day": item.day}
    if isinstance(item, Objection):
        return {**base, "kind": "objection", "nominee_name": item.nomination.nominee_name,
                "status": "answered" if item.outcome else "pending", "status_name": _("已答复") if item.outcome else _("待答复"),
                "outcome": item.outcome or None, "outcome_name": item.get_outcome_display() if item.outcome else None,
                "answer": item.answer or None, "answered_at": item.answered_at}
    return {**base, "kind": "nomination", "nominee_name": item.nominee_name, "status": item.status,
            "status_name": item.get_status_display(), "consent": item.consent,
            "consent_name": item.get_consent_display()}
