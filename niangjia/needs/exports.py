"""Excel rows of the needs pages (ledger, catalogue, providers, service orders), shared by the pages'
「导出 Excel」 and `niangjia export <name>` (registered in apps.py). Rows are scoped as the user sees
the list; personal data only ever masked. Times are written in local time by core.excel."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import queries, rules

CATALOGUE_HEADERS = [gettext_lazy("编号"), gettext_lazy("服务名称"), gettext_lazy("类别"), gettext_lazy("服务说明"), gettext_lazy("政府购买服务"), gettext_lazy("维护组织"), gettext_lazy("有效")]
PROVIDER_HEADERS = [gettext_lazy("编号"), gettext_lazy("服务机构"), gettext_lazy("所属组织"), gettext_lazy("提供的服务"), gettext_lazy("服务区域"), gettext_lazy("备注"), gettext_lazy("有效")]
ORDER_HEADERS = [gettext_lazy("编号"), gettext_lazy("派单日期"), gettext_lazy("服务"), gettext_lazy("服务类别"), gettext_lazy("服务机构"), gettext_lazy("需求编号"), gettext_lazy("所属组织"), gettext_lazy("状态"), gettext_lazy("派单说明"),
                 gettext_lazy("接单时间"), gettext_lazy("完成时间"), gettext_lazy("服务情况"), gettext_lazy("拒单/取消原因"), gettext_lazy("评价"), gettext_lazy("评价意见"), gettext_lazy("本人评价")]


def catalogue_rows(qs):
    for s in qs.iterator(chunk_size=2000):
        yield [s.pk, s.name, s.get_category_display(), s.description, _("是") if s.government_purchased else _("否"),
               s.unit.name, _("是") if s.is_active else _("否")]


def provider_rows(qs):
    for p in qs:
        yield [p.pk, p.organisation.name, p.unit.name, "、".join(s.name for s in p.services.all()),
               "、".join(a.area.name for a in p.areas.all()), p.note, _("是") if p.is_active else _("否")]


def order_rows(qs):
    for o in qs.iterator(chunk_size=2000):
        yield [o.pk, o.day, o.service.name, o.get_category_display(), o.provider.organisation.name, o.need_id,
               o.unit.name, rules.ORDER_STATUS_NAMES[o.status], o.note, o.accepted_at, o.delivered_at,
               o.outcome, o.end_reason, o.rating or "", o.rating_comment, _("是") if o.rated_by_woman else ""]


# ---------------------------------------------------------------- `niangjia export <name>` (core.extensions)


def cli_ledger(user, unit):
    qs = queries.needs_for(user, unit=unit).order_by("-registered_at", "-id")
    return queries.EXPORT_HEADERS, queries.export_rows(qs)


def cli_catalogue(user, unit):
    return CATALOGUE_HEADERS, catalogue_rows(queries.services_for(user, unit=unit, active=None).order_by("id"))


def cli_providers(user, unit):
    return PROVIDER_HEADERS, provider_rows(queries.providers_for(user, unit=unit, active=None).order_by("id"))


def cli_orders(user, unit):
    return ORDER_HEADERS, order_rows(queries.orders_for(user, unit=unit).order_by("-ordered_at", "-id"))


CLI_EXPORTS = {
    "needs": (gettext_lazy("需求台账"), "needs.view", cli_ledger),
    "service_catalogue": (gettext_lazy("服务目录"), "needs.view", cli_catalogue),
    "service_providers": (gettext_lazy("服务机构"), "needs.view", cli_providers),
    "service_orders": (gettext_lazy("服务订单"), "needs.view", cli_orders),
}
