"""`user|may:"fieldwork.manage"`: a permission the shared `can` context does not list."""

from django import template

from niangjia.core.roles import has_perm

register = template.Library()


@register.filter
def may(user, perm: str) -> bool:
    return has_perm(user, perm)
