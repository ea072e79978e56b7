"""Demo reform tracking: the national federation's 27 documents and 36 measures (all started, those
due in 2016 all done, a few of 2017–2018 late), a reform plan for every province and the Corps whose
stages give "20 issued, 11 and the Corps in signing" on 2017-03-02, Zhejiang's own measures under its
plan, and pilots (Shanghai and Chongqing; 安吉 and 德清). The other provinces are added to the demo
tree as bare province federations so each plan has its owner.
"""

from datetime import date, timedelta

from niangjia.org import services as org
from niangjia.org.models import Federation

from . import services
from .models import Measure

PROVINCES = [("北京市", "110000"), ("天津市", "120000"), ("河北省", "130000"), ("山西省", "140000"),
             ("内蒙古自治区", "150000"), ("辽宁省", "210000"), ("吉林省", "220000"), ("黑龙江省", "230000"),
             ("上海市", "310000"), ("江苏省", "320000"), ("浙江省", "330000"), ("安徽省", "340000"),
             ("福建省", "350000"), ("江西省", "360000"), ("山东省", "370000"), ("河南省", "410000"),
             ("湖北省", "420000"), ("湖南省", "430000"), ("广东省", "440000"), ("广西壮族自治区", "450000"),
             ("海南省", "460000"), ("重庆市", "500000"), ("四川省", "510000"), ("贵州省", "520000"),
             ("云南省", "530000"), ("西藏自治区", "540000"), ("陕西省", "610000"), ("甘肃省", "620000"),
             ("青海省", "630000"), ("宁夏回族自治区", "640000"), ("新疆维吾尔自治区", "650000")]
CORPS = ("新疆生产建设兵团", "660000")
AS_OF = date(2017, 3, 2)

THEMES = ["健全妇联组织体系", "推进村妇代会改建妇联", "乡镇妇联区域化建设", "扩大执委队伍", "建立执委履职清单",
          "选配兼职副主席", "机关干部下基层蹲点", "建立直接联系妇女群众制度", "建设网上妇联", "妇女之家提档升级",
          "建立妇女需求台账", "推行订单式服务", "培育妇女社会组织", "团结引领新领域妇女", "完善12338热线",
          "健全维权工作机制", "妇女群众全程参与", "改进评选表彰", "精简机关内设机构", "优化人员编制结构",
          "建立改革督查机制", "加强妇联干部培训", "推进妇联工作信息化", "规范团体会员管理", "加强基层阵地建设",
          "完善联系代表委员制度", "健全意见征集机制", "推进家庭家教家风建设", "深化巾帼建功活动", "加强宣传舆论阵地",
          "完善财务与资产管理", "推进基层妇联经费保障", "建立改革试点制度", "完善考核评价体系", "加强作风建设",
          "总结推广改革经验"]
DOC_KINDS = ["实施意见", "工作规则", "管理办法", "指导意见", "工作方案", "实施细则"]


def _provinces(admin, nation: Federation) -> dict[str, Federation]:
    """Every province federation (Zhejiang is already in the demo tree) and the Corps'."""
    have = {f.code: f for f in Federation.objects.filter(level=2)}
    out = {}
    for name, code in [*PROVINCES, CORPS]:
        full = code + "000000"
        if full not in have:  # a bare province with its 12338 hotline, as every province federation has
            have[full] = org.federation_create(actor=admin, parent=nation, name=f"{name}妇联", code=full,
                                               has_hotline=True)
            org.site_create(actor=admin, unit=have[full], kind="hotline", name=f"{name}妇联12338热线")
        out[name] = have[full]
    return out


def _plan_dates(i: int, corps: bool) -> list[tuple[str, date]]:
    """Stages so that on 2017-03-02 twenty are issued and eleven and the Corps in signing; later all issued."""
    start = date(2016, 3, 1) + timedelta(days=7 * i)
    if corps or i >= 20:
        return [("to_signing", date(2016, 12, 1) + timedelta(days=i)), ("approve", date(2017, 4, 10) + timedelta(days=i)),
                ("issue", date(2017, 6, 1) + timedelta(days=i))]
    return [("to_signing", start + timedelta(days=60)), ("approve", start + timedelta(days=120)),
            ("issue", min(start + timedelta(days=150), AS_OF - timedelta(days=1)))]


def load(ctx) -> int:
    admin = ctx.admin
    nation = Federation.objects.filter(level=1).order_by("id").first()
    if nation is None:
        return 0
    provinces = _provinces(admin, nation)
    made = len(provinces)
    docs = [services.document_create(actor=admin, unit=nation, title=f"关于{THEMES[n % len(THEMES)]}的"
                                     f"{DOC_KINDS[n % len(DOC_KINDS)]}", number=f"妇字〔{2016 + n // 14}〕{n + 1}号",
                                     issued_on=date(2016, 1, 20) + timedelta(days=26 * n)) for n in range(27)]
    made += len(docs)
    made += _national_measures(admin, nation, docs, provinces)
    plans = {}
    for i, (name, fed) in enumerate(provinces.items()):
        corps = name == CORPS[0]
        plan = services.plan_create(actor=admin, unit=fed, title=f"{name}妇联改革方案", is_corps=corps,
                                    drafting_on=date(2016, 2, 1) + timedelta(days=7 * i))
        for step, day in _plan_dates(i if name != "浙江省" else 0, corps):
            plan = services.plan_move(actor=admin, plan=plan, step=step, day=day, version=None)
        plans[name] = plan
    made += len(plans)
    made += _zhejiang_measures(admin, provinces["浙江省"], plans["浙江省"], ctx)
    services.pilot_create(actor=admin, unit=nation, name="上海、重庆妇联改革试点", members=[provinces["上海市"],
                                                                                        provinces["重庆市"]])
    counties = [p.fed for p in ctx.places if p.level == 4][:2]
    if counties:
        services.pilot_create(actor=admin, unit=provinces["浙江省"], name="县级妇联改革试点", members=counties,
                              note="先行先试，总结经验后全省推开")
    ctx.counts["reform_measures"] = Measure.objects.count()
    return made + 2


def _national_measures(admin, nation, docs, provinces) -> int:
    """36 measures: 12 due in 2016 (all done), 14 in 2017 (12 done, 2 late), 10 in 2018 (8 done, 2 under way)."""
    responsible = list(provinces.values())
    for n, theme in enumerate(THEMES):
        year = 2016 if n < 12 else 2017 if n < 26 else 2018
        deadline = date(year, 6 + (n % 7), 28)
        m = services.measure_create(actor=admin, unit=nation, code=f"{n + 1}", title=theme, deadline=deadline,
                                    due_year=year, document=docs[n % len(docs)],
                                    lead_department=["组织部", "宣传部", "权益部", "发展部", "办公厅"][n % 5],
                                    responsible=[responsible[n % len(responsible)]])
        started = date(2016, 3, 1) + timedelta(days=n * 3)
        services.measure_move(actor=admin, measure=m, step="start", version=None, day=started)
        services.entry_add(actor=admin, measure=m, kind="milestone", text="制定工作方案", day=started + timedelta(days=30),
                           due_on=started + timedelta(days=30))
        late = n in (24, 25, 34, 35)
        if not late:
            services.entry_add(actor=admin, measure=m, kind="evidence", text=f"{theme}落实情况报告",
                               link="/stats/figures/", day=deadline - timedelta(days=20))
            services.measure_move(actor=admin, measure=m, step="finish", version=None, day=deadline - timedelta(days=10))
        else:
            services.entry_add(actor=admin, measure=m, kind="note", text="已完成调研，正在征求意见",
                               day=deadline - timedelta(days=40))
    return len(THEMES)


def _zhejiang_measures(admin, province, plan, ctx) -> int:
    """Zhejiang's measures under its plan, its cities responsible; two this year are late."""
    cities = [p.fed for p in ctx.places if p.level == 3] or [province]
    today = ctx.fake.today
    made = 0
    for n, theme in enumerate(THEMES[:8]):
        deadline = today + timedelta(days=(n - 3) * 45)
        m = services.measure_create(actor=admin, unit=province, code=f"浙{n + 1}", title=f"全省{theme}", plan=plan,
                                    deadline=deadline, responsible=[cities[n % len(cities)]], lead_department="组织部")
        if n != 7:
            services.measure_move(actor=admin, measure=m, step="start", version=None,
                                  day=min(today, deadline - timedelta(days=90)))
        if n < 2:
            services.measure_move(actor=admin, measure=m, step="finish", version=None, day=deadline - timedelta(days=5))
        made += 1
    services.overdue_run(today=today)
    return made
