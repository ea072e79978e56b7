"""The demo federation (`niangjia demo`) and the summary rebuild (`niangjia rollup --rebuild`)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse

from niangjia.accounts.models import User
from niangjia.core import sensitive
from niangjia.core.models import AuditEntry, SummaryCount
from niangjia.core.validators import id_number_problem, phone_problem
from niangjia.demo import accounts, tree
from niangjia.demo.fake import Fake
from niangjia.demo.generator import SEED, SIZES
from niangjia.org import services as org
from niangjia.org.models import Federation, Organisation, Site, TownshipRegionalisation, VillageConversion
from niangjia.people.models import Person, Post
from niangjia.people.queries import composition_report, duplicate_groups
from niangjia.stats import queries as stats_queries
from niangjia.stats import services as stats
from niangjia.stats.models import ActivityLog

pytestmark = pytest.mark.django_db


def load_small() -> str:
    out = StringIO()
    call_command("demo", "--if-empty", "--small", stdout=out)
    return out.getvalue()


def summary_rows(metric: str) -> set[tuple]:
    return set(SummaryCount.objects.filter(metric=metric)
               .values_list("period", "category", "status", "l1", "l2", "l3", "count", "total"))


def rows_from_facts(model, day: str, total, category=None) -> set[tuple]:
    """What the writing services would have bumped, counted here straight from the fact rows."""
    rows = (model.objects.annotate(period=TruncMonth(day), c1=Coalesce("l1", 0), c2=Coalesce("l2", 0),
                                   c3=Coalesce("l3", 0))
            .values("period", "c1", "c2", "c3", *([category] if category else []))
            .annotate(n=Count("id"), t=Sum(total)).order_by())
    return {(r["period"], r[category] if category else "", "", r["c1"], r["c2"], r["c3"], r["n"], r["t"])
            for r in rows}


def test_demo_loads_a_whole_province_into_an_empty_database():
    # given an empty database
    assert not Federation.objects.exists()
    # when the demo is loaded
    output = load_small()
    # then every level of the tree, every kind of site and organisation, people and facts are there
    assert set(Federation.objects.values_list("level", flat=True)) == {1, 2, 3, 4, 5, 6}
    assert Federation.objects.get(level=1).name == "全国妇联"
    assert Federation.objects.filter(level=2, code="330000000000").exists()  # and the other provinces (reform demo)
    assert set(Site.objects.values_list("kind", flat=True)) == set(Site.Kind.values)
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    assert set(Organisation.objects.values_list("agency_type", flat=True)) == set(Organisation.Agency.values)
    assert Site.objects.filter(kind="hotline").count() == Federation.objects.filter(level__lte=4).count()
    micro = Site.objects.get(kind="micro_home", unit__name="余村妇联")
    assert "蔬菜" in micro.host and micro.services == ["微服务", "微活动", "微公益", "微就业"]
    assert Person.objects.count() > 500 and Post.objects.count() > 500
    assert set(Post.objects.values_list("body", flat=True)) == set(Post.Body.values)
    assert Post.objects.filter(unit__name="湖州市妇联", body="executive").count() == 43
    assert ActivityLog.objects.count() == SIZES["small"].activities
    assert VillageConversion.objects.exists() and TownshipRegionalisation.objects.exists()
    # and it says where to log in and who can
    assert "http://127.0.0.1:8000/" in output and "niangjia-demo" in output
    for acc in accounts.ACCOUNTS:
        assert acc.username in output
    # and the bulk load left exactly one audit row
    assert AuditEntry.objects.filter(action="demo.load").count() == 1


def test_demo_persons_carry_valid_id_numbers_and_phones():
    # given the demo
    load_small()
    # when the sealed values are opened
    people = Person.objects.exclude(id_number_enc="").exclude(phone_enc="")[:300]
    # then every ID number passes GB 11643 and every phone passes libphonenumber
    assert len(people) == 300
    for p in people:
        assert id_number_problem(sensitive.decrypt(p.id_number_enc)) is None
        assert phone_problem(sensitive.decrypt(p.phone_enc)) is None
    assert Person.objects.filter(origin__in=["hk", "mo", "tw"]).count() == 3
    tags = {t for ts in Person.objects.values_list("tags", flat=True) for t in ts}
    assert {"poor", "migrant_worker", "full_time_mother", "entrepreneur", "new_org"} <= tags


def test_demo_shows_met_and_unmet_composition_and_duplicates():
    # given the demo
    load_small()
    admin = User.objects.get(username="admin")
    # when the status screens' queries run
    verdicts = {r.met for f in Federation.objects.filter(level__lte=5) for r in composition_report(f)["rules"]}
    city = composition_report(Federation.objects.get(name="湖州市妇联"))
    groups = duplicate_groups(admin)
    # then some rules are met and some are not, the city is over its cut quota, and duplicates wait
    assert {True, False} <= verdicts
    assert {r.code: r.met for r in city["rules"]}["standing_grassroots"] is False
    assert city["staffing"].within_quota is False
    assert {g["reason"] for g in groups} == {"身份证号相同", "电话相同"}


def test_second_run_with_if_empty_skips():
    # given a loaded demo
    load_small()
    before = (Federation.objects.count(), Person.objects.count(), ActivityLog.objects.count())
    # when it runs again with --if-empty
    output = load_small()
    # then it says it skips, writes nothing, and still prints the accounts
    assert "跳过" in output
    assert (Federation.objects.count(), Person.objects.count(), ActivityLog.objects.count()) == before
    assert "zj_leader" in output
    assert AuditEntry.objects.filter(action="demo.load").count() == 1


def test_demo_refuses_a_database_that_already_has_a_tree(tree_fixture_free_admin):
    # given a database with a federation
    org.federation_create(actor=tree_fixture_free_admin, parent=None, name="全国妇联", code="100000000000")
    # when the demo is loaded without --if-empty
    with pytest.raises(CommandError):
        call_command("demo", "--small", stdout=StringIO())
    # then nothing was added
    assert Federation.objects.count() == 1
    assert not Person.objects.exists()


@pytest.fixture
def tree_fixture_free_admin(db):
    return User.objects.create_user(username="root", password="x", is_superuser=True, roles=["admin"])


def test_every_demo_account_logs_in_with_the_demo_password(client):
    # given the demo
    load_small()
    for acc in accounts.ACCOUNTS:
        # when each account logs in on the login page
        client.logout()
        response = client.post(reverse("login"), {"username": acc.username, "password": "niangjia-demo"})
        # then she is in, with her role, and her home page opens
        assert response.status_code == 302, acc.username
        user = User.objects.get(username=acc.username)
        assert str(client.session["_auth_user_id"]) == str(user.pk)
        assert user.roles == [acc.role]
        assert client.get("/").status_code == 200, acc.username
        if acc.unit:
            scope = user.scopes.get().unit
            assert scope.name.startswith(acc.unit)
            assert user.person is not None and user.get_reach().covers_obj(user.person)


def test_summary_rows_equal_the_counts_from_the_facts():
    # given the demo
    load_small()
    # when the summaries are compared with the facts
    # then each metric holds exactly what the writing services would have bumped
    assert summary_rows("activity") == rows_from_facts(ActivityLog, "day", "women_reached", "category")
    assert summary_rows("village_conversion") == rows_from_facts(
        VillageConversion, "converted_on", "executive_members_added")
    assert summary_rows("township_regionalisation") == rows_from_facts(
        TownshipRegionalisation, "completed_on", F("members_after") - F("members_before"))
    # and the province dashboard (from summaries) agrees with a county-by-county count of the facts
    admin = User.objects.get(username="admin")
    province = Federation.objects.get(code="330000000000")
    start, end = date(2000, 1, 1), date.today()
    dashboard = stats_queries.activity_counts(admin, unit=province, start=start, end=end)
    assert sum(r["n"] for r in dashboard) == ActivityLog.objects.count()
    assert sum(r["t"] for r in dashboard) == ActivityLog.objects.aggregate(t=Sum("women_reached"))["t"]


def test_rollup_rebuild_is_idempotent():
    # given the demo with its summary rows
    load_small()
    before = {m: summary_rows(m) for m in ("activity", "village_conversion", "township_regionalisation")}
    # when the rebuild runs twice
    call_command("rollup", "--rebuild", stdout=StringIO())
    call_command("rollup", "--rebuild", "--metric", "activity", stdout=StringIO())
    # then the rows are the same
    assert {m: summary_rows(m) for m in before} == before
    assert AuditEntry.objects.filter(action="rollup.rebuild").count() == 2


def test_rollup_rebuild_gives_what_the_services_bumped(tree, admin_user):
    # given facts written one by one through the services, each bumping its summary
    stats.activity_log(actor=admin_user, unit=tree.east_village, day=date(2025, 3, 8), category="visit",
                       title="走访", women_reached=12)
    stats.activity_log(actor=admin_user, unit=tree.east_village2, day=date(2025, 3, 20), category="visit",
                       title="走访", women_reached=5)
    stats.activity_log(actor=admin_user, unit=tree.province, day=date(2025, 4, 1), category="training",
                       title="培训", women_reached=100)
    stats.activity_log(actor=admin_user, unit=tree.nation, day=date(2025, 4, 2), category="online",
                       title="线上", women_reached=7)
    org.village_conversion_record(actor=admin_user, village=tree.east_village, converted_on=date(2021, 2, 1),
                                  executive_members_added=6)
    org.township_regionalisation_record(actor=admin_user, township=tree.west_town, completed_on=date(2024, 5, 6),
                                        members_before=7, members_after=19)
    bumped = {m: summary_rows(m) for m in ("activity", "village_conversion", "township_regionalisation")}
    # when the summaries are rebuilt from the facts
    call_command("rollup", "--rebuild", stdout=StringIO())
    # then they are exactly the bumped rows
    assert {m: summary_rows(m) for m in bumped} == bumped
    assert len(bumped["activity"]) == 3
    assert bumped["township_regionalisation"] == {(date(2024, 5, 1), "", "", tree.nation.id, tree.province.id,
                                                   tree.city.id, 1, 12)}


def test_demo_plan_is_deterministic():
    # given the same seed and day
    day = date(2026, 3, 8)
    # when the tree is planned twice
    first = [(p.name, p.code, p.converted, p.exec_added) for p in tree.plan(SIZES["full"], Fake(SEED, day))]
    second = [(p.name, p.code, p.converted, p.exec_added) for p in tree.plan(SIZES["full"], Fake(SEED, day))]
    # then it is the same several hundred units, with unique codes
    assert first == second
    assert 300 <= len(first) <= 400
    assert len({code for _, code, _, _ in first}) == len(first)
