"""A participant's rating is retry-safe: a resend with the same submission key (page field or
Idempotency-Key header) returns the saved rating instead of "您已经评价过"; another key is
refused as a second rating."""

import json
import re

import pytest
from django.test import Client

from niangjia.core.errors import ValidationFailed
from niangjia.participation import services
from niangjia.participation.models import Rating
from tests.participation.conftest import make_activity, phone


@pytest.fixture
def attended(tree, personas):
    a = make_activity(personas.east, tree.east, capacity=2, day_offset=0)
    reg, _ = services.register(activity=a, name="甲", phone=phone(1), key="r1")
    services.attendance_mark(actor=personas.east, registration=reg, attended=True)
    return reg


def test_service_resend_returns_the_first_rating(attended):
    first, c1 = services.rating_submit(registration=attended, score=4, comment="好", key="k")
    again, c2 = services.rating_submit(registration=attended, score=1, key="k")
    assert (c1, c2) == (True, False) and again.pk == first.pk and again.score == 4
    with pytest.raises(ValidationFailed) as exc:
        services.rating_submit(registration=attended, score=5, key="k2")
    assert exc.value.message == "您已经评价过这次活动"
    assert Rating.objects.count() == 1


def test_page_resend_with_the_same_key(attended):
    client = Client()
    page = client.get(f"/p/participation/mine/?code={attended.tracking_code}").content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)
    form = {"code": attended.tracking_code, "action": "rate", "score": "5", "key": key}
    first = client.post("/p/participation/mine/", form)
    again = client.post("/p/participation/mine/", form)
    assert first.status_code == again.status_code == 302
    assert "您已评价：5 分" in client.get(again["Location"]).content.decode()
    assert Rating.objects.count() == 1


def test_api_resend_by_header(attended):
    client = Client()
    url = f"/api/v1/participation/public/registrations/{attended.tracking_code}/rating"
    body = json.dumps({"score": 3})
    first = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "h"})
    again = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "h"})
    other = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "i"})
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 400)
    assert again.json()["id"] == first.json()["id"]
    assert other.json()["error"]["message"] == "您已经评价过这次活动"
