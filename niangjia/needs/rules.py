"""Pure rules of the needs ledger: the status pipelines, deadlines by category and urgency, and
ratings. No I/O: services feed values in and get verdicts out.
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import policies
from niangjia.core.pipeline import SHORT, Pipeline, Step

# ---------------------------------------------------------------- the need pipeline

REGISTERED, ASSIGNED, IN_PROGRESS = "registered", "assigned", "in_progress"
RESOLVED, REFERRED, CLOSED = "resolved", "referred", "closed"
OPEN = frozenset({REGISTERED, ASSIGNED, IN_PROGRESS})  # the deadline runs while a need is open
STATUS_NAMES = {REGISTERED: gettext_lazy("已登记"), ASSIGNED: gettext_lazy("已指派"), IN_PROGRESS: gettext_lazy("办理中"), RESOLVED: gettext_lazy("已解决"),
                REFERRED: gettext_lazy("已转介"), CLOSED: gettext_lazy("已关闭")}


PIPELINE = Pipeline("needs.need", noun=gettext_lazy("需求"), statuses=STATUS_NAMES, unknown=gettext_lazy("未知的办理步骤：{step}"), steps=(
    # reassigning a need in progress hands it to a new handler, who starts it again
    Step("assign", gettext_lazy("指派"), frozenset({REGISTERED, ASSIGNED, IN_PROGRESS}), ASSIGNED, "needs.manage"),
    Step("start", gettext_lazy("开始办理"), frozenset({ASSIGNED}), IN_PROGRESS, "needs.handle"),
    Step("resolve", gettext_lazy("办结"), frozenset({ASSIGNED, IN_PROGRESS}), RESOLVED, "needs.handle"),
    Step("refer", gettext_lazy("转介"), frozenset({REGISTERED, ASSIGNED, IN_PROGRESS}), REFERRED, "needs.handle"),
    Step("close", gettext_lazy("关闭"), frozenset({REGISTERED, RESOLVED, REFERRED}), CLOSED, "needs.handle"),
))
transition_problem = PIPELINE.problem  # why a step may not be taken from a status ('' when it may)
steps_from = PIPELINE.steps_from  # the steps open to a need in a status, in pipeline order (the buttons)


# ---------------------------------------------------------------- the service order pipeline

ORDERED, ACCEPTED, DELIVERED, DECLINED, CANCELLED = "ordered", "accepted", "delivered", "declined", "cancelled"
ORDER_STATUS_NAMES = {ORDERED: gettext_lazy("已派单"), ACCEPTED: gettext_lazy("已接单"), DELIVERED: gettext_lazy("已完成服务"), DECLINED: gettext_lazy("已拒单"),
                      CANCELLED: gettext_lazy("已取消")}
ORDER_LIVE = frozenset({ORDERED, ACCEPTED})
ORDER_PIPELINE = Pipeline("needs.order", noun=gettext_lazy("订单"), statuses=ORDER_STATUS_NAMES, refusal=SHORT,
                          unknown=gettext_lazy("未知的订单步骤：{step}"), steps=(
    Step("accept", gettext_lazy("接单"), frozenset({ORDERED}), ACCEPTED, "needs.handle"),
    Step("deliver", gettext_lazy("完成服务"), frozenset({ORDERED, ACCEPTED}), DELIVERED, "needs.handle"),
    Step("decline", gettext_lazy("拒单"), frozenset({ORDERED}), DECLINED, "needs.handle"),
    Step("cancel", gettext_lazy("取消"), frozenset({ORDERED, ACCEPTED}), CANCELLED, "needs.handle"),
))
order_transition_problem = ORDER_PIPELINE.problem
order_steps_from = ORDER_PIPELINE.steps_from


def order_status_for_need(need_status: str) -> str:
    """Why a new service order may not answer a need in this status ('' when it may).

    Open needs become 已转介; a referred need may get another order (e.g. after a refusal)."""
    if need_status in OPEN or need_status == REFERRED:
        return ""
    return _("“{value}”的需求不能再派单").format(value=STATUS_NAMES.get(need_status, need_status))


# ---------------------------------------------------------------- deadlines

DEADLINE_POLICY = "needs.deadlines"
DEADLINE_PRESET = {
    "critical_days": 1,  # 特急: within one day
    "urgent_days": 3,  # 紧急: within three days
    # 一般: by category — rights, counselling and hardship within a week; legal and mediation ten
    # days; employment, family education and the rest fifteen days
    "normal_days": {"rights": 7, "counselling": 7, "hardship": 7, "legal": 10, "mediation": 10,
                    "employment": 15, "family_education": 15, "other": 15},
    "default_days": 15,  # a category missing from normal_days
}
policies.register(
    DEADLINE_POLICY,
    gettext_lazy("妇女需求办理期限"),
    DEADLINE_PRESET,
    gettext_lazy("需求登记后按紧急程度和类别限期办理（自然日，从登记时刻起算）：特急 1 天、紧急 3 天；一般需求维权、心理咨询、"
    "困难帮扶 7 天，法律服务、婚姻家庭纠纷调解 10 天，创业就业、家庭教育及其他 15 天。超过期限仍未办结（已登记、"
    "已指派、办理中）的需求上报上一级妇联。"),
)


def deadline_days(category: str, urgency: str, policy: dict) -> int:
    """Calendar days a need has from registration, by the policy (preset DEADLINE_PRESET)."""
    if urgency == "critical":
        return int(policy["critical_days"])
    if urgency == "urgent":
        return int(policy["urgent_days"])
    return int(policy.get("normal_days", {}).get(category, policy.get("default_days", 15)))


def deadline_at(registered_at: datetime, category: str, urgency: str, policy: dict) -> datetime:
    return registered_at + timedelta(days=deadline_days(category, urgency, policy))


def is_overdue(status: str, deadline: datetime | None, now: datetime) -> bool:
    """Open and strictly past its deadline: at the deadline itself a need is still on time."""
    return status in OPEN and deadline is not None and now > deadline


def escalation_target(unit):
    """The federation one level up; a national federation (no parent) keeps its own need."""
    return unit.parent if unit.parent_id else unit


# ---------------------------------------------------------------- ratings and contacts

RATING_MIN, RATING_MAX = 1, 5
RATING_NAMES = {1: gettext_lazy("很不满意"), 2: gettext_lazy("不满意"), 3: gettext_lazy("一般"), 4: gettext_lazy("满意"), 5: gettext_lazy("很满意")}


def rating_problem(rating) -> str:
    if not isinstance(rating, int) or isinstance(rating, bool) or not RATING_MIN <= rating <= RATING_MAX:
        return _("评价应为 1–5 分")
    return ""


def need_rateable(status: str, rated: bool) -> str:
    """Why the woman may not rate the need now ('' when she may)."""
    if rated:
        return _("已经评价过了，谢谢您")
    if status not in (RESOLVED, CLOSED, REFERRED):
        return _("需求办结后才能评价")
    return ""


def order_rateable(status: str, rated: bool) -> str:
    if rated:
        return _("这次服务已经评价过了，谢谢您")
    if status != DELIVERED:
        return _("服务完成后才能评价")
    return ""


def mask_name(name: str) -> str:
    """王** : the family name only (lists and the ledger never show a contact's full name)."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * min(max(len(name) - 1, 1), 3)
