"""Duty checklist templates and their hand-out to members (the managers' pages)."""


from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from niangjia.core.errors import ValidationFailed
from niangjia.core.forms import naming_the_field
from niangjia.core.roles import require
from niangjia.core.web import (
    act,
    first_page_url,
    form_errors_from,
    form_status,
    list_page,
    posted_version,
    submit,
    unit_of,
    web_view,
)
from niangjia.org import queries as org_queries
from niangjia.people import queries as people_queries
from niangjia.people.models import Post

from .. import queries, rules, services
from ..forms import (
    HandOutForm,
    ItemForm,
    TemplateEditForm,
    TemplateForm,
)

# ---------------------------------------------------------------- templates and hand-out


@web_view("duties.view")
def template_list(request):
    unit = unit_of(request, fallback="only", also_post=True)
    qs = queries.templates_for(request.user, unit=unit, active=None if request.GET.get("all") else True)
    page, sort, next_url = list_page(request, qs, sorts={"new": (gettext("最近新增"), ("-id",))}, default="new")
    form = TemplateForm(initial={"unit": unit.pk if unit else None})
    return render(request, "duties/templates.html",
                  {"page": page, "next_url": next_url, "first_url": first_page_url(request), "unit": unit,
                   "unit_options": org_queries.unit_options_for(request.user, selected=unit), "form": form})


@require_POST
@web_view("duties.manage")
def template_create(request):
    unit = unit_of(request, fallback="only", also_post=True)
    if unit is None:
        messages.error(request, gettext("请选择所属组织"))
        return redirect("duties:templates")
    try:
        if request.POST.get("preset"):
            tpl = services.template_from_preset(actor=request.user, unit=unit)
        else:
            tpl = services.template_create(actor=request.user, unit=unit, name=request.POST.get("name", ""),
                                           description=request.POST.get("description", ""))
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect(reverse("duties:templates") + f"?unit={unit.pk}")
    messages.success(request, gettext("已建立清单：{name}").format(name=tpl.name))
    return redirect("duties:template", pk=tpl.pk)


@web_view("duties.view")
def template_detail(request, pk):
    tpl = queries.get_template_for(request.user, pk)
    form = ItemForm(request.POST or None, initial={"target_kind": "at_least", "target_min": 1})
    status = 200
    if request.method == "POST":
        require(request.user, "duties.manage")
        if form.is_valid():
            d = {k: v for k, v in form.cleaned_data.items() if v not in (None, "") or k == "target_max"}
            try:
                services.item_add(actor=request.user, template=tpl, **d)
            except ValidationFailed as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, gettext("已添加事项：{value}").format(value=d['title']))
                return redirect("duties:template", pk=tpl.pk)
        status = 400
    items = [(it, rules.target_text(it.target_kind, it.target_min, it.target_max)) for it in queries.items_of(tpl)]
    tpl_form = TemplateEditForm(initial={"name": tpl.name, "description": tpl.description, "version": tpl.version})
    return render(request, "duties/template.html", {"tpl": tpl, "items": items, "form": form, "tpl_form": tpl_form},
                  status=status)


def _switched_on(request) -> bool:
    """The 有效 box: a browser sends the hidden "0" and, when the box is ticked, "1" too, so any "1"
    means on; a client that sends neither leaves it on."""
    sent = request.POST.getlist("is_active")
    return "1" in sent if sent else True


@require_POST
@web_view("duties.manage")
def template_edit(request, pk):
    """Rename a checklist, or switch it off (no new hand-outs; handed-out ones keep counting)."""
    tpl = queries.get_template_for(request.user, pk, write=True)
    form = TemplateEditForm(request.POST)
    back = reverse("duties:template", args=[tpl.pk])
    if not form.is_valid():
        messages.error(request, "；".join(v[0] if k == "__all__" else naming_the_field(form.fields[k].label, v[0])
                                         for k, v in form.errors.items()))
        return redirect(back)
    d = form.cleaned_data
    return act(request, lambda: services.template_update(
        actor=request.user, template=tpl, version=d["version"], name=d["name"], description=d["description"],
        is_active=_switched_on(request)),
        back=back, message=lambda _: gettext("已保存清单") + ("" if tpl.is_active else gettext("（已停用）")))


@web_view("duties.manage")
def item_edit(request, pk):
    item = queries.get_item_for(request.user, pk, write=True)
    fields = ("title", "target_kind", "target_min", "target_max", "noun", "evidence_kind", "description", "order")
    form = ItemForm(request.POST or None, initial={f: getattr(item, f) for f in fields})

    def save(d):
        changes = {k: v for k, v in d.items() if k in fields and v is not None or k == "target_max"}
        services.item_update(actor=request.user, item=item, version=posted_version(request),
                             is_active=_switched_on(request), **changes)

    done = submit(request, form, save, message=gettext("已保存"), success=lambda _: redirect("duties:template", pk=item.template_id))
    return done or render(request, "duties/item_form.html", {"form": form, "item": item}, status=form_status(form))


@web_view("duties.manage")
def hand_out(request):
    """Pick template, year, body (or tick people): one action hands it to all of them."""
    templates = list(queries.templates_for(request.user).order_by("unit__level", "unit_id", "-id")[:200])
    raw = request.POST.get("template") or request.GET.get("template")
    tpl = queries.get_template_for(request.user, raw, write=True) if raw else (templates[0] if templates else None)
    members = []
    if tpl is not None:
        members = [(p.person_id, f"{p.person.name}（{p.get_body_display()}）")
                   for p in people_queries.posts_for(request.user, unit=tpl.unit).filter(person__is_active=True)
                   .order_by("body", "person__name_pinyin", "id")[:500]]
        members = list(dict(members).items())
    form = HandOutForm(request.POST or None, members=members, initial={"template": tpl.pk if tpl else None})
    form.fields["template"].widget.choices = [(t.pk, f"{t.unit.name} · {t.name}") for t in templates]
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.assignment_hand_out(actor=request.user, unit=tpl.unit, template=tpl, year=d["year"],
                                                  body=d["body"] or None, person_ids=d["person_ids"] or None)
        except ValidationFailed as exc:
            form_errors_from(form, exc)
            status = 400
        else:
            made, skipped = len(result["created"]), result["skipped"]
            messages.success(request, gettext("已下发 {made} 份“{name}”（{value}年）").format(made=made, name=tpl.name, value=d['year'])
                             + (gettext("，{skipped} 人已有此清单未重复下发").format(skipped=skipped) if skipped else ""))
            return redirect(reverse("duties:progress") + f"?unit={tpl.unit_id}&year={d['year']}")
    elif request.method == "POST":
        status = 400
    options = [("", gettext("下面勾选的人员"))]
    if tpl is not None:
        options += [(code, gettext("{label}（{value} 人）").format(label=label, value=len(services.body_members(tpl.unit, code)))) for code, label in Post.Body.choices]
    return render(request, "duties/hand_out.html", {"form": form, "tpl": tpl, "templates": templates,
                                                     "body_options": options}, status=status)
