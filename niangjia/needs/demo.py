"""Demo needs and services around 安吉县 and 德清县: each county's catalogue (§7's seven kinds,
most bought by government) with its service providers, ~70 needs from every channel in every
status (some overdue and escalated to the township), service orders in every state, some rated.

Everything goes through the real services, so audit rows, deadlines and notifications are real.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from niangjia.accounts.models import User
from niangjia.core import periods
from niangjia.org.models import Organisation

from . import services
from .models import Need

CATALOGUE = [  # (name, category, government-purchased, description)
    ("巾帼创业就业培训", "employment", True, "电商直播、家政、民宿管家等技能培训，推荐就业岗位"),
    ("妇女维权服务", "rights", True, "12338 热线、维权站点接待，协助反映和解决侵权问题"),
    ("心理咨询与疏导", "counselling", True, "一对一心理咨询、婚恋情感和压力疏导"),
    ("法律咨询与援助", "legal", True, "律师免费解答婚姻家庭、土地权益、劳动纠纷等法律问题"),
    ("家庭教育指导", "family_education", False, "亲子沟通、留守儿童家庭教育指导，家长课堂"),
    ("婚姻家庭纠纷调解", "mediation", True, "人民调解员上门调解婚姻家庭矛盾"),
    ("特殊困难妇女儿童帮扶", "hardship", False, "困难妇女儿童走访慰问、临时救助、结对帮扶"),
]
PROVIDES = {  # provider organisation name (demo/names.py SERVICE_PROVIDERS) → categories it delivers
    "心语心理咨询服务中心": ("counselling",), "家庭教育指导中心": ("family_education",),
    "巾帼家政培训学校": ("employment",), "律师事务所": ("legal", "rights"),
    "婚姻家庭纠纷调解委员会": ("mediation",), "创业就业服务中心": ("employment", "hardship"),
}
DESCRIPTIONS = {
    "employment": ["想学电商直播卖山货", "家附近有没有适合带娃妈妈的灵活工作", "想参加家政服务培训拿证"],
    "rights": ["在厂里被无故辞退，工资没结清", "离婚后宅基地份额被村里扣着不给"],
    "counselling": ["孩子上初中后很叛逆，压力很大睡不着", "丈夫去世后情绪一直很低落"],
    "legal": ["土地承包经营权流转合同怎么签", "想咨询离婚时孩子抚养权的问题"],
    "family_education": ["留守孩子沉迷手机，想请老师指导", "想参加家长课堂学习亲子沟通"],
    "mediation": ["婆媳矛盾越来越大，想请人调解", "和丈夫为老人赡养问题吵架"],
    "hardship": ["单亲妈妈，孩子生病医药费困难", "家里老人瘫痪，生活困难想申请帮扶"],
    "other": ["村里妇女之家想增加晚上的广场舞活动", "希望开设老年妇女智能手机课"],
}
CHANNELS = [c for c in Need.Channel.values if c != "field_visit"]  # field visits come from diaries
HANDLERS = {"安吉县": ("anji_leader", "anji_caseworker", "anji_hotline"), "德清县": ("deqing_cadre",)}
PLAN = ["registered"] * 3 + ["assigned"] * 2 + ["in_progress"] * 2 + ["resolved"] * 2 + ["referred", "ordered",
                                                                                        "closed"]


def load(ctx) -> dict:
    counts = {"services": 0, "providers": 0, "needs": 0, "orders": 0}
    now = periods.now()
    for county in ("安吉县", "德清县"):
        place = ctx.by_name.get(county)
        if place is None or place.fed is None:
            continue
        catalogue, providers = _catalogue(ctx, place.fed, counts)
        users = list(User.objects.filter(username__in=HANDLERS[county]).order_by("username"))
        villages = [p.fed for p in ctx.places if p.level == 6 and p.county == county][:12]
        for n in range(35):
            _one_need(ctx, villages[n % len(villages)], n, users, catalogue, providers, counts)
    counts["escalated"] = len(services.needs_escalate(now=now))
    return counts


def _catalogue(ctx, county, counts):
    admin = ctx.admin
    by_category = {}
    for name, category, bought, text in CATALOGUE:
        by_category[category] = services.service_create(actor=admin, unit=county, name=name, category=category,
                                                        description=text, government_purchased=bought)
        counts["services"] += 1
    providers = {}
    for org in Organisation.objects.filter(unit=county, kind=Organisation.Kind.SERVICE_PROVIDER).order_by("id"):
        cats = next((c for key, c in PROVIDES.items() if key in org.name), ())
        if not cats:
            continue
        p = services.provider_create(actor=admin, organisation=org, services=[by_category[c] for c in cats],
                                     areas=[county])
        counts["providers"] += 1
        for c in cats:
            providers.setdefault(c, p)
    return by_category, providers


def _one_need(ctx, village, n, users, catalogue, providers, counts):
    fake, admin = ctx.fake, ctx.admin
    category = fake.pick(list(DESCRIPTIONS))
    urgency = "critical" if n % 11 == 0 else ("urgent" if n % 4 == 0 else "normal")
    when = timezone.make_aware(datetime.combine(fake.today, time(9))) - timedelta(days=fake.between(0, 24),
                                                                                  hours=fake.between(0, 8))
    service = catalogue.get(category) if n % 5 == 0 and category in providers else None
    need = services.need_register(
        actor=admin, unit=village, category=category, urgency=urgency, channel=CHANNELS[n % len(CHANNELS)],
        description=fake.pick(DESCRIPTIONS[category]), day=when.date(), registered_at=when,
        contact_name=fake.name() if fake.chance(0.6) else "", contact_phone=fake.mobile() if fake.chance(0.5) else "",
        requested_service=service)
    counts["needs"] += 1
    _advance(need, PLAN[n % len(PLAN)], fake, admin, users, catalogue, providers, counts)


def _advance(need, goal, fake, admin, users, catalogue, providers, counts):
    if goal == "registered" or not users:
        return
    worker = fake.pick(users)
    if goal == "ordered" and need.category in providers:
        order = services.order_create(actor=admin, need=need, service=catalogue[need.category],
                                      provider=providers[need.category])
        counts["orders"] += 1
        _order_path(order, fake, admin)
        return
    if goal in ("referred", "ordered"):
        services.need_refer(actor=admin, need=need, version=need.version, target="县司法局人民调解委员会")
        return
    if goal == "closed":
        services.need_close(actor=admin, need=need, version=need.version, reason="重复登记，已合并到另一条需求")
        return
    services.need_assign(actor=admin, need=need, assignee=worker, version=need.version)
    if goal in ("in_progress", "resolved"):
        services.need_start(actor=admin, need=need, version=need.version)
    if goal == "resolved":
        services.need_resolve(actor=admin, need=need, version=need.version, resolution="已联系相关部门，问题已解决")
        if fake.chance(0.6):
            services.need_rate(actor=None, need=need, rating=fake.between(3, 5), comment=fake.pick(["很及时", "谢谢妇联", ""]))


def _order_path(order, fake, admin):
    step = fake.between(0, 4)
    if step == 0:
        return
    if step == 1:
        services.order_decline(actor=admin, order=order, version=order.version, reason="本周服务已约满")
        return
    services.order_accept(actor=admin, order=order, version=order.version)
    if step >= 3:
        services.order_deliver(actor=admin, order=order, version=order.version, outcome="已上门服务两次")
        if step == 4:
            services.order_rate(actor=None, order=order, rating=fake.between(4, 5), comment="老师很耐心")
