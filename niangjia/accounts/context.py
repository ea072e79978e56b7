from niangjia.core.extensions import nav_rows
from niangjia.core.notify import unread_count
from niangjia.core.roles import has_perm


def nav(request):
    """What the navigation shows this user: the bar's items and those under 更多 (core.extensions.nav_rows)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    main, more = nav_rows(lambda p: has_perm(user, p))
    # the entry whose address is the longest start of this page's (/cases/hotline/ is 12338, not 个案)
    here = max((i["url"] for i in main + more if request.path.startswith(i["url"])), key=len, default=None)
    for item in main + more:
        item["active"] = item["url"] == here
    return {"nav_items": main, "nav_more": more, "unread_notifications": unread_count(user)}
