"""One version number: pyproject.toml's, through the installed metadata, on the CLI and in the footer."""

import subprocess
import sys
import tomllib
from importlib.metadata import version as installed
from pathlib import Path

import pytest

from niangjia import version

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_pyprojects():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert version() == installed("niangjia") == declared


def test_niangjia_dash_dash_version_prints_it():
    done = subprocess.run([sys.executable, "-m", "niangjia.cli", "--version"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == version()


@pytest.mark.django_db
def test_the_page_footer_shows_it(client, personas):
    client.force_login(personas.east)
    page = client.get("/").content.decode()
    assert f"娘家 Niangjia {version()}</footer>" in page


def test_the_changelog_has_an_entry_for_it():
    assert f"## {version()} " in (ROOT / "CHANGELOG.md").read_text()
