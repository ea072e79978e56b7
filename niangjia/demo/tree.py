"""The demo tree: 全国妇联 → 浙江省 → cities → counties → townships → villages/communities, in bulk.

Columns follow the same rules as org.services.federation_create (org.rules.ancestor_columns
and path_of); one level is inserted at a time so every parent already has its id.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from niangjia.core.pinyin import pinyin_full, pinyin_initials
from niangjia.org import rules
from niangjia.org.models import Federation

from . import names

NATION_CODE = "100000000000"
# (staffing quota, internal departments) by level; 湖州市 cut its staffing by 20% (15 → 12).
QUOTAS = {1: (0, 0), 2: (45, 7), 3: (15, 4), 4: (6, 2), 5: (1, 0), 6: (0, 0)}
QUOTA_OVERRIDES = {"湖州市": (12, 3)}
# 机构编制核定 history: every federation with a quota has the 2015 approval; 湖州市's 2017 reform cut staffing,
# internal departments and affiliated institutions each by at least 20% (15 → 12, 4 → 3, 5 → 4).
INSTITUTIONS = {2: 6, 3: 3, 4: 1}
QUOTA_BASE_DAY = date(2015, 1, 1)
QUOTA_HISTORY = {"湖州市": [(QUOTA_BASE_DAY, (15, 4, 5), "浙编办〔2015〕12号"),
                          (date(2017, 6, 30), (12, 3, 4), "湖编委〔2017〕8号")]}
ELECTION_START, ELECTION_END = date(2021, 1, 5), date(2021, 4, 30)  # 浙江 村社组织换届, 2021


@dataclass
class Place:
    """A demo unit with the place names that make up its addresses."""

    level: int
    name: str
    code: str
    parent: "Place | None" = None
    city: str = ""
    county: str = ""
    town: str = ""
    village: str = ""
    area_code: str = "0571"
    county_code: str = "330000"
    community: bool = False
    converted: bool = True  # 会改联 done (villages and communities only)
    converted_on: date | None = None
    with_election: bool = True
    exec_added: int = 0  # executive members the conversion added
    regionalised_on: date | None = None  # 区域化建设 (townships only)
    members_before: int = 0
    members_after: int = 0
    fed: Federation | None = None
    children: list["Place"] = field(default_factory=list)
    roster: dict[str, list] = field(default_factory=dict)  # body -> persons, filled by demo.people

    @property
    def county_short(self) -> str:
        return self.county[:-1] if len(self.county) > 2 else self.county

    def fmt(self, template: str) -> str:
        return template.format(city=self.city, county=self.county, county_short=self.county_short,
                               town=self.town, village=self.village)


def plan(size, fake) -> list[Place]:
    """Every unit of the demo, parents before children (pure: nothing is written)."""
    nation = Place(1, "全国", NATION_CODE, county_code="110105", area_code="010")
    province = Place(2, names.PROVINCE[0], names.PROVINCE[1] + "000000", nation)
    out = [nation, province]
    for city, ccode, area, counties in names.CITIES[: size.cities]:
        c = Place(3, city, ccode + "000000", province, city=city, area_code=area, county_code=counties[0][1])
        out.append(c)
        for county, kcode, towns in counties[: size.counties]:
            k = Place(4, county, kcode + "000000", c, city=city, county=county, area_code=area, county_code=kcode)
            out.append(k)
            out += _towns(k, towns[: size.towns], size, fake)
    for p in out:
        if p.parent:
            p.parent.children.append(p)
    return out


def _towns(county: Place, towns: list[str], size, fake) -> list[Place]:
    out, seq = [], {"街道": 0, "镇": 100, "乡": 200}
    for town in towns:
        kind = "街道" if town.endswith("街道") else ("乡" if town.endswith("乡") else "镇")
        seq[kind] += 1
        t = Place(5, town, f"{county.county_code}{seq[kind]:03d}000", county, city=county.city, county=county.county,
                  town=town, area_code=county.area_code, county_code=county.county_code)
        if fake.chance(0.6):
            t.members_before = fake.between(6, 9)
            t.members_after = t.members_before * 2 + fake.between(0, 5)  # often more than twofold
            t.regionalised_on = fake.day_between(fake.today - timedelta(days=720), fake.today - timedelta(days=20))
        out.append(t)
        out += _villages(t, kind, size, fake)
    return out


def _villages(town: Place, kind: str, size, fake) -> list[Place]:
    known = names.KNOWN_VILLAGES.get(town.town, [])[: size.villages]
    chosen = list(known)
    while len(chosen) < size.villages:
        if kind == "街道" or (not chosen and fake.chance(0.5)):
            candidate = fake.pick(names.COMMUNITY_WORDS) + "社区"
        else:
            candidate = fake.pick(names.VILLAGE_HEADS) + fake.pick(names.VILLAGE_TAILS) + "村"
        if candidate not in chosen:
            chosen.append(candidate)
    out, seq = [], {True: 0, False: 200}
    for village in chosen:
        community = village.endswith("社区")
        seq[community] += 1
        v = Place(6, village, f"{town.code[:9]}{seq[community]:03d}", town, city=town.city, county=town.county,
                  town=town.town, village=village, area_code=town.area_code, county_code=town.county_code,
                  community=community, converted=village == "余村" or fake.chance(0.9 if community else 0.75))
        if v.converted:
            v.exec_added = fake.between(3, 7)
            # most converted in step with the 2021 village committee elections, the rest since
            v.with_election = fake.chance(0.7)
            v.converted_on = (fake.day_between(ELECTION_START, ELECTION_END) if v.with_election
                              else fake.day_between(fake.today - timedelta(days=700), fake.today - timedelta(days=10)))
        out.append(v)
    return out


def federation_name(p: Place) -> str:
    if p.level == 1:
        return "全国妇联"
    if p.level == 6 and not p.converted:
        return f"{p.name}妇代会"
    return f"{p.name}妇联"


def build(places: list[Place]) -> int:
    """Insert the planned units level by level, setting path and l1..l6 as federation_create does."""
    for level in range(1, 7):
        batch = [p for p in places if p.level == level]
        feds = []
        for p in batch:
            quota, depts = QUOTA_OVERRIDES.get(p.name, QUOTAS[level])
            name = federation_name(p)
            feds.append(Federation(
                name=name, code=p.code, level=level, parent=p.parent.fed if p.parent else None, path="/",
                form=Federation.Form.CONGRESS if level == 6 and not p.converted else Federation.Form.FEDERATION,
                name_pinyin=pinyin_full(name), name_initials=pinyin_initials(name), staffing_quota=quota,
                departments_quota=depts, has_hotline=level <= 4,
            ))
        Federation.objects.bulk_create(feds)
        for p, fed in zip(batch, feds, strict=True):
            parent = p.parent.fed if p.parent else None
            for col, value in rules.ancestor_columns(parent.ancestors() if parent else {}, level, fed.id).items():
                setattr(fed, col, value)
            fed.path = rules.path_of(parent.path if parent else None, fed.id)
            p.fed = fed
        Federation.objects.bulk_update(feds, ["path", "l1", "l2", "l3", "l4", "l5", "l6"], batch_size=200)
    return len(places)


def quota_history(places: list[Place]) -> int:
    """The 机构编制核定 rows of every unit with a quota (bulk, as build does); their latest equals the unit's
    staffing_quota/departments_quota, as org.services keeps it."""
    from niangjia.org.models import EstablishmentQuota

    rows = []
    for p in places:
        quota, depts = QUOTA_OVERRIDES.get(p.name, QUOTAS[p.level])
        if not quota:
            continue
        history = QUOTA_HISTORY.get(p.name) or [(QUOTA_BASE_DAY, (quota, depts, INSTITUTIONS.get(p.level, 0)), "")]
        for day, (staff, departments, institutions), document in history:
            row = EstablishmentQuota(effective_on=day, staff=staff, departments=departments, institutions=institutions,
                                     document=document)
            row.place_in(p.fed)
            rows.append(row)
    EstablishmentQuota.objects.bulk_create(rows, batch_size=500)
    return len(rows)
