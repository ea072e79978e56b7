"""Lazy words in API answers, made text in one place. Display words declared once at import (gettext_lazy:
choice labels, status names, metric words) are lazy objects, and pydantic takes only real strings. Every
ninja Schema reads its input through ninja's DjangoGetter (objects and dicts alike), so that reader is where
each lazy value — also inside lists, tuples and dicts — becomes text in the request's language
(Accept-Language or the user's choice). `Schema` is re-exported for the apps' schema modules."""

from django.utils.functional import Promise
from ninja import Schema
from ninja.schema import DjangoGetter

__all__ = ["Schema", "plain"]


def plain(value):
    """`value` with every lazy translation in it (also inside lists, tuples and dicts) made a str."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple takes its fields one by one
        return type(value)(*(plain(v) for v in value))
    if isinstance(value, list | tuple):
        return type(value)(plain(v) for v in value)
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    return value


_ninja_convert = DjangoGetter._convert_result
DjangoGetter._convert_result = lambda self, result: plain(_ninja_convert(self, result))
