"""Demo persons and posts: every body of every federation, ordinary women with tags, a few duplicates.

Bodies nest as they do in practice (leadership ⊂ standing ⊂ executive ⊂ delegates), and the
grassroots front-line shares are chosen per body so that some federations meet the
composition rules and some do not, with the figures the status screens show.
"""

import math
from datetime import timedelta

from niangjia.core import sensitive
from niangjia.people.models import Person, Post
from niangjia.people.services import person_build, post_build

from . import names

# Body sizes per level: leadership, standing, executive, delegates, full-time staff, seconded, volunteers.
BODIES = {
    1: (7, 0, 0, 0, 6, 1, 2),
    2: (7, 21, 61, 120, 30, 3, 6),
    3: (5, 15, 43, 90, 12, 2, 4),  # the city's 43 executive members (执委履职清单)
    4: (4, 9, 29, 40, 5, 1, 2),
    5: (3, 0, 9, 0, 1, 1, 1),
    6: (2, 0, 3, 0, 0, 0, 0),
}
THRESHOLDS = {"standing": 30, "executive": 40, "delegates": 60}
# Verdicts fixed for the units the demo accounts look at, so both kinds show there.
FORCED = {"浙江省": {"standing": True, "executive": True, "delegates": True, "leadership": True},
          "湖州市": {"standing": False, "executive": True, "delegates": True, "leadership": True},
          "安吉县": {"standing": True, "executive": True, "delegates": True, "leadership": True},
          "德清县": {"standing": True, "executive": False, "delegates": True, "leadership": False}}
TAG_WEIGHTS = [("rural", 0.3), ("poor", 0.2), ("migrant_worker", 0.15), ("full_time_mother", 0.15),
               ("entrepreneur", 0.12), ("new_org", 0.1), ("elderly", 0.1), ("single_mother", 0.06), ("disabled", 0.05)]
GRASSROOTS_JOBS = ["村委会", "妇联", "股份经济合作社", "卫生室", "网格员", "妇女之家", "农家乐", "来料加工点"]
COMMUNITY_JOBS = ["居委会", "妇联", "网格员", "妇女之家", "社区卫生服务站", "物业服务中心"]
TAG_JOBS = {"full_time_mother": "全职妈妈", "migrant_worker": "外出务工", "entrepreneur": "电商创业者",
            "new_org": "快递网点员工", "elderly": "退休", "rural": "务农"}


class People:
    """Collects built persons and post specs, then writes them in two bulk inserts."""

    def __init__(self, fake):
        self.fake = fake
        self.persons: list[Person] = []
        self.posts: list[Post] = []

    def person(self, place, *, gender="F", min_age=25, max_age=60, workplace="", tags=(), grassroots=False,
               origin="", p_phone=0.9, p_id=0.95, p_address=0.6) -> Person:
        f = self.fake
        born = f.birth_date(min_age, max_age)
        region = {"hk": "810000", "mo": "820000", "tw": "830000"}.get(origin, place.county_code)
        p = person_build(
            unit=place.fed, name=f.name(gender), gender=gender, birth_date=born, workplace=workplace[:120],
            tags=list(tags), grassroots_frontline=grassroots, origin=origin,
            phone=f.mobile() if f.chance(p_phone) else "",
            id_number=f.id_number(region, born, gender) if f.chance(p_id) else "",
            address=f.address(place) if f.chance(p_address) else "",
        )
        self.persons.append(p)
        return p

    def post(self, person: Person, place, body: str, title: str, tenure: str, start) -> None:
        # built while the person is unsaved: post_build then validates everything but the person link,
        # which bulk_create fills in from person.pk once the persons are written
        self.posts.append(post_build(person=person, unit=place.fed, body=body, title=title, tenure=tenure,
                                     start_date=start))

    def save(self) -> tuple[int, int]:
        Person.objects.bulk_create(self.persons, batch_size=500)
        Post.objects.bulk_create(self.posts, batch_size=1000)
        return len(self.persons), len(self.posts)


def _verdict(fake, place, body: str, p_met: float = 0.75) -> bool:
    return FORCED.get(place.name, {}).get(body, fake.chance(p_met))


def _grassroots_count(fake, size: int, body: str, met: bool) -> int:
    floor = math.ceil(size * THRESHOLDS[body] / 100)
    if met:
        return min(size, floor + fake.between(0, max(1, size // 6)))
    return max(0, floor - fake.between(1, max(1, size // 6)))


def _flags(fake, place, sizes: dict[str, int]) -> list[bool]:
    """Grassroots flags for the nested member list, body by body from the smallest."""
    n = max(sizes.values())
    flags = [False] * n
    prev = sizes["leadership"] if place.level <= 4 else 0  # full-time leaders are not front-line
    for body in ("standing", "executive", "delegates"):
        size = sizes.get(body, 0)
        if not size:
            continue
        p_met = 0.95 if place.level == 6 else 0.75
        want = _grassroots_count(fake, size, body, _verdict(fake, place, body, p_met))
        if place.level == 6:
            want = size - fake.between(0, 1)
        need = want - sum(flags[:size])
        for i in range(prev, size):
            if need <= 0:
                break
            if not flags[i]:
                flags[i], need = True, need - 1
        prev = size
    return flags


def _sizes(place) -> dict[str, int]:
    lead, standing, executive, delegates, *_ = BODIES[place.level]
    if place.level == 5 and place.regionalised_on:
        executive = place.members_after
    if place.level == 6:
        executive += place.exec_added
        lead = lead if place.converted else 1
    return {"leadership": lead, "standing": standing, "executive": executive, "delegates": delegates}


def villages_under(place) -> list:
    if place.level == 6:
        return [place]
    cached = place.roster.get("_villages")
    if cached is None:
        cached = [v for c in place.children for v in villages_under(c)]
        place.roster["_villages"] = cached
    return cached


def _workplace(fake, place, grassroots: bool) -> str:
    """Front-line members work in a village or community below; the others anywhere in the area."""
    if grassroots:
        v = fake.pick(villages_under(place))
        return v.county + v.town + v.village + fake.pick(COMMUNITY_JOBS if v.community else GRASSROOTS_JOBS)
    return place.fmt(fake.pick(names.EXEC_WORKPLACES))


def bodies(people: People, place) -> None:
    """Leadership, standing committee, executive committee and delegates of one federation."""
    f = people.fake
    sizes = _sizes(place)
    flags = _flags(f, place, sizes)
    term = place.converted_on or (f.today - timedelta(days=f.between(200, 1500)))
    members = []
    for i, grassroots in enumerate(flags):
        leader = i < sizes["leadership"]
        origin = ""
        if place.level == 2 and sizes["executive"] <= i < sizes["executive"] + 3:
            origin = ("hk", "mo", "tw")[i - sizes["executive"]]
        work = place.fmt(names.CADRE_JOBS[place.level]) if leader and place.level <= 5 else _workplace(f, place, grassroots)
        members.append(people.person(place, gender="M" if not leader and f.chance(0.06) else "F",
                                     min_age=28 if leader else 22, workplace=work, grassroots=grassroots, origin=origin))
    _leadership_posts(people, place, members[: sizes["leadership"]], term)
    reform_day = place.converted_on or place.regionalised_on
    before = place.members_before if place.level == 5 else sizes["executive"] - place.exec_added
    for body, title in (("standing", "常委"), ("executive", "执委"), ("delegates", "代表")):
        for i, person in enumerate(members[: sizes[body]]):
            # executive members the reform added start on the day of the conversion / regionalisation
            start = reform_day if body == "executive" and reform_day and i >= before else term
            people.post(person, place, body, title, "part_time", start)
    place.roster.update(leadership=members[: sizes["leadership"]],
                        executive=members[sizes["leadership"]: sizes["executive"]])


def _leadership_posts(people: People, place, leaders, term) -> None:
    f = people.fake
    n = len(leaders)
    met = _verdict(f, place, "leadership", 0.75)
    full_time = 0 if place.level == 6 else (max(1, n // 2 - f.between(0, 1)) if met else n // 2 + 1)
    if place.level == 5:
        full_time = 1
    for i, person in enumerate(leaders):
        if place.level == 6 and not place.converted:
            title, tenure = "妇代会主任", "part_time"
        elif i < full_time:
            title, tenure = ("主席" if i == 0 else "副主席"), "full_time"
        elif i == full_time and place.level in (2, 3, 4) and n > 3:
            title, tenure = "挂职副主席", "seconded"
        else:
            title, tenure = ("主席" if i == 0 else "兼职副主席"), "part_time"
        people.post(person, place, "leadership", title, tenure, term)


def organ(people: People, place) -> None:
    """Organ staff (full-time and seconded cadres against the quota) and organ volunteers — the “2+1”."""
    f = people.fake
    _, _, _, _, staff, seconded, volunteers = BODIES[place.level]
    if place.fed.staffing_quota:
        # a township's one full-time post is sometimes vacant (not where a demo account works)
        staff = place.fed.staffing_quota + f.between(-2, 1) if place.level <= 4 else int(
            place.name == "天荒坪镇" or f.chance(0.85))
    if place.name == "湖州市":
        staff = 14  # still above the quota after the 20% cut
    work = place.fmt(names.CADRE_JOBS[place.level])
    cadres = []
    for i in range(max(staff, 0)):
        p = people.person(place, min_age=23, workplace=work, p_phone=1.0, p_id=1.0)
        title = names.STAFF_TITLES[i % len(names.STAFF_TITLES)] if place.level <= 4 else "专职干部"
        people.post(p, place, "organ_staff", title, "full_time", f.day_within(2500))
        cadres.append(p)
    for _ in range(seconded if place.level <= 4 else int(f.chance(0.4))):
        p = people.person(place, min_age=26, workplace=place.fmt(f.pick(names.EXEC_WORKPLACES)), p_phone=1.0)
        people.post(p, place, "organ_staff", "挂职干部", "seconded", f.day_within(500))
        cadres.append(p)
    for _ in range(volunteers if place.level <= 4 else int(f.chance(0.5))):
        p = people.person(place, min_age=20, max_age=68, workplace=place.fmt(f.pick(names.EXEC_WORKPLACES)))
        people.post(p, place, "organ_volunteer", "机关工作志愿者", "part_time", f.day_within(700))
    place.roster["staff"] = cadres


def _tags(fake) -> list[str]:
    tags = [t for t, w in TAG_WEIGHTS if fake.chance(w)]
    return tags[:2] or [fake.pick(["rural", "poor", "full_time_mother", "migrant_worker"])]


def women(people: People, villages: list, count: int) -> None:
    """Ordinary women with tags in villages and communities (the people cadres keep contact with)."""
    f = people.fake
    for _ in range(count):
        place = f.pick(villages)
        tags = _tags(f)
        if place.community and "rural" in tags:
            tags.remove("rural")
            tags = tags or ["new_org"]
        old = "elderly" in tags
        job = next((TAG_JOBS[t] for t in tags if t in TAG_JOBS), f.pick(names.FEMALE_JOBS))
        people.person(place, min_age=60 if old else 19, max_age=82 if old else 58, workplace=job, tags=tags,
                      p_phone=0.85, p_id=0.8, p_address=0.9)


def duplicates(people: People, count: int) -> int:
    """The same woman entered twice — same ID number or same phone — so the duplicates page has work."""
    f = people.fake
    originals = [p for p in people.persons if p.tags and p.id_number_enc and p.phone_enc][: count * 7: 7]
    made = 0
    for i, orig in enumerate(originals[:count]):
        same_id = i % 2 == 0
        copy = person_build(
            unit=orig.unit, name=orig.name, gender=orig.gender, workplace=orig.workplace, tags=orig.tags[:1],
            id_number=sensitive.decrypt(orig.id_number_enc) if same_id else "",
            phone="" if same_id else sensitive.decrypt(orig.phone_enc),
            address="" if f.chance(0.5) else sensitive.decrypt(orig.address_enc),
        )
        people.persons.append(copy)
        made += 1
    return made
