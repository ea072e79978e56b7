"""People's lists for `niangjia export` (registered through core.extensions in apps.py)."""

from django.utils.translation import gettext_lazy as _

from . import queries


def persons(user, unit):
    qs = queries.persons_for(user, unit=unit).order_by("id")
    return queries.PERSON_EXPORT_HEADERS, queries.person_export_rows(qs)


def posts(user, unit):
    qs = queries.posts_for(user).order_by("id")
    if unit is not None:
        qs = qs.filter(**{f"l{unit.level}": unit.id})
    return queries.POST_EXPORT_HEADERS, queries.post_export_rows(qs)


LISTS = {
    "persons": (_("人员"), "people.view", persons),
    "posts": (_("职务"), "people.view", posts),
}
