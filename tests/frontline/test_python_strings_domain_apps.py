"""The Python of the domain apps (fieldwork, contacts, participation, awards, selection, reform, reports, stats)
marks every Chinese word a user reads for translation, and English users read it in English.

How: parse each module and look for string literals holding Han characters that are not the argument of a
gettext call. Left alone: docstrings, the OpenAPI words (summary=, description=, tags=: the published contract
for developers), demo and benchmark data, migrations, and the few literals below that are data, not words."""

import ast
import gettext
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from niangjia.fieldwork import services as fw
from tests.fieldwork import conftest as fieldwork_conftest

APPS = ("fieldwork", "contacts", "participation", "awards", "selection", "reform", "reports", "stats")
HAN = re.compile(r"[\u4e00-\u9fff]")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop"}
OPENAPI_WORDS = {"summary", "description", "tags"}
DATA_FILES = {"demo.py", "bench.py", "bench_partitions.py"}
# (module, literal): why it stays Chinese
DATA = {
    **{("fieldwork/rules.py", w): "matched against a place's stored name to tell town from village"
       for w in ("社区", "街道", "村", "镇", "乡", "区", "妇联")},
    **{("contacts/rules.py", w): "the Chinese measure word of a count; the English sentences leave it out"
       for w in ("名", "个")},
    ("awards/views.py", "妇联"): "stripped from a stored federation name for a chart's short labels",
    ("selection/models.py", "不限年龄、学历、职级；热心妇女工作，带着服务妇女的项目报名。"):
        "the stored default of a selection's eligibility (the new-selection form offers it translated)",
}
ROOT = Path(settings.BASE_DIR) / "niangjia"
fw_people = fieldwork_conftest.fw_people  # the field-work folder's people (a woman to pair with)
days_ago = fieldwork_conftest.days_ago


def _name(func) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def unmarked(source: str) -> list[tuple[int, str]]:
    """(line, text) of each Han literal a user could read that no gettext call wraps."""
    tree, skip = ast.parse(source), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Call):
            inside = [k.value for k in node.keywords if k.arg in OPENAPI_WORDS]
            inside += node.args if _name(node.func) in GETTEXT else []
            skip |= {id(n) for arg in inside for n in ast.walk(arg)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in skip:
            skip |= {id(v) for v in node.values}
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            if HAN.search(text):
                found.append((node.lineno, "f" + text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                and HAN.search(node.value):
            found.append((node.lineno, node.value))
    return found


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and path.name not in DATA_FILES:
                yield path


def test_no_chinese_word_in_the_domain_apps_python_escapes_translation():
    left = [f"{path.relative_to(ROOT)}:{line}: {text[:60]}"
            for path in _modules() for line, text in unmarked(path.read_text(encoding="utf-8"))
            if (str(path.relative_to(ROOT)), text) not in DATA]
    assert left == []


def test_the_data_left_in_chinese_is_still_there():
    # an entry nobody needs any more is taken out of the list rather than kept as a blank cheque
    seen = {(str(p.relative_to(ROOT)), text) for p in _modules() for _line, text in unmarked(p.read_text(encoding="utf-8"))}
    assert set(DATA) - seen == set()


def test_the_check_finds_an_unmarked_word_and_passes_a_marked_one():
    source = '''
"""模块说明"""
from django.utils.translation import gettext as _
LABEL = "未标记的标签"
def f(x):
    """函数说明"""
    raise ValueError(_("已标记"), f"第 {x} 行")
def g():
    return api.get("/x", summary="接口说明")
'''
    assert unmarked(source) == [(4, "未标记的标签"), (7, "f第 {} 行")]


def test_every_marked_word_of_the_domain_apps_has_an_english_entry():
    catalogue = gettext.GNUTranslations((ROOT / "locale/en/LC_MESSAGES/django.mo").open("rb"))._catalog
    ids = {k if isinstance(k, str) else k[0] for k in catalogue}
    def msgid(node):  # pgettext's first argument is the context: the catalogue keys it "context\x04msgid"
        return "\x04".join(a.value for a in node.args[:2]) if _name(node.func).startswith("pgettext") else node.args[0].value

    marked = {(str(path.relative_to(ROOT)), msgid(node))
              for path in _modules() for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.Call) and _name(node.func) in GETTEXT and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)}
    assert sorted(m for m in marked if m[1] not in ids) == []


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
