"""Resends of one-time-link submissions (the nominee's consent, an evaluation ballot): with the
same submission key the first saved answer comes back, never "link already used" and never a
second record; with another key the spent link still refuses."""

import json
import re

import pytest
from django.test import Client

from niangjia.awards import evaluation, services
from niangjia.awards.models import Ballot, BallotMark, Nomination
from niangjia.core.errors import Conflict
from niangjia.core.models import AuditEntry
from niangjia.core.sms import last_sent_to
from tests.awards.conftest import PHONE_B, org_nom, public_nom, to_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent_token(tree, rnd):
    nom = public_nom(rnd, tree.east, phone=PHONE_B)
    token = last_sent_to("+86" + PHONE_B, purpose="awards.consent").body.split("/p/awards/consent/")[1].rstrip("/")
    return nom, token


@pytest.fixture
def shortlisted(tree, personas, city, rnd):
    noms = [org_nom(personas.east, rnd, tree.east, "甲"), org_nom(personas.west, rnd, tree.west, "乙")]
    to_evaluation(city, rnd, noms)
    return noms


def _key(html: str) -> str:
    return re.search(r'name="form_key" value="([0-9a-f]+)"', html).group(1)


def test_consent_resend_returns_the_saved_answer(consent_token):
    nom, token = consent_token
    first = services.consent_by_link(token=token, given=True, key="k1")
    again = services.consent_by_link(token=token, given=False, key="k1")  # a resend: the first answer stands
    assert (first[1], again[1]) == (True, False) and again[0].pk == nom.pk
    nom.refresh_from_db()
    assert nom.consent == "given"
    assert AuditEntry.objects.filter(action="awards.consent.link").count() == 1
    with pytest.raises(Conflict, match="已经使用过"):
        services.consent_by_link(token=token, given=False, key="k2")


def test_consent_page_resend(consent_token):
    nom, token = consent_token
    client = Client()
    key = _key(client.get(f"/p/awards/consent/{token}/").content.decode())
    first = client.post(f"/p/awards/consent/{token}/", {"given": "1", "form_key": key})
    again = client.post(f"/p/awards/consent/{token}/", {"given": "1", "form_key": key})
    assert first.status_code == again.status_code == 200
    assert "已记录：您同意被推荐" in first.content.decode() and "已记录：您同意被推荐" in again.content.decode()
    assert client.post(f"/p/awards/consent/{token}/", {"given": "1", "form_key": "other"}).status_code == 409


def test_consent_api_resend_by_header(consent_token):
    nom, token = consent_token
    client = Client()
    body = json.dumps({"token": token, "given": True})
    first = client.post("/api/v1/awards/consent", body, content_type="application/json",
                        headers={"Idempotency-Key": "c1"})
    again = client.post("/api/v1/awards/consent", body, content_type="application/json",
                        headers={"Idempotency-Key": "c1"})
    assert first.json() == {"ok": True, "consent": "given", "created": True}
    assert again.status_code == 200 and again.json() == {"ok": True, "consent": "given", "created": False}
    assert Nomination.objects.get(pk=nom.pk).consent == "given"


def test_ballot_link_page_resend(city, rnd, shortlisted):
    a, _ = shortlisted
    token = evaluation.links_issue(actor=city, rnd=rnd, count=1)[0]
    client = Client()
    key = _key(client.get(f"/p/awards/evaluate/{token}/").content.decode())
    first = client.post(f"/p/awards/evaluate/{token}/", {"form_key": key, "vote": [a.pk]})
    again = client.post(f"/p/awards/evaluate/{token}/", {"form_key": key, "vote": [a.pk]})
    assert first.status_code == again.status_code == 200 and "此链接已经使用过" not in again.content.decode()
    assert (Ballot.objects.count(), BallotMark.objects.count()) == (1, 1)


def test_ballot_link_api_resend(city, rnd, shortlisted):
    a, b = shortlisted
    token = evaluation.links_issue(actor=city, rnd=rnd, count=1)[0]
    client = Client()
    url = f"/api/v1/awards/public/{rnd.code}/ballots"
    body = {"token": token, "marks": {str(a.pk): 1}, "form_key": "b1"}
    first = client.post(url, json.dumps(body), content_type="application/json")
    again = client.post(url, json.dumps(body | {"marks": {str(b.pk): 1}}), content_type="application/json")
    other = client.post(url, json.dumps(body | {"form_key": "b2"}), content_type="application/json")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert again.json() == {"id": first.json()["id"], "created": False}
    assert list(BallotMark.objects.values_list("nomination_id", flat=True)) == [a.pk]


def test_a_link_of_another_round_is_refused(tree, personas, city, rnd, shortlisted, today):
    from datetime import timedelta

    other = services.round_create(actor=city, unit=tree.city, name="另一轮", award="三八红旗集体",
                                  nomination_ends=today + timedelta(days=1), evaluation_ends=today + timedelta(days=2))
    token = evaluation.links_issue(actor=city, rnd=rnd, count=1)[0]
    r = Client().post(f"/api/v1/awards/public/{other.code}/ballots",
                      json.dumps({"token": token, "marks": {str(shortlisted[0].pk): 1}, "form_key": "z"}),
                      content_type="application/json")
    assert r.status_code == 404 and Ballot.objects.count() == 0
