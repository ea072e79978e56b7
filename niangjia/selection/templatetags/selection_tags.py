"""Display of exact scores: two decimals rounded half up, and the exact fraction when it is not a decimal."""

from django import template

from niangjia.selection import rules

register = template.Library()


@register.filter
def score(value) -> str:
    return rules.fmt(value)


@register.filter
def exact(value) -> str:
    return rules.exact(value)
