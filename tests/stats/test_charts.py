"""The dashboard's charts (pure functions): a category keeps its colour from chart to chart."""

from datetime import date

from niangjia.stats import charts


def _rows(*cats):
    return [{"category": c, "period": date(2026, 3, 1), "n": 2, "t": 10} for c in cats]


def test_a_category_has_the_same_colour_in_the_pie_and_the_stacked_bars():
    rows = _rows("training", "visit", "online")
    table = charts.category_table(rows)
    pie = {d["name"]: d["itemStyle"]["color"] for d in charts.by_category_pie(table)["series"][0]["data"]}
    stack = {s["name"]: s["itemStyle"]["color"]
             for s in charts.by_month_and_category(rows, date(2026, 1, 1), date(2026, 6, 30))["series"]}
    assert pie == stack
    assert len(set(pie.values())) == 3


def test_a_category_keeps_its_colour_whatever_else_has_data():
    alone = charts.by_month_and_category(_rows("online"), date(2026, 1, 1), date(2026, 6, 30))["series"]
    among = charts.by_month_and_category(_rows("visit", "training", "online"), date(2026, 1, 1),
                                         date(2026, 6, 30))["series"]
    online = charts.CATEGORIES["online"]
    assert [s["itemStyle"] for s in alone if s["name"] == online] == \
        [s["itemStyle"] for s in among if s["name"] == online]
