"""Demo: an open consultation for 安吉县 with answers (one turned into a need and one into an
idea; three paper sheets, one corrected), a suggestion box with replied and public letters, an
upcoming activity built on the consultation with co-designers and a full registration list with a
waiting list, and a held activity with attendance and ratings. Written through the services;
deterministic (ctx.fake)."""

from datetime import time, timedelta

from niangjia.core import periods
from niangjia.people.models import Person

from . import services
from .models import Activity, Channel

QUESTIONS = [
    ("single", "孩子暑假白天主要由谁照看？", ["父母自己", "爷爷奶奶/外公外婆", "托管班", "没人照看"], True, None, 5),
    ("multiple", "您希望妇联组织哪些活动？（最多选3项）",
     ["暑期儿童托管", "电商直播培训", "家庭教育讲座", "茶艺/竹编技能培训", "妇女健康义诊"], True, 3, 5),
    ("single", "什么时间参加活动最方便？", ["工作日白天", "工作日晚上", "周末上午", "周末下午"], True, None, 5),
    ("rating", "您对村里妇女之家现有活动的满意度", [], True, None, 5),
    ("text", "您还有什么想法或建议？", [], False, None, 5),
]
IDEAS = ["希望托管班能提供午饭，家长中午不用来回跑", "可以请村里的大学生志愿者辅导作业",
         "直播培训最好放在晚上，白天要采茶", "希望有针对留守妈妈的心理讲座", "", "", ""]
LETTERS = [
    ("村里路灯坏了好几盏，晚上带孩子出门不安全，希望帮忙反映。", True, "已转告天荒坪镇村建办，本周内修复。", True),
    ("希望妇女之家周末也能开门，平时上班没时间去。", True, "从下月起每周六上午开放，欢迎姐妹们来。", True),
    ("能不能多办几期电商培训？上次报名没报上。", False, "下一期安排在暑期，名额增加到40人。", False),
    ("家里老人生病，照顾不过来，有没有什么帮扶政策？", False, "", False),
    ("建议组织一次妇女健康体检。", True, "", False),
]


def _phone(fake) -> str:
    return f"139{fake.between(10_000_000, 99_999_999)}"


def load(ctx) -> int:
    place = ctx.by_name.get("安吉县")
    if place is None:
        return 0
    anji, admin, fake = place.fed, ctx.admin, ctx.fake
    today = min(fake.today, periods.today())
    c = _consultation(anji, admin, today)
    answers = _answers(c, fake)
    _paper(c, admin, fake)
    suggestions = _letters(anji, admin, fake)
    upcoming = _upcoming(anji, admin, c, fake, today)
    held = _held(anji, admin, fake, today)
    text_answer = next((a for r in answers for a in r.answers.all() if a.text), None)
    if text_answer is not None:
        services.answer_to_idea(actor=admin, answer=text_answer, activity=upcoming)
    return len(answers) + suggestions + upcoming.capacity + held.capacity


def _consultation(anji, admin, today):
    c = services.consultation_create(
        actor=admin, unit=anji, title="暑期儿童托管与妇女技能培训意见征集", opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=14), via_website=True, via_paper=True,
        intro="县妇联准备在暑期开展儿童托管和妇女技能培训，想先听听姐妹们的想法。填写约需2分钟。")
    for kind, text, options, required, max_choices, scale in QUESTIONS:
        services.question_add(actor=admin, consultation=c, kind=kind, text=text, options=options, required=required,
                              max_choices=max_choices, scale=scale)
    services.consultation_publish(actor=admin, consultation=c, version=c.version)
    return c


def _answers(c, fake) -> list:
    qs = list(c.questions.all())
    out = []
    for n in range(24):
        values = {qs[0].pk: [fake.between(0, 3)], qs[1].pk: sorted({fake.between(0, 4) for _ in range(3)}),
                  qs[2].pk: [fake.pick([1, 2, 2, 3, 3])], qs[3].pk: fake.pick([3, 4, 4, 5, 5, 2]),
                  qs[4].pk: fake.pick(IDEAS)}
        channel = Channel.WECHAT if n % 3 == 0 else Channel.WEBSITE
        r, _ = services.submit_response(consultation=c, values=values, channel=channel, key=f"demo-answer-{n}")
        out.append(r)
    return out


def _paper(c, admin, fake) -> None:
    """Three paper questionnaires typed in by a cadre; one was mistyped and corrected (the old sheet
    voided, the new one pointing at it)."""
    qs = list(c.questions.all())
    sheets = []
    for n in range(3):
        values = {qs[0].pk: [fake.between(0, 3)], qs[1].pk: [0, 2], qs[2].pk: [2], qs[3].pk: fake.pick([3, 4, 5])}
        r, _ = services.submit_response(consultation=c, values=values, channel=Channel.PAPER, actor=admin,
                                        key=f"demo-paper-{n}")
        sheets.append((r, values))
    wrong, values = sheets[1]
    services.response_correct(actor=admin, response=wrong, values=values | {qs[2].pk: [3]}, key="demo-paper-fix",
                              reason="第3题录错：纸质卷勾的是“周末下午”")


def _letters(anji, admin, fake) -> int:
    for n, (text, anonymous, reply, public) in enumerate(LETTERS):
        s, _ = services.submit_suggestion(federation=anji, text=text, channel=Channel.WEBSITE if n % 2 else
                                          Channel.WECHAT, key=f"demo-letter-{n}", anonymous=anonymous,
                                          contact_name="" if anonymous else fake.name(), contact_phone=
                                          "" if anonymous else _phone(fake))
        if reply:
            services.suggestion_reply(actor=admin, pk=s.pk, reply=reply, is_public=public)
    return len(LETTERS)


def _upcoming(anji, admin, c, fake, today):
    a = services.activity_create(
        actor=admin, unit=anji, title="暑期“妈妈课堂”与儿童托管", day=today + timedelta(days=20), capacity=10,
        start_time=time(9, 0), place="安吉县妇女儿童活动中心", status=Activity.Status.OPEN, consultation=c,
        description="上午孩子托管、妈妈们学电商直播；中午提供午饭。",
        design_notes="征集中多数妈妈希望周末上午参加、需要午饭，活动据此安排在周六上午并提供午餐。")
    person = Person.visible.filter(l4=anji.pk).order_by("id").first()
    if person is not None:
        services.codesigner_add(actor=admin, activity=a, person=person, contribution="提出托管与培训同时进行")
    services.codesigner_add(actor=admin, activity=a, name="余村 王秀英", contribution="设计亲子手工环节")
    services.codesigner_add(actor=admin, activity=a, name="天荒坪镇 李春燕", contribution="联系午饭与场地")
    for n in range(a.capacity + 3):  # a full list and three on the waiting list
        services.register(activity=a, name=fake.name(), phone=_phone(fake), key=f"demo-reg-up-{n}",
                          channel=Channel.WECHAT if n % 2 else Channel.WEBSITE)
    return a


def _held(anji, admin, fake, today):
    a = services.activity_create(
        actor=admin, unit=anji, title="茶园直播带货技能培训", day=today - timedelta(days=12), capacity=8,
        start_time=time(19, 0), place="天荒坪镇文化礼堂", status=Activity.Status.OPEN,
        description="请本地主播讲解白茶直播带货，晚上开课不耽误采茶。")
    # the activity has been held: its sign-in sheet is entered by a cadre after the fact (补录)
    regs = [services.register(activity=a, name=fake.name(), phone=_phone(fake), key=f"demo-reg-held-{n}",
                              channel=Channel.PAPER, actor=admin, after_the_fact=True)[0]
            for n in range(a.capacity)]
    for n, reg in enumerate(regs):
        services.attendance_mark(actor=admin, registration=reg, attended=n != 3)
    comments = ["讲得很实用，回去就试了", "时间安排在晚上很好", "希望再办一期进阶课", "", "场地有点挤", ""]
    for reg, comment in zip([r for n, r in enumerate(regs) if n != 3][:6], comments, strict=True):
        services.rating_submit(registration=reg, score=fake.pick([4, 5, 5, 3, 5]), comment=comment)
    a.refresh_from_db()
    services.activity_update(actor=admin, activity=a, version=a.version, changes={"status": Activity.Status.DONE})
    return a
