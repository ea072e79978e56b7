"""What every staff page of participation asks first: the unit picked in the filter, what the user may do."""

from niangjia.core.roles import has_perm
from niangjia.org import queries as org_queries


def unit_of(request):
    """The unit named by ?unit= (in the user's reach), or None for all of it."""
    raw = request.GET.get("unit")
    return org_queries.get_federation_for(request.user, raw) if raw else None


def may(user) -> dict:
    return {"view": has_perm(user, "participation.view"), "manage": has_perm(user, "participation.manage"),
            "export": has_perm(user, "export")}
