"""The base of the apps' API schemas. Display words declared once at import (gettext_lazy: choice labels,
status names, metric words) are lazy objects, and pydantic takes only real strings: this base reads each
such value as plain text in the request's language before validating it."""

from django.utils.functional import Promise
from ninja import Schema as NinjaSchema
from pydantic import field_validator


def plain(value):
    """`value` with every lazy translation in it (also inside lists, tuples and dicts) made a str."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return type(value)(plain(v) for v in value)
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    return value


class Schema(NinjaSchema):
    @field_validator("*", mode="before")
    @classmethod
    def _plain_words(cls, value):
        return plain(value)
