"""One number for one thing: the field-stay figure of 各项工作汇总 and of the fieldwork page are the same
metric (done stays only: a planned or cancelled stay is not a stay made), at every grain."""

from datetime import date

from niangjia.fieldwork import queries
from niangjia.fieldwork import services as fw
from niangjia.stats import figures


def test_the_figures_page_and_the_fieldwork_page_count_the_same_stays(tree, personas, admin_user, fw_people):
    year = date.today().year
    fw.stay_log(actor=admin_user, person=fw_people.east, place=tree.east_village, start=date(year, 1, 5),
                end=date(year, 1, 8))
    fw.stay_log(actor=admin_user, person=fw_people.west, place=tree.west_village, start=date(year, 1, 12),
                end=date(year, 1, 13))
    fw.stay_plan(actor=admin_user, person=fw_people.east, place=tree.east_village, start=date(year, 12, 1),
                 end=date(year, 12, 5))
    span = {"start": date(year, 1, 1), "end": date(year, 12, 31)}
    for user, unit in ((personas.province, None), (personas.province, tree.city), (personas.east, None)):
        page = queries.work_counts(user, unit, year)["field_days"]
        board = figures.totals(user, unit=unit, metrics=["field_days"], **span)["field_days"]
        assert board == page
    assert figures.totals(personas.province, unit=None, metrics=["field_days"], **span)["field_days"] == {
        "n": 2, "t": 6}
    rows = figures.named_children(personas.province, unit=tree.city, metric="field_days", **span)
    assert [(r["name"], r["n"], r["t"]) for r in rows] == [("东县妇联", 1, 4), ("西县妇联", 1, 2)]
