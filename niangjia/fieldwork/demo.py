"""Demo data for field work: rules adopted in 浙江省 and 湖州市, and stays, diaries, reports and
proposals for the demo leaders and cadres, so their standings show a mix (met, in progress,
broken last year). Everything goes through the services, as a real load would."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from niangjia.accounts.models import User
from niangjia.core import periods
from niangjia.core.access import reach_of
from niangjia.core.errors import ValidationFailed
from niangjia.core.roles import has_perm
from niangjia.people.models import Person

from . import services

DIARY_TEXTS = [
    ("{place}走访记", "今天在{place}走访了几户人家，和留守妇女拉家常。大家最关心孩子上学和家门口就业，"
                    "也有人提到婆媳矛盾无处倾诉。村妇联执委表示愿意每周组织一次姐妹议事。"),
    ("{place}妇女议事会", "在{place}妇女之家参加议事会，讨论民宿服务培训和巾帼志愿服务。"
                     "几位全职妈妈希望有灵活就业机会，一位困难妇女的医疗费用需要帮扶。"),
    ("{place}夜访", "晚上到{place}夜访，听取外出务工返乡妇女的意见，记录了创业贷款和技能培训的需求。"),
]
NEEDS = [
    ("employment", "normal", "希望在家门口参加民宿服务技能培训"),
    ("family_education", "normal", "留守儿童课后无人辅导，希望开设家庭教育讲座"),
    ("hardship", "urgent", "丈夫重病，家庭医疗费用负担重，需要困难帮扶"),
    ("mediation", "normal", "婆媳矛盾长期存在，希望调解"),
    ("legal", "normal", "土地承包权益有疑问，需要法律咨询"),
]


def load(ctx) -> int:
    """Adopt the presets and write evidence for the demo accounts; returns the rows made."""
    today = min(ctx.fake.today, periods.today())
    by_name, actor, f = ctx.by_name, ctx.admin, ctx.fake
    made = 0
    zj, hz = by_name["浙江省"].fed, by_name["湖州市"].fed
    for unit, preset, levels in ((zj, "fieldwork.provincial_leaders", None), (zj, "fieldwork.organ_cadres", None),
                                 (hz, "fieldwork.city_pairing", [3, 4])):
        services.rule_adopt(actor=actor, unit=unit, preset=preset, levels=levels)
        made += 2
    villages = [p for p in ctx.places if p.level == 6 and p.fed.l3 == hz.pk] or [p for p in ctx.places if p.level == 6]
    rural = [p for p in villages if not p.community] or villages
    urban = [p for p in villages if p.community] or villages
    year, last = today.year, today.year - 1
    demo = _Demo(actor, f, today)

    # 省妇联主席: 60 days a year — last year 45 days (broken), this year about two thirds of the way.
    zj_leader = _person(by_name, "浙江省", "leadership", 0)
    made += demo.days(zj_leader, rural + urban, date(last, 2, 1), total=45, chunk=5)
    made += demo.days(zj_leader, rural + urban, date(year, 1, 10), total=min(38, _room(today) // 3), chunk=4)
    # 市妇联主席: the city's six ones — all done this year; last year only the rural week (broken).
    hz_leader = _person(by_name, "湖州市", "leadership", 0)
    hz_cadre = _person(by_name, "湖州市", "staff", 0) or hz_leader  # the pairing rule binds organ cadres
    made += demo.pairing(hz_cadre, urban, rural, date(year, 3, 2), full=True)
    made += demo.pairing(hz_cadre, urban, rural, date(last, 4, 6), full=False)
    # 县妇联主席 (安吉): the rural week and a diary so far (in progress); last year nothing (broken).
    anji_leader = _person(by_name, "安吉县", "leadership", 0)
    anji_cadre = _person(by_name, "安吉县", "staff", 0) or anji_leader
    made += demo.pairing(anji_cadre, urban, rural, date(year, 5, 11), full=False)
    # 乡镇专职干部 (天荒坪镇): every closed window this year met; last year one window missed (broken).
    thp = by_name.get("天荒坪镇")
    thp_cadre = _person(by_name, "天荒坪镇", "staff", 0)
    home = [p for p in villages if p.parent is thp] or rural
    made += demo.windows(thp_cadre, home, year, skip=None)
    made += demo.windows(thp_cadre, home, last, skip=3)
    # 县机关干部 (德清): missed the first window this year.
    deqing_cadre = _person(by_name, "德清县", "staff", 0)
    if deqing_cadre:
        made += demo.windows(deqing_cadre, rural, year, skip=1)
    # Other leaders and cadres of 湖州市: a few stays each, for the subtree tables and the chart.
    for p in ctx.places:
        if p.fed.l3 != hz.pk or p.level > 5:
            continue
        for person in (p.roster.get("leadership") or [])[:1] + (p.roster.get("staff") or [])[1:3]:
            if person in (hz_leader, hz_cadre, anji_leader, anji_cadre, thp_cadre, deqing_cadre):
                continue
            made += demo.windows(person, rural + urban, year, skip=f.between(0, 6), days=f.between(2, 6))
    for person in filter(None, (zj_leader, hz_leader, hz_cadre, anji_leader, anji_cadre, thp_cadre)):
        made += demo.evidence(person, rural + urban, year)
    # planned stays ahead (计划), so the lists and cards show plans as well as done stays
    for n, person in enumerate(filter(None, (zj_leader, thp_cadre, anji_leader))):
        try:
            made += demo.stay(person, f.pick(rural), today + timedelta(days=9 + 14 * n), 4,
                              note="计划：到村里蹲点，参加妇女议事会")
        except ValidationFailed:  # a planned work week already holds those days
            continue
    # 村执委 (余村): no rule applies to executives, but she logs her visits and writes a diary.
    yucun = by_name.get("余村")
    yucun_exec = _person(by_name, "余村", "executive", 0)
    if yucun and yucun_exec:
        made += demo.stay(yucun_exec, yucun, today - timedelta(days=12), 1, kind="home_visit", note="入户走访困难家庭")
        made += demo.evidence(yucun_exec, [yucun], year, papers=False)
    return made


# A one-page PDF saying what the report is (the download view serves it inline).
REPORT_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
              b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 120]/Contents 4 0 R/Resources<<>>>>endobj\n"
              b"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 20 60 Td (Niangjia demo report) Tj ET\nendstream endobj\n"
              b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _person(by_name, place: str, key: str, i: int):
    p = by_name.get(place)
    people = p.roster.get(key) if p else None
    return people[i] if people and len(people) > i else None


def _room(today: date) -> int:
    return (today - date(today.year, 1, 1)).days


class _Demo:
    def __init__(self, actor, fake, today: date):
        self.actor, self.f, self.today = actor, fake, today
        self.accounts: dict[int, object] = {}

    def stay(self, person, place, start: date, days: int, kind: str = "stay", **kw) -> int:
        end = start + timedelta(days=days - 1)
        if person is None or start.year != end.year:
            return 0
        fn = services.stay_log if end < self.today else services.stay_plan
        if start <= self.today <= end:
            return 0
        fn(actor=self.entering(person, place.fed), person=person, place=place.fed, start=start, end=end, kind=kind,
           **kw)
        return 1

    def entering(self, person, place):
        """Who enters the stay: the person's own account when it reaches the place; else the admin, on
        her behalf (the lists then say 由…代为录入), as for cadres without an account."""
        if person.pk not in self.accounts:
            self.accounts[person.pk] = User.objects.filter(person=person, is_active=True).first()
        user = self.accounts[person.pk]
        if user is not None and has_perm(user, "fieldwork.record") and reach_of(user).covers_obj(place):
            return user
        return self.actor

    def days(self, person, places, start: date, *, total: int, chunk: int) -> int:
        made, day = 0, start
        while total > 0:
            n = min(chunk, total)
            made += self.stay(person, self.f.pick(places), day, n)
            total -= n
            day += timedelta(days=n + self.f.between(4, 9))
        return made

    def windows(self, person, places, year: int, *, skip: int | None, days: int = 5) -> int:
        made = 0
        for i, month in enumerate((1, 3, 5, 7, 9, 11), start=1):
            if i != skip:
                made += self.stay(person, self.f.pick(places), date(year, month, 8 + self.f.between(0, 12)), days,
                                  kind="work_week")
        return made

    def pairing(self, person, urban, rural, start: date, *, full: bool) -> int:
        if person is None:
            return 0
        woman = Person.visible.filter(unit=rural[0].fed).exclude(pk=person.pk).first()
        made = self.stay(person, self.f.pick(rural), start, 7, setting="rural", paired_with=woman,
                         note="农村蹲点一周，结对一名妇女")
        if full:
            made += self.stay(person, self.f.pick(urban), start + timedelta(days=30), 6, setting="urban")
            made += self.stay(person, self.f.pick(rural), start + timedelta(days=60), 1, kind="cadre_day")
        return made

    def evidence(self, person, places, year: int, *, papers: bool = True) -> int:
        made = 0
        for i in range(self.f.between(2, 3)):
            place = self.f.pick(places)
            day = min(self.today, date(year, 3 + 3 * i, 15))
            title, text = DIARY_TEXTS[i % len(DIARY_TEXTS)]
            needs = [dict(zip(("category", "urgency", "description"), self.f.pick(NEEDS), strict=True))
                     for _ in range(self.f.between(1, 3))]
            services.diary_write(actor=self.actor, person=person, place=place.fed, date=day,
                                 title=title.format(place=place.name), text=text.format(place=place.name),
                                 women_met=self.f.between(5, 40), needs=needs)
            made += 1 + len(needs)
        if not papers:
            return made
        services.report_file(actor=self.actor, person=person, date=min(self.today, date(year, 6, 30)),
                             title="关于农村留守妇女就业创业情况的调研报告", topic="农村留守妇女家门口就业",
                             summary="走访 6 个村、访谈 48 名妇女，提出建设巾帼共富工坊等四条建议。",
                             file=SimpleUploadedFile("调研报告.pdf", REPORT_PDF, content_type="application/pdf"))
        services.proposal_file(actor=self.actor, person=person, date=min(self.today, date(year, 7, 20)),
                               title="关于加强农村妇女儿童之家建设的建议", addressed_to="县人大常委会",
                               text="建议将妇女儿童之家运行经费纳入财政预算，每年安排专项资金。")
        return made + 2
