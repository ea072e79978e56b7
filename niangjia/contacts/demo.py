"""Demo contact plans: 五个一 for zj_leader and huzhou_leader, 三个一 for thp_cadre and
deqing_cadre, 十名普通妇女 for huzhou_leader and anji_leader, with events over the months
of the year — some targets overdue, some plans incomplete — all written through the services.
"""

from datetime import date, timedelta

from django.db.models import Q

from niangjia.accounts.models import User
from niangjia.core import periods
from niangjia.org.models import Federation, Organisation, Site
from niangjia.people.models import Person, Post

from . import services
from .models import Channel, Kind, Slot

CHANNELS = [c for c, _ in Channel.choices]
NOTES = ["了解家庭近况", "宣传妇女维权知识", "听取对妇联工作的意见", "帮助联系就业培训", "了解孩子入学情况",
         "反映村里照料老人难", "商量组织姐妹们的活动", "转达创业贷款政策", ""]


class _Demo:
    def __init__(self, ctx):
        self.ctx, self.fake, self.admin = ctx, ctx.fake, ctx.admin
        self.today = min(ctx.fake.today, periods.today())
        self.start = date(self.today.year, 1, 1)
        self.made = 0
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["zj_leader", "huzhou_leader", "anji_leader", "thp_cadre", "deqing_cadre"])
            .select_related("person")}
        self.used_women: set[int] = set()

    def fed(self, name: str) -> Federation | None:
        place = self.ctx.by_name.get(name)
        return place.fed if place is not None else None

    def plan(self, username: str, unit_name: str, kind: str, *, contact_point: Site | None = None, wechat: str = ""):
        user, unit = self.users.get(username), self.fed(unit_name)
        if user is None or user.person is None or unit is None:
            return None, None
        # Each sets her own plan, except 德清's cadre: the admin set hers (the overview notes 代为制定).
        actor = self.admin if username == "deqing_cadre" else user
        plan = services.plan_create(actor=actor, person=user.person, unit=unit, year=self.start.year, kind=kind,
                                    started_on=self.start, contact_point=contact_point, wechat_group=wechat)
        self.made += 1
        return plan, user

    def add(self, plan, slot, obj):
        if obj is None:
            return None
        field = {Federation: "federation", Organisation: "organisation", Person: "person"}[type(obj)]
        target = services.target_add(actor=self.admin, plan=plan, slot=slot, added_on=self.start, **{field: obj})
        self.made += 1
        return target

    def events(self, user, target, *, overdue: bool = False, none: bool = False):
        """A few contacts since the plan's start; an overdue target was last heard from >100 days ago."""
        if target is None or none:
            return
        f = self.fake
        span_end = self.today - timedelta(days=f.between(101, 150)) if overdue else self.today
        if span_end < self.start:
            return
        for _ in range(f.between(1, 4)):
            day = f.day_between(self.start, span_end)
            services.event_record(actor=user, target=target, day=day, channel=f.pick(CHANNELS), note=f.pick(NOTES))
            self.made += 1
        if not overdue:  # a recent contact, so this one is not flagged
            day = self.today - timedelta(days=f.between(0, 60))
            services.event_record(actor=user, target=target, day=max(day, self.start), channel=f.pick(CHANNELS),
                                  note=f.pick(NOTES))
            self.made += 1

    def women(self, unit: Federation, count: int, *, want: tuple[str, ...] = (), avoid: tuple[str, ...] = ()):
        """Ordinary women (tagged, without posts) in a unit's villages: one per wanted tag first."""
        pool = list(Person.visible.filter(**{f"l{unit.level}": unit.id}, l6__isnull=False, gender="F",
                                          is_active=True, posts__isnull=True)
                    .exclude(tags=[]).exclude(pk__in=self.used_women).order_by("id")[:400])
        pool = [p for p in pool if not set(avoid) & set(p.tags)]
        chosen = []
        for tag in want:
            hit = next((p for p in pool if tag in p.tags and p not in chosen), None)
            if hit is not None:
                chosen.append(hit)
        chosen += [p for p in pool if p not in chosen][: max(0, count - len(chosen))]
        self.used_women |= {p.pk for p in chosen}
        return chosen[:count]


def _first(qs):
    return qs.order_by("id").first()


def load(ctx) -> int:
    d = _Demo(ctx)
    zhejiang, huzhou, anji, deqing, thp = (d.fed(n) for n in ("浙江省", "湖州市", "安吉县", "德清县", "天荒坪镇"))
    if not all((zhejiang, huzhou, anji, deqing, thp)):
        return 0
    orgs = Organisation.objects
    group_member = _first(orgs.filter(kind="group_member", l2=zhejiang.id))
    province_exec = list(Person.visible.filter(posts__body=Post.Body.EXECUTIVE, posts__is_active=True,
                                               posts__unit=zhejiang, gender="F").distinct().order_by("id")[:6])
    point = _first(Site.objects.filter(kind=Site.Kind.CONTACT_POINT, l4=anji.id))

    # 五个一 — the provincial chair's is complete; the city chair still lacks a women's committee.
    plan, user = d.plan("zj_leader", "浙江省", Kind.FIVE_ONES, contact_point=point, wechat="好姐妹·天荒坪")
    if plan:
        d.events(user, d.add(plan, Slot.COUNTY_FEDERATION, anji))
        d.events(user, d.add(plan, Slot.GROUP_MEMBER, group_member))
        d.events(user, d.add(plan, Slot.WORKPLACE_COMMITTEE, _first(orgs.filter(kind="workplace_committee",
                                                                                l2=zhejiang.id))), overdue=True)
        d.events(user, d.add(plan, Slot.FIRM_OR_SOCIAL_ORG, _first(orgs.filter(kind__in=["new_org_women", "social_org"],
                                                                               l4=anji.id))))
        d.events(user, d.add(plan, Slot.PROVINCIAL_EXECUTIVE, province_exec[1] if len(province_exec) > 1 else None))
    huzhou_point = _first(Site.objects.filter(kind=Site.Kind.CONTACT_POINT, l4=deqing.id)) or point
    plan, user = d.plan("huzhou_leader", "湖州市", Kind.FIVE_ONES, contact_point=huzhou_point, wechat="好姐妹·新居民")
    if plan:
        d.events(user, d.add(plan, Slot.COUNTY_FEDERATION, deqing))
        d.events(user, d.add(plan, Slot.GROUP_MEMBER, group_member), none=True)
        d.events(user, d.add(plan, Slot.FIRM_OR_SOCIAL_ORG, _first(orgs.filter(kind="new_org_women", l4=deqing.id))))
        d.events(user, d.add(plan, Slot.PROVINCIAL_EXECUTIVE, province_exec[2] if len(province_exec) > 2 else None),
                 overdue=True)

    # 十名普通妇女 — the city chair's ten include a poor woman and one from a 两新 organisation;
    # the county chair has seven, none from a new organisation.
    plan, user = d.plan("huzhou_leader", "湖州市", Kind.TEN_WOMEN)
    if plan:
        for i, woman in enumerate(d.women(huzhou, 10, want=("poor", "new_org"))):
            d.events(user, d.add(plan, Slot.ORDINARY_WOMAN, woman), overdue=i in (3, 7), none=i == 9)
    plan, user = d.plan("anji_leader", "安吉县", Kind.TEN_WOMEN, contact_point=point, wechat="好姐妹·余村")
    if plan:
        for i, woman in enumerate(d.women(anji, 7, want=("poor",), avoid=("new_org",))):
            d.events(user, d.add(plan, Slot.ORDINARY_WOMAN, woman), overdue=i == 2)

    # 三个一 — the township cadre's is complete; the county cadre has no representative woman yet.
    plan, user = d.plan("thp_cadre", "天荒坪镇", Kind.THREE_ONES)
    if plan:
        yucun = d.fed("余村") or _first(Federation.objects.filter(parent=thp))
        d.events(user, d.add(plan, Slot.TOWNSHIP_FEDERATION, thp))
        d.events(user, d.add(plan, Slot.VILLAGE_FEDERATION, yucun), overdue=True)
        rep = d.women(yucun, 1, want=("entrepreneur",)) if yucun else []
        d.events(user, d.add(plan, Slot.REPRESENTATIVE_WOMAN, rep[0] if rep else None))
    plan, user = d.plan("deqing_cadre", "德清县", Kind.THREE_ONES)
    if plan:
        town = _first(Federation.objects.filter(parent=deqing, level=5))
        d.events(user, d.add(plan, Slot.TOWNSHIP_FEDERATION, town))
        d.events(user, d.add(plan, Slot.VILLAGE_FEDERATION,
                             _first(Federation.objects.filter(Q(parent=town), level=6)) if town else None), none=True)
    # the daily pass, as the scheduler runs it: stored checks current, each leader told of her silent contacts
    swept = services.overdue_sweep()
    return d.made + swept["notified"]
