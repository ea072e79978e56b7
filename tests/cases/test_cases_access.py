"""Need-to-know: a case is readable in full only by its worker, its named supervisors and the admin;
everyone else (even a cadre of the same county) gets 404 on the page and the API, and counts only."""

import pytest
from conftest import make_user
from django.test import Client

from niangjia.cases import queries, services
from niangjia.core.models import AuditEntry
from tests.cases.conftest import open_case

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def reads(case) -> list[str]:
    return list(AuditEntry.objects.filter(action="case.read", target_id=str(case.pk))
                .order_by("id").values_list("actor__username", flat=True))


@pytest.fixture
def outsiders(staff, tree):
    """Everyone in reach who is not on the case: the same-county cadre, another worker, an unnamed supervisor,
    the city supervisor (not named) and the hotline operator who took the call."""
    return {"cadre": staff.cadre, "worker2": staff.worker2, "sup2": staff.sup2, "city_sup": staff.city_sup,
            "hotline": staff.hotline, "west_worker": staff.west_worker}


@pytest.mark.parametrize("who", ["cadre", "worker2", "sup2", "city_sup", "hotline", "west_worker"])
def test_someone_not_on_the_case_gets_404_on_the_page_and_the_api(staff, tree, case, outsiders, who):
    user = outsiders[who]
    c = client(user)
    # when
    page = c.get(f"/cases/{case.pk}/")
    api = c.get(f"/api/v1/cases/{case.pk}")
    act = c.post(f"/api/v1/cases/{case.pk}/follow-ups", {"method": "phone", "note": "偷看"},
                 content_type="application/json")
    # then: the same answer a missing case gives, and nothing leaks
    assert page.status_code == 404 and "李春花" not in page.content.decode()
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert act.status_code == 404
    assert c.get("/api/v1/cases/999999").status_code == 404
    assert reads(case) == []
    assert case.follow_ups.count() == 0


@pytest.mark.parametrize("who", ["worker", "sup", "admin"])
def test_the_worker_a_named_supervisor_and_the_admin_read_it_in_full_and_each_read_is_audited(
        staff, tree, case, admin_user, who):
    user = {"worker": staff.worker, "sup": staff.sup, "admin": admin_user}[who]
    c = client(user)
    page = c.get(f"/cases/{case.pk}/")
    body = c.get(f"/api/v1/cases/{case.pk}").json()
    assert page.status_code == 200 and "丈夫多次殴打" in page.content.decode()
    assert body["narrative"] == "丈夫多次殴打，昨晚掐脖子" and body["phone"] == "+8613900001111"
    assert reads(case) == [user.username, user.username]


def test_a_scoped_admin_of_the_county_reads_it_and_one_of_the_other_county_does_not(staff, tree, case):
    east_admin = make_user("east_admin", ["admin"], [tree.east])
    west_admin = make_user("west_admin", ["admin"], [tree.west])
    assert client(east_admin).get(f"/cases/{case.pk}/").status_code == 200
    assert client(west_admin).get(f"/cases/{case.pk}/").status_code == 404


def test_naming_a_supervisor_opens_the_case_to_her(staff, tree, case):
    assert client(staff.city_sup).get(f"/api/v1/cases/{case.pk}").status_code == 404
    services.case_reassign(actor=staff.sup, case=case, worker=staff.worker, supervisors=[staff.sup, staff.city_sup])
    assert client(staff.city_sup).get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_reassigning_moves_the_case_away_from_the_old_worker(staff, tree, case):
    services.case_reassign(actor=staff.sup, case=case, worker=staff.worker2)
    assert client(staff.worker).get(f"/cases/{case.pk}/").status_code == 404
    assert client(staff.worker2).get(f"/cases/{case.pk}/").status_code == 200


def test_lists_hold_only_the_callers_cases_and_counts_hold_everything_in_reach(staff, tree):
    mine = open_case(staff, tree)
    theirs = open_case(staff, tree, worker=staff.worker2, supervisors=[])
    assert [c.pk for c in queries.cases_for(staff.worker)] == [mine.pk]
    assert [i["id"] for i in client(staff.worker2).get("/api/v1/cases").json()["items"]] == [theirs.pk]
    assert {i["id"] for i in client(staff.sup).get("/api/v1/cases").json()["items"]} == {mine.pk}
    # the cadre has cases.view: counts, not cases
    cadre = client(staff.cadre)
    assert cadre.get("/api/v1/cases").status_code == 403
    counts = cadre.get("/api/v1/cases/counts").json()
    assert counts["total"] == 2
    assert {r["key"]: r["n"] for r in counts["by_type"]}["domestic_violence"] == 2
    assert cadre.get("/cases/", follow=False).url == "/cases/counts/"
    page = cadre.get("/cases/counts/").content.decode()
    assert "李春花" not in page and mine.number not in page
    # west sees none of 东县's counts
    west = make_user("west_stats", ["statistician"], [tree.west])
    assert client(west).get("/api/v1/cases/counts").json()["total"] == 0


def test_the_counts_export_holds_counts_only(staff, tree, case):
    r = client(staff.cadre).get("/cases/counts/?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("维度", "项目", "数量")
    assert ("类型", "家庭暴力", 1) in rows
    assert all("李春花" not in str(v) for row in rows for v in row)


def test_a_user_without_any_case_permission_is_refused(staff, tree, personas, case):
    village = client(personas.village)
    assert village.get("/cases/").status_code == 403
    assert village.get("/cases/counts/").status_code == 403
    assert village.get("/api/v1/cases/counts").status_code == 403


def test_counts_from_summaries_for_a_city_reach_agree_with_counts_from_rows_for_a_county(staff, tree):
    # given cases moved along in 东县 (and one in 西县)
    a = open_case(staff, tree, answers={"weapon": True}, consent_share=True)
    services.case_transition(actor=staff.worker, case=a, to="assessment")
    ref = services.referral_create(actor=staff.worker, case=a, agency=staff.police)
    services.referral_update(actor=staff.worker, referral=ref, to="declined")
    b = open_case(staff, tree, case_type="custody")
    services.case_transition(actor=staff.worker, case=b, to="closed", outcome="withdrawn", reason="撤回")
    open_case(staff, tree, worker=staff.west_worker, supervisors=[], actor=staff.west_worker, unit=tree.west)
    city_user = make_user("city_stats", ["statistician"], [tree.city])
    # when a city user asks (summary rows), and the same is counted from the case rows
    city = queries.counts_for(city_user)
    by_type, by_risk, by_status, refs = queries._facts(city_user, None)
    county = queries.counts_for(staff.cadre)
    # then
    assert city["from_summaries"] and not county["from_summaries"]
    assert {r["key"]: r["n"] for r in city["by_type"] if r["n"]} == by_type
    assert {r["key"]: r["n"] for r in city["by_risk"] if r["n"]} == by_risk
    assert {r["key"]: r["n"] for r in city["by_status"] if r["n"]} == by_status
    assert {(r["key"], s): r[s] for r in city["referrals"] for s in ("sent", "accepted", "declined", "done")
            if r[s]} == refs
    assert city["total"] == 3 and county["total"] == 2
    assert {r["key"]: r["declined"] for r in county["referrals"]}["police"] == 1
    assert queries.counts_for(city_user, unit=tree.east)["by_status"] == county["by_status"]
