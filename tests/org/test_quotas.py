"""机构编制核定 through the service, the API and the page: history kept, the federation's current quota
follows today's row, edits versioned and audited, the cut of the unit and its children checked."""

from datetime import date

import pytest
from api.helpers import Api, error_of
from django.test import Client

from niangjia.core.models import AuditEntry
from niangjia.org import services
from niangjia.org.models import EstablishmentQuota, Federation


@pytest.fixture
def cut(tree, admin_user):
    """The city and its counties: the city cut all three by 20%+, 东县 cut staffing only, 西县 has no
    quota before."""
    a = admin_user
    services.quota_record(actor=a, unit=tree.city, effective_on=date(2015, 1, 1), staff=15, departments=4,
                          institutions=5, document="编办〔2015〕1号")
    services.quota_record(actor=a, unit=tree.city, effective_on=date(2017, 6, 30), staff=12, departments=3,
                          institutions=4)
    services.quota_record(actor=a, unit=tree.east, effective_on=date(2015, 1, 1), staff=10, departments=2,
                          institutions=1)
    services.quota_record(actor=a, unit=tree.east, effective_on=date(2017, 1, 1), staff=8, departments=2,
                          institutions=1)
    services.quota_record(actor=a, unit=tree.west, effective_on=date(2018, 1, 1), staff=5, departments=1,
                          institutions=0)
    return tree


def test_recording_a_quota_keeps_the_history_and_moves_the_current_quota(cut):
    city = Federation.objects.get(pk=cut.city.pk)
    # then: the federation shows today's quota; both approvals are kept
    assert (city.staffing_quota, city.departments_quota) == (12, 3)
    assert list(EstablishmentQuota.objects.filter(unit=city).order_by("effective_on")
                .values_list("staff", "departments", "institutions")) == [(15, 4, 5), (12, 3, 4)]
    rows = set(EstablishmentQuota.objects.filter(unit=city).values_list("pk", flat=True))
    audited = set(AuditEntry.objects.filter(action="quota.record", target_type="org.establishmentquota")
                  .values_list("target_id", flat=True))
    assert {str(pk) for pk in rows} <= audited


def test_a_second_quota_on_the_same_day_is_refused_naming_the_field(cut, admin_user):
    r = Api(admin_user).post(f"/federations/{cut.city.pk}/quotas",
                             {"effective_on": "2017-06-30", "staff": 11, "departments": 3, "institutions": 4})
    assert r.status_code == 400
    assert "effective_on" in error_of(r)["fields"]


def test_editing_the_federations_staffing_quota_becomes_todays_row(tree, admin_user):
    fed = Federation.objects.get(pk=tree.west.pk)
    services.federation_update(actor=admin_user, federation=fed, version=fed.version, staffing_quota=7)
    row = EstablishmentQuota.objects.get(unit=fed)
    assert (row.staff, row.note) == (7, "新建或修改组织信息时登记")


def test_the_cut_board_checks_each_unit_against_the_20_percent_target(cut, personas):
    body = Api(personas.province).get(f"/federations/{cut.city.pk}/quota-cut", base="2016-01-01",
                                      on="2019-01-01").json()
    rows = {r["unit"]["id"]: r for r in body["rows"]}
    assert body["target_pct"] == 20
    city, east, west = rows[cut.city.pk], rows[cut.east.pk], rows[cut.west.pk]
    assert city["own"] and city["cut"]["met"] is True
    assert {k: d["pct"] for k, d in city["cut"]["dimensions"].items()} == {"staff": 20.0, "departments": 25.0,
                                                                           "institutions": 20.0}
    assert east["cut"]["met"] is False and east["cut"]["missed"] == ["内设机构", "直属事业单位"]
    assert west["before"] is None and west["cut"] is None  # no quota yet in 2016: not compared
    assert (body["assessed"], body["met"]) == (2, 1)
    assert body["total"]["before"] == {"staff": 25, "departments": 6, "institutions": 6}


def test_a_federation_may_set_its_own_target(cut, admin_user):
    from niangjia.core import policies

    policies.set_override(actor=admin_user, key="org.quota_cut", unit=cut.city, value={"cut_pct": 10}, version=0)
    body = Api(admin_user).get(f"/federations/{cut.city.pk}/quota-cut", base="2016-01-01", on="2019-01-01").json()
    assert body["target_pct"] == 10
    assert (body["assessed"], body["met"]) == (2, 1)  # 东县 kept its departments: 0% < 10%


def test_a_stale_correction_is_refused_and_a_missing_version_is_a_400(cut, admin_user):
    row = EstablishmentQuota.objects.get(unit=cut.city, effective_on=date(2017, 6, 30))
    api = Api(admin_user)
    ok = api.patch(f"/quotas/{row.pk}", {"version": row.version, "institutions": 3})
    assert ok.status_code == 200 and ok.json()["institutions"] == 3 and ok.json()["version"] == row.version + 1
    assert api.patch(f"/quotas/{row.pk}", {"version": row.version, "institutions": 2}).status_code == 409
    assert api.patch(f"/quotas/{row.pk}", {"institutions": 2}).status_code in (400, 422)
    assert EstablishmentQuota.objects.get(pk=row.pk).institutions == 3


def test_correcting_todays_row_moves_the_federations_quota(cut, admin_user):
    row = EstablishmentQuota.objects.get(unit=cut.city, effective_on=date(2017, 6, 30))
    Api(admin_user).patch(f"/quotas/{row.pk}", {"version": row.version, "staff": 11})
    assert Federation.objects.get(pk=cut.city.pk).staffing_quota == 11


def test_a_county_cadre_can_read_but_not_write_another_countys_quota(cut, personas):
    api = Api(personas.east)
    assert api.get(f"/federations/{cut.west.pk}/quotas").status_code == 404
    assert api.post(f"/federations/{cut.west.pk}/quotas", {"effective_on": "2020-01-01", "staff": 1,
                                                           "departments": 0, "institutions": 0}).status_code == 404
    assert [q["staff"] for q in api.get(f"/federations/{cut.east.pk}/quotas").json()["items"]] == [8, 8, 10]  # today (set when 东县 was created), 2017, 2015


def test_the_page_shows_the_cut_and_the_history_and_exports(cut, personas):
    client = Client()
    client.force_login(personas.province)
    page = client.get(f"/org/{cut.city.pk}/quotas/?base=2016-01-01&on=2019-01-01")
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 个组织可比，1 个达标" in html
    assert "15 → 12" in html and "未达标" in html and "编办〔2015〕1号" in html
    xlsx = client.get(f"/org/{cut.city.pk}/quotas/?base=2016-01-01&on=2019-01-01&export=xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_recording_through_the_page_form(tree, admin_user):
    client = Client()
    client.force_login(admin_user)
    r = client.post(f"/org/{tree.west.pk}/quotas/new/", {"effective_on": "2020-03-01", "staff": "6",
                                                         "departments": "2", "institutions": "1", "document": "",
                                                         "note": ""})
    assert r.status_code == 302
    assert EstablishmentQuota.objects.filter(unit=tree.west, staff=6).exists()
    bad = client.post(f"/org/{tree.west.pk}/quotas/new/", {"effective_on": "2020-03-01", "staff": "-1",
                                                           "departments": "2", "institutions": "1"})
    assert bad.status_code == 400
