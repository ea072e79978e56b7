"""Escalation of high- and medium-risk cases past their follow-up deadline (policy cases.follow_up):
the periodic command `cases_escalate` calls escalate_overdue; each deadline escalates once."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from niangjia.cases.audit_actions import Action
from niangjia.core import audit, periods
from niangjia.core.i18n import choice_label
from niangjia.core.models import PolicyOverride
from niangjia.core.notify import notify, unit_officers
from niangjia.core.policies import resolve

from . import rules
from .models import Case, CaseEvent


def _event(case: Case, text: str) -> None:
    CaseEvent.objects.create(case=case, actor=None, kind="escalate", text=text[:300])


def escalate_overdue(*, now: datetime | None = None) -> list[Case]:
    """Escalate every open case past its follow-up deadline, once per deadline (safe to run twice)."""
    now = now or periods.now()
    policy_of: dict[int, dict] = {}
    done = []
    # Only cases silent for at least the shortest deadline any federation set can be overdue.
    shortest = _shortest_follow_up_hours()
    if shortest is None:
        return done
    open_risky = Case.objects.filter(~Q(status="closed"), risk_level__in=["high", "medium"],
                                     last_contact_at__lt=now - timedelta(hours=shortest)).select_related("unit")
    for case in open_risky.iterator():
        policy = policy_of.get(case.unit_id) or policy_of.setdefault(case.unit_id,
                                                                    resolve("cases.follow_up", case.unit))
        due = rules.follow_up_due(case.last_contact_at, case.risk_level, policy)
        if not rules.needs_escalation(status=case.status, due=due, now=now, escalated_for=case.escalated_for):
            continue
        if _escalate(case, due):
            done.append(case)
    return done


def _shortest_follow_up_hours() -> int | None:
    """The smallest positive high/medium deadline in the preset and every federation's override."""
    values = [rules.FOLLOW_UP_POLICY.preset]
    values += list(PolicyOverride.objects.filter(policy_key="cases.follow_up").values_list("value", flat=True))
    hours = [int(v.get(k) or 0) for v in values for k in ("high_hours", "medium_hours")]
    positive = [h for h in hours if h > 0]
    return min(positive) if positive else None


def _escalate(case: Case, due: datetime) -> bool:
    with transaction.atomic():
        # the conditional update is the guard: a second run (or a concurrent one) finds it done
        claimed = Case.objects.filter(pk=case.pk).exclude(escalated_for=due).update(escalated_for=due)
        if not claimed:
            return False
        case.escalated_for = due
        people = [case.worker, *case.supervisors.all(), *unit_officers(case.unit, "cases.supervise")]
        local_due = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
        notify(people, kind="case.escalate", link=f"/cases/{case.pk}/",
               text=format_lazy(gettext_lazy("维权个案 {number}（{value}风险）应于 {local_due} 前跟进，已超时，请立即处理"), number=case.number, value=choice_label(case, 'risk_level'), local_due=local_due))
        _event(case, f"超过跟进时限（{local_due}），已升级督办")
        audit.record(None, Action.CASE_ESCALATE, case, detail={"due": due.isoformat(), "notified": len(people)})
    return True
