"""Demo: 湖州市妇联's 三八红旗手 round, now in its notice period (公示).

安吉县 and 德清县 made organisational nominations within their quotas (one consent recorded in person,
one still waiting for its SMS link), the public made nominations that their nominees confirmed by
link, women evaluated the shortlist (votes by SMS check code and one-time links), the top places
are listed for the notice period, and two objections came in: one answered, one waiting. Written
through the real services (actor: the demo's admin; ballots through the ballot writer).
"""

from datetime import timedelta

from niangjia.accounts.models import User
from niangjia.core import onetime, periods
from niangjia.core.sensitive import blind_index, mask_phone

from . import evaluation, services
from .models import AwardRound, Nomination

DEEDS = [
    "带领村里 {n} 名留守妇女发展竹编来料加工，人均年增收 8000 余元；创办“好姐妹”互助会，常年结对帮扶困难家庭。",
    "扎根乡村教育 {n} 年，创办“妈妈课堂”家庭教育讲座 60 余场，资助 {k} 名困难女童完成学业。",
    "创办白茶合作社，吸纳 {n} 名农村妇女就业，带动周边农户增收；热心公益，疫情期间组织志愿者服务。",
    "在社区开展婚姻家庭纠纷调解 {n} 年，成功调解纠纷 {k} 起，被群众称为“知心大姐”。",
    "返乡创办民宿集群，培训 {n} 名农家女成为民宿管家，带动乡村旅游，帮助妇女在家门口就业。",
    "从事乡村医生工作 {n} 年，坚持为村里妇女开展“两癌”筛查宣传，每年入户随访 {k} 户。",
]
PLACES = {"安吉县": ["天荒坪镇余村", "递铺街道", "孝丰镇横溪坞村", "溪龙乡黄杜村"],
          "德清县": ["莫干山镇仙潭村", "武康街道", "新市镇", "乾元镇"]}


def _user(username: str, fallback):
    return User.objects.filter(username=username).first() or fallback


def _deeds(fake) -> str:
    return fake.pick(DEEDS).format(n=fake.between(8, 60), k=fake.between(10, 120))


def load(ctx) -> int:
    fake, admin = ctx.fake, ctx.admin
    city = ctx.by_name["湖州市"].fed
    counties = [ctx.by_name[n].fed for n in ("安吉县", "德清县") if n in ctx.by_name]
    today = periods.today()
    leader = _user("huzhou_leader", admin)
    rnd = services.round_create(
        actor=leader, unit=city, name=f"{today.year}年度湖州市三八红旗手评选", award="三八红旗手",
        description="表彰在经济社会发展和妇女儿童工作中作出突出贡献的优秀妇女。组织推荐与社会推荐相结合，群众评议后公示。",
        nomination_ends=today + timedelta(days=1), evaluation_ends=today + timedelta(days=2),
        places=4, default_org_quota=3, public_quota=4, max_choices=3)
    cadres = {"安吉县": _user("anji_leader", admin), "德清县": _user("deqing_cadre", admin)}
    noms = []
    for county in counties:
        short = county.name.removesuffix("妇联")
        for i in range(2 if short == "安吉县" else 3):
            noms.append(services.nomination_create_org(
                actor=cadres.get(short, admin), rnd=rnd, unit=county, nominee_name=fake.name(),
                nominee_place=fake.pick(PLACES.get(short, ["城区"])), deeds=_deeds(fake),
                nominee_phone=fake.mobile() if i == 1 else "", consent_in_person=i != 1,
                consent_note="县妇联干部入户当面征求本人意见" if i != 1 else ""))
    for county in counties:  # public nominations; the nominee confirms through her SMS link
        short = county.name.removesuffix("妇联")
        nom, _ = services.nomination_create_public(
            rnd=rnd, place_unit_id=county.pk, nominator_name=fake.name(), nominator_phone=fake.mobile(),
            nominee_name=fake.name(), nominee_place=fake.pick(PLACES.get(short, ["城区"])), deeds=_deeds(fake),
            nominee_phone=fake.mobile())
        raw = onetime.issue(services.CONSENT_PURPOSE, nom)  # the link she received, opened here for the demo
        services.consent_by_link(token=raw, given=True)
        noms.append(nom)
    for nom in noms:
        nom.refresh_from_db()
        if nom.consent == Nomination.Consent.GIVEN:
            services.shortlist_set(actor=leader, nomination=nom, on=True)
    services.phase_advance(actor=leader, rnd=rnd, to="evaluation")
    _ballots(fake, rnd)
    services.phase_advance(actor=leader, rnd=rnd, to="notice")
    _objections(fake, rnd, leader)
    # the round's planned dates, as they were set when it opened
    AwardRound.objects.filter(pk=rnd.pk).update(nomination_ends=today - timedelta(days=12),
                                                evaluation_ends=today - timedelta(days=1))
    return Nomination.objects.filter(round=rnd).count()


def _ballots(fake, rnd) -> None:
    shortlist = [n.pk for n in evaluation.shortlist_for_ballot(rnd)]
    weights = {pk: fake.between(1, 6) for pk in shortlist}
    for n in range(36):
        chosen = sorted(shortlist, key=lambda pk: -weights[pk] * fake.between(1, 4))[:fake.between(1, rnd.max_choices)]
        marks = {pk: 1 for pk in chosen}
        if n % 4 == 0:
            key, mask, channel = f"link:demo-{n}", "评议链接", "link"
        else:
            phone = fake.mobile()
            key, mask, channel = f"sms:{blind_index(phone)}", mask_phone(phone), "sms"
        evaluation._write_ballot(rnd, key, mask, channel, marks)


def _objections(fake, rnd, leader) -> None:
    proposed = list(Nomination.objects.filter(round=rnd, status=Nomination.Status.PROPOSED).order_by("id"))
    answered, _ = services.objection_file(
        rnd=rnd, nomination_id=proposed[0].pk, text="听说她家的合作社有拖欠工钱的情况，请核实。",
        contact_name=fake.name(), contact_phone=fake.mobile())
    services.objection_answer(actor=leader, objection=answered, outcome="dismissed",
                              answer="经县妇联会同乡镇核实，合作社工资均按月发放，无拖欠情况，异议不成立。")
    services.objection_file(rnd=rnd, nomination_id=proposed[-1].pk,
                            text="事迹材料中写的帮扶人数好像比实际多，希望核实。")
