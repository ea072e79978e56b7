"""Reads of the needs ledger, catalogue, providers and orders; always scoped to the caller's reach."""

from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import callers, periods, summaries
from niangjia.core.access import get_for, reach_within, register_may, scoped
from niangjia.core.errors import NotFound
from niangjia.core.notify import staff_covering
from niangjia.core.pinyin import is_pinyin_query
from niangjia.core.public import normalise_code
from niangjia.core.roles import has_perm
from niangjia.core.scope import Reach, in_subtree
from niangjia.org.models import Federation

from . import rules
from .models import Need, ProviderArea, Service, ServiceOrder, ServiceProvider

NEED_SORTS = {
    "new": (gettext_lazy("最近登记"), ("-registered_at", "-id")),
    "old": (gettext_lazy("最早登记"), ("registered_at", "id")),
    "deadline": (gettext_lazy("期限最近"), ("deadline", "id")),
    "day": (gettext_lazy("听取日期"), ("-day", "-id")),
}
ORDER_SORTS = {"new": (gettext_lazy("最近派单"), ("-ordered_at", "-id")), "old": (gettext_lazy("最早派单"), ("ordered_at", "id"))}
EXPORT_HEADERS = [gettext_lazy("编号"), gettext_lazy("听取日期"), gettext_lazy("登记时间"), gettext_lazy("所属组织"), gettext_lazy("类别"), gettext_lazy("紧急程度"), gettext_lazy("来源渠道"), gettext_lazy("需求内容"), gettext_lazy("状态"),
                  gettext_lazy("承办人"), gettext_lazy("办理期限"), gettext_lazy("超期"), gettext_lazy("上报至"), gettext_lazy("联系人"), gettext_lazy("联系电话"), gettext_lazy("评价")]


def needs_for(user, *, unit=None, category: str = "", urgency: str = "", channel: str = "",
              source: tuple[str, int] | None = None, start=None, end=None, status: str = "",
              overdue: bool = False, escalated: bool = False, assignee=None, q: str = "",
              escalated_to_me: bool = False, now: datetime | None = None) -> QuerySet:
    qs = scoped(Need.objects.select_related("unit", "person", "assignee", "escalated_to"), user)
    qs = in_subtree(qs, unit)
    if category:
        qs = qs.filter(category=category)
    if urgency:
        qs = qs.filter(urgency=urgency)
    if channel:
        qs = qs.filter(channel=channel)
    if status:
        qs = qs.filter(status=status)
    if source is not None:
        qs = qs.filter(source_type=source[0], source_id=source[1])
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    if overdue:
        qs = qs.filter(overdue_q(now))
    if escalated:
        qs = qs.filter(escalated_at__isnull=False)
    if escalated_to_me:  # reported overdue to the user's own federation(s), from the level below
        qs = qs.filter(escalated_to_id__in=own_unit_ids(user))
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    if q:
        qs = qs.filter(Q(description__contains=q) | Q(tracking_code=q.upper().replace("-", "")))
    return qs


def own_unit_ids(user) -> list[int]:
    """The federations the user belongs to (the roots of her scope)."""
    return list(user.scopes.values_list("unit_id", flat=True)) if getattr(user, "is_authenticated", False) else []


def overdue_q(now: datetime | None = None) -> Q:
    """Open and past the deadline (rules.is_overdue as a filter)."""
    return Q(status__in=rules.OPEN, deadline__lt=now or periods.now())


def get_need_for(user, pk, *, perm: str | None = None) -> Need:
    """The need if inside the reach (404 otherwise), then `perm` (403)."""
    return get_for(Need.objects.select_related("unit", "person", "assignee", "escalated_to", "requested_service"),
                   user, pk, perm=perm)


def needs_of_sources(source_type: str, ids: list[int]) -> dict[int, list[Need]]:
    """Needs registered from these source records (e.g. diaries the caller already may see), one query."""
    out: dict[int, list[Need]] = {}
    for need in Need.objects.filter(source_type=source_type, source_id__in=ids).order_by("id"):
        out.setdefault(need.source_id, []).append(need)
    return out


def with_overdue(needs, now: datetime | None = None):
    now = now or periods.now()
    for n in needs:
        n.overdue = rules.is_overdue(n.status, n.deadline, now)
    return needs


def summary_reach(user, unit=None) -> Reach | None:
    """The reach to read from the city-grain summary rows (a city or above), or None: read the rows."""
    reach = reach_within(user, unit)
    return reach if summaries.covers(reach) else None


def chart_rows(table: dict[str, dict[str, int]]) -> list[dict]:
    """Needs by category and status (the chart and its table), in the categories' order."""
    names = dict(Need.Category.choices)
    return [{"category": c, "name": names[c], "by_status": table[c], "total": sum(table[c].values())}
            for c in Need.Category.values if c in table]


def chart_option(rows: list[dict]) -> dict:
    """An ECharts stacked bar option: categories on the axis, one series per status."""
    statuses = list(rules.STATUS_NAMES)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 8, "bottom": 8, "top": 36, "containLabel": True},
        "xAxis": {"type": "category", "data": [r["name"] for r in rows], "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": rules.STATUS_NAMES[s], "type": "bar", "stack": "n",
                    "data": [r["by_status"].get(s, 0) for r in rows]} for s in statuses],
    }


def export_rows(qs: QuerySet, now: datetime | None = None):
    now = now or periods.now()
    cats, urg, chans = dict(Need.Category.choices), dict(Need.Urgency.choices), dict(Need.Channel.choices)
    for n in qs.iterator(chunk_size=2000):
        yield [n.pk, n.day, timezone.localtime(n.registered_at).replace(tzinfo=None), n.unit.name, cats[n.category],
               urg[n.urgency], chans[n.channel], n.description, rules.STATUS_NAMES[n.status],
               n.assignee.display_name if n.assignee_id else "",
               timezone.localtime(n.deadline).replace(tzinfo=None) if n.deadline else "",
               _("是") if rules.is_overdue(n.status, n.deadline, now) else "",
               n.escalated_to.name if n.escalated_to_id else "", n.contact_name_mask, n.contact_phone_mask,
               n.rating or ""]


def assignee_options(need: Need) -> list:
    """Active users who may handle the need: needs.handle and a reach covering its place (bounded)."""
    return staff_covering(need, "needs.handle")


# ---------------------------------------------------------------- catalogue and providers


def services_for(user, *, unit=None, category: str = "", active: bool | None = True) -> QuerySet:
    qs = in_subtree(scoped(Service.objects.select_related("unit"), user), unit)
    if category:
        qs = qs.filter(category=category)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def get_service_for(user, pk, *, write: bool = False) -> Service:
    return get_for(Service.objects.select_related("unit"), user, pk, perm="needs.manage" if write else "needs.view")


PROVIDER_SORTS = {"name": (gettext_lazy("机构名称"), ("org_name", "id")), "new": (gettext_lazy("最近登记"), ("-id",)),
                  "old": (gettext_lazy("最早登记"), ("id",))}


def providers_for(user, *, unit=None, active: bool | None = True, q: str = "", category: str = "",
                  service=None) -> QuerySet:
    """Providers in reach: by name (contains), by the category or the catalogue service they offer."""
    qs = in_subtree(scoped(ServiceProvider.objects.select_related("organisation", "unit"), user), unit)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(organisation__name__contains=q.strip())
    if category:
        qs = qs.filter(pk__in=ServiceProvider.services.through.objects.filter(service__category=category)
                       .values("serviceprovider_id"))
    if service is not None:
        qs = qs.filter(services=service)
    return qs.annotate(org_name=F("organisation__name")).prefetch_related("services", "areas__area")


def get_provider_for(user, pk, *, write: bool = False) -> ServiceProvider:
    return get_for(ServiceProvider.objects.select_related("organisation", "unit"), user, pk,
                   perm="needs.manage" if write else "needs.view")


def _ancestor_ids(unit) -> list[int]:
    return [getattr(unit, f"l{n}") for n in range(1, 7) if getattr(unit, f"l{n}", None)]


def providers_covering(unit, service: Service | None = None) -> QuerySet:
    """Active providers whose areas contain `unit` (optionally offering `service`)."""
    qs = ServiceProvider.objects.filter(is_active=True, pk__in=ProviderArea.objects.filter(
        area_id__in=_ancestor_ids(unit)).values("provider_id")).select_related("organisation")
    if service is not None:
        qs = qs.filter(services=service)
    return qs.order_by("id")


CATALOGUE = "needs.catalogue"  # the owner of cached catalogues (core.callers; forgotten on any change, apps.py)


def services_available_at(unit) -> list[Service]:
    """The catalogue a woman at `unit` can order: active services of active providers covering it (cached per
    ancestry until a service, provider or area changes, or the tree)."""
    ancestry = ".".join(str(i) for i in _ancestor_ids(unit))
    return callers.remember_for(CATALOGUE, ancestry, lambda: list(
        Service.objects.filter(is_active=True, providers__in=providers_covering(unit)).distinct()
        .order_by("category", "name", "id")))


# ---------------------------------------------------------------- orders


def orders_for(user, *, unit=None, status: str = "", provider=None, need=None, category: str = "", start=None,
               end=None) -> QuerySet:
    """Service orders in reach; `start`/`end` bound the order day (inclusive); `category` is the service's."""
    qs = in_subtree(scoped(ServiceOrder.objects.select_related("need", "service", "provider__organisation", "unit"),
                           user), unit)
    if status:
        qs = qs.filter(status=status)
    if provider is not None:
        qs = qs.filter(provider=provider)
    if need is not None:
        qs = qs.filter(need=need)
    if category:
        qs = qs.filter(category=category)
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    return qs


def get_order_for(user, pk, *, perm: str | None = None) -> ServiceOrder:
    return get_for(ServiceOrder.objects.select_related("need", "service", "provider__organisation", "unit"),
                   user, pk, perm=perm)


# ---------------------------------------------------------------- public (no login)


def public_villages(q: str) -> QuerySet:
    """Active villages/communities (level 6) matching a name or pinyin, for the public picker."""
    q = (q or "").strip()
    qs = Federation.objects.filter(is_active=True, level=6).select_related("parent", "parent__parent")
    if not q:
        return qs.none()
    if is_pinyin_query(q):
        key = q.replace(" ", "").lower()
        return qs.filter(Q(name_initials__startswith=key) | Q(name_pinyin__startswith=key))
    return qs.filter(name__contains=q)


def public_village(pk) -> Federation:
    """The active village a public form names (cached until the tree changes: core.callers)."""
    def build():
        found = Federation.objects.select_related("parent", "parent__parent").filter(
            pk=pk, is_active=True, level=6).first()
        if found is None:  # not cached: a village made later is found at once
            raise NotFound(_("没有找到这个村（社区）"))
        return found

    if not str(pk).isdigit():
        raise NotFound(_("没有找到这个村（社区）"))
    return callers.remember_for("needs.villages", str(int(pk)), build)


def need_by_code(code: str) -> Need | None:
    code = normalise_code(code)
    if not code:
        return None
    return Need.objects.filter(tracking_code=code).select_related("requested_service").first()


def orders_of(need: Need) -> list:
    """The need's service orders, oldest first (what the tracking page and API list)."""
    return list(need.orders.select_related("service").order_by("ordered_at", "id"))


def order_to_rate(need: Need, orders: list | None = None):
    """The delivered service order of this need the woman has not rated yet (the first), or None;
    `orders` when the caller already holds orders_of(need)."""
    orders = orders_of(need) if orders is None else orders
    return next((o for o in orders if not rules.order_rateable(o.status, o.rated_at is not None)), None)


# ---------------------------------------------------------------- what a user may do with a need ({% can %})


def may_edit(user, need: Need) -> bool:
    """Correct an open need's registration (a closed one is history)."""
    return has_perm(user, "needs.handle") and need.status in rules.OPEN


def may_rate(user, need: Need) -> bool:
    """Record the woman's rating of a finished need, once."""
    return has_perm(user, "needs.handle") and not rules.need_rateable(need.status, need.rated_at is not None)


def may_make_case(user, need: Need) -> bool:
    """Open a rights-protection case from a need still open to referral (the cases app's page does it)."""
    return has_perm(user, "cases.handle") and not rules.transition_problem("refer", need.status)


for _action, _rule in {"needs.edit": may_edit, "needs.rate": may_rate, "needs.to_case": may_make_case}.items():
    register_may(_action, Need, _rule)  # what a page may offer on a need ({% can %})
