"""What every staff page of participation asks first: the unit picked in the filter."""

from niangjia.org import queries as org_queries


def unit_of(request):
    """The unit named by ?unit= (in the user's reach), or None for all of it."""
    raw = request.GET.get("unit")
    return org_queries.get_federation_for(request.user, raw) if raw else None

