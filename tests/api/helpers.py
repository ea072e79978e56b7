"""A JSON client for /api/v1, valid test identities, and a record set in both county branches.

`build_records` creates, through the real services, one record of every kind in 东县 (the
county), 东镇 (its township), 东村 (a village) and 西县 (the other county), so tests can ask
who sees which.
"""

import json
from datetime import date

from conftest import PASSWORD, make_user  # noqa: F401 - re-exported for API tests
from django.test import Client

from niangjia.accounts.models import ApiToken, User, UserScope
from niangjia.core.models import AuditEntry, PolicyOverride, SummaryCount
from niangjia.core.validators import id_check_char
from niangjia.org import services as org
from niangjia.org.models import (
    EstablishmentQuota,
    Federation,
    Organisation,
    Site,
    TownshipRegionalisation,
    VillageConversion,
)
from niangjia.people import services as people
from niangjia.people.models import Person, Post
from niangjia.stats import services as stats
from niangjia.stats.models import ActivityLog, SavedPivot

BASE = "/api/v1"


class Api:
    """Calls /api/v1 as one user (session via force_login, or a bearer token)."""

    def __init__(self, user=None, token: str | None = None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        if user is not None:
            self.client.force_login(user)

    def get(self, url: str, **params):
        params = {k: v for k, v in params.items() if v is not None}
        return self.client.get(BASE + url, params, headers=self.headers)

    def post(self, url: str, body: dict | None = None):
        return self.client.post(BASE + url, json.dumps(body or {}), content_type="application/json",
                                headers=self.headers)

    def patch(self, url: str, body: dict):
        return self.client.patch(BASE + url, json.dumps(body), content_type="application/json", headers=self.headers)

    def put(self, url: str, body: dict):
        return self.client.put(BASE + url, json.dumps(body), content_type="application/json", headers=self.headers)

    def delete(self, url: str, body: dict | None = None):
        return self.client.delete(BASE + url, headers=self.headers)

    def call(self, method: str, url: str, body: dict | None = None):
        return self.get(url) if method == "GET" else getattr(self, method.lower())(url, body)


def token_for(username: str, password: str = PASSWORD) -> str:
    r = Client().post(BASE + "/auth/token", json.dumps({"username": username, "password": password}),
                      content_type="application/json")
    assert r.status_code == 200, r.content
    return r.json()["token"]


def id_number(born: str, seq: str = "002", region: str = "110105") -> str:
    """A GB 11643-valid ID number for a birth date YYYYMMDD (an even 17th digit: a woman)."""
    first17 = f"{region}{born}{seq}"
    return first17 + id_check_char(first17)


def ids_of(body) -> set[int]:
    """The record ids in a page ({items}) or a plain list."""
    items = body["items"] if isinstance(body, dict) else body
    return {item["id"] for item in items}


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


class Records:
    """Named records by family and place: records.site["west"], records.person["town"], ..."""


def build_records(tree, admin) -> Records:
    r = Records()
    places = {"east": tree.east, "town": tree.east_town, "village": tree.east_village, "west": tree.west}
    r.fed = dict(places)
    r.site, r.org, r.person, r.post, r.activity = {}, {}, {}, {}, {}
    for n, (key, unit) in enumerate(places.items(), start=1):
        r.site[key] = org.site_create(actor=admin, unit=unit, kind="womens_home", name=f"{unit.name}妇女之家")
        r.org[key] = org.organisation_create(actor=admin, unit=unit, kind="social_org", name=f"{unit.name}巾帼志愿队")
        r.person[key] = people.person_create(actor=admin, unit=unit, name=f"王{'一二三四'[n - 1]}红",
                                             phone=f"1380013800{n}", id_number=id_number(f"1980010{n}"),
                                             address=f"{unit.name}所在地{n}号")
        r.post[key] = people.post_create(actor=admin, person=r.person[key], unit=unit, body="executive", title="执委")
        r.activity[key] = stats.activity_log(actor=admin, unit=unit, day=date(2025, 3, n), category="training",
                                             title=f"{unit.name}培训", women_reached=10 * n)
    r.conversion = {
        "village": org.village_conversion_record(actor=admin, village=tree.east_village, converted_on=date(2024, 5, 1),
                                                 executive_members_added=4),
        "east": org.village_conversion_record(actor=admin, village=tree.east_village2, converted_on=date(2024, 5, 2),
                                              executive_members_added=3),
        "west": org.village_conversion_record(actor=admin, village=tree.west_village, converted_on=date(2024, 5, 3),
                                              executive_members_added=5),
    }
    r.regionalisation = {
        "town": org.township_regionalisation_record(actor=admin, township=tree.east_town,
                                                    completed_on=date(2024, 6, 1), members_before=5, members_after=9),
        "west": org.township_regionalisation_record(actor=admin, township=tree.west_town,
                                                    completed_on=date(2024, 6, 2), members_before=4, members_after=8),
    }
    r.user = {"east": make_user("east_clerk", ["statistician"], [tree.east_village]),
              "west": make_user("west_clerk", ["statistician"], [tree.west_village])}
    r.audit = {key: AuditEntry.objects.get(action="site.create", target_id=str(site.pk))
               for key, site in r.site.items()}
    return r


SNAPSHOT_MODELS = (Federation, Site, Organisation, VillageConversion, TownshipRegionalisation, Person, Post,
                   ActivityLog, User, UserScope, AuditEntry, SummaryCount, PolicyOverride, EstablishmentQuota,
                   SavedPivot)


def snapshot() -> dict:
    """Every row a write could touch (tokens excepted), to prove a refused request changed nothing."""
    rows = {m.__name__: list(m._base_manager.order_by("pk").values()) for m in SNAPSHOT_MODELS}
    for row in rows["User"]:
        row.pop("last_login")  # logging in to make the request is not the change under test
    rows["ApiToken.revoked"] = list(ApiToken.objects.order_by("pk").values_list("pk", "revoked"))
    return rows
