"""Supervisor approval of closing a high-risk case or lowering its risk (issue 15).

The worker's step is refused with services.ApprovalNeeded; `approval_request` files it for the case's
named supervisors (sealed details, audited, notified); one of them approves — the step is then carried
out through the same service, with the approval — or returns it with a note. One open request a case.
"""

import json

from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from niangjia.cases.audit_actions import Action
from niangjia.core import audit, periods, sensitive
from niangjia.core.access import register_may
from niangjia.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from niangjia.core.i18n import choice_label, record_label, source_text
from niangjia.core.notify import notify
from niangjia.core.versioning import bump_version

from . import rules, services
from .models import Case, CaseApproval
from .queries import get_case_for, knows

MSG_NO_SUPERVISOR = gettext_lazy("这个个案还没有指定督导：请先在“改派”中指定督导，再提交申请")
MSG_OPEN = gettext_lazy("已有一份待督导批准的申请")
MSG_NOT_SUPERVISOR = gettext_lazy("只有本个案指定的督导可以审批")
MSG_DECIDED = gettext_lazy("这份申请已处理")
MSG_RETURN_NOTE = gettext_lazy("退回时请写明意见")
MSG_NOT_NEEDED = gettext_lazy("这一步不需要督导批准，可以直接办理")


def _check_needed(case: Case, kind: str, payload: dict) -> None:
    """The step really waits for a supervisor, and is complete enough to be carried out once approved (the
    HTML flow asks only after the service refused it; an API client asks directly)."""
    if kind == CaseApproval.Kind.CLOSE:
        if not rules.approval_needed(risk=case.risk_level, to_status="closed"):
            raise ValidationFailed(MSG_NOT_NEEDED, fields={"kind": MSG_NOT_NEEDED})
        problem = rules.closure_problem(payload.get("outcome", ""), payload.get("reason", ""),
                                        payload.get("satisfaction"))
        if problem:
            raise ValidationFailed(problem[1], fields={problem[0]: problem[1]})
    else:
        _, _, level, _ = services._risk(payload.get("answers"), payload.get("risk_level"),
                                        payload.get("risk_override_reason", ""))
        if not rules.approval_needed(risk=case.risk_level, new_risk=level):
            raise ValidationFailed(MSG_NOT_NEEDED, fields={"risk_level": MSG_NOT_NEEDED})


def approval_request(*, actor, case: Case, kind: str, payload: dict) -> CaseApproval:
    """File the refused step for the named supervisors; the details (a closing reason) stay sealed."""
    if not knows(actor, case):
        raise NotFound()
    services._ensure_open(case)
    if kind not in CaseApproval.Kind.values:
        raise ValidationFailed(gettext("申请事项无效"), fields={"kind": gettext("无效")})
    supervisors = list(case.supervisors.all())
    if not supervisors:
        raise ValidationFailed(MSG_NO_SUPERVISOR, fields={"supervisors": MSG_NO_SUPERVISOR})
    _check_needed(case, kind, payload)
    try:
        with transaction.atomic():
            ap = CaseApproval.objects.create(case=case, kind=kind, requested_by=actor,
                                             payload_enc=sensitive.encrypt(json.dumps(payload, ensure_ascii=False)))
            services._event(case, actor, "approval", f"申请督导批准：{record_label(ap, 'kind')}")
            audit.record(actor, Action.CASE_APPROVAL_REQUEST, case, detail={"approval": ap.pk, "kind": kind})
            notify(supervisors, kind="case.approval", link=f"/cases/{case.pk}/#approval",
                   text=format_lazy(gettext_lazy("个案 {number} 申请{value}，请审批"), number=case.number, value=choice_label(ap, 'kind')))
    except IntegrityError as exc:
        raise Conflict(MSG_OPEN) from exc
    return ap


def open_approval(case: Case) -> CaseApproval | None:
    return case.approvals.filter(status=CaseApproval.Status.REQUESTED).select_related("requested_by").first()


def may_decide(user, case: Case) -> bool:
    """Approve or refuse the case's open request: a named supervisor, while one waits ({% can %})."""
    return open_approval(case) is not None and case.supervisors.filter(pk=user.pk).exists()


def may_share_outside(user, case: Case) -> bool:
    """Refer outside the federation now: with her consent or a supervisor's emergency override ({% can %})."""
    return rules.may_share(external=True, consent_share=case.consent_share, override=case.override_at is not None)


for _action, _rule in {"cases.decide": may_decide, "cases.share_outside": may_share_outside}.items():
    register_may(_action, Case, _rule)  # what the case page may offer ({% can %})


def get_approval_for(user, pk) -> CaseApproval:
    """An approval request of a case the user may open (its worker, a named supervisor, an admin); 404 else."""
    approval = CaseApproval.objects.filter(pk=pk).select_related("case").first()
    if approval is None:
        raise NotFound()
    approval.case = get_case_for(user, approval.case_id, audit_read=False)
    return approval


def details(approval: CaseApproval) -> dict:
    """What the worker asked to do (sealed at rest): the closing outcome and reason, or the new assessment."""
    return json.loads(sensitive.decrypt(approval.payload_enc) or "{}")


def approval_decide(*, actor, approval: CaseApproval, approve: bool, note: str = "",
                    version: int | None = None) -> CaseApproval:
    """A named supervisor approves (the step is carried out in the same transaction) or returns it."""
    case = approval.case
    if not knows(actor, case):
        raise NotFound()
    if not case.supervisors.filter(pk=actor.pk).exists():
        raise Forbidden(MSG_NOT_SUPERVISOR)
    if approval.status != CaseApproval.Status.REQUESTED:
        raise Conflict(MSG_DECIDED)
    note = (note or "").strip()[:300]
    if not approve and not note:
        raise ValidationFailed(MSG_RETURN_NOTE, fields={"note": MSG_RETURN_NOTE})
    with transaction.atomic():
        approval.status = CaseApproval.Status.APPROVED if approve else CaseApproval.Status.RETURNED
        approval.decided_by, approval.decided_at, approval.note = actor, periods.now(), note
        bump_version(approval, version, ["status", "decided_by", "decided_at", "note"])  # 409 when stale
        if approve:
            _carry_out(actor, approval, details(approval))
        verdict = gettext_lazy("批准") if approve else gettext_lazy("退回")
        services._event(case, actor, "approval", f"督导{source_text(verdict)}：{record_label(approval, 'kind')}" + (f"（{note}）" if note else ""))
        audit.record(actor, Action(f"case.approval.{'approve' if approve else 'return'}"), case,
                     detail={"approval": approval.pk, "kind": approval.kind})
        notify([approval.requested_by], kind="case.approval.decided", link=f"/cases/{case.pk}/",
               text=format_lazy(gettext_lazy("个案 {number}：督导已{verdict}{value}的申请"), number=case.number, verdict=verdict, value=choice_label(approval, 'kind')))
    return approval


def _carry_out(actor, approval: CaseApproval, p: dict) -> None:
    case = Case.objects.select_for_update().get(pk=approval.case_id)
    if approval.kind == CaseApproval.Kind.CLOSE:
        services.case_transition(actor=actor, case=case, to="closed", outcome=p.get("outcome", ""),
                                 reason=p.get("reason", ""), satisfaction=p.get("satisfaction"), approved=approval)
    else:
        services.case_assess(actor=actor, case=case, answers=p.get("answers", {}), risk_level=p.get("risk_level"),
                             risk_override_reason=p.get("risk_override_reason", ""), approved=approval)
    approval.case = case
