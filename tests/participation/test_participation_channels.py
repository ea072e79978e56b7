"""Where a consultation is shown and how answers may come in: the website notice lists a
consultation on every place its audience covers (never on places outside it), and the channel
switches (public link, WeChat, website notice, paper) are enforced, not just shown."""

import json

import pytest
from django.test import Client

from niangjia.core.errors import Conflict
from niangjia.participation import services
from niangjia.participation.models import Response
from tests.participation.conftest import good_sheet, make_consultation


def answer(c, key="k1", channel="website", **kw):
    return services.submit_response(consultation=c, values=good_sheet(c), channel=channel, key=key, **kw)


# ---------------------------------------------------------------- the website notice


def test_county_consultation_shows_on_a_village_page_and_not_on_another_county(tree, personas):
    # given a consultation of 东县 for all of 东县, noticed on the website
    c = make_consultation(personas.east, tree.east, via_website=True)
    client = Client()
    # when a woman of 东村 (two levels below) and one of 西村 open their places' pages
    village = client.get(f"/p/participation/u/{tree.east_village.pk}/").content.decode()
    other = client.get(f"/p/participation/u/{tree.west_village.pk}/").content.decode()
    box = client.get(f"/p/participation/box/{tree.east_village.pk}/").content.decode()
    # then the village of 东县 lists it (page and suggestion box), the village of 西县 does not
    assert f"/p/participation/c/{c.pk}/" in village and c.title in village
    assert f"/p/participation/c/{c.pk}/" in box
    assert f"/p/participation/c/{c.pk}/" not in other and "这里目前没有正在征集的意见" in other


def test_a_township_consultation_is_not_shown_on_its_county_page(tree, personas):
    # given 东县 consults 东镇's women only
    c = make_consultation(personas.east, tree.east, via_website=True, audience=tree.east_town)
    client = Client()
    # then 东镇 and 东村 list it; 东县's own page (above the audience) does not
    assert c.title in client.get(f"/p/participation/u/{tree.east_town.pk}/").content.decode()
    assert c.title in client.get(f"/p/participation/u/{tree.east_village2.pk}/").content.decode()
    assert c.title not in client.get(f"/p/participation/u/{tree.east.pk}/").content.decode()


def test_website_notice_off_keeps_it_off_the_listings(tree, personas):
    # given one noticed and one not noticed consultation
    shown = make_consultation(personas.east, tree.east, via_website=True)
    hidden = make_consultation(personas.east, tree.east, via_website=False)
    client = Client()
    # when the public index and the API list are read
    index = client.get("/p/participation/").content.decode()
    api = client.get("/api/v1/participation/public/consultations", {"unit": tree.east_village.pk}).json()["items"]
    # then only the noticed one is listed
    assert f"/p/participation/c/{shown.pk}/" in index and f"/p/participation/c/{hidden.pk}/" not in index
    assert [x["id"] for x in api] == [shown.pk]
    assert api[0]["audience_name"] == "东县妇联" and api[0]["url"] == f"/p/participation/c/{shown.pk}/"


def test_drafts_and_closed_consultations_are_not_listed(tree, personas):
    make_consultation(personas.east, tree.east, via_website=True, publish=False)
    make_consultation(personas.east, tree.east, via_website=True, opens=-9, closes=-1)
    assert Client().get("/api/v1/participation/public/consultations").json()["items"] == []


def test_a_consultation_is_listed_from_its_first_day_to_its_last(tree, personas):
    # given consultations opening today, closing today, and opening tomorrow
    first_day = make_consultation(personas.east, tree.east, via_website=True, opens=0, closes=5)
    last_day = make_consultation(personas.east, tree.east, via_website=True, opens=-5, closes=0)
    make_consultation(personas.east, tree.east, via_website=True, opens=1, closes=5)
    # when the public list and a village's list are read
    client = Client()
    listed = [x["id"] for x in client.get("/api/v1/participation/public/consultations").json()["items"]]
    village = [x["id"] for x in client.get("/api/v1/participation/public/consultations",
                                           {"unit": tree.east_village.pk}).json()["items"]]
    # then the first and the last day are in, tomorrow's is not yet (closing soonest first)
    assert listed == village == [last_day.pk, first_day.pk]


def test_place_search_finds_a_village_and_unknown_place_is_404(tree, personas):
    client = Client()
    found = client.get("/p/participation/", {"q": "东村"}).content.decode()
    assert f"/p/participation/u/{tree.east_village.pk}/" in found
    for spelled in ("dongcun", "dc"):  # pinyin, and its initials
        by_pinyin = client.get("/p/participation/", {"q": spelled}).content.decode()
        assert f"/p/participation/u/{tree.east_village.pk}/" in by_pinyin, spelled
        assert f"/p/participation/u/{tree.west_village.pk}/" not in by_pinyin, spelled
    assert client.get("/p/participation/u/999999/").status_code == 404
    assert client.get("/api/v1/participation/public/consultations", {"unit": 999999}).status_code == 404


# ---------------------------------------------------------------- channel switches


def test_public_answer_refused_when_public_link_and_website_are_off(tree, personas):
    # given a consultation taken only on paper and by WeChat
    c = make_consultation(personas.east, tree.east, via_link=False, via_website=False, via_wechat=True,
                          via_paper=True)
    # when a sheet arrives through the public link
    with pytest.raises(Conflict) as exc:
        answer(c, channel="website")
    # then it is refused with a clear message and nothing is stored
    assert exc.value.message == "该意见征集未开放公开链接答卷"
    assert Response.objects.count() == 0
    # while WeChat and paper sheets are taken
    assert answer(c, key="w", channel="wechat")[1] is True
    assert answer(c, key="p", channel="paper", actor=personas.east)[1] is True


def test_wechat_answer_refused_when_wechat_is_off(tree, personas):
    c = make_consultation(personas.east, tree.east, via_wechat=False)
    with pytest.raises(Conflict) as exc:
        answer(c, channel="wechat")
    assert exc.value.message == "该意见征集未开放微信答卷" and Response.objects.count() == 0
    assert answer(c, key="web")[1] is True


def test_paper_entry_refused_when_paper_is_off(tree, personas):
    c = make_consultation(personas.east, tree.east, via_paper=False)
    with pytest.raises(Conflict) as exc:
        answer(c, channel="paper", actor=personas.east)
    assert exc.value.message == "该意见征集未开启纸质问卷录入" and Response.objects.count() == 0


def test_invitation_links_work_with_the_public_link_off(tree, personas):
    # given invitation-only answers with the public link switched off
    c = make_consultation(personas.east, tree.east, identity="link", via_link=False, via_wechat=False)
    token = services.issue_links(actor=personas.east, consultation=c, count=1)[0]
    # then the invited woman's sheet is taken
    assert answer(c, token=token)[1] is True


def test_pages_and_api_say_the_channel_is_closed(tree, personas):
    c = make_consultation(personas.east, tree.east, via_link=False, via_website=False, via_wechat=False,
                          via_paper=False)
    client = Client()
    page = client.get(f"/p/participation/c/{c.pk}/").content.decode()
    assert "该意见征集未开放公开链接答卷" in page and 'id="submit-answer"' not in page
    assert "未开放微信答卷" in client.get(f"/p/participation/c/{c.pk}/?via=wechat").content.decode()
    posted = client.post(f"/p/participation/c/{c.pk}/", {"key": "x"})
    assert posted.status_code == 200 and Response.objects.count() == 0
    q = list(c.questions.all())
    body = {"key": "api1", "answers": {str(q[0].pk): [0], str(q[1].pk): [1], str(q[2].pk): 3}}
    api = client.post(f"/api/v1/participation/public/consultations/{c.pk}/responses", json.dumps(body),
                      content_type="application/json")
    assert api.status_code == 409 and api.json()["error"]["message"] == "该意见征集未开放公开链接答卷"
    assert client.get(f"/p/participation/c/{c.pk}/qr.svg").status_code == 404
    staff = Client()
    staff.force_login(personas.east)
    paper = staff.get(f"/participation/consultations/{c.pk}/paper/").content.decode()
    assert 'id="paper-closed"' in paper and "录入这一份" not in paper
    assert Response.objects.count() == 0
