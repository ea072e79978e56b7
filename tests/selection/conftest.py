"""Open-selection fixtures: a call of 东县妇联 (3 兼职副主席 + 2 兼职常委) with four candidates.

The folder's conftest: pytest finds its fixtures; tests import its plain helpers by name.

    东县妇联 call "东县公开选配": 甲 乙 丙 丁 applied in that order (staff entry by `east`);
    scorers are added per test through the real services.
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from niangjia.selection import services
from niangjia.selection.models import Selection

PHONES = ["13900000001", "13900000002", "13900000003", "13900000004"]
NAMES = ["甲", "乙", "丙", "丁"]
POSTS = [{"body": "leadership", "title": "兼职副主席", "seats": 3},
         {"body": "standing", "title": "兼职常委", "seats": 2}]


def today():
    return timezone.localdate()


def new_selection(actor, unit, **extra) -> Selection:
    kwargs = {"title": f"{unit.name[:2]}公开选配", "call_opens": today() - timedelta(days=5),
              "call_closes": today() + timedelta(days=5), "posts": POSTS} | extra
    return services.selection_create(actor=actor, unit=unit, **kwargs)


def apply(actor, selection, name, phone, **extra):
    data = {"name": name, "phone": phone, "project_title": f"{name}的项目", "project_need": "留守妇女就业难",
            "project_plan": "办三期技能培训"} | extra
    return services.candidate_create(actor=actor, selection=selection, **data)


class Sel:
    pass


@pytest.fixture
def sel(tree, personas):
    s = Sel()
    s.selection = new_selection(personas.east, tree.east)
    s.candidates = [apply(personas.east, s.selection, n, p) for n, p in zip(NAMES, PHONES, strict=True)]
    s.parts = {p.kind: p for p in s.selection.parts.all()}
    return s


def close_call(actor, selection):
    selection.refresh_from_db()
    return services.selection_close_call(actor=actor, selection=selection, version=selection.version)


def add_scorers(actor, part, n, prefix="评委"):
    return [services.scorer_add(actor=actor, part=part, name=f"{prefix}{i + 1}") for i in range(n)]


def submit(token, candidates, values):
    return services.scores_submit(token=token, values={c.pk: Decimal(str(v)) for c, v in zip(candidates, values,
                                                                                               strict=True)})


def score_all(actor, s, table: dict[str, list[list]]):
    """table: part kind → one list of values per scorer (in candidate order); closes every part."""
    for kind, rows in table.items():
        part = s.parts[kind]
        for (_, token), values in zip(add_scorers(actor, part, len(rows)), rows, strict=True):
            submit(token, s.candidates, values)
    for kind in table:
        part = s.parts[kind]
        part.refresh_from_db()
        services.part_close(actor=actor, part=part, version=part.version)
    s.selection.refresh_from_db()


class Api:
    BASE = "/api/v1/selection"

    def __init__(self, user=None):
        self.client = Client()
        if user is not None:
            self.client.force_login(user)

    def get(self, url, **params):
        return self.client.get(self.BASE + url, params)

    def post(self, url, body=None):
        return self.client.post(self.BASE + url, json.dumps(body or {}), content_type="application/json")

    def patch(self, url, body):
        return self.client.patch(self.BASE + url, json.dumps(body), content_type="application/json")


def error(r) -> dict:
    body = r.json()
    assert set(body) == {"error"}, body
    return body["error"]
