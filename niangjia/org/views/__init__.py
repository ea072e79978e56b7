"""Pages of the federation tree: browse, open a federation, and the forms and lists around it.

Thin: parse input, fetch through org.queries (404 outside the reach), call org.services, render.
"""


from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core.excel import xlsx_response
from niangjia.core.extensions import unit_context
from niangjia.core.roles import has_perm, require
from niangjia.core.web import (
    EXPORT_MAX_ROWS,
    act,
    export_requested,
    export_url,
    first_page_url,
    form_status,
    list_page,
    submit,
    web_view,
)

from .. import queries, services
from ..forms import (
    ActiveForm,
    ConversionForm,
    FederationForm,
    OrganisationForm,
    RegionalisationForm,
    SiteForm,
)
from ..models import Organisation, Site

# ---- tree ---------------------------------------------------------------------------------

@web_view("org.view")
def tree(request):
    roots = queries.tree_roots_for(request.user)
    counts = queries.child_counts([r.id for r in roots])
    for r in roots:
        r.child_count = counts.get(r.id, 0)
    return render(request, "org/tree.html", {"nodes": roots, "q": request.GET.get("q", "")})


@web_view("org.view")
def tree_children(request, pk: int):
    nodes = queries.children_of(request.user, pk)
    return render(request, "org/partials/_nodes.html", {"nodes": nodes})


@web_view("org.view")
def search(request):
    q = request.GET.get("q", "").strip()
    results = queries.search_federations(request.user, q)
    template = "org/partials/_search_results.html" if request.htmx else "org/tree.html"
    ctx = {"results": results, "q": q, "searched": bool(q)}
    if not request.htmx:
        roots = queries.tree_roots_for(request.user)
        counts = queries.child_counts([r.id for r in roots])
        for r in roots:
            r.child_count = counts.get(r.id, 0)
        ctx["nodes"] = roots
    return render(request, template, ctx)


# ---- one federation -----------------------------------------------------------------------

@web_view("org.view")
def federation_detail(request, pk: int):
    user = request.user
    fed = queries.get_federation_for(user, pk)
    site_counts = queries.site_counts(user, fed)
    ctx = {
        "fed": fed,
        "crumbs": queries.breadcrumbs(user, fed),
        "report": None, "people_by_body": [],  # people fills them in (core.extensions.unit_context)
        "site_counts": [(label, site_counts.get(kind, 0)) for kind, label in Site.Kind.choices],
        "sites": queries.sites_for(user, active=None).filter(unit=fed).order_by("kind", "id")[:100],
        "organisations": queries.organisations_for(user, active=None).filter(unit=fed).order_by("kind", "id")[:100],
        "conversions": list(queries.conversions_for(user, unit=fed)[:20]) if fed.level >= 5 else [],
        "regionalisations": list(queries.regionalisations_for(user, unit=fed)[:20]) if fed.level >= 4 else [],
        "children_count": queries.child_counts([fed.id]).get(fed.id, 0),
        "can_edit": has_perm(user, "org.edit"),
        "active_form": ActiveForm(initial={"version": fed.version, "active": not fed.is_active}),
    }
    ctx.update(unit_context(user, fed))
    return render(request, "org/federation.html", ctx)


def _render_form(request, form, *, title: str, back: str, status: int = 200, **extra):
    return render(request, "org/form.html", {"form": form, "title": title, "back": back, **extra}, status=status)


@web_view("org.edit")
def federation_create(request, pk: int):
    parent = queries.get_federation_for(request.user, pk, write=True)
    form = FederationForm(request.POST or None)
    done = submit(request, form, lambda d: services.federation_create(
        actor=request.user, parent=parent, **form.changes()),
        message=lambda fed: gettext("已创建“{name}”").format(name=fed.name), success=lambda fed: redirect("org:federation", pk=fed.pk))
    return done or _render_form(request, form, title=gettext("在“{name}”下新建下级组织").format(name=parent.name), back=f"/org/{parent.pk}/",
                                status=form_status(form))


@web_view("org.edit")
def federation_edit(request, pk: int):
    fed = queries.get_federation_for(request.user, pk, write=True)
    initial = {**{f: getattr(fed, f) for f in FederationForm.FIELDS}, "version": fed.version}
    form = FederationForm(request.POST or None, initial=initial)
    done = submit(request, form, lambda d: services.federation_update(
        actor=request.user, federation=fed, version=d["version"], **form.changes()),
        message=gettext("已保存"), success=lambda _: redirect("org:federation", pk=fed.pk))
    return done or _render_form(request, form, title=gettext("编辑“{name}”").format(name=fed.name), back=f"/org/{fed.pk}/",
                                status=form_status(form))


def _set_active(request, obj, setter, back: str):
    """POST-only toggle shared by federations, sites and organisations."""
    form = ActiveForm(request.POST)
    if not form.is_valid():
        problems = form.non_field_errors()
        messages.error(request, problems[0] if problems else gettext("请求无效，请刷新后重试"))
        return redirect(back)
    active = form.cleaned_data["active"]
    return act(request, lambda: setter(active=active, version=form.cleaned_data["version"]), back=back,
               message=gettext("已启用") if active else gettext("已停用"))


@require_POST
@web_view("org.edit")
def federation_set_active(request, pk: int):
    fed = queries.get_federation_for(request.user, pk, write=True)
    return _set_active(request, fed, lambda **kw: services.federation_set_active(
        actor=request.user, federation=fed, **kw), f"/org/{fed.pk}/")


# ---- sites and organisations ---------------------------------------------------------------

@web_view("org.edit")
def site_create(request, pk: int):
    unit = queries.get_federation_for(request.user, pk, write=True)
    form = SiteForm(request.POST or None)
    done = submit(request, form, lambda d: services.site_create(actor=request.user, unit=unit, **form.changes()),
                  message=lambda site: gettext("已新建阵地“{name}”").format(name=site.name), success=f"/org/{unit.pk}/#sites")
    return done or _render_form(request, form, title=gettext("为“{name}”新建阵地").format(name=unit.name), back=f"/org/{unit.pk}/",
                                status=form_status(form))


@web_view("org.edit")
def site_edit(request, pk: int):
    site = queries.get_site_for(request.user, pk, write=True)
    form = SiteForm(request.POST or None, initial=SiteForm.initial_from(site))
    done = submit(request, form, lambda d: services.site_update(
        actor=request.user, site=site, version=d["version"], **form.changes()),
        message=gettext("已保存"), success=f"/org/{site.unit_id}/#sites")
    return done or _render_form(request, form, title=gettext("编辑阵地“{name}”").format(name=site.name), back=f"/org/{site.unit_id}/",
                                status=form_status(form), toggle=site, toggle_url=f"/org/sites/{site.pk}/active/")


@require_POST
@web_view("org.edit")
def site_set_active(request, pk: int):
    site = queries.get_site_for(request.user, pk, write=True)
    return _set_active(request, site, lambda active, version: services.site_update(
        actor=request.user, site=site, version=version, is_active=active), f"/org/{site.unit_id}/")


@web_view("org.edit")
def organisation_create(request, pk: int):
    unit = queries.get_federation_for(request.user, pk, write=True)
    form = OrganisationForm(request.POST or None)
    done = submit(request, form, lambda d: services.organisation_create(
        actor=request.user, unit=unit, **form.changes()),
        message=lambda obj: gettext("已新建合作组织“{name}”").format(name=obj.name), success=f"/org/{unit.pk}/#organisations")
    return done or _render_form(request, form, title=gettext("为“{name}”新建合作组织").format(name=unit.name), back=f"/org/{unit.pk}/",
                                status=form_status(form))


@web_view("org.edit")
def organisation_edit(request, pk: int):
    obj = queries.get_organisation_for(request.user, pk, write=True)
    form = OrganisationForm(request.POST or None, initial=OrganisationForm.initial_from(obj))
    done = submit(request, form, lambda d: services.organisation_update(
        actor=request.user, organisation=obj, version=d["version"], **form.changes()),
        message=gettext("已保存"), success=f"/org/{obj.unit_id}/#organisations")
    return done or _render_form(request, form, title=gettext("编辑合作组织“{name}”").format(name=obj.name), back=f"/org/{obj.unit_id}/",
                                status=form_status(form), toggle=obj, toggle_url=f"/org/organisations/{obj.pk}/active/")


@require_POST
@web_view("org.edit")
def organisation_set_active(request, pk: int):
    obj = queries.get_organisation_for(request.user, pk, write=True)
    return _set_active(request, obj, lambda active, version: services.organisation_update(
        actor=request.user, organisation=obj, version=version, is_active=active), f"/org/{obj.unit_id}/")


# ---- grassroots reform ----------------------------------------------------------------------

@web_view("org.edit")
def conversion_create(request, pk: int):
    village = queries.get_federation_for(request.user, pk, write=True)
    form = ConversionForm(request.POST or None)
    done = submit(request, form, lambda d: services.village_conversion_record(actor=request.user, village=village, **d),
                  field_map={"unit": "__all__"}, message=gettext("已登记会改联"), success=f"/org/{village.pk}/#reform")
    return done or _render_form(request, form, title=gettext("登记“{name}”会改联").format(name=village.name), back=f"/org/{village.pk}/",
                                status=form_status(form))


@web_view("org.edit")
def regionalisation_create(request, pk: int):
    township = queries.get_federation_for(request.user, pk, write=True)
    form = RegionalisationForm(request.POST or None)
    done = submit(request, form, lambda d: services.township_regionalisation_record(
        actor=request.user, township=township, **d),
        field_map={"unit": "__all__"}, message=gettext("已登记区域化建设"), success=f"/org/{township.pk}/#reform")
    return done or _render_form(request, form, title=gettext("登记“{name}”区域化建设").format(name=township.name), back=f"/org/{township.pk}/",
                                status=form_status(form))


# ---- lists ------------------------------------------------------------------------------------

def _unit_filter(request):
    raw = request.GET.get("unit") or ""
    return queries.subtree_of(request.user, int(raw)) if raw.isdigit() else None


def _active_filter(request):
    return {"": True, "inactive": False, "all": None}.get(request.GET.get("active", ""), True)


SITE_SORTS = {
    "name": (gettext_lazy("名称"), ("name", "id")),
    "new": (gettext_lazy("最新创建"), ("-created_at", "-id")),
    "kind": (gettext_lazy("类型"), ("kind", "id")),
}
ORG_SORTS = {
    "name": (gettext_lazy("名称"), ("name", "id")),
    "new": (gettext_lazy("最新创建"), ("-created_at", "-id")),
    "women": (gettext_lazy("女性人数（多到少）"), ("-women_count", "-id")),
}
CONVERSION_SORTS = {
    "new": (gettext_lazy("日期（近到远）"), ("-converted_on", "-id")),
    "old": (gettext_lazy("日期（远到近）"), ("converted_on", "id")),
    "added": (gettext_lazy("新增执委（多到少）"), ("-executive_members_added", "-id")),
}
REGION_SORTS = {
    "new": (gettext_lazy("日期（近到远）"), ("-completed_on", "-id")),
    "old": (gettext_lazy("日期（远到近）"), ("completed_on", "id")),
}


def _list_ctx(request, unit, page, sort, next_url, sorts, **extra):
    return {"unit": unit, "page": page, "sort": sort, "next_url": next_url, "sorts": sorts,
            "unit_options": queries.unit_options_for(request.user, selected=unit),
            "q": request.GET.get("q", ""), "kind": request.GET.get("kind", ""),
            "active": request.GET.get("active", ""), "export_url": export_url(request),
            "first_url": first_page_url(request), **extra}


def _ordered(qs, sorts, request, default):
    return qs.order_by(*sorts.get(request.GET.get("sort") or default, sorts[default])[1])[:EXPORT_MAX_ROWS]


@web_view("org.view")
def site_list(request):
    unit = _unit_filter(request)
    qs = queries.sites_for(request.user, unit=unit, kind=request.GET.get("kind", ""),
                           q=request.GET.get("q", "").strip(), active=_active_filter(request))
    if export_requested(request):
        return _export(request, gettext("阵地"), [gettext("名称"), gettext("类型"), gettext("所属组织"), gettext("地址"), gettext("依托单位"), gettext("服务内容"), gettext("设立日期"), gettext("有效")],
                       ([s.name, s.get_kind_display(), s.unit.name, s.address, s.host, s.services, s.established_on,
                         s.is_active] for s in _ordered(qs, SITE_SORTS, request, "name")))
    page, sort, next_url = list_page(request, qs, sorts=SITE_SORTS, default="name")
    return render(request, "org/site_list.html",
                  _list_ctx(request, unit, page, sort, next_url, SITE_SORTS, kinds=Site.Kind.choices))


@web_view("org.view")
def organisation_list(request):
    unit = _unit_filter(request)
    qs = queries.organisations_for(request.user, unit=unit, kind=request.GET.get("kind", ""),
                                   q=request.GET.get("q", "").strip(), active=_active_filter(request))
    if export_requested(request):
        return _export(request, gettext("合作组织"), [gettext("名称"), gettext("类型"), gettext("合作单位类别"), gettext("所属组织"), gettext("联系人"), gettext("联系电话"), gettext("女性人数"), gettext("有效")],
                       ([o.name, o.get_kind_display(), o.get_agency_type_display() if o.agency_type else "",
                         o.unit.name, o.contact_name, o.contact_phone, o.women_count, o.is_active]
                        for o in _ordered(qs, ORG_SORTS, request, "name")))
    page, sort, next_url = list_page(request, qs, sorts=ORG_SORTS, default="name")
    return render(request, "org/organisation_list.html",
                  _list_ctx(request, unit, page, sort, next_url, ORG_SORTS, kinds=Organisation.Kind.choices))


@web_view("org.view")
def conversion_list(request):
    """会改联 (village) and 区域化建设 (township) records, one list per kind."""
    unit = _unit_filter(request)
    kind = "township" if request.GET.get("kind") == "township" else "village"
    q = request.GET.get("q", "").strip()
    if kind == "village":
        qs, sorts, title = queries.conversions_for(request.user, unit=unit), CONVERSION_SORTS, gettext("会改联")
    else:
        qs, sorts, title = queries.regionalisations_for(request.user, unit=unit), REGION_SORTS, gettext("区域化建设")
    if q:
        qs = qs.filter(unit__name__contains=q)
    if export_requested(request):
        rows = _ordered(qs, sorts, request, "new")
        if kind == "village":
            return _export(request, title, [gettext("村/社区"), gettext("组织代码"), gettext("换届改建日期"), gettext("新增执委人数"), gettext("与村委会同步选举"), gettext("备注")],
                           ([c.unit.name, c.unit.code, c.converted_on, c.executive_members_added,
                             c.with_village_election, c.note] for c in rows))
        return _export(request, title, [gettext("乡镇/街道"), gettext("组织代码"), gettext("完成日期"), gettext("改革前执委"), gettext("改革后执委"), gettext("新增执委"), gettext("备注")],
                       ([r.unit.name, r.unit.code, r.completed_on, r.members_before, r.members_after,
                         r.executive_members_added, r.note] for r in rows))
    page, sort, next_url = list_page(request, qs, sorts=sorts, default="new")
    ctx = _list_ctx(request, unit, page, sort, next_url, sorts, kind=kind, title=title,
                    kinds=[("village", gettext("会改联")), ("township", gettext("区域化建设"))])
    return render(request, "org/conversion_list.html", ctx)


def _export(request, title: str, headers: list[str], rows):
    require(request.user, "export")
    return xlsx_response(request, title, title, headers, rows)

