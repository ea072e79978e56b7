"""Demo grassroots sites (阵地) of every kind and partner organisations of every kind."""

from datetime import date, timedelta

from niangjia.org.models import Organisation, Site

from . import names


def _site(place, kind, name, *, host="", services=(), address="", established_on=None) -> Site:
    s = Site(kind=kind, name=name[:120], host=host[:120], services=list(services), address=address[:200],
             established_on=established_on)
    s.place_in(place.fed)
    return s


def _org(place, kind, name, *, agency="", contact="", phone="", women=0) -> Organisation:
    o = Organisation(kind=kind, agency_type=agency, name=name[:150], contact_name=contact, contact_phone=phone,
                     women_count=women)
    o.place_in(place.fed)
    return o


def sites_for(fake, place) -> list[Site]:
    """Sites by level: hotlines at county and above, posts and intake points at county/township, homes below."""
    K = Site.Kind
    since = fake.day_within(2000)
    out = []
    if place.level <= 4:
        label = "全国" if place.level == 1 else place.name
        out.append(_site(place, K.HOTLINE, f"12338妇女维权公益服务热线（{label}）", host=f"{label}妇联权益部",
                         services=["法律咨询", "心理疏导", "投诉受理", "转介"], established_on=date(2004, 3, 8)))
    if place.level == 4:
        out.append(_site(place, K.INTAKE_POINT, f"{place.name}妇联信访接待室", host=f"{place.name}妇联",
                         address=fake.address(place), established_on=since))
        police = fake.pick(["城关", "城东", "城西", "开发区"])
        out.append(_site(place, K.RIGHTS_POST, f"{place.name}公安局{police}派出所妇女儿童维权岗",
                         host=f"{place.name}公安局{police}派出所", services=["家暴报警处置", "告诫书"], established_on=since))
        out.append(_site(place, K.RIGHTS_POST, f"{place.name}人民法院妇女儿童维权岗", host=f"{place.name}人民法院",
                         services=["人身安全保护令", "家事审判"], established_on=since))
    if place.level == 5:
        out.append(_site(place, K.INTAKE_POINT, f"{place.name}妇联信访网点", host=f"{place.name}社会治理中心",
                         established_on=since))
        out.append(_site(place, K.CONTACT_POINT, f"{place.county}妇联领导基层联系点（{place.name}）",
                         host=f"{place.name}妇联", services=["“好姐妹”微信群", "联系妇女群众"], established_on=since))
    if place.level == 6:
        out += _village_sites(fake, place, since)
    return out


def _village_sites(fake, place, since) -> list[Site]:
    K = Site.Kind
    out = []
    if fake.chance(0.88):  # a women's home in most villages and communities
        host = "社区党群服务中心" if place.community else "村党群服务中心"
        out.append(_site(place, K.WOMENS_HOME, f"{place.name}妇女之家", host=f"{place.name}{host}",
                         services=fake.rng.sample(names.WOMENS_HOME_SERVICES, 3), address=fake.address(place),
                         established_on=since))
    if place.name == "余村" or fake.chance(0.18):
        host = fake.pick(names.MICRO_HOME_HOSTS) if place.name != "余村" else "蔬菜专业合作社"
        out.append(_site(place, K.MICRO_HOME, f"{place.name}{host}妇女微家", host=f"{place.town}{place.name}{host}",
                         services=list(names.MICRO_SERVICES), address=fake.address(place),
                         established_on=fake.today - timedelta(days=fake.between(60, 900))))
    if fake.chance(0.08):
        out.append(_site(place, K.CONTACT_POINT, f"{place.city}妇联领导基层联系点（{place.name}）",
                         host=f"{place.name}妇女之家", services=["“好姐妹”微信群"], established_on=since))
    return out


def organisations_for(fake, place) -> list[Organisation]:
    """Group members, women's committees, 两新 organisations, social organisations, agencies, providers."""
    K, out = Organisation.Kind, []
    contact = fake.name
    if place.level == 2:
        out += [_org(place, K.GROUP_MEMBER, n, contact=contact(), phone=fake.landline("0571"), women=fake.between(80, 900))
                for n in names.GROUP_MEMBERS]
    for n in names.WORKPLACE_COMMITTEES.get(place.level, []):
        out.append(_org(place, K.WORKPLACE_COMMITTEE, place.fmt(n), contact=contact(), phone=fake.landline(place.area_code),
                        women=fake.between(60, 3000)))
    if place.level == 4:
        for agency, n in names.PARTNER_AGENCIES:
            out.append(_org(place, K.PARTNER_AGENCY, place.fmt(n), agency=agency, contact=contact(),
                            phone=fake.landline(place.area_code)))
        for n, women in names.SERVICE_PROVIDERS:
            out.append(_org(place, K.SERVICE_PROVIDER, place.fmt(n), contact=contact(), phone=fake.landline(place.area_code),
                            women=women + fake.between(0, 20)))
        for n in fake.rng.sample(names.NEW_ORGS, 3):
            out.append(_org(place, K.NEW_ORG_WOMEN, place.fmt(n), contact=contact(), women=fake.between(30, 600)))
        for n in fake.rng.sample(names.SOCIAL_ORGS, 2):
            out.append(_org(place, K.SOCIAL_ORG, place.fmt(n), contact=contact(), women=fake.between(15, 200)))
    if place.level == 5 and fake.chance(0.4):
        out.append(_org(place, K.NEW_ORG_WOMEN, f"{place.name}{fake.pick(['电商', '物流', '民宿'])}企业联合妇联",
                        contact=contact(), women=fake.between(20, 150)))
    return out


def build(fake, places) -> tuple[int, int]:
    sites, orgs = [], []
    for place in places:
        sites += sites_for(fake, place)
        orgs += organisations_for(fake, place)
    Site.objects.bulk_create(sites, batch_size=500)
    Organisation.objects.bulk_create(orgs, batch_size=500)
    return len(sites), len(orgs)
