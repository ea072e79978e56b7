"""The Chinese source text of a translatable label, whatever language is active.

Files that people fill in (the import templates) carry Chinese words as their format: headers, "女"/"男", the
names of bodies and roles. Reading them matches the source text, never the translation shown on the page."""

from django.utils.functional import Promise


def source_text(label) -> str:
    """The msgid of a gettext_lazy label (str(label) would translate it); a plain string as it is."""
    if isinstance(label, Promise) and getattr(label, "_args", None):
        return str(label._args[0])
    return str(label)
