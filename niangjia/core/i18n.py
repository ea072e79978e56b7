"""The Chinese source text of a translatable label, whatever language is active.

Files that people fill in (the import templates) carry Chinese words as their format: headers, "女"/"男", the
names of bodies and roles. Reading them matches the source text, never the translation shown on the page."""

from django.core.management.base import BaseCommand
from django.utils.functional import Promise


def source_text(label) -> str:
    """The msgid of a gettext_lazy label (str(label) would translate it); a plain string as it is."""
    if isinstance(label, Promise) and getattr(label, "_args", None):
        return str(label._args[0])
    return str(label)


def record_label(obj, field: str) -> str:
    """The Chinese label of a choice field's value: for text stored as a record (a case's timeline), which keeps
    the language of record whatever language the person writing it reads."""
    value = getattr(obj, field)
    return source_text(dict(obj._meta.get_field(field).flatchoices).get(value, value))


def choice_label(obj, field: str):
    """A choice field's label left lazy (get_FOO_display() renders it at once): a notification built with it
    reads in its recipient's language (core.notify)."""
    value = getattr(obj, field)
    return dict(obj._meta.get_field(field).flatchoices).get(value, value)


class TranslatedCommand(BaseCommand):
    """A management command whose `help` is a lazy text: argparse needs a string, so it is rendered in the
    active language when the parser is built (`niangjia <command> --help`)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(type(self).help)  # the class's lazy text, in the language active now
        return super().create_parser(prog_name, subcommand, **kwargs)
