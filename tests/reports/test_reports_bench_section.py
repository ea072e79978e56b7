"""The `make bench` section "统计报表：全国合计一个字段" (reports/bench.py) at a small size: the national
total of a report form's field read from the summary rows equals the sum over the fact rows, and the
section reports how long each took."""

import re

import pytest

from niangjia.org.models import Federation
from niangjia.reports import bench

VILLAGES = 2000


@pytest.fixture
def villages(tree):
    """2,000 more villages under 东镇, inserted as the bench's generator does (bulk, columns set)."""
    town = tree.east_town
    made = Federation.objects.bulk_create([
        Federation(name=f"村{n}", code=f"8{n:011d}", level=6, parent=town, path="/", **town.ancestors())
        for n in range(VILLAGES)])
    for f in made:
        f.l6 = f.pk
        f.path = f"{town.path}{f.pk}/"
    Federation.objects.bulk_update(made, ["l6", "path"], batch_size=500)
    return Federation.objects.filter(level=6).count()


def test_the_national_total_of_a_field_agrees_with_the_facts_and_is_timed(villages, admin_user, capsys):
    lines = bench.run(None)
    text = "\n".join(lines)
    with capsys.disabled():
        print(f"\n[{bench.TITLE}] {villages} villages\n{text}")
    # then every village reported once and the summary total is the facts' (the section asserts equality)
    assert f"villages reporting: {villages:,}" in text
    assert f"national total {sum(n % 97 for n in range(villages)):,}" in text
    assert re.search(r"national total from summary rows: median [\d.]+ ms \(5 runs\)", text)
    # and a second run reuses the loaded form (no second load)
    assert "rebuilding the summaries: 0.0 s" in "\n".join(bench.run(None))
