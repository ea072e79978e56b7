"""Demo facts: village conversions (会改联), township regionalisations and logged activities.

Their summary rows are not bumped one by one: the loader rebuilds them afterwards with
stats.rollup, which yields exactly what the writing services would have bumped.
"""

from niangjia.org.models import TownshipRegionalisation, VillageConversion
from niangjia.stats.models import ActivityLog

from . import names

# Share of activities held at each level, and the women one activity reaches there.
LEVEL_WEIGHTS = {6: 0.58, 5: 0.25, 4: 0.11, 3: 0.04, 2: 0.02}
REACH = {6: (8, 80), 5: (20, 220), 4: (40, 600), 3: (100, 1500), 2: (300, 5000)}
CATEGORY_WEIGHTS = {"outreach": 18, "training": 14, "visit": 22, "service": 16, "rights": 10, "consultation": 12,
                    "online": 8}


def reforms(places) -> tuple[int, int]:
    conversions, regionalisations = [], []
    for p in places:
        if p.level == 6 and p.converted:
            c = VillageConversion(converted_on=p.converted_on, executive_members_added=p.exec_added,
                                  with_village_election=p.with_election,
                                  note="与村（社区）组织换届同步选举" if p.with_election else "换届后补选产生")
            c.place_in(p.fed)
            conversions.append(c)
        if p.level == 5 and p.regionalised_on:
            r = TownshipRegionalisation(completed_on=p.regionalised_on, members_before=p.members_before,
                                        members_after=p.members_after, note="吸纳两新组织、巾帼志愿者等进入执委会")
            r.place_in(p.fed)
            regionalisations.append(r)
    VillageConversion.objects.bulk_create(conversions, batch_size=500)
    TownshipRegionalisation.objects.bulk_create(regionalisations, batch_size=500)
    return len(conversions), len(regionalisations)


def activities(fake, places, count: int, actor=None) -> int:
    """`count` activities over the last two years, most of them in villages and townships."""
    by_level = {lvl: [p for p in places if p.level == lvl] for lvl in LEVEL_WEIGHTS}
    levels = [lvl for lvl in LEVEL_WEIGHTS if by_level[lvl]]
    weights = [LEVEL_WEIGHTS[lvl] for lvl in levels]
    categories, cat_weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    rows = []
    for _ in range(count):
        level = fake.rng.choices(levels, weights)[0]
        place = fake.pick(by_level[level])
        category = fake.rng.choices(categories, cat_weights)[0]
        lo, hi = REACH[level]
        reached = fake.between(lo, hi) * (3 if category == "online" else 1)
        a = ActivityLog(day=fake.day_within(729), category=category, women_reached=reached, created_by=actor,
                        title=f"{place.name}{fake.pick(names.ACTIVITY_TITLES[category])}"[:120])
        a.place_in(place.fed)
        rows.append(a)
    ActivityLog.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
