"""Excel rows of the needs pages (ledger, catalogue, providers, service orders), shared by the pages'
「导出 Excel」 and `niangjia export <name>` (registered in apps.py). Rows are scoped as the user sees
the list; personal data only ever masked. Times are written in local time by core.excel."""

from . import queries, rules

CATALOGUE_HEADERS = ["编号", "服务名称", "类别", "服务说明", "政府购买服务", "维护组织", "有效"]
PROVIDER_HEADERS = ["编号", "服务机构", "所属组织", "提供的服务", "服务区域", "备注", "有效"]
ORDER_HEADERS = ["编号", "派单日期", "服务", "服务类别", "服务机构", "需求编号", "所属组织", "状态", "派单说明",
                 "接单时间", "完成时间", "服务情况", "拒单/取消原因", "评价", "评价意见", "本人评价"]


def catalogue_rows(qs):
    for s in qs.iterator(chunk_size=2000):
        yield [s.pk, s.name, s.get_category_display(), s.description, "是" if s.government_purchased else "否",
               s.unit.name, "是" if s.is_active else "否"]


def provider_rows(qs):
    for p in qs:
        yield [p.pk, p.organisation.name, p.unit.name, "、".join(s.name for s in p.services.all()),
               "、".join(a.area.name for a in p.areas.all()), p.note, "是" if p.is_active else "否"]


def order_rows(qs):
    for o in qs.iterator(chunk_size=2000):
        yield [o.pk, o.day, o.service.name, o.get_category_display(), o.provider.organisation.name, o.need_id,
               o.unit.name, rules.ORDER_STATUS_NAMES[o.status], o.note, o.accepted_at, o.delivered_at,
               o.outcome, o.end_reason, o.rating or "", o.rating_comment, "是" if o.rated_by_woman else ""]


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
    "needs": ("需求台账", "needs.view", cli_ledger),
    "service_catalogue": ("服务目录", "needs.view", cli_catalogue),
    "service_providers": ("服务机构", "needs.view", cli_providers),
    "service_orders": ("服务订单", "needs.view", cli_orders),
}
