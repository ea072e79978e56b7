"""Pure rules of reform tracking: the measure and plan pipelines, a plan's stage on any day, the
board's figures and its sentences, when a measure is overdue, reminded and escalated, and
grassroots reform as coverage. No I/O: services and queries feed values in.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import policies
from niangjia.core.pipeline import SHORT, Pipeline, Step

# ---------------------------------------------------------------- measures

NOT_STARTED, STARTED, DONE, DELAYED = "not_started", "started", "done", "delayed"
MEASURE_STATUS_NAMES = {NOT_STARTED: gettext_lazy("未启动"), STARTED: gettext_lazy("已启动"), DONE: gettext_lazy("已完成"), DELAYED: gettext_lazy("已延期")}
UNDER_WAY = frozenset({STARTED, DONE, DELAYED})  # "started" on the board: anything begun


MEASURE_PIPELINE = Pipeline("reform.measure", statuses=MEASURE_STATUS_NAMES, noun=gettext_lazy("改革措施"), steps=(
    Step("start", gettext_lazy("启动"), frozenset({NOT_STARTED}), STARTED, "reform.report"),
    Step("finish", gettext_lazy("完成"), frozenset({STARTED, DELAYED}), DONE, "reform.report"),
    Step("delay", gettext_lazy("标记延期"), frozenset({NOT_STARTED, STARTED}), DELAYED, "reform.report"),
    Step("reopen", gettext_lazy("重新打开"), frozenset({DONE}), STARTED, "reform.manage"),
))

# ---------------------------------------------------------------- provincial plans

DRAFTING, SIGNING, APPROVED, ISSUED = "drafting", "signing", "approved", "issued"
PLAN_STAGES = (DRAFTING, SIGNING, APPROVED, ISSUED)
PLAN_STAGE_NAMES = {DRAFTING: gettext_lazy("起草"), SIGNING: gettext_lazy("发文审签"), APPROVED: gettext_lazy("党委批准"), ISSUED: gettext_lazy("印发实施")}
PLAN_DATE_FIELD = {DRAFTING: "drafting_on", SIGNING: "signing_on", APPROVED: "approved_on", ISSUED: "issued_on"}

PLAN_PIPELINE = Pipeline("reform.plan", statuses=PLAN_STAGE_NAMES, noun=gettext_lazy("方案"), refusal=SHORT, field="stage", steps=(
    Step("to_signing", gettext_lazy("进入发文审签"), frozenset({DRAFTING}), SIGNING, "reform.manage"),
    Step("approve", gettext_lazy("党委批准"), frozenset({SIGNING}), APPROVED, "reform.manage"),
    Step("issue", gettext_lazy("印发实施"), frozenset({APPROVED}), ISSUED, "reform.manage"),
))


def steps_from(pipeline: Pipeline, status: str) -> list[Step]:
    """The steps open from `status`, in pipeline order (a page's buttons)."""
    return pipeline.steps_from(status)


def stage_on(dates: dict[str, date | None], day: date) -> str | None:
    """The stage a plan was in on `day` (the latest stage reached by then), None before drafting."""
    reached = None
    for stage in PLAN_STAGES:
        when = dates.get(stage)
        if when is None or when > day:
            break
        reached = stage
    return reached


def stage_date_problem(dates: dict[str, date | None], stage: str, when: date) -> str:
    """A stage's date must not come before the previous stage's date."""
    i = PLAN_STAGES.index(stage)
    if i == 0:
        return ""
    before = dates.get(PLAN_STAGES[i - 1])
    if before is not None and when < before:
        return _("{PLAN_STAGE_NAMES}日期不能早于{PLAN_STAGE_NAMES2}日期（{isoformat}）").format(PLAN_STAGE_NAMES=PLAN_STAGE_NAMES[stage], PLAN_STAGE_NAMES2=PLAN_STAGE_NAMES[PLAN_STAGES[i - 1]], isoformat=before.isoformat())
    return ""


# ---------------------------------------------------------------- the board


@dataclass(frozen=True)
class MeasureFacts:
    status: str
    due_year: int
    deadline: date


def is_overdue(status: str, deadline: date, today: date) -> bool:
    """Past its deadline and not done."""
    return status != DONE and deadline < today


def measure_board(measures: list[MeasureFacts], today: date, year: int | None = None) -> dict:
    """The measures' figures: total, by status, under way, due in `year` (default: the earliest
    due year) and done among them, overdue."""
    by_status = Counter(m.status for m in measures)
    years = sorted({m.due_year for m in measures})
    year = year if year is not None else (years[0] if years else today.year)
    due = [m for m in measures if m.due_year == year]
    return {
        "total": len(measures),
        "by_status": {s: by_status.get(s, 0) for s in MEASURE_STATUS_NAMES},
        "under_way": sum(by_status.get(s, 0) for s in UNDER_WAY),
        "year": year,
        "due_in_year": len(due),
        "done_in_year": sum(1 for m in due if m.status == DONE),
        "overdue": sum(1 for m in measures if is_overdue(m.status, m.deadline, today)),
        "years": years,
    }


def measure_sentence(board: dict) -> str:
    """“36项改革措施，已启动36项；2016年到期12项，已完成12项”."""
    text = _("{board}项改革措施，已启动{board2}项").format(board=board['total'], board2=board['under_way'])
    if board["due_in_year"]:
        text += _("；{board}年到期{board2}项，已完成{board3}项").format(board=board['year'], board2=board['due_in_year'], board3=board['done_in_year'])
    if board["overdue"]:
        text += _("；逾期未完成{board}项").format(board=board['overdue'])
    return text


@dataclass(frozen=True)
class PlanFacts:
    name: str
    is_corps: bool
    dates: dict


def plan_board(plans: list[PlanFacts], day: date) -> list[dict]:
    """Per stage on `day`, latest first: how many provinces, whether the Corps is there, and who."""
    out = []
    for stage in reversed(PLAN_STAGES):
        here = [p for p in plans if stage_on(p.dates, day) == stage]
        out.append({"stage": stage, "label": PLAN_STAGE_NAMES[stage],
                    "provinces": sum(1 for p in here if not p.is_corps), "corps": any(p.is_corps for p in here),
                    "names": [p.name for p in here]})
    not_yet = [p for p in plans if stage_on(p.dates, day) is None]
    out.append({"stage": "", "label": _("尚未起草"), "provinces": sum(1 for p in not_yet if not p.is_corps),
                "corps": any(p.is_corps for p in not_yet), "names": [p.name for p in not_yet]})
    return out


def plan_sentence(rows: list[dict], day: date) -> str:
    """“截至2017-03-02：20个已印发实施，12个和兵团在发文审签”."""
    parts = []
    for r in rows:
        if not r["provinces"] and not r["corps"]:
            continue
        who = _("{r}个").format(r=r['provinces']) if r["provinces"] else ""
        who += (_("和兵团") if r["provinces"] else _("兵团")) if r["corps"] else ""
        verb = {ISSUED: _("已印发实施"), APPROVED: _("已经党委批准"), SIGNING: _("在发文审签"), DRAFTING: _("在起草")}.get(r["stage"],
                                                                                                 _("尚未起草"))
        parts.append(f"{who}{verb}")
    return _("截至{isoformat}：").format(isoformat=day.isoformat()) + ("，".join(parts) if parts else _("尚无省级改革方案"))


# ---------------------------------------------------------------- reminders and escalation

OVERDUE_POLICY = "reform.overdue"
OVERDUE_PRESET = {"remind_every_days": 7, "escalate_after_days": 14}
policies.register(
    OVERDUE_POLICY, gettext_lazy("改革措施逾期提醒规则"), OVERDUE_PRESET,
    gettext_lazy("改革措施过了完成时限仍未完成的，标记为延期并提醒责任单位，此后每隔若干天再提醒；逾期超过规定天数的，"
    "报责任单位的上一级妇联督办。"),
)


def overdue_actions(status: str, deadline: date, today: date, reminded_on: date | None, escalated_on: date | None,
                    policy: dict = OVERDUE_PRESET) -> set[str]:
    """What the daily run does to one measure: {'delay', 'remind', 'escalate'} or a part of it."""
    if not is_overdue(status, deadline, today):
        return set()
    acts = set()
    if status != DELAYED:
        acts.add("delay")
    if reminded_on is None or (today - reminded_on).days >= policy["remind_every_days"]:
        acts.add("remind")
    if escalated_on is None and (today - deadline).days > policy["escalate_after_days"]:
        acts.add("escalate")
    return acts


# ---------------------------------------------------------------- grassroots reform as coverage


def coverage(converted: int, villages: int) -> dict:
    """Villages converted (会改联) out of all villages of a subtree; complete when every one is."""
    share = (converted * 1000 // villages) / 10 if villages else 0.0
    return {"converted": converted, "villages": villages, "share_pct": share,
            "complete": villages > 0 and converted >= villages}


def members_difference(reported: int, registered: int) -> int:
    """Members added as recorded minus the register's count; non-zero is flagged."""
    return reported - registered


def growth_text(before: int, after: int) -> str:
    """“3,336，增长一倍多”: the members after and how they compare with before."""
    if before <= 0:
        return f"{after:,}"
    if after >= 2 * before:
        times = after // before
        word = {2: _("一倍多"), 3: _("两倍多")}.get(times, _("{times}倍多").format(times=times - 1))
        return _("{after:,}，增长{word}").format(after=after, word=word) if after > 2 * before else _("{after:,}，增长一倍").format(after=after)
    change = (after - before) * 1000 // before / 10
    if after >= before:
        return _("{after:,}，增长{change}%").format(after=after, change=abs(change))
    return _("{after:,}，减少{change}%").format(after=after, change=abs(change))
