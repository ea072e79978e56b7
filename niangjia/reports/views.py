"""Report pages: the forms, a form's period (children side by side, completeness, totals, Excel), and
one report to fill on a phone or to review. Thin: reads through queries, writes through services."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from niangjia.core import periods
from niangjia.core.errors import NotFound
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import require
from niangjia.core.web import act, posted_version, query_date, query_int, unit_of, web_view
from niangjia.org import queries as org_queries

from . import excel, prefill, queries, rules, services


@web_view("reports.view")
def forms(request):
    return render(request, "reports/forms.html", {"forms": queries.forms_for(request.user)})


FIELD_ROWS, CHECK_ROWS = 8, 3


def _posted_definition(post) -> dict:
    """The definition page's rows as form_create's fields and checks (empty rows left out)."""
    fields = []
    for i in range(FIELD_ROWS):
        key, label = post.get(f"f{i}_key", "").strip(), post.get(f"f{i}_label", "").strip()
        if not key and not label:
            continue
        fields.append({"key": key, "label": label, "kind": post.get(f"f{i}_kind", "int"),
                       "required": post.get(f"f{i}_required") == "on",
                       "min_value": query_int(post.get(f"f{i}_min")), "max_value": query_int(post.get(f"f{i}_max")),
                       "choices": [c.strip() for c in post.get(f"f{i}_choices", "").replace("，", ",").split(",")
                                   if c.strip()],
                       "prefill": post.get(f"f{i}_prefill", "")})
    checks = [{"left": post.get(f"c{i}_left", "").strip(), "op": post.get(f"c{i}_op", "<="),
               "right": post.get(f"c{i}_right", "").strip()} for i in range(CHECK_ROWS)
              if post.get(f"c{i}_left", "").strip()]
    return {"fields": fields, "checks": checks}


@web_view("reports.manage")
def form_new(request):
    """定义报表: an administrator defines a form's fields, checks, fill level, period and due days here."""
    units = org_queries.tree_roots_for(request.user)
    if request.method == "POST":
        return act(request, lambda: services.form_create(
            actor=request.user, unit=org_queries.get_federation_for(request.user, query_int(request.POST.get("unit")) or 0),
            title=request.POST.get("title", ""), fill_level=query_int(request.POST.get("fill_level")) or 0,
            period_kind=request.POST.get("period_kind", ""), due_days=query_int(request.POST.get("due_days")) or 10,
            description=request.POST.get("description", ""), **_posted_definition(request.POST)),
            pages=(), message=lambda form: _("已定义报表：{title}").format(title=form.title),
            then=lambda form: reverse("reports:form", args=[form.pk]),
            refused=lambda exc: _form_new_page(request, units, request.POST, status=400))  # the refusal on top
    return _form_new_page(request, units, {})


def _form_new_page(request, units, values, status=200):
    return render(request, "reports/form_new.html", {
        "units": units, "v": values, "field_rows": range(FIELD_ROWS), "check_rows": range(CHECK_ROWS),
        "kinds": rules.KIND_NAMES, "periods": rules.PERIOD_NAMES, "ops": rules.OPS, "prefills": list(prefill.SOURCES),
        "levels": [(3, _("市级")), (4, _("县级")), (5, _("乡镇（街道）")), (6, _("村（社区）"))]}, status=status)


@web_view("reports.view", replica=True)
def form_period(request, pk: int):
    form = queries.get_form_for(request.user, pk)
    day = query_date(request.GET.get("day")) or periods.today()
    period = rules.period_start(day, form.period_kind)
    unit = unit_of(request, fallback="first") or form.unit
    if request.GET.get("template") == "xlsx":
        require(request.user, "reports.fill")
        headers, rows = excel.template(request.user, form, period, unit)
        return xlsx_response(request, f"{form.title}-{rules.period_label(period, form.period_kind)}", form.title[:31],
                             headers, rows)
    comp = queries.completeness(request.user, form, period, unit)
    numeric = [f for f in form.fields.all() if f.kind in rules.NUMERIC]
    totals = [{"field": f, **queries.field_total(request.user, form, f.key, period, unit=unit)} for f in numeric]
    mine = [u for u in org_queries.tree_roots_for(request.user)
            if form.unit.level < u.level <= form.fill_level and getattr(u, f"l{form.unit.level}") == form.unit_id]
    return render(request, "reports/form_period.html", {
        "form": form, "period": period, "period_label": rules.period_label(period, form.period_kind),
        "prev": rules.period_start(period.fromordinal(period.toordinal() - 1), form.period_kind),
        "unit": unit, "comp": comp, "totals": totals, "mine": mine})


@web_view("reports.fill")
def open_report(request, pk: int):
    form = queries.get_form_for(request.user, pk)
    if request.method != "POST":
        return redirect("reports:form", pk=pk)
    unit = org_queries.get_federation_for(request.user, query_int(request.POST.get("unit")))
    return act(request, lambda: services.submission_open(actor=request.user, form=form, unit=unit,
                                                         day=query_date(request.POST.get("day")) or periods.today()),
               back=reverse("reports:form", args=[pk]), pages=(NotFound,),
               then=lambda opened: reverse("reports:submission", args=[opened[0].pk]))


@web_view("reports.fill")
def upload(request, pk: int):
    form = queries.get_form_for(request.user, pk)
    back = f"/reports/forms/{pk}/?day={request.POST.get('day', '')}"
    if request.method != "POST" or not request.FILES.get("file"):
        return redirect(back)
    day = query_date(request.POST.get("day")) or periods.today()
    return act(request, lambda: excel.upload(request.user, form, rules.period_start(day, form.period_kind),
                                             request.FILES["file"]),
               back=back, pages=(NotFound,),  # the refusal names its first cells (reports.excel)
               message=lambda n: _("已导入 {n} 个单位的数据（草稿，请逐一上报）").format(n=n))


@web_view("reports.view")
def submission(request, pk: int):
    sub = queries.get_submission_for(request.user, pk)
    fields = list(sub.form.fields.all())
    if request.method == "POST":
        action = request.POST.get("action", "")
        raw = {f.key: request.POST.get(f.key, "") for f in fields}
        return act(request, lambda: _submission_step(request, sub, action, raw), pages=(NotFound,),
                   back=reverse("reports:submission", args=[sub.pk]),
                   message={"save": _("已保存"), "submit": _("已上报"), "return": _("已退回"), "approve": _("已审核通过"),
                            "unapprove": _("已撤销审核")}.get(action, _("已处理")),
                   refused=lambda exc: _submission_page(request, _typed(request, pk, raw), fields, exc.fields or {}))
    return _submission_page(request, sub, fields, {})


def _typed(request, pk, raw):
    """The submission as saved, with what she typed over it (a refused save shows her figures again)."""
    sub = queries.get_submission_for(request.user, pk)
    sub.values = {**sub.values, **{k: v for k, v in raw.items() if v != ""}}
    return sub


def _submission_step(request, sub, action, raw):
    """The step the button asked for on the version the page was shown (save goes first for submit)."""
    version = posted_version(request)
    if action in ("save", "submit") and not sub.rollup:
        sub = services.submission_save(actor=request.user, submission=sub, version=version, values=raw)
        version = sub.version
    if action == "submit":
        services.submission_submit(actor=request.user, submission=sub, version=version)
    elif action == "return":
        services.submission_return(actor=request.user, submission=sub, version=version,
                                   comment=request.POST.get("comment", ""))
    elif action == "approve":
        services.submission_approve(actor=request.user, submission=sub, version=version)
    elif action == "unapprove":
        services.submission_unapprove(actor=request.user, submission=sub, version=version,
                                      comment=request.POST.get("comment", ""))


def _submission_page(request, sub, fields, errors):
    children = queries.completeness(request.user, sub.form, sub.period, sub.unit)["children"] if sub.rollup else []
    rows = [{"f": f, "value": sub.values.get(f.key, ""), "error": errors.get(f.key, "")} for f in fields]
    if sub.rollup:
        for r in rows:
            if r["f"].kind in rules.NUMERIC:
                r["value"] = queries.field_total(request.user, sub.form, r["f"].key, sub.period, unit=sub.unit)["total"]
    return render(request, "reports/submission.html", {
        "sub": sub, "rows": rows, "children": children,
        "status_name": rules.STATUS_NAMES[sub.status], "period_label": rules.period_label(sub.period, sub.form.period_kind)})
