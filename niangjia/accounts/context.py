from django.utils.translation import gettext

from niangjia.core.extensions import nav_items
from niangjia.core.notify import unread_count
from niangjia.core.roles import has_perm


def nav(request):
    """What the navigation may show this user (templates ask `user|can:'…'` for single permissions)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    return {"nav_items": [{**i, "label": gettext(i["label"])} for i in nav_items(lambda p: has_perm(user, p))],
            "unread_notifications": unread_count(user)}
