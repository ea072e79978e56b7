"""制度参数: every rule's figures for a federation — the preset, what it inherits, its own override.

Thin: fetch the federation through org.queries (404 outside the reach), read core.policies, and
write through core.policies.set_override / clear_override (permission policy.edit, audited,
version-checked).
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core import policies, policy_params
from niangjia.core.errors import NotFound
from niangjia.core.roles import has_perm, require
from niangjia.core.web import act, form_status, posted_version, submit, web_view

from .. import queries
from ..policy_forms import PolicyForm, initial_of


@web_view("org.view")
def policies_home(request):
    """The policy list of the user's own top federation."""
    roots = queries.tree_roots_for(request.user)
    if not roots:
        raise NotFound(gettext("您没有可查看的组织"))
    return redirect("org:policies", pk=roots[0].pk)


@web_view("org.view")
def policy_list(request, pk: int):
    fed = queries.get_federation_for(request.user, pk)
    rows = []
    keys = sorted(policies.REGISTRY, key=lambda k: (_area(k)[0], k))
    for key, info in policies.explain_many(keys, fed).items():
        spec = info["spec"]
        params = policy_params.parameters(key, spec.preset)
        rows.append({"key": key, "name": spec.name, "area": _area(key)[1], "own": info["own"], "editable": bool(params),
                     "summary": _summary(key, params, info["value"]),
                     "changed": sorted({s for s in info["set_by"].values() if s != gettext("预设")})})
    return render(request, "org/policies.html", {
        "fed": fed, "rows": rows, "can_edit": _can_edit(request.user)})


@web_view("org.view")
def policy_edit(request, pk: int, key: str):
    fed = queries.get_federation_for(request.user, pk)
    if key not in policies.REGISTRY:
        raise NotFound(gettext("未知的制度规则"))
    info = policies.explain(key, fed)
    spec, own = info["spec"], info["own"]
    version = own.version if own else 0
    form = PolicyForm(request.POST or None, key=key, preset=spec.preset,
                      initial=initial_of(key, spec.preset, info["value"], version))
    can_edit = _can_edit(request.user)
    for field in form.fields.values():
        field.disabled = not can_edit
    if request.method == "POST":
        require(request.user, "policy.edit")
    if done := submit(request, form, lambda d: policies.set_override(
            actor=request.user, key=key, unit=fed, value=d["value"], version=d["version"]),
            message=gettext("已保存“{name}”，{name2}及其下级按新的规定执行").format(name=spec.name, name2=fed.name),
            success=lambda _: redirect("org:policies", pk=fed.pk)):
        return done
    return render(request, "org/policy_edit.html", {
        "fed": fed, "spec": spec, "form": form, "own": own, "set_by": info["set_by"],
        "structure": policy_params.structure(key, spec.preset), "can_edit": can_edit,
        "fields": [(form[p.path], info["set_by"].get(p.path.split(".")[0], gettext("预设"))) for p in form.params],
    }, status=form_status(form))


@require_POST
@web_view("policy.edit")
def policy_clear(request, pk: int, key: str):
    fed = queries.get_federation_for(request.user, pk)
    return act(request, lambda: policies.clear_override(actor=request.user, key=key, unit=fed,
                                                        version=posted_version(request)),
               back=reverse("org:policy_edit", args=[fed.pk, key]),  # a refusal shows on the rule's own page
               message=gettext("已恢复为上级或预设的规定"), then=lambda _: reverse("org:policies", args=[fed.pk]))


def _can_edit(user) -> bool:
    return has_perm(user, "policy.edit")  # the federation itself was fetched inside her reach


def _summary(key: str, params, value: dict) -> str:
    parts = []
    for p in params[:4]:
        v = policy_params.get_path(value, p.path)
        if p.kind == "bool":
            v = gettext("是") if v else gettext("否")
        elif p.kind == "choice":
            v = dict(p.choices).get(v, v)
        parts.append(f"{p.label} {v}")
    more = "…" if len(params) > 4 else ""
    return "；".join(parts) + more


AREAS = ("composition", "duties", "fieldwork", "contacts", "needs", "cases", "participation", "awards", "selection")
AREA_NAMES = {"composition": gettext_lazy("组织建设"), "duties": gettext_lazy("执委履职"), "fieldwork": gettext_lazy("下基层"), "contacts": gettext_lazy("直接联系群众"),
              "needs": gettext_lazy("需求与服务"), "cases": gettext_lazy("维权"), "participation": gettext_lazy("意见征集与活动"), "awards": gettext_lazy("评选表彰"),
              "selection": gettext_lazy("公开选配")}


def _area(key: str) -> tuple[int, str]:
    prefix = key.split(".")[0]
    return (AREAS.index(prefix) if prefix in AREAS else len(AREAS)), AREA_NAMES.get(prefix, gettext("其他"))
