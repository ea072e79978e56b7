"""Demo report forms: 湖州市's quarterly women's-home report filled by its villages, last quarter
mostly in and approved up to the townships, this quarter partly; 余村 has a draft to fill."""

from datetime import date

from niangjia.org.models import Federation

from . import rules, services
from .models import Submission

FIELDS = [{"key": "homes", "label": "妇女之家数", "kind": "int", "prefill": "womens_homes", "min_value": 0},
          {"key": "activities", "label": "开展活动次数", "kind": "int", "min_value": 0, "max_value": 500},
          {"key": "women", "label": "服务妇女人次", "kind": "int", "min_value": 0},
          {"key": "rural", "label": "其中农村留守妇女人次", "kind": "int", "min_value": 0},
          {"key": "hours", "label": "志愿服务小时", "kind": "decimal", "required": False, "min_value": 0},
          {"key": "state", "label": "阵地运行情况", "kind": "choice", "choices": ["正常", "待改进"]},
          {"key": "note", "label": "情况说明", "kind": "text", "required": False}]


def load(ctx) -> int:
    fake, admin = ctx.fake, ctx.admin
    city = ctx.by_name.get("湖州市")
    if city is None:
        return 0
    form = services.form_create(actor=admin, unit=city.fed, title="妇女之家季度统计表", fill_level=6,
                                period_kind="quarter", due_days=15, fields=FIELDS,
                                checks=[{"left": "rural", "op": "<=", "right": "women"}],
                                description="各村（社区）妇联每季度填报，乡镇、县区妇联逐级审核上报")
    today = fake.today
    this_q = rules.period_start(today, "quarter")
    last_q = rules.period_start(date.fromordinal(this_q.toordinal() - 1), "quarter")
    villages = list(Federation.objects.filter(l3=city.fed.pk, level=6).order_by("code"))
    made = 1
    for q, share in ((last_q, 0.95), (this_q, 0.4)):
        done = {}
        for v in villages:
            if v.name.startswith("余村") or not fake.chance(share):
                continue
            sub, _ = services.submission_open(actor=admin, form=form, unit=v, day=q)
            women = fake.between(20, 400)
            values = {**sub.values, "activities": fake.between(1, 30), "women": women, "rural": fake.between(0, women),
                      "hours": f"{fake.between(0, 300)}.5", "state": fake.pick(["正常", "正常", "待改进"])}
            sub = services.submission_save(actor=admin, submission=sub, version=None, values=values)
            sub = services.submission_submit(actor=admin, submission=sub, version=None)
            if q == last_q and fake.chance(0.9):
                services.submission_approve(actor=admin, submission=sub, version=None)
                done.setdefault(v.parent_id, 0)
                done[v.parent_id] += 1
            made += 1
        if q == last_q:  # townships whose villages are all approved send their report up
            for town in Federation.objects.filter(l3=city.fed.pk, level=5):
                if done.get(town.pk, 0) == Federation.objects.filter(parent=town, level=6, is_active=True).count() > 0:
                    sub, _ = services.submission_open(actor=admin, form=form, unit=town, day=q)
                    services.submission_submit(actor=admin, submission=sub, version=None)
                    made += 1
    yucun = ctx.by_name.get("余村")
    if yucun is not None and not Submission.objects.filter(form=form, unit=yucun.fed, period=this_q).exists():
        services.submission_open(actor=admin, form=form, unit=yucun.fed, day=this_q)
    ctx.counts["report_submissions"] = Submission.objects.filter(form=form).count()
    return made
