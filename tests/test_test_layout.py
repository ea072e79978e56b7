"""The suite's own layout rules.

pytest imports a test file in a folder without __init__.py by its basename (prepend mode): two such
files with the same name clash depending on which xdist worker gets them. Keep names unique.

Each folder's fixtures live in its conftest.py, where pytest finds them without imports; tests import
plain helpers by name, never with `import *`. A folder with a conftest.py is a package: a second
conftest imported under the bare name `conftest` would shadow the root one, which suites import
(`from conftest import make_user`). Set-ups the whole suite shares are declared once, in the root
conftest: the fast password hasher and the 375-px `phone` page.
"""

import re
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).parent


def _sources():
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(TESTS.rglob("*.py"))]


def test_test_file_names_are_unique():
    names = Counter(p.name for p in TESTS.rglob("test_*.py"))
    assert [n for n, k in names.items() if k > 1] == []


def test_no_star_imports():
    star = re.compile(r"^\s*from\s+\S+\s+import\s+\*", re.M)
    assert [str(p.relative_to(TESTS)) for p, src in _sources() if star.search(src)] == []


def test_a_folder_with_a_conftest_is_a_package():
    folders = [p.parent for p in TESTS.rglob("conftest.py") if p.parent != TESTS]
    assert [str(f.relative_to(TESTS)) for f in folders if not (f / "__init__.py").exists()] == []


def test_the_fast_hasher_and_the_phone_page_are_declared_once():
    hasher = [str(p.relative_to(TESTS)) for p, src in _sources() if "MD5PasswordHasher" in src and p != Path(__file__)]
    phones = [str(p.relative_to(TESTS)) for p, src in _sources() if re.search(r"^def phone\(browser", src, re.M)]
    assert (hasher, phones) == (["conftest.py"], ["conftest.py"])
