"""Scoped reads of cases with need-to-know: a case is visible in full only to its worker, its named
supervisors and the admin; everyone else in scope with cases.view sees counts only."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Case as When_
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from niangjia.cases.audit_actions import Action
from niangjia.core import audit, sensitive, summaries
from niangjia.core.access import reach_of, reach_within, scoped
from niangjia.core.errors import NotFound
from niangjia.core.notify import staff_covering
from niangjia.core.roles import has_perm, require
from niangjia.core.scope import under_q
from niangjia.needs.queries import needs_for
from niangjia.org.models import Organisation
from niangjia.people.queries import EVERY_CASE_PARTY

from . import metrics
from .models import Case, CaseStatus, CaseType, HotlineCall, Referral, ReferralStatus, Risk


def is_case_admin(user) -> bool:
    """The platform's administrators (superuser or the admin role) see every case in their reach."""
    return bool(getattr(user, "is_superuser", False)) or "admin" in (getattr(user, "roles", None) or [])


def knows(user, case: Case) -> bool:
    """Need-to-know: the assigned worker, a named supervisor or an admin, and inside her reach."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not reach_of(user).covers_obj(case):
        return False
    if is_case_admin(user) or case.worker_id == user.pk:
        return True
    return case.supervisors.filter(pk=user.pk).exists()


def _on_case_q(user) -> Q:
    """The cases she is on by name: assigned worker or named supervisor."""
    return Q(worker=user) | Q(pk__in=Case.supervisors.through.objects.filter(user_id=user.pk).values("case_id"))


def case_parties_known_to(user):
    """The case parties people.queries shows this user: every one to the admin (as every case), else the
    complainant ids of the cases she is on, or None when she handles no cases."""
    if is_case_admin(user):
        return EVERY_CASE_PARTY
    if not getattr(user, "is_authenticated", False) or not user.is_active or not has_perm(user, "cases.handle"):
        return None
    return Case.objects.filter(_on_case_q(user)).values("complainant_id")


def cases_for(user, *, status: str = "", risk: str = "", case_type: str = "", q: str = "") -> QuerySet:
    """The cases this user may read in full (her need-to-know list), filtered."""
    qs = scoped(Case.objects.select_related("unit", "worker", "complainant"), user)
    if not is_case_admin(user):
        qs = qs.filter(_on_case_q(user))
    if status == "open":
        qs = qs.exclude(status=CaseStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if risk:
        qs = qs.filter(risk_level=risk)
    if case_type:
        qs = qs.filter(case_type=case_type)
    if q:
        qs = qs.filter(Q(number__icontains=q.strip()) | Q(complainant__name__contains=q.strip()))
    return qs


def get_case_for(user, pk, *, audit_read: bool = True) -> Case:
    """The case if the user is on it (else 404, exactly as a missing case); the read is audited."""
    try:
        case = scoped(Case.objects.select_related("unit", "worker", "complainant", "override_by"), user).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not knows(user, case):
        raise NotFound()
    if audit_read:
        with transaction.atomic():
            audit.record(user, Action.CASE_READ, case, summary=f"查看个案 {case.number}")
    return case


def record_list_read(user, cases, *, channel: str) -> None:
    """A list of cases shows each complainant's name and masked phone: one audit row per list view (not per
    row) names the cases shown. Nothing shown, nothing read."""
    ids = [c.pk for c in cases]
    if not ids:
        return
    with transaction.atomic():
        audit.record(user, Action.CASE_LIST, None, summary=f"查看个案列表（{len(ids)} 件）",
                     detail={"cases": ids, "view": channel})


def clear_fields(case: Case) -> dict:
    """The sealed fields in clear, for the one who may read the case (her read is already audited)."""
    return {"narrative": sensitive.decrypt(case.narrative_enc), "phone": sensitive.decrypt(case.phone_enc),
            "id_number": sensitive.decrypt(case.id_number_enc), "address": sensitive.decrypt(case.address_enc)}


def follow_ups_of(case: Case) -> list:
    rows = list(case.follow_ups.select_related("by"))
    for f in rows:
        f.note = sensitive.decrypt(f.note_enc)
    return rows


def get_referral_for(user, pk) -> Referral:
    try:
        ref = scoped(Referral.objects.select_related("case", "agency", "case__unit"), user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not knows(user, ref.case):
        raise NotFound()
    return ref


# ---------------------------------------------------------------- counts (no need-to-know needed)

def _labelled(got: dict, choices) -> list[dict]:
    return [{"key": k, "label": label, "n": got.get(k, 0)} for k, label in choices]


def _tables(user, unit, from_summaries: bool) -> tuple[dict, dict, dict, dict]:
    """Cases by type, risk and status, referrals by (agency kind, status): from the city-grain summary
    rows for a national, province or city reach, else from the rows (core.metrics picks by the flag)."""
    def one(metric, dim):
        return {k: n for (k,), n in metric.pairs(user, dim, unit=unit, summaries=from_summaries).items()}

    return (one(metrics.CASE, "category"), one(metrics.CASE_RISK, "category"), one(metrics.CASE, "status"),
            metrics.REFERRAL.pairs(user, "category", "status", unit=unit, summaries=from_summaries))


def _facts(user, unit) -> tuple[dict, dict, dict, dict]:
    """The same tables counted from the rows (the tests compare them with the summary rows)."""
    return _tables(user, unit, False)


def counts_for(user, *, unit=None) -> dict:
    """Cases by type, risk and status, referrals by agency kind and status, in the user's reach.

    A reach at city level or above reads the summary rows; county and below count the case rows."""
    require(user, "cases.view")
    reach = reach_within(user, unit)
    city_grain = summaries.covers(reach)
    by_type, by_risk, by_status, ref_rows = _tables(user, unit, city_grain)

    agency_choices = [(k, v) for k, v in Organisation.Agency.choices if k]
    referrals = [{"key": k, "label": label, **{s: ref_rows.get((k, s), 0) for s in ReferralStatus.values}}
                 for k, label in agency_choices]
    open_escalated = scoped(Case.objects.exclude(status="closed").filter(escalated_for__isnull=False), user)
    if unit is not None:
        open_escalated = open_escalated.filter(under_q(unit))
    return {"total": sum(by_type.values()), "by_type": _labelled(by_type, CaseType.choices),
            "by_risk": _labelled(by_risk, Risk.choices), "by_status": _labelled(by_status, CaseStatus.choices),
            "referrals": referrals, "overdue_escalated": open_escalated.count(), "from_summaries": bool(city_grain)}


def may_see_cases(user) -> bool:
    return has_perm(user, "cases.handle") or is_case_admin(user)


# ---------------------------------------------------------------- hotline calls

UNASSIGNED = "none"  # the operator filter's value for calls whose operator is unknown (待分派)


def calls_for(user, *, status: str = "", operator=None, start=None, end=None, has_case: bool | None = None
              ) -> QuerySet:
    """Calls in the operator's reach, unhandled first; `operator` a user or UNASSIGNED; days inclusive."""
    require(user, "hotline.intake")
    qs = scoped(HotlineCall.objects.select_related("operator", "unit"), user).annotate(
        handled=When_(When(status=HotlineCall.Status.NEW, then=Value(0)), default=Value(1), output_field=IntegerField()))
    if status:
        qs = qs.filter(status=status)
    if operator == UNASSIGNED:
        qs = qs.filter(operator__isnull=True)
    elif operator is not None:
        qs = qs.filter(operator=operator)
    if start:
        qs = qs.filter(started_at__gte=_day_start(start))
    if end:
        qs = qs.filter(started_at__lt=_day_start(end + timedelta(days=1)))
    if has_case is not None:
        qs = qs.filter(case__isnull=not has_case)
    return qs


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def get_call_for(user, pk) -> HotlineCall:
    require(user, "hotline.intake")
    try:
        return scoped(HotlineCall.objects.select_related("operator", "unit", "case"), user).get(pk=pk)
    except (HotlineCall.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def caseworkers_for(unit) -> list:
    """Users who may be assigned a case at `unit` (cases.handle, scope covering the unit)."""
    return _staff_for(unit, "cases.handle")


def supervisors_for(unit) -> list:
    return _staff_for(unit, "cases.supervise")


def _staff_for(unit, perm: str) -> list:
    return [u for u in staff_covering(unit, perm, limit=None) if not is_case_admin(u)]


def caller_history(user, call: HotlineCall, *, limit: int = 10) -> dict:
    """The same number's earlier calls, and the needs and cases that carry it which this operator may
    see (her reach; cases only on need-to-know): who a repeat caller is, before she is asked again."""
    if not call.caller_bidx:
        return {"calls": [], "needs": [], "cases": []}

    calls = (calls_for(user).filter(caller_bidx=call.caller_bidx).exclude(pk=call.pk).order_by("-started_at")[:limit]
             if has_perm(user, "hotline.intake") else [])
    needs = needs_for(user).filter(contact_phone_bidx=call.caller_bidx).order_by("-day", "-id")[:limit]
    cases = cases_for(user).filter(phone_bidx=call.caller_bidx).order_by("-id")[:limit] if may_see_cases(user) else []
    return {"calls": list(calls), "needs": list(needs), "cases": list(cases)}
