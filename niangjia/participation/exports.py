"""Lists `niangjia export <name>` can write (registered in apps.py): each `fn(user, unit)` returns
(headers, rows) scoped as the user sees it, `unit` narrowing to one subtree. Phones are masked."""

from django.utils.translation import gettext_lazy as _

from . import queries
from .models import Answer, Channel, Question, Registration

CONSULTATION_HEADERS = [_("编号"), _("标题"), _("发起组织"), _("面向范围"), _("开始日期"), _("截止日期"), _("状态"), _("防重复方式"), _("公开链接"), _("微信"),
                        _("网站公告"), _("纸质问卷"), _("答卷数")]
ANSWER_HEADERS = [_("意见征集编号"), _("意见征集"), _("答卷编号"), _("答卷日期"), _("渠道"), _("题号"), _("题目"), _("题型"), _("回答")]
SUGGESTION_HEADERS = [_("编号"), _("提交日期"), _("组织"), _("意见内容"), _("渠道"), _("匿名"), _("联系人"), _("联系电话"), _("状态"), _("答复"), _("答复时间"),
                      _("公开展示"), _("查询码")]
ACTIVITY_HEADERS = [_("编号"), _("活动"), _("主办组织"), _("日期"), _("开始时间"), _("地点"), _("名额"), _("状态"), _("依据的意见征集"), _("共同设计者")]
REGISTRATION_HEADERS = [_("编号"), _("活动编号"), _("活动"), _("活动日期"), _("组织"), _("姓名"), _("电话"), _("状态"), _("渠道"), _("报名日期"), _("评分")]


def consultations(user, unit):
    qs = queries.consultations_for(user, unit=unit).order_by("id")
    return CONSULTATION_HEADERS, (
        [c.pk, c.title, c.unit.name, c.audience.name, c.opens_on, c.closes_on, queries.state_label(c),
         c.get_identity_display(), c.via_link, c.via_wechat, c.via_website, c.via_paper, c.response_count]
        for c in qs.iterator(chunk_size=2000))


def consultation_answers(user, unit):
    """One row per answer (any consultation in reach), so questionnaires of different shapes fit one sheet."""
    ids = queries.consultations_for(user, unit=unit).values("pk")
    qs = Answer.objects.filter(response__consultation__in=ids, response__voided_at__isnull=True).select_related(
        "question", "response", "response__consultation").order_by("response__consultation_id", "response_id",
                                                                   "question__position", "id")
    kinds, channels = dict(Question.Kind.choices), dict(Channel.choices)
    return ANSWER_HEADERS, (
        [a.response.consultation_id, a.response.consultation.title, a.response_id, a.response.day,
         channels.get(a.response.channel, a.response.channel), a.question.position, a.question.text,
         kinds.get(a.question.kind, a.question.kind), _value(a)] for a in qs.iterator(chunk_size=2000))


def _value(a: Answer):
    q = a.question
    if q.kind in ("single", "multiple"):
        return "；".join(q.options[i] for i in a.choices if i < len(q.options))
    return a.rating if q.kind == "rating" else a.text


def suggestions(user, unit):
    qs = queries.suggestions_for(user, unit=unit).order_by("id")
    return SUGGESTION_HEADERS, (
        [s.pk, s.day, s.unit.name, s.text, s.get_channel_display(), s.anonymous, s.contact_name, s.contact_phone_mask,
         s.get_status_display(), s.reply, s.replied_at, s.is_public, s.tracking_code]
        for s in qs.iterator(chunk_size=2000))


def activities(user, unit):
    qs = queries.activities_for(user, unit=unit).prefetch_related("co_designers").order_by("id")
    return ACTIVITY_HEADERS, (
        [a.pk, a.title, a.unit.name, a.day, a.start_time, a.place, a.capacity, a.get_status_display(),
         a.consultation.title if a.consultation else "", "、".join(d.name for d in a.co_designers.all())]
        for a in qs.iterator(chunk_size=500))


def registrations(user, unit):
    ids = queries.activities_for(user, unit=unit).values("pk")
    qs = Registration.objects.filter(activity__in=ids).select_related("activity", "activity__unit", "rating") \
        .order_by("activity_id", "id")
    return REGISTRATION_HEADERS, (
        [r.pk, r.activity_id, r.activity.title, r.activity.day, r.activity.unit.name, r.name, r.phone_mask,
         r.get_status_display(), r.get_channel_display(), r.day, _score(r)] for r in qs.iterator(chunk_size=2000))


def _score(r: Registration):
    try:
        return r.rating.score
    except Registration.rating.RelatedObjectDoesNotExist:
        return ""


LISTS = [
    ("consultations", _("意见征集"), consultations),
    ("consultation_answers", _("意见征集答卷（每个回答一行）"), consultation_answers),
    ("suggestions", _("意见箱来信"), suggestions),
    ("participation_activities", _("共创活动"), activities),
    ("activity_registrations", _("活动报名"), registrations),
]
