"""The federation's lists for `niangjia export` (registered through core.extensions in apps.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .queries import federations_for, organisations_for, sites_for


def federations(user, unit):
    qs = federations_for(user).filter(is_active=True).select_related("parent").order_by("path")
    if unit is not None:
        qs = qs.filter(**{f"l{unit.level}": unit.id})
    return (["ID", _("名称"), _("组织代码"), _("层级"), _("上级"), _("组织形式"), _("编制数"), _("12338热线")],
            ([f.pk, f.name, f.code, f.level_name, f.parent.name if f.parent else "", f.get_form_display(),
              f.staffing_quota, f.has_hotline] for f in qs.iterator(chunk_size=2000)))


def sites(user, unit):
    qs = sites_for(user, unit=unit).order_by("id")
    return (["ID", _("名称"), _("类型"), _("所属组织"), _("组织代码"), _("地址"), _("依托单位"), _("设立日期")],
            ([s.pk, s.name, s.get_kind_display(), s.unit.name, s.unit.code, s.address, s.host, s.established_on]
             for s in qs.iterator(chunk_size=2000)))


def organisations(user, unit):
    qs = organisations_for(user, unit=unit).order_by("id")
    return (["ID", _("名称"), _("类型"), _("合作单位类别"), _("所属组织"), _("组织代码"), _("联系人"), _("联系电话"), _("女性人数")],
            ([o.pk, o.name, o.get_kind_display(), o.get_agency_type_display() if o.agency_type else "",
              o.unit.name, o.unit.code, o.contact_name, o.contact_phone, o.women_count]
             for o in qs.iterator(chunk_size=2000)))


def unit_by_code(user, code: str):
    """The federation with this code inside the user's reach (None when missing or out of reach)."""
    return federations_for(user).filter(code=code).first()


LISTS = {
    "federations": (gettext_lazy("妇联组织"), "org.view", federations),
    "sites": (gettext_lazy("阵地"), "org.view", sites),
    "organisations": (gettext_lazy("合作组织"), "org.view", organisations),
}
