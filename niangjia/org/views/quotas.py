"""机构编制核定: a federation's quota history (staffing, internal departments, affiliated institutions) and
the cut between two days, for it and its children side by side, checked against the target.

Thin: fetch through org.queries (404 outside the reach), write through org.services, render or export.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from niangjia.core import periods
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import has_perm, require
from niangjia.core.web import export_requested, export_url, form_status, submit, web_view

from .. import queries, rules, services
from ..forms import QuotaCutForm, QuotaForm


@web_view("org.view")
def quota_page(request, pk: int):
    fed = queries.get_federation_for(request.user, pk)
    form = QuotaCutForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    on = chosen.get("on") or periods.today()
    base = chosen.get("base") or queries.quota_first_day(fed) or on
    board = queries.quota_cut_board(request.user, fed, base=base, on=on)
    if export_requested(request):
        require(request.user, "export")
        return _export(request, fed, board)
    if not form.is_bound:
        form = QuotaCutForm(initial={"base": base, "on": on})
    return render(request, "org/quotas.html", {
        "fed": fed, "history": queries.quotas_of(request.user, fed), "board": board, "form": form,
        "dimensions": rules.QUOTA_DIMENSIONS, "can_edit": has_perm(request.user, "org.edit"),
        "export_url": export_url(request)}, status=400 if form.errors else 200)


def _export(request, fed, board):
    heads = [_("组织"), _("代码")]
    for name in rules.QUOTA_DIMENSIONS.values():
        heads += [f"{name}（{_('精简前')}）", f"{name}（{_('精简后')}）", f"{name}{_('精简比例%')}"]
    heads.append(_("是否达标"))

    def row(name, code, before, after, cut):
        out = [name, code]
        for k in rules.QUOTA_DIMENSIONS:
            d = cut.dimensions[k] if cut else None
            out += [getattr(before, k) if before else None, getattr(after, k) if after else None, d.pct if d else None]
        out.append("" if cut is None or cut.met is None else (_("达标") if cut.met else _("未达标")))
        return out

    rows = [row(r["unit"].name, r["unit"].code, r["before"], r["after"], r["cut"]) for r in board["rows"]]
    if board["total"]:
        t = board["total"]
        rows.append(row(_("合计"), "", t["before"], t["after"], t["cut"]))
    title = f"{_('机构编制精简')}·{fed.name}·{board['base']:%Y-%m-%d}—{board['on']:%Y-%m-%d}"
    return xlsx_response(request, title, _("机构编制精简"), heads, rows)


@web_view("org.edit")
def quota_create(request, pk: int):
    fed = queries.get_federation_for(request.user, pk, write=True)
    form = QuotaForm(request.POST or None)
    done = submit(request, form, lambda d: services.quota_record(actor=request.user, unit=fed, **form.changes()),
                  message=_("已登记机构编制核定"), success=f"/org/{fed.pk}/quotas/")
    return done or render(request, "org/form.html", {
        "form": form, "title": _("为“%(name)s”登记机构编制核定") % {"name": fed.name},
        "back": f"/org/{fed.pk}/quotas/"}, status=form_status(form))


@web_view("org.edit")
def quota_edit(request, pk: int):
    quota = queries.get_quota_for(request.user, pk, write=True)
    form = QuotaForm(request.POST or None, initial=QuotaForm.initial_from(quota))
    done = submit(request, form, lambda d: services.quota_update(
        actor=request.user, quota=quota, version=d["version"], **form.changes()),
        message=_("已保存"), success=f"/org/{quota.unit_id}/quotas/")
    return done or render(request, "org/form.html", {
        "form": form, "title": _("更正“%(name)s”的机构编制核定") % {"name": quota.unit.name},
        "back": f"/org/{quota.unit_id}/quotas/"}, status=form_status(form))
