"""Tracking codes lead somewhere: the objector reads the federation's answer and the public
nominator follows her nomination at /p/awards/track/ (and the API), with no contact details shown;
an objector who left a phone is texted when her objection is answered."""

import pytest
from django.test import Client

from niangjia.awards import evaluation, services
from niangjia.core.models import AuditEntry, OutboundMessage
from niangjia.core.sms import last_sent_to
from niangjia.core.validators import normalize_phone
from tests.awards.conftest import PHONE_A, PHONE_B, org_nom, public_nom, to_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east, "甲")
    b = org_nom(personas.west, rnd, tree.west, "乙")
    to_evaluation(city, rnd, [a, b])
    evaluation.ballot_by_link(token=evaluation.links_issue(actor=city, rnd=rnd, count=1)[0], marks={a.pk: 1})
    services.phase_advance(actor=city, rnd=rnd, to="notice")
    return a, b


def test_objector_reads_the_answer_with_her_code_and_is_texted(city, rnd, proposed):
    # given an objection with a phone left
    a, _ = proposed
    obj, _ = services.objection_file(rnd=rnd, nomination_id=a.pk, text="事迹有夸大", contact_name="匿名群众",
                                     contact_phone=PHONE_B)
    client = Client()
    pending = client.get("/p/awards/track/", {"code": obj.tracking_code}).content.decode()
    assert "事迹有夸大" in pending and "正在核实" in pending and "并短信通知您" in pending
    # when the federation answers it
    services.objection_answer(actor=city, objection=obj, outcome="dismissed", answer="经核实，事迹属实。")
    # then the page shows the outcome and the answer, never the phone, and she got a text with her code
    code = f"{obj.tracking_code[:4]}-{obj.tracking_code[4:]}"
    page = client.get("/p/awards/track/", {"code": code.lower()}).content.decode()
    assert "异议不成立" in page and "经核实，事迹属实。" in page
    assert PHONE_B not in page and "138****8002" not in page
    sms = last_sent_to(normalize_phone(PHONE_B), purpose="awards.objection_answered")
    assert sms is not None and code in sms.body and "/p/awards/track/" in sms.body and "异议不成立" in sms.body


def test_an_objector_without_a_phone_is_not_texted(city, rnd, proposed):
    a, _ = proposed
    obj, _ = services.objection_file(rnd=rnd, nomination_id=a.pk, text="不了解")
    services.objection_answer(actor=city, objection=obj, outcome="upheld", answer="已核实，取消其拟表彰资格。")
    assert not OutboundMessage.objects.filter(purpose="awards.objection_answered").exists()
    assert AuditEntry.objects.get(action="awards.objection.answer").detail["objector_texted"] is False


def test_nominator_follows_her_public_nomination(tree, city, rnd):
    nom = public_nom(rnd, tree.east, name="赵敏")
    client = Client()
    page = client.get("/p/awards/track/", {"code": nom.tracking_code}).content.decode()
    assert "您推荐的 赵敏" in page and "待本人确认" in page and "已推荐" in page and "推荐提名" in page
    assert PHONE_A not in page and "138****8001" not in page
    services.consent_record_in_person(actor=city, nomination=nom, given=True)
    services.shortlist_set(actor=city, nomination=nom, on=True)
    page = client.get("/p/awards/track/", {"code": nom.tracking_code}).content.decode()
    assert "本人已同意" in page and "入围" in page


def test_unknown_code(rnd):
    r = Client().get("/p/awards/track/", {"code": "ZZZZ-ZZZZ"})
    assert r.status_code == 200 and 'id="not-found"' in r.content.decode()
    api = Client().get("/api/v1/awards/public/track/ZZZZZZZZ")
    assert api.status_code == 404 and api.json()["error"]["message"] == "没有找到这个查询码"


def test_track_api(tree, city, rnd, proposed):
    a, _ = proposed
    obj, _ = services.objection_file(rnd=rnd, nomination_id=a.pk, text="x", contact_phone=PHONE_B)
    client = Client()
    before = client.get(f"/api/v1/awards/public/track/{obj.tracking_code}").json()
    assert (before["kind"], before["status"], before["outcome"], before["nominee_name"]) == \
        ("objection", "pending", None, "甲")
    services.objection_answer(actor=city, objection=obj, outcome="upheld", answer="成立")
    after = client.get(f"/api/v1/awards/public/track/{obj.tracking_code}").json()
    assert (after["status"], after["outcome"], after["outcome_name"], after["answer"]) == \
        ("answered", "upheld", "异议成立", "成立")
    assert "contact_phone" not in after and "138" not in str(after)


def test_track_page_is_rate_limited(rnd):
    client = Client()
    for _ in range(30):
        client.get("/p/awards/track/", {"code": "AAAA"})
    assert client.get("/p/awards/track/", {"code": "AAAA"}).status_code == 429
