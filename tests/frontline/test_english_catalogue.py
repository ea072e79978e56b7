"""The English catalogue: compiles, has no untranslated or fuzzy entry, covers every {% translate %} of the
templates, is the one the server loads, and the language a user picks comes back at her next login."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from niangjia.accounts.models import User

LOCALE = Path(settings.BASE_DIR) / "niangjia" / "locale" / "en" / "LC_MESSAGES"
PO, MO = LOCALE / "django.po", LOCALE / "django.mo"
needs_gettext = pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext is not installed (apt-get install gettext)")


@needs_gettext
def test_the_catalogue_compiles_and_has_no_untranslated_or_fuzzy_entry(tmp_path):
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "en.mo"), str(PO)], check=True, capture_output=True)
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(["msgattrib", flag, "--no-obsolete", str(PO)], check=True, capture_output=True, text=True)
        assert out.stdout.strip() == "", f"{flag}:\n{out.stdout[:2000]}"


@needs_gettext
def test_the_committed_mo_is_compiled_from_the_po(tmp_path):
    subprocess.run(["msgfmt", "-o", str(tmp_path / "en.mo"), str(PO)], check=True)
    fresh = gettext.GNUTranslations((tmp_path / "en.mo").open("rb"))._catalog
    committed = gettext.GNUTranslations(MO.open("rb"))._catalog
    assert committed == fresh


def test_every_translate_tag_in_the_templates_is_in_the_catalogue():
    catalogue = gettext.GNUTranslations(MO.open("rb"))._catalog
    ids = {k if isinstance(k, str) else k[0] for k in catalogue}
    tag = re.compile(r"""\{%\s*translate\s+(['"])(.+?)\1""")
    missing = sorted({(str(p.relative_to(settings.BASE_DIR)), m.group(2))
                      for p in (Path(settings.BASE_DIR) / "niangjia").rglob("*.html")
                      for m in tag.finditer(p.read_text(encoding="utf-8")) if m.group(2) not in ids})
    assert missing == []


def test_the_login_page_reads_in_english_when_chosen(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/login/").content.decode()
    assert '<html lang="en">' in page and "Niangjia · Women's Federation work platform" in page
    assert "For women: ask for help" in page


def test_the_language_she_picks_comes_back_at_her_next_login(client, personas, django_user_model):
    # given a logged-in cadre who switches to English
    user = personas.east
    user.set_password("Niangjia-Test-2026!x")
    user.save()
    client.force_login(user)
    client.post("/language/", {"language": "en", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "en"
    # when she logs in again from a fresh browser
    fresh = client.__class__()
    resp = fresh.post("/login/", {"username": user.username, "password": "Niangjia-Test-2026!x"})
    # then the answer sets English again, and her pages read in English
    assert resp.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log out" in fresh.get("/").content.decode()
