"""Pinyin keys for search: full pinyin and initials, lower case without tones."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


def pinyin_full(text: str) -> str:
    return "".join(lazy_pinyin(text or "", errors="ignore")).lower()


def pinyin_initials(text: str) -> str:
    return "".join(lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="ignore")).lower()


def is_pinyin_query(q: str) -> bool:
    return bool(q) and q.isascii() and q.replace(" ", "").isalpha()


@lru_cache(maxsize=4096)
def pinyin_keys(text: str) -> tuple[str, str]:
    """(pinyin_full, pinyin_initials) in one conversion (names repeat: the last few thousand are kept)."""
    syllables = lazy_pinyin(text or "", errors="ignore")
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()
