"""Reads of the open selection, always scoped to the caller's reach (or to a one-time link)."""

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core import onetime, policies
from niangjia.core.access import get_for, reach_of, scoped
from niangjia.core.errors import Conflict, ErrorCode, NotFound
from niangjia.core.roles import require
from niangjia.core.scope import reach_q, under_q
from niangjia.people.models import Person

from . import rules
from .models import Candidate, Part, Score, Scorer, Selection

PERM = "selection.manage"
TOKEN_PURPOSE = "selection.score"
MSG_HIDDEN = _("评分环节结束前不公开分数")
MSG_NOT_RANKED = _("三个评分环节全部结束后才能排名")


def scoring_policy(unit) -> dict:
    return policies.resolve(rules.POLICY, unit)


def known_person(unit, phone_bidx: str, id_bidx: str) -> Person | None:
    """The active person of the federation's subtree with the same ID number (first) or phone.

    Matching is by blind index, so no clear value is read; this is the people register's
    de-duplication key (people.queries.possible_duplicates uses the same columns).
    """
    for column, value in (("id_number_bidx", id_bidx), ("phone_bidx", phone_bidx)):
        if value:
            person = (Person.visible.filter(under_q(unit), is_active=True, merged_into__isnull=True,
                                            **{column: value}).order_by("id").first())
            if person:
                return person
    return None


# ---------------------------------------------------------------- staff reads


def selections_for(user, *, status: str = "", q: str = "", unit=None) -> QuerySet:
    qs = scoped(Selection.objects.select_related("unit"), user)
    if unit is not None:
        qs = qs.filter(under_q(unit))
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__contains=q.strip())
    return qs.annotate(candidate_count=Count("candidates", distinct=True))


def get_selection_for(user, pk) -> Selection:
    return get_for(Selection.objects.select_related("unit"), user, pk, perm=PERM)


def get_candidate_for(user, pk) -> Candidate:
    return get_for(Candidate.objects.select_related("selection", "selection__unit", "wish", "elected_to", "person",
                                                    "post"), user, pk, perm=PERM)


def _get_via_selection(qs: QuerySet, user, pk, prefix: str):
    obj = qs.filter(reach_q(reach_of(user), prefix), pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise NotFound()
    require(user, PERM)
    return obj


def get_part_for(user, pk) -> Part:
    return _get_via_selection(Part.objects.select_related("selection", "selection__unit"), user, pk, "selection__")


def get_scorer_for(user, pk) -> Scorer:
    return _get_via_selection(Scorer.objects.select_related("part", "part__selection", "part__selection__unit"),
                              user, pk, "part__selection__")


def get_score_for(user, pk) -> Score:
    return _get_via_selection(Score.objects.select_related("part", "part__selection", "part__selection__unit",
                                                           "scorer", "candidate"), user, pk, "part__selection__")


def candidates_of(selection: Selection) -> QuerySet:
    return selection.candidates.select_related("wish", "elected_to", "post").order_by("applied_at", "id")


# list orders (label, order_by) shared by the pages and the API
SELECTION_SORTS = {"new": (_("最近发起"), ("-id",)), "old": (_("最早发起"), ("id",)),
                   "closes": (_("报名截止（近→远）"), ("call_closes", "id")),
                   "opens": (_("报名开始（新→旧）"), ("-call_opens", "-id")), "title": (_("名称"), ("title", "id"))}
CANDIDATE_SORTS = {"applied": (_("报名先后"), ("applied_at", "id")), "new": (_("最近报名"), ("-applied_at", "-id")),
                   "name": (_("姓名"), ("name", "id"))}
VETTING_FILTERS = [("pending", _("未考察")), ("passed", _("考察合格")), ("failed", _("考察不合格"))]
ELECTION_FILTERS = [("pending", _("未选举")), ("elected", _("当选")), ("not_elected", _("未当选"))]


def candidates_filtered(selection: Selection, *, q: str = "", channel: str = "", vetting: str = "",
                        election: str = "", wish: int | None = None) -> QuerySet:
    """A selection's applicants narrowed by name/project/code, channel, vetting, election, wished post."""
    qs = selection.candidates.select_related("wish", "elected_to")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(project_title__contains=q) | Q(tracking_code=q.upper()))
    if channel in Candidate.Channel.values:
        qs = qs.filter(channel=channel)
    if vetting in dict(VETTING_FILTERS):
        qs = qs.filter(vetting="" if vetting == "pending" else vetting)
    if election in dict(ELECTION_FILTERS):
        qs = qs.filter(election="" if election == "pending" else election)
    if wish:
        qs = qs.filter(wish_id=wish)
    return qs


def parts_of(selection: Selection) -> list[Part]:
    order = {k: i for i, k in enumerate(rules.KINDS)}
    parts = list(selection.parts.annotate(
        scorer_count=Count("scorers", distinct=True),
        submitted_count=Count("scorers", filter=Q(scorers__submitted_at__isnull=False), distinct=True)))
    return sorted(parts, key=lambda p: order[p.kind])


def scorers_of(part: Part) -> list[Scorer]:
    return list(part.scorers.order_by("id"))


def part_scores(part: Part) -> QuerySet:
    """Every score row of a closed part (corrections included); refused while the part is open."""
    if not part.is_closed:
        raise Conflict(MSG_HIDDEN, code=ErrorCode.TRANSITION)
    return (Score.objects.filter(part=part).select_related("scorer", "candidate", "supersedes", "corrected_by")
            .annotate(corrected=Exists(Score.objects.filter(supersedes=OuterRef("pk"))))
            .order_by("candidate_id", "scorer_id", "id"))


# ---------------------------------------------------------------- the scorer's link


def scorer_by_token(token: str) -> Scorer:
    """The scorer a live link belongs to (404 unknown/expired, 409 used)."""
    tok = onetime.peek(TOKEN_PURPOSE, token)
    return Scorer.objects.select_related("part", "part__selection", "part__selection__unit").get(pk=tok.subject_id)


def own_scores(scorer: Scorer) -> list[Score]:
    return list(scorer.scores.filter(correction__isnull=True).select_related("candidate").order_by("candidate_id"))


# ---------------------------------------------------------------- ranking and the result sheet


@dataclass
class ScoreLine:
    scorer: str
    value: object
    dropped: bool = False
    superseded_by: object = None  # the correcting Score
    correction: object = None  # the Score this one corrects
    score_id: int = 0
    reason: str = ""


@dataclass
class PartCell:
    part: Part
    result: rules.PartResult
    contribution: Fraction
    lines: list[ScoreLine] = field(default_factory=list)


@dataclass
class SheetRow:
    candidate: Candidate
    rank: int
    total: Fraction
    cells: list[PartCell]
    ties: list[str]


def _lines_for(rows: list[Score], result: rules.PartResult) -> list[ScoreLine]:
    lines, to_drop = [], list(result.dropped)
    for s in rows:
        current = not hasattr(s, "_corrected") or not s._corrected
        line = ScoreLine(s.scorer.name, s.value, superseded_by=getattr(s, "_corrected", None),
                         correction=s.supersedes, score_id=s.pk, reason=s.reason)
        if current and s.value in to_drop:
            line.dropped = True
            to_drop.remove(s.value)
        lines.append(line)
    return lines


def _tie_text(ties, names: dict[int, str], ranks: dict[int, int]) -> list[str]:
    out = []
    for other, step, side in ties:
        word = gettext("排前") if side == "ahead" else gettext("排后")
        out.append(gettext("与第 {ranks} 名{names}总分相同，按“{TIE_STEP_NAMES}”{word}").format(ranks=ranks[other], names=names[other], TIE_STEP_NAMES=rules.TIE_STEP_NAMES[step], word=word))
    return out


def result_sheet(selection: Selection, *, require_closed: bool = True) -> list[SheetRow]:
    """Every candidate's scores per part, what was dropped, means, weighted contributions, totals and ranks."""
    parts = parts_of(selection)
    if require_closed and not rules.all_parts_closed([p.is_closed for p in parts]):
        raise Conflict(MSG_NOT_RANKED, code=ErrorCode.TRANSITION)
    candidates = list(candidates_of(selection))
    scores = list(Score.objects.filter(part__selection=selection).select_related("scorer", "supersedes")
                  .order_by("scorer_id", "id"))
    corrected = {s.supersedes_id: s for s in scores if s.supersedes_id}
    for s in scores:
        s._corrected = corrected.get(s.pk)
    by_key: dict[tuple[int, int], list[Score]] = {}
    for s in scores:
        by_key.setdefault((s.part_id, s.candidate_id), []).append(s)
    weights = {p.kind: p.weight for p in parts}
    cells_of, entries = {}, []
    for c in candidates:
        cells = []
        for p in parts:
            rows = by_key.get((p.pk, c.pk), [])
            current = [s.value for s in rows if s._corrected is None]
            result = rules.part_result(current, p.method, selection.trim_min)
            cells.append(PartCell(p, result, rules.contribution(result.mean, p.weight), _lines_for(rows, result)))
        cells_of[c.pk] = cells
        entries.append(rules.Entry(c.pk, c.applied_at, {cell.part.kind: cell.result.mean for cell in cells}))
    ranked = rules.rank(entries, weights, selection.tie_break or rules.TIE_STEPS)
    names = {c.pk: c.name for c in candidates}
    ranks = {r.candidate_id: r.rank for r in ranked}
    by_id = {c.pk: c for c in candidates}
    return [SheetRow(by_id[r.candidate_id], r.rank, r.total, cells_of[r.candidate_id], _tie_text(r.ties, names, ranks))
            for r in ranked]


# ---------------------------------------------------------------- public reads


def open_calls(today) -> QuerySet:
    return (Selection.objects.filter(status="open", call_opens__lte=today, call_closes__gte=today)
            .select_related("unit").order_by("call_closes", "id"))


def public_selection(pk) -> Selection:
    sel = Selection.objects.select_related("unit").filter(pk=pk).first() if str(pk).isdigit() else None
    if sel is None:
        raise NotFound(gettext("没有找到这次选配"))
    return sel


SHEET_HEADERS = [_("名次"), _("姓名"), _("评分环节"), _("评分人"), _("分数"), _("说明"), _("平均分"), _("权重（%）"), _("加权得分"), _("总分"),
                 _("同分规则"), _("考察"), _("选举")]


def sheet_lines(rows: list[SheetRow]):
    """The result sheet flattened for Excel: one line per score, with the part's and the total's arithmetic."""
    for r in rows:
        c = r.candidate
        for cell in r.cells:
            for line in cell.lines or [ScoreLine("", None)]:
                note = (gettext("已被更正") if line.superseded_by else gettext("去掉") if line.dropped else
                        gettext("更正原 {value}：{reason}").format(value=line.correction.value, reason=line.reason) if line.correction else "")
                yield [r.rank, c.name, str(cell.part), line.scorer, line.value, note,
                       rules.fmt(cell.result.mean), cell.part.weight, rules.fmt(cell.contribution), rules.fmt(r.total),
                       "；".join(r.ties), c.get_vetting_display(), c.get_election_display()]
