"""Public pages of award rounds (no login, phone-first): the round, public nomination, the nominee's
consent, women's evaluation (check code or one-time link), the notice list (公示) and objections."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from niangjia.core import onetime, periods
from niangjia.core.errors import ValidationFailed
from niangjia.core.idempotency import link_key, replayed
from niangjia.core.public import form_key, public_view
from niangjia.core.web import form_errors_from

from .. import evaluation, queries, rules, services
from ..forms import ObjectionForm, PhoneForm, PublicNominationForm
from ..models import AwardRound, Nomination, Objection


def _round_ctx(rnd: AwardRound, **extra) -> dict:
    return {"rnd": rnd, "phase_names": rules.PHASE_NAMES, "public_left": max(0, rnd.public_quota - queries.public_used(rnd)),
            **extra}


@public_view(scope="awards.page", rate="120/h", methods=())
def round_page(request, code):
    rnd = queries.get_public_round(code)
    return render(request, "awards/public/round.html", _round_ctx(rnd, shortlist=evaluation.shortlist_for_ballot(rnd)))


@public_view(scope="awards.nominate", rate="10/h")
def nominate(request, code):
    rnd = queries.get_public_round(code)
    units = queries.nominating_units(rnd)
    data = request.POST if request.method == "POST" else None
    form = PublicNominationForm(data, units=units, initial={"form_key": form_key()})
    closed = _nomination_closed(rnd)
    if data is not None and not closed and form.is_valid():
        d = form.cleaned_data
        try:
            nom, _ = services.nomination_create_public(
                rnd=rnd, place_unit_id=d["place_unit"], nominator_name=d["nominator_name"],
                nominator_phone=d["nominator_phone"], nominee_name=d["nominee_name"], nominee_place=d["nominee_place"],
                deeds=d["deeds"], nominee_phone=d["nominee_phone"], form_key=d["form_key"])
        except ValidationFailed as exc:
            form_errors_from(form, exc)
        else:
            return render(request, "awards/public/nominated.html", _round_ctx(rnd, nom=nom))
    status = 400 if form.errors else 200
    return render(request, "awards/public/nominate.html", _round_ctx(rnd, form=form, closed=closed), status=status)


def _nomination_closed(rnd: AwardRound) -> str:
    if rnd.phase != rules.NOMINATION or periods.today() > rnd.nomination_ends:
        return _("本次评选的推荐已经截止")
    return rules.public_quota_problem(rnd.public_quota, queries.public_used(rnd))


@public_view(scope="awards.consent", rate="20/h")
def consent(request, token):
    """The nominee says yes or no through her link; a resend of the saved answer (same form key)
    shows the answer again instead of "link already used"."""
    if request.method == "POST":
        given = request.POST.get("given") == "1"
        nom, _ = services.consent_by_link(token=token, given=given, key=request.POST.get("form_key", ""))
        return render(request, "awards/public/consented.html",
                      {"nom": nom, "given": nom.consent == Nomination.Consent.GIVEN, "rnd": nom.round})
    t = onetime.peek(services.CONSENT_PURPOSE, token)
    nom = Nomination.objects.select_related("round", "round__unit").get(pk=t.subject_id)
    return render(request, "awards/public/consent.html", {"nom": nom, "rnd": nom.round, "key": form_key()})


# ---------------------------------------------------------------- evaluation


def _marks_from(request, rnd: AwardRound) -> dict:
    if rnd.mode == rules.VOTES:
        return {int(v): 1 for v in request.POST.getlist("vote") if v.isdigit()}
    return {int(k[6:]): v for k, v in request.POST.items() if k.startswith("score-") and k[6:].isdigit() and v}


def _ballot_ctx(rnd, **extra) -> dict:
    return _round_ctx(rnd, shortlist=evaluation.shortlist_for_ballot(rnd), scores=range(1, 6),
                      open_problem=evaluation.evaluation_open_problem(rnd), key=form_key(), **extra)


@public_view(scope="awards.evaluate", rate="30/h")
def evaluate(request, code):
    """Step 1: phone → a check code by SMS; step 2: the code and the choices, in one form."""
    rnd = queries.get_public_round(code)
    phone_form = PhoneForm(request.POST if request.POST.get("step") == "code" else None)
    ctx = _ballot_ctx(rnd, phone_form=phone_form, phone="", error="")
    if request.method == "POST" and request.POST.get("step") == "code":
        if phone_form.is_valid():
            try:
                evaluation.code_send(rnd=rnd, phone=phone_form.cleaned_data["phone"])
                ctx.update(phone=phone_form.cleaned_data["phone"], sent=True)
            except ValidationFailed as exc:
                form_errors_from(phone_form, exc)
    elif request.method == "POST" and request.POST.get("step") == "ballot":
        phone = request.POST.get("phone", "")
        ctx.update(phone=phone, sent=True, key=request.POST.get("form_key") or form_key())
        try:
            evaluation.ballot_by_code(rnd=rnd, phone=phone, code=request.POST.get("code", ""),
                                      marks=_marks_from(request, rnd), form_key=request.POST.get("form_key", ""))
        except ValidationFailed as exc:
            ctx["error"] = exc.message
        else:
            return render(request, "awards/public/evaluated.html", _round_ctx(rnd))
    status = 400 if (phone_form.errors or ctx["error"]) else 200
    return render(request, "awards/public/evaluate.html", ctx, status=status)


@public_view(scope="awards.evaluate", rate="30/h")
def evaluate_link(request, token):
    key = request.POST.get("form_key", "") if request.method == "POST" else ""
    first = replayed(evaluation.LINK_SCOPE, link_key(token, key))
    if first is not None:  # her phone resent a ballot that was already saved
        return render(request, "awards/public/evaluated.html", _round_ctx(first.round))
    rnd = evaluation.round_of_link(token)
    ctx = _ballot_ctx(rnd, by_link=True, error="")
    if request.method == "POST":
        ctx["key"] = key or form_key()
        try:
            evaluation.ballot_by_link(token=token, marks=_marks_from(request, rnd), form_key=key)
        except ValidationFailed as exc:
            ctx["error"] = exc.message
        else:
            return render(request, "awards/public/evaluated.html", _round_ctx(rnd))
    return render(request, "awards/public/evaluate.html", ctx, status=400 if ctx["error"] else 200)


# ---------------------------------------------------------------- the notice period


@public_view(scope="awards.objection", rate="10/h")
def notice(request, code):
    rnd = queries.get_public_round(code)
    proposed = queries.proposed(rnd) if rnd.phase in (rules.NOTICE, rules.FINAL) else []
    open_problem = rules.objection_problem(rnd.phase, periods.today(), rnd.notice_ends)
    listed = [n for n in proposed if n.status == Nomination.Status.PROPOSED]
    data = request.POST if request.method == "POST" else None
    form = ObjectionForm(data, nominees=listed, initial={"form_key": form_key()})
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            obj, _ = services.objection_file(rnd=rnd, nomination_id=d["nomination"], text=d["text"],
                                             contact_name=d["contact_name"], contact_phone=d["contact_phone"],
                                             form_key=d["form_key"])
        except ValidationFailed as exc:
            form_errors_from(form, exc)
        else:
            return render(request, "awards/public/objected.html", _round_ctx(rnd, obj=obj))
    return render(request, "awards/public/notice.html",
                  _round_ctx(rnd, proposed=proposed, form=form, open_problem=open_problem,
                             rule=rules.rank_rule(rnd.mode)),
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------- tracking codes


@public_view(scope="awards.track", rate="30/h", methods=("GET",))
def track(request):
    """The objector or public nominator looks up what became of it with her tracking code."""
    code = request.GET.get("code", "").strip()[:20]
    item = queries.tracked(code) if code else None
    ctx = {"code": code, "asked": bool(code), "obj": item if isinstance(item, Objection) else None,
           "nom": item if isinstance(item, Nomination) else None}
    return render(request, "awards/public/track.html", ctx)
