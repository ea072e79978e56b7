"""Pure rules of rights-protection cases: risk from the assessment, the lifecycle pipelines,
who may share outside the federation, when a high-risk case is overdue (PRODUCT.md §8).

No I/O here; services call these and tests exercise them exhaustively.
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import policies
from niangjia.core.pipeline import BY_TARGET, Pipeline, Step

from .models import CaseStatus, ReferralStatus

# The structured risk assessment: yes/no questions drawn from common DV risk screens.
# The first group alone makes a case high risk (each is a known predictor of lethal violence).
QUESTIONS = {
    "threat_to_kill": gettext_lazy("对方是否威胁要杀死她或她的家人？"),
    "weapon": gettext_lazy("对方是否使用或扬言使用刀具、枪支等凶器？"),
    "strangulation": gettext_lazy("对方是否掐过她的脖子或捂住口鼻？"),
    "escalating": gettext_lazy("暴力是否越来越频繁或越来越严重？"),
    "children_at_risk": gettext_lazy("是否有未成年子女受到伤害或威胁？"),
    "separation": gettext_lazy("她是否正在或准备离开对方？"),
    "no_safe_place": gettext_lazy("她今晚是否没有安全的去处？"),
}
SEVERE = ("threat_to_kill", "weapon", "strangulation")
MSG_UNKNOWN_QUESTION = gettext_lazy("未知的评估问题")

FOLLOW_UP_POLICY = policies.register(
    "cases.follow_up",
    gettext_lazy("维权个案跟进时限（小时）"),
    {"high_hours": 24, "medium_hours": 72, "low_hours": 0},
    gettext_lazy("PRODUCT.md §8：高风险个案须在规定时间内跟进，否则升级督办（预设：高风险 24 小时，中风险 72 小时，低风险不设时限）"),
)


def clean_answers(answers: dict | None) -> dict[str, bool]:
    """Only the known questions, each a plain yes/no; unknown keys are refused by the caller."""
    return {k: bool(v) for k, v in (answers or {}).items() if k in QUESTIONS}


def unknown_questions(answers: dict | None) -> list[str]:
    return sorted(set(answers or {}) - set(QUESTIONS))


def risk_from(answers: dict) -> str:
    """high: any severe sign, or three or more other signs; medium: one or two; low: none."""
    yes = {k for k, v in answers.items() if v and k in QUESTIONS}
    if yes & set(SEVERE) or len(yes) >= 3:
        return "high"
    if yes:
        return "medium"
    return "low"


# ---------------------------------------------------------------- lifecycles

# Every step is taken by a case handler; need-to-know (the case's worker and supervisors) is the
# services' access check. Moving to 已转介 by status needs a referral on record (a guard there).
STATUS_NAMES = dict(CaseStatus.choices)
CASE_PIPELINE = Pipeline("cases.case", noun=gettext_lazy("个案"), statuses=STATUS_NAMES, refusal=BY_TARGET,
                         refusal_fields={"to": gettext_lazy("不允许的状态变更")}, steps=(
    Step("assess", gettext_lazy("评估"), {"intake"}, "assessment", "cases.handle"),
    Step("refer", gettext_lazy("转介"), {"assessment", "follow_up"}, "referred", "cases.handle",
         guard=lambda case: "" if case.referrals.exists() else MSG_NO_REFERRAL),
    Step("follow_up", gettext_lazy("跟进"), {"assessment", "referred"}, "follow_up", "cases.handle"),
    Step("close", gettext_lazy("结案"), {"intake", "assessment", "referred", "follow_up"}, "closed", "cases.handle"),
))
MSG_NO_REFERRAL = gettext_lazy("还没有转介记录，请先登记转介")
REFERRAL_PIPELINE = Pipeline("cases.referral", noun=gettext_lazy("转介"), statuses=dict(ReferralStatus.choices), refusal=BY_TARGET,
                             refusal_fields={"to": gettext_lazy("不允许的状态变更")}, steps=(
    Step("accept", gettext_lazy("接收"), {"sent"}, "accepted", "cases.handle"),
    Step("decline", gettext_lazy("拒绝"), {"sent"}, "declined", "cases.handle"),
    Step("done", gettext_lazy("办结"), {"accepted"}, "done", "cases.handle"),
))
# A referral can be made once the case is assessed and until it is closed.
REFERABLE = ("assessment", "referred", "follow_up")
case_may_move = CASE_PIPELINE.may_move


referral_may_move = REFERRAL_PIPELINE.may_move


def allowed_case_moves(current: str) -> tuple[str, ...]:
    return tuple(CASE_PIPELINE.targets_from(current))


def closure_problem(outcome: str, reason: str, satisfaction: int | None) -> tuple[str, str] | None:
    """(field, message) of the first problem with a closure, or None."""
    if outcome not in ("resolved", "withdrawn", "transferred"):
        return "outcome", _("请选择结案方式")
    if not (reason or "").strip():
        return "reason", _("结案理由不能为空")
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        return "satisfaction", _("满意度应为 1 到 5")
    return None


# ---------------------------------------------------------------- sharing outside the federation

# The federation's own women's organisations; everything else (police, courts, shelters, providers)
# is outside the federation, so the woman's separate consent to share is needed.
INSIDE_KINDS = frozenset({"group_member", "workplace_committee", "new_org_women"})


def is_external(org_kind: str) -> bool:
    return org_kind not in INSIDE_KINDS


def may_share(*, external: bool, consent_share: bool, override: bool) -> bool:
    """Inside the federation always; outside only with her consent or a supervisor's emergency override."""
    return (not external) or consent_share or override


# ---------------------------------------------------------------- follow-up deadlines

def follow_up_hours(risk: str, policy: dict) -> int:
    return int(policy.get(f"{risk}_hours", 0) or 0)


def follow_up_due(last_contact: datetime, risk: str, policy: dict) -> datetime | None:
    """When the next follow-up is due (None when the risk level sets no limit)."""
    hours = follow_up_hours(risk, policy)
    return last_contact + timedelta(hours=hours) if hours > 0 else None


def is_overdue(due: datetime | None, now: datetime) -> bool:
    """Overdue only strictly after the deadline: a follow-up exactly at the deadline is in time."""
    return due is not None and now > due


def needs_escalation(*, status: str, due: datetime | None, now: datetime, escalated_for: datetime | None) -> bool:
    """An open case past its due time, not already escalated for this same deadline."""
    return status != "closed" and is_overdue(due, now) and escalated_for != due


# Who a case is usually referred to first, by its type (an agency's `agency_type`). Domestic violence:
# safety first (police, a shelter), then legal aid. A high-risk case puts police and shelter first
# whatever its type.
REFERRAL_FIRST: dict[str, tuple[str, ...]] = {
    "domestic_violence": ("police", "shelter", "legal_aid", "health", "court", "procuratorate", "civil_affairs"),
    "marriage_property": ("legal_aid", "court", "civil_affairs"),
    "custody": ("legal_aid", "court", "civil_affairs"),
    "employment": ("legal_aid", "court"),
    "harassment": ("police", "legal_aid", "court", "procuratorate"),
    "trafficking": ("police", "procuratorate", "shelter", "civil_affairs", "health"),
    "other": ("legal_aid", "civil_affairs"),
}
HIGH_RISK_FIRST = ("police", "shelter")


def referral_rank(case_type: str, risk: str, agency_type: str) -> tuple[int, int]:
    """Sort key of a referral target for this case: (group, place). Group 0 = suggested for what the case
    needs, 1 = another partner agency, 2 = an organisation that is not an agency (never suggested)."""
    first = list(REFERRAL_FIRST.get(case_type, REFERRAL_FIRST["other"]))
    if risk == "high":
        first = [*HIGH_RISK_FIRST, *(a for a in first if a not in HIGH_RISK_FIRST)]
    if agency_type in first:
        return 0, first.index(agency_type)
    return (1, 0) if agency_type else (2, 0)


RISK_ORDER = {"low": 0, "medium": 1, "high": 2}


def approval_needed(*, risk: str, to_status: str = "", new_risk: str = "") -> str:
    """'close' or 'lower_risk' when a named supervisor must approve the step, else ''. A high-risk case
    is closed, or its risk lowered, only with her approval (the supervision rule of the case policy)."""
    if risk != "high":
        return ""
    if to_status == "closed":
        return "close"
    if new_risk and RISK_ORDER.get(new_risk, 2) < RISK_ORDER["high"]:
        return "lower_risk"
    return ""
