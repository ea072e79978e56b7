"""pytest imports test files by basename (prepend mode, no packages): two files with the same
name in different folders clash depending on which xdist worker gets them. Keep names unique."""

from collections import Counter
from pathlib import Path


def test_test_file_names_are_unique():
    names = Counter(p.name for p in Path(__file__).parent.rglob("test_*.py"))
    assert [n for n, k in names.items() if k > 1] == []
