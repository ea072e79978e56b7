"""Report pages: the forms, a form's period (children side by side, completeness, totals, Excel), and
one report to fill on a phone or to review. Thin: reads through queries, writes through services."""

from django.contrib import messages
from django.shortcuts import redirect, render

from niangjia.core import periods
from niangjia.core.access import reach_of
from niangjia.core.errors import DomainError, NotFound
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import has_perm, require
from niangjia.core.web import posted_version, query_date, query_int, web_view
from niangjia.org import queries as org_queries

from . import excel, queries, rules, services


@web_view("reports.view")
def forms(request):
    return render(request, "reports/forms.html", {"forms": queries.forms_for(request.user),
                                                  "may_define": has_perm(request.user, "reports.manage")})


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
    from . import prefill

    units = org_queries.tree_roots_for(request.user)
    error, values = "", request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            unit = org_queries.get_federation_for(request.user, query_int(request.POST.get("unit")) or 0)
            form = services.form_create(actor=request.user, unit=unit, title=request.POST.get("title", ""),
                                        fill_level=query_int(request.POST.get("fill_level")) or 0,
                                        period_kind=request.POST.get("period_kind", ""),
                                        due_days=query_int(request.POST.get("due_days")) or 10,
                                        description=request.POST.get("description", ""),
                                        **_posted_definition(request.POST))
            messages.success(request, f"已定义报表：{form.title}")
            return redirect("reports:form", pk=form.pk)
        except DomainError as exc:
            error = exc.message
    return render(request, "reports/form_new.html", {
        "units": units, "error": error, "v": values, "field_rows": range(FIELD_ROWS), "check_rows": range(CHECK_ROWS),
        "kinds": rules.KIND_NAMES, "periods": rules.PERIOD_NAMES, "ops": rules.OPS, "prefills": list(prefill.SOURCES),
        "levels": [(3, "市级"), (4, "县级"), (5, "乡镇（街道）"), (6, "村（社区）")]},
        status=400 if error else 200)


def _unit(request, form):
    unit_id = query_int(request.GET.get("unit"))
    if unit_id is not None:
        return org_queries.get_federation_for(request.user, unit_id)
    roots = org_queries.tree_roots_for(request.user)
    return roots[0] if roots else form.unit


@web_view("reports.view", replica=True)
def form_period(request, pk: int):
    form = queries.get_form_for(request.user, pk)
    day = query_date(request.GET.get("day")) or periods.today()
    period = rules.period_start(day, form.period_kind)
    unit = _unit(request, form)
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
    try:
        sub, _ = services.submission_open(actor=request.user, form=form, unit=unit,
                                          day=query_date(request.POST.get("day")) or periods.today())
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
        return redirect("reports:form", pk=pk)
    return redirect("reports:submission", pk=sub.pk)


@web_view("reports.fill")
def upload(request, pk: int):
    form = queries.get_form_for(request.user, pk)
    if request.method == "POST" and request.FILES.get("file"):
        day = query_date(request.POST.get("day")) or periods.today()
        try:
            n = excel.upload(request.user, form, rules.period_start(day, form.period_kind), request.FILES["file"])
            messages.success(request, f"已导入 {n} 个单位的数据（草稿，请逐一上报）")
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            errors = "；".join(f"{k}：{v}" for k, v in list(exc.fields.items())[:30])
            messages.error(request, f"{exc.message}{('：' + errors) if errors and errors not in exc.message else ''}")
    return redirect(f"/reports/forms/{pk}/?day={request.POST.get('day', '')}")


def _may_review(user, sub) -> bool:
    parent = sub.unit.parent
    return has_perm(user, "reports.review") and parent is not None and reach_of(user).covers_obj(parent)


@web_view("reports.view")
def submission(request, pk: int):
    sub = queries.get_submission_for(request.user, pk)
    fields = list(sub.form.fields.all())
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        raw = {f.key: request.POST.get(f.key, "") for f in fields}
        try:
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
            messages.success(request, {"save": "已保存", "submit": "已上报", "return": "已退回", "approve": "已审核通过",
                                       "unapprove": "已撤销审核"}.get(action, "已处理"))
            return redirect("reports:submission", pk=sub.pk)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            errors = exc.fields
            messages.error(request, exc.message)
            sub = queries.get_submission_for(request.user, pk)
            sub.values = {**sub.values, **{k: v for k, v in raw.items() if v != ""}}
    editable = (sub.status in rules.EDITABLE and has_perm(request.user, "reports.fill")
                and reach_of(request.user).covers_obj(sub))
    children = queries.completeness(request.user, sub.form, sub.period, sub.unit)["children"] if sub.rollup else []
    rows = [{"f": f, "value": sub.values.get(f.key, ""), "error": errors.get(f.key, "")} for f in fields]
    if sub.rollup:
        for r in rows:
            if r["f"].kind in rules.NUMERIC:
                r["value"] = queries.field_total(request.user, sub.form, r["f"].key, sub.period, unit=sub.unit)["total"]
    return render(request, "reports/submission.html", {
        "sub": sub, "rows": rows, "editable": editable and not sub.rollup, "may_review": _may_review(request.user, sub),
        "may_submit": sub.status in rules.EDITABLE and has_perm(request.user, "reports.fill")
        and reach_of(request.user).covers_obj(sub), "children": children,
        "status_name": rules.STATUS_NAMES[sub.status], "period_label": rules.period_label(sub.period, sub.form.period_kind)})
