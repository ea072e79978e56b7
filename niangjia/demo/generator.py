"""Load the whole demo federation in one transaction, with one audit row for the bulk load."""

from dataclasses import asdict, dataclass
from datetime import date

from django.db import transaction

from niangjia.core import audit, extensions, periods
from niangjia.stats import rollup

from . import accounts, facts, people, sites, tree
from .fake import Fake


@dataclass(frozen=True)
class Size:
    cities: int
    counties: int  # per city
    towns: int  # per county
    villages: int  # per township
    women: int  # ordinary women with tags
    activities: int
    duplicates: int


SIZES = {
    "full": Size(cities=3, counties=4, towns=6, villages=4, women=800, activities=4000, duplicates=8),
    "small": Size(cities=1, counties=2, towns=2, villages=3, women=120, activities=300, duplicates=4),
}
@dataclass
class DemoContext:
    """What a domain app's demo loader gets: the seeded faker, the planned places (each with
    `.fed`, `.level`, `.name`), places by name, the admin user and the counts so far."""

    fake: Fake
    size: str
    places: list
    by_name: dict
    admin: object
    counts: dict


SEED = 20_160_301  # deterministic: the same seed and day give the same federation


def load(size: str = "full", *, seed: int = SEED, today: date | None = None) -> dict[str, int]:
    """Build the demo federation; everything or nothing. Returns the counts written."""
    spec = SIZES[size]
    fake = Fake(seed, today or periods.today())
    places = tree.plan(spec, fake)
    by_name = {p.name: p for p in places}
    counts: dict[str, int] = {}
    hashed = accounts.hash_in_background()
    with transaction.atomic():
        counts["federations"] = tree.build(places)
        counts["quotas"] = tree.quota_history(places)
        counts["sites"], counts["organisations"] = sites.build(fake, places)
        crowd = people.People(fake)
        for place in places:
            people.bodies(crowd, place)
            people.organ(crowd, place)
        people.women(crowd, [p for p in places if p.level == 6], spec.women)
        counts["duplicate_persons"] = people.duplicates(crowd, spec.duplicates)
        counts["persons"], counts["posts"] = crowd.save()
        counts["village_conversions"], counts["township_regionalisations"] = facts.reforms(places)
        admin, counts["users"] = accounts.create(by_name, hashed)
        counts["activities"] = facts.activities(fake, places, spec.activities, actor=admin)
        ctx = DemoContext(fake=fake, size=size, places=places, by_name=by_name, admin=admin, counts=counts)
        for name, loader in extensions.demo_loaders():
            counts[name] = loader(ctx)
        summary_rows = rollup.rebuild_all(rollup.registered_metrics())
        counts["summary_rows"] = sum(summary_rows.values())
        audit.record(admin, "demo.load", None, summary=f"加载演示数据（{size}）", unit=by_name["浙江省"].fed,
                     detail={"size": asdict(spec), "seed": seed, "counts": counts})
    return counts
