"""Scoped reads of consultations, letters and activities (lists, results, summaries).

Staff reads go through core.access (404 outside the reach). Public reads return only what a
woman without an account may see: published consultations, open activities, letters the
federation made public (never contact details).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum

from niangjia.core.access import get_for, reach_of, scoped
from niangjia.core.errors import Forbidden, NotFound
from niangjia.core.roles import require
from niangjia.core.scope import in_subtree, reach_q, under_q

from . import rules
from .models import Activity, Answer, Consultation, Idea, Question, Rating, Registration, Response, Suggestion
from .services.consultations import state_of, today

# ---------------------------------------------------------------- consultations


def consultations_visible(user):
    """Consultations the user may read: those her reach owns, and those whose audience lies in her
    reach (a city's consultation for one county is read by that county's cadres; only the city edits it).
    One filter on the owner's and the audience's ancestor columns (a join to the audience row only)."""
    reach = reach_of(user)
    return Consultation.objects.select_related("unit", "audience").filter(
        reach_q(reach) | reach_q(reach, "audience__"))


def owns(user, c: Consultation) -> bool:
    """Whether the consultation is run inside the user's reach (she may edit it), not only seen."""
    return reach_of(user).covers_obj(c)


def consultations_for(user, *, unit=None, q: str = "", state: str = ""):
    qs = consultations_visible(user)
    if unit is not None:
        qs = qs.filter(under_q(unit) | under_q(unit, "audience__"))
    if q:
        qs = qs.filter(title__icontains=q)
    t = today()
    if state == "draft":
        qs = qs.filter(published=False)
    elif state == "open":
        qs = qs.filter(published=True, opens_on__lte=t, closes_on__gte=t)
    elif state == "not_yet":
        qs = qs.filter(published=True, opens_on__gt=t)
    elif state == "closed":
        qs = qs.filter(published=True, closes_on__lt=t)
    return qs


def get_consultation_for(user, pk, *, write: bool = False) -> Consultation:
    """A consultation the user may read (404 otherwise); for a write she must also own it (403 when
    she only sees it through its audience)."""
    try:
        c = consultations_visible(user).get(pk=pk)
    except (Consultation.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    require(user, "participation.manage" if write else "participation.view")
    if write and not owns(user, c):
        raise Forbidden(f"这次意见征集由{c.unit.name}组织，只有{c.unit.name}可以修改")
    return c


def get_question_for(user, pk, *, write: bool = False) -> Question:
    try:
        q = Question.objects.select_related("consultation", "consultation__unit").get(pk=pk)
    except (Question.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    get_consultation_for(user, q.consultation_id, write=write)
    return q


def get_answer_for(user, pk, *, write: bool = False) -> Answer:
    try:
        a = Answer.objects.select_related("question", "response", "response__consultation",
                                          "response__consultation__unit").get(pk=pk)
    except (Answer.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    get_consultation_for(user, a.response.consultation_id, write=write)
    return a


def public_consultation(pk) -> Consultation:
    """A published consultation for the public page (drafts answer 404)."""
    c = Consultation.objects.select_related("unit", "audience").filter(pk=pk, published=True).first() \
        if str(pk).isdigit() else None
    if c is None:
        raise NotFound("该意见征集不存在或尚未发布")
    return c


def _open_noticed():
    """Published consultations open today that the federation lists on its website (网站公告)."""
    t = today()
    return Consultation.objects.filter(published=True, opens_on__lte=t, closes_on__gte=t, via_website=True) \
        .select_related("unit", "audience")


def open_consultations_for_unit(unit, limit: int = 20):
    """Open, website-noticed consultations whose audience covers `unit`: the audience is the unit
    itself or one of its ancestors (a county's consultation is shown on each of its villages' pages).
    One indexed look-up by the unit's ancestor ids, no tree walk."""
    ids = [getattr(unit, f"l{n}") for n in range(1, 7) if getattr(unit, f"l{n}", None)]
    return _open_noticed().filter(audience_id__in=ids).order_by("closes_on", "id")[:limit]


def open_consultations_public(limit: int = 30):
    """Every open website-noticed consultation, closing soonest first (the public index)."""
    return _open_noticed().order_by("closes_on", "id")[:limit]


def public_place(pk):
    """An active federation for the public pages and API (404 for an unknown or inactive one)."""
    from niangjia.org.models import Federation

    unit = Federation.objects.filter(pk=pk, is_active=True).first() if str(pk).isdigit() else None
    if unit is None:
        raise NotFound("该妇联不存在")
    return unit


def public_places(q: str, limit: int = 20):
    """Active federations found by the tree's search (name, pinyin or its initials, code prefix), for
    the public place picker."""
    from niangjia.org.models import Federation
    from niangjia.org.queries import federation_search_q

    q = (q or "").strip()[:30]
    if not q:
        return []
    qs = Federation.objects.filter(federation_search_q(q), is_active=True).select_related("parent")
    return list(qs.order_by("level", "code")[:limit])


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[tuple[str, int]] = field(default_factory=list)
    rating_sum: int = 0
    rating_count: int = 0
    distribution: list[tuple[int, int]] = field(default_factory=list)
    texts: list[Answer] = field(default_factory=list)

    @property
    def mean(self):
        return rules.mean(self.rating_sum, self.rating_count)


def results(consultation: Consultation, *, text_limit: int = 50) -> list[QuestionResult]:
    """Per question: option counts, rating distribution and mean (sum/count), latest free texts."""
    questions = list(consultation.questions.all())
    by_q: dict[int, list[Answer]] = {q.pk: [] for q in questions}
    for a in Answer.objects.filter(response__consultation=consultation, response__voided_at__isnull=True).only(
            "id", "question_id", "choices", "rating", "text", "need_id", "idea_id").order_by("-id"):
        by_q.setdefault(a.question_id, []).append(a)
    out = []
    for q in questions:
        answers = by_q.get(q.pk, [])
        r = QuestionResult(q, answered=len(answers))
        if q.kind in ("single", "multiple"):
            counts = Counter(i for a in answers for i in a.choices)
            r.options = [(label, counts.get(i, 0)) for i, label in enumerate(q.options)]
        elif q.kind == "rating":
            counts = Counter(a.rating for a in answers if a.rating)
            r.distribution = [(v, counts.get(v, 0)) for v in range(1, q.scale + 1)]
            r.rating_sum, r.rating_count = sum(v * n for v, n in counts.items()), sum(counts.values())
        else:
            r.texts = answers[:text_limit]
        out.append(r)
    return out


def results_export(consultation: Consultation):
    """Headers and one row per answer sheet, one column per question (for Excel)."""
    questions = list(consultation.questions.all())
    headers = ["答卷编号", "提交日期", "渠道"] + [f"{q.position}. {q.text}" for q in questions]
    channel_names = dict(Response._meta.get_field("channel").choices)

    def rows():
        sheets = Response.objects.filter(consultation=consultation, voided_at__isnull=True).order_by("id") \
            .prefetch_related("answers")
        for r in sheets.iterator(chunk_size=500):
            got = {a.question_id: a for a in r.answers.all()}
            yield [r.pk, r.day, channel_names.get(r.channel, r.channel)] + [_cell(q, got.get(q.pk)) for q in questions]

    return headers, rows()


def _cell(q: Question, a: Answer | None) -> str | int:
    if a is None:
        return ""
    if q.kind in ("single", "multiple"):
        return "；".join(q.options[i] for i in a.choices if i < len(q.options))
    if q.kind == "rating":
        return a.rating or ""
    return a.text


def text_answers(consultation: Consultation, question_id: int | None = None):
    qs = Answer.objects.filter(response__consultation=consultation, question__kind=Question.Kind.TEXT,
                               response__voided_at__isnull=True).exclude(text="").select_related("question", "response")
    return qs.filter(question_id=question_id) if question_id else qs


def paper_sheets(consultation: Consultation):
    """The consultation's paper sheets, newest first, with who typed them and who voided them."""
    return Response.objects.filter(consultation=consultation, channel="paper").select_related("entered_by", "voided_by")


def sheets_of(consultation: Consultation, *, channel: str = "", voided: bool | None = None):
    """The consultation's answer sheets (optionally one channel, voided or standing ones), each with
    its answers fetched once for the whole page (see `sheet_values`)."""
    qs = consultation.responses.select_related("entered_by").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("question"), to_attr="sheet_answers"))
    if channel:
        qs = qs.filter(channel=channel)
    if voided is not None:
        qs = qs.filter(voided_at__isnull=not voided)
    return qs


def get_response_for(user, pk, *, write: bool = False) -> Response:
    return get_for(Response.objects.select_related("consultation", "consultation__unit"), user, pk,
                   perm="participation.manage" if write else "participation.view")


def sheet_values(response: Response) -> dict[int, object]:
    """A sheet's answers as the form takes them back ({question id: value})."""
    out: dict[int, object] = {}
    answers = getattr(response, "sheet_answers", None)  # prefetched by sheets_of
    for a in response.answers.select_related("question") if answers is None else answers:
        kind = a.question.kind
        out[a.question_id] = a.choices if kind in ("single", "multiple") else a.rating if kind == "rating" else a.text
    return out


# ---------------------------------------------------------------- suggestions


def suggestions_for(user, *, unit=None, status: str = "", channel: str = "", q: str = "", public: str = ""):
    qs = in_subtree(scoped(Suggestion.objects.select_related("unit", "replied_by"), user), unit)
    if status in Suggestion.Status.values:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(tracking_code=q.upper()))
    if public == "1":
        qs = qs.filter(is_public=True)
    return qs


def get_suggestion_for(user, pk, *, write: bool = False) -> Suggestion:
    return get_for(Suggestion.objects.select_related("unit", "replied_by"), user, pk,
                   perm="participation.manage" if write else "participation.view")


def public_exchanges(unit, limit: int = 20):
    """The replied letters a federation chose to show (text and reply only)."""
    return Suggestion.objects.filter(unit=unit, is_public=True, status=Suggestion.Status.REPLIED) \
        .only("id", "day", "text", "reply", "replied_at").order_by("-replied_at", "-id")[:limit]


# ---------------------------------------------------------------- activities


def activities_for(user, *, unit=None, status: str = "", q: str = ""):
    qs = in_subtree(scoped(Activity.objects.select_related("unit", "consultation"), user), unit)
    if status in Activity.Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def get_activity_for(user, pk, *, write: bool = False) -> Activity:
    return get_for(Activity.objects.select_related("unit", "consultation"), user, pk,
                   perm="participation.manage" if write else "participation.view")


IDEA_SOURCES = [("answer", "来自意见征集"), ("typed", "直接录入"), ("unplaced", "尚未用于活动"), ("placed", "已用于活动")]


def ideas_for(user, *, unit=None, q: str = "", source: str = "", activity_id: int | None = None):
    """Ideas for activities in the user's reach; `source` narrows to those taken from a consultation,
    typed in, not yet used for an activity, or used."""
    qs = in_subtree(scoped(Idea.objects.select_related("unit", "activity", "consultation", "created_by"), user),
                    unit)
    if q:
        qs = qs.filter(text__icontains=q)
    if source == "answer":
        qs = qs.filter(consultation__isnull=False)
    elif source == "typed":
        qs = qs.filter(consultation__isnull=True)
    elif source == "unplaced":
        qs = qs.filter(activity__isnull=True)
    elif source == "placed":
        qs = qs.filter(activity__isnull=False)
    if activity_id:
        qs = qs.filter(activity_id=activity_id)
    return qs


def get_registration_for(user, pk, *, write: bool = False) -> Registration:
    return get_for(Registration.objects.select_related("activity", "activity__unit"), user, pk,
                   perm="participation.manage" if write else "participation.view")


@dataclass
class ActivityFigures:
    confirmed: int
    waiting: int
    cancelled: int
    attended: int
    absent: int
    rating_sum: int
    rating_count: int

    @property
    def registered(self) -> int:
        return self.confirmed + self.attended + self.absent

    @property
    def mean(self):
        return rules.mean(self.rating_sum, self.rating_count)


def activity_figures(activity: Activity) -> ActivityFigures:
    counts = dict(activity.registrations.values_list("status").annotate(n=Count("id")))
    agg = Rating.objects.filter(activity=activity).aggregate(s=Sum("score"), n=Count("id"))
    return ActivityFigures(*(counts.get(s, 0) for s in ("confirmed", "waiting", "cancelled", "attended", "absent")),
                           rating_sum=agg["s"] or 0, rating_count=agg["n"] or 0)


def public_activity(pk) -> Activity:
    a = Activity.objects.select_related("unit").filter(pk=pk).exclude(status=Activity.Status.PLANNED).first() \
        if str(pk).isdigit() else None
    if a is None:
        raise NotFound("该活动不存在或尚未开放")
    return a


def registrations_of(activity: Activity, status: str = ""):
    qs = activity.registrations.all().order_by("id")
    return qs.filter(status=status) if status else qs


# ---------------------------------------------------------------- home panel


def home_summary(user) -> dict:
    t = today()
    cons = consultations_visible(user)
    return {
        "open_consultations": cons.filter(published=True, opens_on__lte=t, closes_on__gte=t).count(),
        "new_letters": scoped(Suggestion.objects.filter(status=Suggestion.Status.NEW), user).count(),
        "upcoming": scoped(Activity.objects.filter(day__gte=t).exclude(status=Activity.Status.CANCELLED),
                           user).count(),
    }


def state_label(c: Consultation) -> str:
    return rules.WINDOW_LABELS[state_of(c)]
