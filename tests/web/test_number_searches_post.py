"""A search by phone or ID number never puts the number in a URL (issue 13, item 4): the person pickers
post what was typed (hx-post), the API has POST /persons/search, and a GET that still carries a number is
refused with 400 before anything is searched or audited. A URL is copied into the browser's history, the
service worker's cache, proxies' logs, nginx's error log and Referer headers; a POST body is not."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from niangjia.core.models import AuditEntry
from niangjia.core.sensitive import blind_index
from niangjia.people import services as people

pytestmark = pytest.mark.django_db

PICKERS = [("/needs/persons/", "person_q"), ("/fieldwork/person-search/", "paired_q"),
           ("/duties/link-search/", "link_q")]
PHONE = "13900003434"
REFUSED = "不能放在网址中"


@pytest.fixture
def woman(tree, personas):
    return people.person_create(actor=personas.east, unit=tree.east_village, name="吴桂兰", phone=PHONE)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def number_searches() -> int:
    return AuditEntry.objects.filter(action__in=["search.phone", "search.id_number"]).count()


@pytest.mark.parametrize("url, field", PICKERS, ids=[u for u, _ in PICKERS])
def test_a_picker_finds_a_woman_by_her_phone_posted_and_audits_it(personas, woman, url, field):
    # given a county cadre on a form with a person picker
    before = number_searches()
    # when the picker posts her phone number, as the page does
    r = login(personas.east).post(url, {field: "139 0000 3434"}, HTTP_HX_REQUEST="true")
    # then the woman is offered, and the search is audited by the number's keyed hash
    assert r.status_code == 200 and "吴桂兰" in r.content.decode()
    assert number_searches() == before + 1
    assert AuditEntry.objects.filter(action="search.phone").latest("id").detail["key"] == blind_index("+86" + PHONE)


@pytest.mark.parametrize("url, field", PICKERS, ids=[u for u, _ in PICKERS])
def test_a_picker_refuses_a_number_in_its_url_and_searches_nothing(personas, woman, url, field):
    client = login(personas.east)
    before = number_searches()
    # when a GET carries the number in its query string
    r = client.get(url, {field: PHONE}, HTTP_HX_REQUEST="true")
    # then it is refused with the reason, shows no one, and no search happened
    assert r.status_code == 400 and REFUSED in r.content.decode() and "吴桂兰" not in r.content.decode()
    assert number_searches() == before
    # and a name still searches by GET (nothing personal in the URL but a name fragment)
    assert "吴桂兰" in client.get(url, {field: "吴桂"}).content.decode()


def test_no_page_sends_a_picker_search_by_get():
    # given every template and form of the application
    root = Path(settings.BASE_DIR) / "niangjia"
    sources = [p for ext in ("*.html", "*.py") for p in root.rglob(ext)]
    urls = [u for u, _ in PICKERS] + ["/contacts/plans/"]
    # then none of them asks a person picker by hx-get (a GET would put a typed number in the URL)
    offenders = [f"{p.relative_to(root)}: {u}" for p in sources for u in urls
                 if f'hx-get="{u}' in (text := p.read_text(encoding="utf-8")) or f'"hx-get": "{u}' in text]
    assert offenders == []


def test_the_api_finds_by_number_only_in_a_post_body(personas, woman):
    client = login(personas.east)
    before = number_searches()
    # when the list is asked for with the phone number in its URL
    r = client.get("/api/v1/persons", {"q": PHONE})
    # then it is refused naming q and pointing at the POST search, and nothing was searched
    assert r.status_code == 400 and "q" in r.json()["error"]["fields"]
    assert "/persons/search" in r.json()["error"]["message"] and number_searches() == before
    # when the same search is posted
    r = client.post("/api/v1/persons/search", {"q": PHONE}, content_type="application/json")
    # then she is found, in the list's envelope, and the search is audited
    assert r.status_code == 200 and [p["id"] for p in r.json()["items"]] == [woman.pk]
    assert set(r.json()) == {"items", "next_cursor"} and number_searches() == before + 1


def test_the_people_list_refuses_a_raw_number_in_its_address_but_follows_its_hashed_link(personas, woman):
    client = login(personas.east)
    assert client.get("/people/", {"q": PHONE}).status_code == 400
    assert client.get("/people/export/", {"q": PHONE}).status_code == 400
    hashed = f"phone:{blind_index('+86' + PHONE)}"
    assert "吴桂兰" in client.get("/people/", {"q": hashed}).content.decode()
