"""`{% load cases_tags %}{% if user|may:'hotline.intake' %}`: the shared `can` map does not carry case permissions."""

from django import template

from niangjia.core.roles import has_perm

register = template.Library()


@register.filter
def may(user, perm: str) -> bool:
    return has_perm(user, perm)
