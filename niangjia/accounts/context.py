from niangjia.core.extensions import nav_rows
from niangjia.core.notify import unread_count
from niangjia.core.roles import has_perm


def nav(request):
    """What the navigation shows this user: the bar's items and those under 更多 (core.extensions.nav_rows)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    main, more = nav_rows(lambda p: has_perm(user, p))
    for item in main + more:
        item["active"] = request.path.startswith(item["url"])
    return {"nav_items": main, "nav_more": more, "unread_notifications": unread_count(user)}
