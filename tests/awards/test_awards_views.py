"""Staff pages of award rounds: who may open what, forms with Chinese messages, export, confirmations."""

from datetime import timedelta

import pytest
from django.test import Client

from niangjia.awards import evaluation, services
from niangjia.awards.models import AwardRound, Nomination, Objection
from tests.awards.conftest import end_notice, org_nom, to_evaluation

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_nav_and_round_list(city, rnd):
    r = login(city).get("/awards/")
    html = r.content.decode()
    assert r.status_code == 200 and rnd.name in html and 'href="/awards/"' in html


def test_rounds_list_filters_by_phase(city, rnd):
    assert rnd.name not in login(city).get("/awards/?phase=notice").content.decode()
    assert rnd.name in login(city).get("/awards/?phase=nomination").content.decode()


def test_create_a_round_through_the_form(tree, city, today):
    data = {"unit": tree.city.pk, "name": "三八红旗集体评选", "award": "三八红旗集体", "kind": "collective", "places": 5,
            "default_org_quota": 2, "public_quota": 3, "mode": "ratings", "max_choices": 0,
            "nomination_ends": today + timedelta(days=3), "evaluation_ends": today + timedelta(days=1)}
    r = login(city).post("/awards/new/", data)
    assert r.status_code == 400 and "评议截止日期不能早于推荐截止日期" in r.content.decode()
    data["evaluation_ends"] = today + timedelta(days=9)
    r = login(city).post("/awards/new/", data)
    rnd = AwardRound.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/awards/{rnd.pk}/"
    assert (rnd.kind, rnd.mode, rnd.default_org_quota) == ("collective", "ratings", 2)


def test_empty_form_names_the_fields(city):
    html = login(city).post("/awards/new/", {}).content.decode()
    assert "请填写评选名称" in html and "请填写推荐截止日期" in html


def test_overview_shows_quota_use_and_chart(tree, personas, city, rnd):
    org_nom(personas.east, rnd, tree.east)
    html = login(city).get(f"/awards/{rnd.pk}/").content.decode()
    assert "nj-chart" in html and "东县妇联" in html and 'data-confirm="确定进入“群众评议”阶段' in html


def test_county_cadre_nominates_through_the_form_and_hits_the_quota(tree, personas, city, rnd):
    services.quota_set(actor=city, rnd=rnd, unit=tree.east, org_quota=1)
    c = login(personas.east)
    form = {"unit": tree.east.pk, "nominee_name": "王芳", "nominee_place": "东村", "deeds": "带头致富",
            "consent_in_person": "on"}
    assert c.post(f"/awards/{rnd.pk}/nominate/", form).status_code == 302
    r = c.post(f"/awards/{rnd.pk}/nominate/", {**form, "nominee_name": "李丽"})
    assert r.status_code == 400 and "东县妇联的组织推荐名额为 1 名，已推荐 1 名" in r.content.decode()
    assert Nomination.objects.count() == 1


def test_nomination_form_offers_only_units_in_reach(tree, personas, rnd):
    html = login(personas.east).get(f"/awards/{rnd.pk}/nominate/").content.decode()
    assert "东县妇联" in html and f'value="{tree.west.pk}"' not in html


def test_shortlist_button_refuses_without_consent(tree, personas, city, rnd):
    nom = org_nom(personas.east, rnd, tree.east, consent=False)
    r = login(city).post(f"/awards/nominations/{nom.pk}/shortlist/", {"on": "1"}, follow=True)
    assert "被推荐人本人尚未同意推荐，不能入围" in r.content.decode()
    login(personas.east).post(f"/awards/nominations/{nom.pk}/consent/", {"given": "1", "note": "当面确认"})
    login(city).post(f"/awards/nominations/{nom.pk}/shortlist/", {"on": "1"})
    assert Nomination.objects.get(pk=nom.pk).status == "shortlisted"


def test_nominations_export_to_excel(tree, personas, city, rnd):
    org_nom(personas.east, rnd, tree.east)
    r = login(city).get(f"/awards/{rnd.pk}/nominations/?kind=org&export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


def test_results_page_chart_export_and_links(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east)
    to_evaluation(city, rnd, [a])
    c = login(city)
    r = c.post(f"/awards/{rnd.pk}/results/", {"phones": "", "count": 2})
    html = r.content.decode()
    assert html.count("/p/awards/evaluate/") >= 2
    token = html.split("/p/awards/evaluate/")[1].split("/")[0]
    evaluation.ballot_by_link(token=token, marks={a.pk: 1})
    html = c.get(f"/awards/{rnd.pk}/results/").content.decode()
    assert "nj-chart" in html and 'data-testid="ballots">1<' in html
    assert c.get(f"/awards/{rnd.pk}/results/?export=xlsx")["Content-Type"].startswith("application/vnd.openxml")


def test_objection_inbox_answer_and_finalize(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east)
    to_evaluation(city, rnd, [a])
    services.phase_advance(actor=city, rnd=rnd, to="notice")
    obj, _ = services.objection_file(rnd=rnd, nomination_id=a.pk, text="事迹有出入")
    c = login(city)
    html = c.get(f"/awards/{rnd.pk}/").content.decode()
    assert "还有 1 条异议未答复" in html and "公示期至" in html
    r = c.post(f"/awards/{rnd.pk}/phase/", {"to": "final", "version": AwardRound.objects.get(pk=rnd.pk).version},
               follow=True)
    assert "还不能确定结果" in r.content.decode()
    assert 'data-testid="unanswered">1<' in c.get(f"/awards/{rnd.pk}/objections/").content.decode()
    c.post(f"/awards/objections/{obj.pk}/answer/", {"outcome": "dismissed", "answer": "经核实属实", "version": obj.version})
    assert Objection.objects.get().outcome == "dismissed"
    end_notice(rnd)
    c.post(f"/awards/{rnd.pk}/phase/", {"to": "final", "version": AwardRound.objects.get(pk=rnd.pk).version})
    assert AwardRound.objects.get(pk=rnd.pk).phase == "final"


def test_another_countys_cadre_gets_404_pages(tree, personas, rnd):
    nom = org_nom(personas.east, rnd, tree.east)
    west = login(personas.west)
    assert west.get(f"/awards/nominations/{nom.pk}/").status_code == 404
    assert west.post(f"/awards/nominations/{nom.pk}/consent/", {"given": "1"}).status_code == 404


def test_participant_cannot_open_manager_pages(personas, rnd):
    east = login(personas.east)
    assert east.get(f"/awards/{rnd.pk}/").status_code == 200
    assert east.get(f"/awards/{rnd.pk}/results/").status_code == 403
    assert east.post(f"/awards/{rnd.pk}/phase/", {"to": "evaluation"}).status_code == 403


def test_without_awards_manage_403(personas, rnd):
    assert login(personas.village).get("/awards/").status_code == 403
    assert login(personas.statistician).get(f"/awards/{rnd.pk}/").status_code == 403


def test_home_panel_shows_rounds_and_pending_objections(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east)
    to_evaluation(city, rnd, [a])
    services.phase_advance(actor=city, rnd=rnd, to="notice")
    services.objection_file(rnd=rnd, nomination_id=a.pk, text="x")
    html = login(city).get("/").content.decode()
    assert rnd.name in html and "待答复异议 1 条" in html
    # a participating county sees the round, not the city's inbox; a user without awards.manage sees nothing
    east_home = login(personas.east).get("/").content.decode()
    assert rnd.name in east_home and "待答复异议" not in east_home
    assert rnd.name not in login(personas.village).get("/").content.decode()


def test_rounds_export(city, rnd):
    r = login(city).get("/awards/?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


def test_edit_round_settings_with_a_version_check(city, rnd):
    c = login(city)
    page = c.get(f"/awards/{rnd.pk}/edit/")
    assert page.status_code == 200 and "修改评选设置" in page.content.decode()
    data = {f: getattr(rnd, f) for f in ("name", "award", "description", "places", "default_org_quota", "public_quota",
                                         "mode", "max_choices", "nomination_ends", "evaluation_ends")}
    r = c.post(f"/awards/{rnd.pk}/edit/", {**data, "public_quota": 9, "version": rnd.version})
    assert r.status_code == 302 and AwardRound.objects.get(pk=rnd.pk).public_quota == 9
    # a second edit from the page read before (stale version) is refused and changes nothing
    r = c.post(f"/awards/{rnd.pk}/edit/", {**data, "public_quota": 1, "version": rnd.version})
    assert r.status_code == 409 and "已被他人修改" in r.content.decode()
    assert AwardRound.objects.get(pk=rnd.pk).public_quota == 9
