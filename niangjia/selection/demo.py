"""Demo selections, written through the real services so every figure is reproducible:

- 安吉县妇联, finished: 3 兼职副主席 + 2 兼职常委, 8 candidates, 3 project reviewers, 5 experts and a
  jury of 9 village women; one expert score corrected; two candidates tied on the total (the jury
  step decides); seven vetted (one fails); five elected, whose part-time posts are in the people register.
- 德清县妇联, in its call period: two applications from the public page, one entered by staff.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from niangjia.accounts.models import User
from niangjia.core import periods

from . import queries, services
from .models import Candidate, Part, Score

PROJECTS = [
    ("“巧手姐妹”来料加工点", "山区留守妇女想在家门口挣钱、照顾老人孩子", "在 3 个村设来料加工点，对接 2 家竹制品企业，年培训 120 人次"),
    ("白茶采摘季“妈妈托管班”", "采茶季妇女整天上山，孩子放学无人照看", "茶季借用村文化礼堂开托管班，招募 20 名志愿者，服务 60 名儿童"),
    ("乡村民宿女主人培训营", "民宿经营妇女缺少运营、服务和线上营销技能", "每季一期，每期 30 人，请民宿协会和电商平台授课，结对帮带"),
    ("“两癌”筛查随访互助队", "筛查后异常妇女不懂复查流程、心理压力大", "组建 15 人互助队，逐户随访、陪同复查，联系医院开设绿色通道"),
    ("反家暴“娘家人”调解室", "遭受家暴的妇女不敢说、不会求助", "在镇综治中心设调解室，联合派出所、司法所，每周两次接待"),
    ("银龄姐妹数字课堂", "老年妇女不会用手机挂号、缴费、视频通话", "每月两次课，编写图文手册，培养 20 名“数字小老师”"),
    ("竹林生态研学女导师", "村里年轻妇女想返乡就业但缺少岗位", "培训 25 名研学导师，与研学机构签约，设计 6 条线路"),
    ("单亲妈妈就业加油站", "单亲母亲兼顾育儿和工作困难", "对接灵活就业岗位，开设夜间技能班，提供临时托育券"),
]
WORKPLACES = ["竹制品合作社理事长", "茶叶专业合作社社长", "民宿经营者", "乡镇卫生院护士长", "律师事务所律师",
              "退休教师", "研学机构负责人", "社区社会组织负责人"]
NOTES = {"project": "项目评审组", "expert": "专家", "jury": "群众评审团成员"}
SIZES = {"project": 3, "expert": 5, "jury": 9}


def _actor(username: str, fallback):
    return User.objects.filter(username=username).first() or fallback


def _scores(fake, quality: list[int], n_scorers: int) -> list[list[int]]:
    """One row per scorer: each candidate's quality plus the scorer's own leniency and some noise."""
    rows = []
    for _ in range(n_scorers):
        lenient = fake.between(-4, 4)
        rows.append([max(50, min(99, q + lenient + fake.between(-5, 5))) for q in quality])
    return rows


def _score_part(fake, actor, part: Part, candidates: list[Candidate], rows: list[list[int]]) -> None:
    for values in rows:
        _, token = services.scorer_add(actor=actor, part=part, name=fake.name(), note=NOTES[part.kind])
        services.scores_submit(token=token, values={c.pk: Decimal(v) for c, v in zip(candidates, values, strict=True)})


def _finished(ctx) -> int:
    fake, unit = ctx.fake, ctx.by_name["安吉县"].fed
    actor = _actor("anji_leader", ctx.admin)
    today = periods.today()
    sel = services.selection_create(
        actor=actor, unit=unit, title=f"{today.year}年公开选配兼职副主席、兼职常委", call_opens=today - timedelta(days=120),
        call_closes=today - timedelta(days=90), conditions="热爱妇女儿童工作，有一定群众基础；项目须在本县实施。",
        posts=[{"body": "leadership", "title": "兼职副主席", "seats": 3},
               {"body": "standing", "title": "兼职常委", "seats": 2}])
    candidates = []
    for i, (title, need, plan) in enumerate(PROJECTS):
        candidates.append(services.candidate_create(
            actor=actor, selection=sel, name=fake.name(), phone=fake.mobile(), workplace=WORKPLACES[i],
            project_title=title, project_need=need, project_plan=plan))
    _backdate(candidates, sel.call_opens)
    sel.refresh_from_db()
    services.selection_close_call(actor=actor, selection=sel, version=sel.version)
    quality = [fake.between(72, 92) for _ in candidates]
    parts = {p.kind: p for p in sel.parts.all()}
    tables = {kind: _scores(fake, quality, n) for kind, n in SIZES.items()}
    _make_tie(tables)
    for kind, rows in tables.items():
        _score_part(fake, actor, parts[kind], candidates, rows)
    first = Score.objects.filter(part=parts["expert"]).order_by("id").first()
    services.score_correct(actor=actor, score=first, value=first.value - 2,
                           reason="评分人当场书面说明笔误，经监督员确认更正")
    for kind in ("project", "expert", "jury"):
        part = Part.objects.get(pk=parts[kind].pk)
        services.part_close(actor=actor, part=part, version=part.version)
    sel.refresh_from_db()
    _vet_and_elect(actor, sel, today)
    return len(candidates)


def _make_tie(tables) -> None:
    """The last candidate copies the one before, +2 with every expert and −2 with every juror: with equal
    expert and jury weights the totals tie and the jury step ranks her behind."""
    for kind, shift in (("project", 0), ("expert", 2), ("jury", -2)):
        for row in tables[kind]:
            row[-1] = row[-2] + shift


def _backdate(candidates: list[Candidate], opens) -> None:
    """Applications arrived during the call, not today (demo only; the rollup is rebuilt after loading)."""
    for i, c in enumerate(candidates):
        day = opens + timedelta(days=2 + 3 * i)
        at = timezone.make_aware(datetime.combine(day, time(9 + i % 8, 10 * (i % 6))))
        Candidate.objects.filter(pk=c.pk).update(applied_at=at, applied_on=day)


def _vet_and_elect(actor, sel, today) -> None:
    rows = queries.result_sheet(sel)
    posts = list(sel.posts.order_by("order"))
    seats = [p for p in posts for _ in range(p.seats)]
    for i, row in enumerate(rows[:7]):
        c = Candidate.objects.get(pk=row.candidate.pk)
        failed = i == 2
        services.candidate_vet(actor=actor, candidate=c, result="failed" if failed else "passed",
                               note="近三年有一次违反项目资金管理规定的记录，暂不宜担任" if failed else
                               "政治素质好，热心妇女工作，群众口碑好，项目扎实可行", version=c.version,
                               day=today - timedelta(days=45))
    sel.refresh_from_db()
    services.selection_start_election(actor=actor, selection=sel, version=sel.version)
    passed = sorted(Candidate.objects.filter(selection=sel, vetting="passed"),
                    key=lambda c: next(r.rank for r in rows if r.candidate.pk == c.pk))
    for c, post in zip(passed, seats + [None] * len(passed), strict=False):
        services.candidate_elect(actor=actor, candidate=c, result="elected" if post else "not_elected", post=post,
                                 version=c.version, day=today - timedelta(days=20))
    sel.refresh_from_db()
    services.selection_finish(actor=actor, selection=sel, version=sel.version)


def _open(ctx) -> int:
    fake, unit = ctx.fake, ctx.by_name["德清县"].fed
    actor = _actor("deqing_cadre", ctx.admin)
    today = periods.today()
    sel = services.selection_create(
        actor=actor, unit=unit, title=f"{today.year}年公开选配兼职副主席", call_opens=today - timedelta(days=10),
        call_closes=today + timedelta(days=20), posts=[{"body": "leadership", "title": "兼职副主席", "seats": 2},
                                                        {"body": "standing", "title": "兼职常委", "seats": 1}])
    for i, (title, need, plan) in enumerate(PROJECTS[3:6]):
        data = {"name": fake.name(), "phone": fake.mobile(), "workplace": WORKPLACES[3 + i], "project_title": title,
                "project_need": need, "project_plan": plan}
        if i < 2:
            services.candidate_apply_public(selection=sel, key=f"demo-deqing-{i}", **data)
        else:
            services.candidate_create(actor=actor, selection=sel, **data)
    return 3


def load(ctx) -> int:
    """Both demo selections; returns the number of candidates written."""
    if "安吉县" not in ctx.by_name or "德清县" not in ctx.by_name:
        return 0
    return _finished(ctx) + _open(ctx)
