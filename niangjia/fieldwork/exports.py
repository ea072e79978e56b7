"""Lists `niangjia export` writes for field work (core.extensions.register_export): this year's
standings per person and rule, stays and diaries, scoped as the actor sees them. The list pages'
Excel buttons write the same headers and rows."""


from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from niangjia.core import periods
from niangjia.core.extensions import register_export
from niangjia.core.web import EXPORT_MAX_ROWS
from niangjia.org.queries import tree_roots_for

from . import queries

STANDING_HEADERS = [_("姓名"), _("所在组织"), _("规则"), _("期间"), _("完成情况"), _("状态"), _("明细")]
STAY_HEADERS = [pgettext_lazy("column", "人员"), _("地点"), _("开始"), _("结束"), _("天数"), _("类型"), _("城乡"), _("结对妇女"), _("状态"), _("备注")]
DIARY_HEADERS = [_("日期"), pgettext_lazy("column", "人员"), _("地点"), _("标题"), _("接触妇女人数"), _("内容")]


def standing_row(r: dict) -> list:
    st = r["standing"]
    return [r["person"].name, r["unit"].name, r["rule"].name, st.period, st.headline, st.status_name,
            "；".join(c.text for c in st.chips)]


def stay_row(s) -> list:
    return [s.person.name, s.place.name, s.start, s.end, s.days, s.get_kind_display(), s.get_setting_display(),
            s.paired_with.name if s.paired_with_id else "", s.get_status_display(), s.note]


def diary_row(d) -> list:
    return [d.date, d.person.name, d.place.name, d.title, d.women_met, d.text]


def standings(user, unit):
    roots = [unit] if unit is not None else tree_roots_for(user)
    year = periods.today().year

    def rows():
        for root in roots:
            found, _ = queries.unit_standings(user, root, year=year, cursor=None, limit=200, all_pages=True)
            yield from map(standing_row, found)

    return STANDING_HEADERS, rows()


def stays(user, unit):
    qs = queries.stays_for(user, unit=unit).order_by("-start", "-id")[:EXPORT_MAX_ROWS]
    return STAY_HEADERS, map(stay_row, qs)


def diaries(user, unit):
    qs = queries.diaries_for(user, unit=unit).order_by("-date", "-id")[:EXPORT_MAX_ROWS]
    return DIARY_HEADERS, map(diary_row, qs)


def register() -> None:
    register_export("field_standings", gettext("下基层完成情况"), "fieldwork.view", standings)
    register_export("field_stays", gettext("蹲点记录"), "fieldwork.view", stays)
    register_export("field_diaries", gettext("妇情日记"), "fieldwork.view", diaries)
