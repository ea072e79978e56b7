"""Chinese written in Python reaches an English page only through gettext: every Han-character string literal
under niangjia/ sits inside a gettext call (or is on the commented allow-list below: stored values, data, the
Chinese API documentation), and every msgid the Python sources hold has a non-fuzzy English translation.

Not looked at: migrations, tests, demo content (it is data: names, places, stories), docstrings and comments."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "niangjia"
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
HAN = re.compile(r"[\u4e00-\u9fff]")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext",
           "gettext_noop", "format_lazy"}
KEYWORDS = ["gettext", "gettext_lazy", "gettext_noop", "ngettext:1,2", "ngettext_lazy:1,2", "pgettext:1c,2",
            "pgettext_lazy:1c,2", "npgettext:1c,2,3"]

# The published OpenAPI document describes the API in Chinese (tests/api/test_openapi.py): schema fields'
# and operations' `description=` / `summary=` are that contract, not page text.
API_DOC_KEYWORDS = {"description", "summary", "tags"}
API_DOC_FILES = re.compile(r"(^|/)(api|api_[a-z_]+|[a-z_]*schemas?|public_api)\.py$|/api/([a-z_]+/)*[a-z_]+\.py$")
# audit.record(...)'s summary and detail are stored in the hash-chained audit trail: never translated.
STORED_CALLS = {"record"}
# cases: a case's timeline entry (services._event) is stored in the case file as written, the language of record.
EVENT_CALLS = {"_event"}


def _excluded(path: Path) -> bool:
    rel = path.relative_to(ROOT).as_posix()
    # bench.py: the benchmark's generated records, content like the demo's; stats' bench commands: a developer's
    # tool whose messages are written for the people running benchmarks
    return ("/migrations/" in f"/{rel}" or rel.startswith("demo/") or path.name == "demo.py"
            or "/demo/" in f"/{rel}" or "/tests/" in f"/{rel}" or (path.name == "bench.py" and "/commands/" not in rel)
            or rel in {"stats/management/commands/bench.py", "stats/management/commands/bench_partitions.py"})


# What stays Chinese on purpose, by app (the first folder under niangjia/; "" for the modules beside them) and
# by name: a module-level constant, a function or a class whose literals are data, not page text.
ALLOWED: dict[str, dict[str, str]] = {
    "": {
        "LANGUAGES": "the language switch names Chinese in Chinese (简体中文) whatever the page language",
        "_periodic": "the command line's own message, already in both languages, printed before Django is set up",
    },
    "core": {
        "_NAMING_TAILS": "matched against the Chinese form messages' grammar (电话应为…), not shown",
        "REVEAL_NAMES": "words of the audit trail's stored summaries (hash-chained, never translated)",
        "SEARCH_KINDS": "words of the audit trail's stored summaries (hash-chained, never translated)",
    },
    "accounts": {
        "COLUMNS": "the import file's column headers: the file format the importer reads",
        "template_bytes": "the account import template: its headers, examples and notes are the Chinese file format",
        "NATIONAL_ROOT_NAME": "the root federation's stored name (a division name, never translated)",
        "PROVINCE_ROOT_NAME": "the root federation's stored name (a division name, never translated)",
    },
    "people": {
        "COLUMNS": "the import file's column headers: the file format the importer reads",
        "GENDERS": "values read from the import file",
        "YES": "values read from the import file",
        "NO": "values read from the import file",
        "EXAMPLE_NAME_MARK": "marks the template's example rows in the file; compared when reading",
        "_parse_date": "dates as people type them in the file (2024年1月31日)",
        "template_bytes": "the people import template: its headers, examples and notes are the Chinese file format",
        "_instructions": "the people import template's notes sheet (names the Chinese column headers)",
    },
    "org": {
        "PLAIN_HEADERS": "column headers accepted in division-code files (data format)",
        "COMMITTEE_SUFFIXES": "published division names' committee words, turned into federation names (data)",
        "federation_name": "a village federation's stored name: division name + 妇联 (data, never translated)",
        "_quota_follows_edit": "the note stored on the quota record it writes (stored data)",
    },
    "duties": {
        "EXECUTIVE_PRESET": "preset content written as it is into a federation's new checklist (stored data)",
    },
    "cases": {
        "INTAKE_CONSENT_NOTE": "the consent note stored in the case file as written (the language of record)",
        "summary": "a hotline call's audit summary (hash-chained, never translated), built before the statement",
    },
    "fieldwork": {
        "setting_for": "matched against a place's stored name to tell town from village (社区, 街道, 村, 镇 …)",
    },
    "contacts": {
        "requirements": "the Chinese measure words of a count (名, 个); the English sentences leave them out",
    },
    "awards": {
        "_quota_chart": "妇联 stripped from a stored federation name for a chart's short labels",
    },
    "selection": {
        "eligibility": "the stored default of a selection's eligibility (the new-selection form offers it translated)",
    },
    "wechat": {
        "CATEGORY_KEYWORDS": "keywords matched in women's Chinese messages (data)",
        "CRITICAL_WORDS": "keywords matched in women's Chinese messages (data)",
        "URGENT_WORDS": "keywords matched in women's Chinese messages (data)",
        "SUGGESTION_PREFIXES": "prefixes matched in women's Chinese messages (data)",
    },
}



def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _han(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value):
        return node.value
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        return text if HAN.search(text) else None
    return None


def unmarked_literals(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, text, names) of each Han literal of a module outside gettext, docstrings and the rules above;
    `names`: the constants, functions and classes it sits in (for ALLOWED)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    api_doc = bool(API_DOC_FILES.search(path.as_posix()))
    found = []

    def visit(node, marked: bool, names: tuple[str, ...]):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            marked = marked or name in GETTEXT or name in STORED_CALLS or name in EVENT_CALLS
        if isinstance(node, ast.keyword) and api_doc and node.arg in API_DOC_KEYWORDS:
            marked = True
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names += (node.name,)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += tuple(t.id for t in targets if isinstance(t, ast.Name))
        body = getattr(node, "body", None)
        doc = (body[0] if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
               and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else None)
        text = _han(node)
        if text is not None:
            if not marked:
                found.append((node.lineno, text, names))
            return
        for child in ast.iter_child_nodes(node):
            if child is not doc:
                visit(child, marked, names)

    visit(tree, False, ())
    return found


def _app(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else ""


def test_every_chinese_string_in_python_is_marked_for_translation():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        app = _app(path)
        if _excluded(path):
            continue
        allowed = ALLOWED.get(app, {})
        offenders += [f"{path.relative_to(ROOT)}:{line}: {text[:60]}" for line, text, names in unmarked_literals(path)
                      if not allowed.keys() & set(names)]
    assert offenders == [], f"{len(offenders)} Chinese literals outside gettext:\n" + "\n".join(offenders[:200])


def test_every_allowed_name_still_holds_chinese():
    # an entry whose literals are gone (marked or deleted since) is taken off, so the list never grows stale
    used = {(_app(p), n) for p in ROOT.rglob("*.py") if not _excluded(p) for _, _, names in unmarked_literals(p)
            for n in names}
    assert [(app, n) for app, entries in ALLOWED.items() for n in entries if (app, n) not in used] == []


def test_the_checker_finds_an_unmarked_string_and_passes_a_marked_one(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""模块说明。"""\nfrom django.utils.translation import gettext as _\n'
                      'A = "未标记"\nB = _("已标记")\nC = f"共{1}条"\n\n\ndef f():\n    """函数说明。"""\n'
                      '    return _("第{n}条").format(n=1), "漏了"\n', encoding="utf-8")
    assert unmarked_literals(module) == [(3, "未标记", ("A",)), (5, "共{}条", ("C",)), (10, "漏了", ("f",))]


@pytest.mark.skipif(not shutil.which("xgettext") or not shutil.which("msgcmp"), reason="gettext is not installed")
def test_every_msgid_of_the_python_sources_has_an_english_translation(tmp_path):
    # extracted into a temporary file: the real catalogue is never rewritten by a tool
    sources = [str(p) for p in sorted(ROOT.rglob("*.py")) if not _excluded(p)]
    pot = tmp_path / "python.pot"
    subprocess.run(["xgettext", "--language=Python", "--from-code=UTF-8", "--no-wrap", "-o", str(pot),
                    *(f"--keyword={k}" for k in KEYWORDS), *sources], check=True, capture_output=True)
    # msgcmp counts an untranslated or fuzzy entry of the catalogue as missing
    out = subprocess.run(["msgcmp", str(PO), str(pot)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[:4000]


def test_every_translated_argument_in_the_templates_is_in_the_catalogue():
    # _("…") in a tag or filter argument ({{ day|date:_("n月j日") }}, help=_("…")) is translated like {% translate %}
    catalogue = gettext.GNUTranslations((PO.parent / "django.mo").open("rb"))._catalog
    ids = {k if isinstance(k, str) else k[0] for k in catalogue}
    arg = re.compile(r"""_\((["'])(.+?)\1\)""")
    missing = sorted({(str(p.relative_to(ROOT)), m.group(2)) for p in ROOT.rglob("*.html")
                      for m in arg.finditer(p.read_text(encoding="utf-8")) if m.group(2) not in ids})
    assert missing == []
