"""What an English user reads of the words the domain apps declare in Python: an API refusal, an Excel
export's headers and choices, the figures page's metric words. (That every Chinese literal in Python is marked
and translated is checked for all apps, with one allow-list, by test_python_strings_translated.py.)"""

import re
from io import BytesIO

import pytest
from django.conf import settings
from openpyxl import load_workbook

from niangjia.fieldwork import services as fw
from tests.fieldwork import conftest as fieldwork_conftest

HAN = re.compile(r"[\u4e00-\u9fff]")
fw_people = fieldwork_conftest.fw_people  # the field-work folder's people (a woman to pair with)
days_ago = fieldwork_conftest.days_ago


# ---------------------------------------------------------------- what an English user reads


def _sheet(data) -> list[tuple]:
    return list(load_workbook(BytesIO(data)).active.iter_rows(values_only=True))


@pytest.mark.django_db
def test_an_api_refusal_reads_in_the_language_of_the_request(client, tree, personas, fw_people):
    # given a cadre with a stay already logged
    client.force_login(personas.east)
    stay = {"place": tree.east_village.pk, "start": str(days_ago(5)), "end": str(days_ago(3))}
    assert client.post("/api/v1/fieldwork/stays", stay, content_type="application/json").status_code == 201
    # when she logs an overlapping one, asking in English, then in Chinese
    again = {"place": tree.east_town.pk, "start": str(days_ago(3)), "end": str(days_ago(1))}
    en = client.post("/api/v1/fieldwork/stays", again, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    zh = client.post("/api/v1/fieldwork/stays", again, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    # then the refusal is worded in the language she asked in (the place's name stays as entered), same code
    assert (en.status_code, zh.status_code) == (400, 400)
    assert en.json()["error"]["message"].startswith("Overlaps an existing stay: 东村妇联 ")
    assert en.json()["error"]["message"].endswith(", Completed)")
    assert zh.json()["error"]["message"].startswith("与已有的蹲点记录重叠：东村妇联 ")
    assert en.json()["error"]["code"] == zh.json()["error"]["code"] == "overlap"


@pytest.mark.django_db
def test_an_excel_export_has_english_headers_and_choice_labels(client, tree, personas, fw_people):
    # given a stay paired with a woman
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(3),
                end=days_ago(2), paired_with=fw_people.woman, note="入户")
    # when the province, reading in English, exports the stays list
    client.force_login(personas.province)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sheet = _sheet(client.get("/fieldwork/stays/", {"export": "xlsx"}).content)
    # then the headers and the stored choices read in English, the names and the note as entered
    assert sheet[0][1:5] == ("Place", "Start", "End", "Days")
    assert sheet[1][0:2] == ("东县干部", "东村妇联") and sheet[1][8:] == ("Completed", "入户")
    assert not [c for c in sheet[0] if HAN.search(str(c))]


@pytest.mark.django_db
def test_figure_words_declared_in_python_read_in_english(client, personas):
    # given a cadre reading in English
    client.force_login(personas.east)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when she opens the figures page, whose areas, labels and nouns come from the metric declarations
    page = client.get("/stats/figures/").content.decode()
    # then they are English
    assert "Days on field stays" in page or "Field work" in page
    assert "蹲点天数" not in page and "直接联系群众" not in page
