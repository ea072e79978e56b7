"""Public pages: nomination form, consent link, evaluation by code and by link, notice and objections."""

from datetime import timedelta

import pytest
from django.test import Client

from niangjia.awards import evaluation, services
from niangjia.awards.models import AwardRound, Ballot, Nomination, Objection
from niangjia.core.sms import last_sent_to
from tests.awards.conftest import PHONE_A, PHONE_B, end_notice, org_nom, to_evaluation

pytestmark = pytest.mark.django_db


def form_of(tree, **over):
    return {"form_key": "k-1", "place_unit": tree.east.pk, "nominee_name": "赵敏", "nominee_place": "东村",
            "deeds": "十年照顾孤寡老人", "nominee_phone": PHONE_B, "nominator_name": "张三",
            "nominator_phone": PHONE_A, **over}


def test_round_page_without_login(rnd):
    r = Client().get(f"/p/awards/{rnd.code}/")
    html = r.content.decode()
    assert r.status_code == 200 and "我要推荐" in html and "还剩 2 个名额" in html


def test_public_nomination_then_consent_by_link(tree, rnd):
    c = Client()
    r = c.post(f"/p/awards/{rnd.code}/nominate/", form_of(tree))
    assert r.status_code == 200 and "已收到您对" in r.content.decode()
    # the same form posted again (a retry) makes no second record
    c.post(f"/p/awards/{rnd.code}/nominate/", form_of(tree))
    nom = Nomination.objects.get()
    link = last_sent_to("+86" + PHONE_B, purpose="awards.consent").body.split("/p/awards")[1]
    page = c.get("/p/awards" + link)
    assert page.status_code == 200 and "我同意被推荐" in page.content.decode()
    c.post("/p/awards" + link, {"given": "1"})
    nom.refresh_from_db()
    assert nom.consent == "given" and nom.consent_via == "link"
    assert c.get("/p/awards" + link).status_code == 409  # used


def test_public_nomination_form_validation_names_the_fields(tree, rnd):
    r = Client().post(f"/p/awards/{rnd.code}/nominate/", form_of(tree, nominee_name="", nominator_phone="123",
                                                                    place_unit=""))
    html = r.content.decode()
    assert r.status_code == 400 and "请填写被推荐人姓名（或集体名称）" in html and "手机号" in html
    assert Nomination.objects.count() == 0


def test_public_nomination_outside_the_subtree_is_refused(tree, rnd):
    r = Client().post(f"/p/awards/{rnd.code}/nominate/", form_of(tree, place_unit=tree.east_town.pk))
    assert r.status_code == 400 and Nomination.objects.count() == 0


def test_public_nomination_when_the_quota_is_full(tree, rnd):
    AwardRound.objects.filter(pk=rnd.pk).update(public_quota=0)
    html = Client().get(f"/p/awards/{rnd.code}/nominate/").content.decode()
    assert "本次评选不接受社会推荐" in html


def test_public_form_is_rate_limited(tree, rnd):
    c = Client()
    for n in range(10):
        c.post(f"/p/awards/{rnd.code}/nominate/", form_of(tree, form_key=f"k{n}", nominee_name=""))
    r = c.post(f"/p/awards/{rnd.code}/nominate/", form_of(tree, form_key="k99"))
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert Nomination.objects.count() == 0


def test_evaluation_by_phone_code(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east, "甲")
    to_evaluation(city, rnd, [a])
    c = Client()
    r = c.post(f"/p/awards/{rnd.code}/evaluate/", {"step": "code", "phone": PHONE_A})
    assert "验证码已发送" in r.content.decode()
    code = last_sent_to("+86" + PHONE_A, purpose="awards.check_code").body.split("验证码是 ")[1][:6]
    r = c.post(f"/p/awards/{rnd.code}/evaluate/", {"step": "ballot", "phone": PHONE_A, "code": code,
                                                    "vote": [a.pk], "form_key": "b1"})
    assert "您的评议已提交" in r.content.decode()
    r = c.post(f"/p/awards/{rnd.code}/evaluate/", {"step": "code", "phone": PHONE_A})
    assert r.status_code == 409 and "每人只能评议一次" in r.content.decode()
    assert Ballot.objects.count() == 1


def test_evaluation_by_link_with_a_wrong_ballot_then_a_right_one(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east, "甲")
    to_evaluation(city, rnd, [a])
    token = evaluation.links_issue(actor=city, rnd=rnd, count=1)[0]
    c = Client()
    assert "提交评议" in c.get(f"/p/awards/evaluate/{token}/").content.decode()
    r = c.post(f"/p/awards/evaluate/{token}/", {"form_key": "x1"})
    assert r.status_code == 400 and "请至少选择一位" in r.content.decode()
    r = c.post(f"/p/awards/evaluate/{token}/", {"form_key": "x2", "vote": [a.pk]})
    assert "您的评议已提交" in r.content.decode()
    assert c.get(f"/p/awards/evaluate/{token}/").status_code == 409


def test_notice_page_and_objection(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east, "甲")
    to_evaluation(city, rnd, [a])
    services.phase_advance(actor=city, rnd=rnd, to="notice")
    c = Client()
    html = c.get(f"/p/awards/{rnd.code}/notice/").content.decode()
    assert "甲" in html and "提出异议" in html
    r = c.post(f"/p/awards/{rnd.code}/notice/", {"form_key": "o1", "nomination": a.pk, "text": ""})
    assert r.status_code == 400 and "请填写异议内容" in r.content.decode()
    r = c.post(f"/p/awards/{rnd.code}/notice/", {"form_key": "o2", "nomination": a.pk, "text": "材料不实"})
    assert "已收到您的异议" in r.content.decode() and Objection.objects.count() == 1
    end_notice(rnd)
    html = c.get(f"/p/awards/{rnd.code}/notice/").content.decode()
    assert "不能再提出异议" in html
    r = c.post(f"/p/awards/{rnd.code}/notice/", {"form_key": "o3", "nomination": a.pk, "text": "迟到的异议"})
    assert r.status_code == 409 and Objection.objects.count() == 1


def test_unknown_round_code_is_404(db):
    assert Client().get("/p/awards/NOPE2345/").status_code == 404


def test_nomination_after_closing(tree, rnd, today):
    AwardRound.objects.filter(pk=rnd.pk).update(nomination_ends=today - timedelta(days=1))
    assert "推荐已经截止" in Client().get(f"/p/awards/{rnd.code}/nominate/").content.decode()
