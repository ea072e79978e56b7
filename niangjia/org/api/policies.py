"""JSON endpoints of 制度参数: each rule's figures for a federation (read: org.view; write: policy.edit)."""

from django.utils.translation import gettext as _
from ninja import Query, Router

from niangjia.core import policies, policy_params
from niangjia.core.api_schemas import OkOut, page_of, responses, whole_list
from niangjia.core.errors import NotFound

from .. import queries
from .schemas import PolicyIn, PolicyOut, UnitQuery

router = Router(tags=["制度参数"])


def _unit(user, pk: int | None):
    if pk is None:
        roots = queries.tree_roots_for(user)
        if not roots:
            raise NotFound(_("您没有可查看的组织"))
        return roots[0]
    return queries.get_federation_for(user, pk)


def _out(key: str, unit, info: dict | None = None) -> dict:
    info = info or policies.explain(key, unit)
    spec, own = info["spec"], info["own"]
    return {"key": key, "name": spec.name, "source": spec.source, "preset": spec.preset, "value": info["value"],
            "own": own.value if own else None, "version": own.version if own else 0, "set_by": info["set_by"],
            "parameters": [{"path": p.path, "label": p.label, "kind": p.kind, "choices": [[str(v) for v in c] for c in p.choices]}
                           for p in policy_params.parameters(key, spec.preset)]}


def _known(key: str) -> str:
    if key not in policies.REGISTRY:
        raise NotFound(_("未知的制度规则"))
    return key


@router.get("/policies", response=responses(page_of(PolicyOut)), summary="一个组织现行的全部制度参数")
def policy_list(request, q: Query[UnitQuery]):
    unit = _unit(request.user, q.unit)
    return whole_list([_out(key, unit, info) for key, info in policies.explain_many(sorted(policies.REGISTRY), unit).items()])


@router.get("/policies/{key}", response=responses(PolicyOut), summary="一项制度在某组织的现行规定")
def policy_detail(request, key: str, q: Query[UnitQuery]):
    return _out(_known(key), _unit(request.user, q.unit))


@router.put("/policies/{key}", response=responses(PolicyOut, write=True),
            summary="规定本级的数字（下级沿用，除非另有规定）")
def policy_set(request, key: str, payload: PolicyIn):
    unit = _unit(request.user, payload.unit)
    policies.set_override(actor=request.user, key=_known(key), unit=unit, value=payload.value,
                          version=payload.version)
    return _out(key, unit)


@router.delete("/policies/{key}", response=responses(OkOut, write=True), summary="删除本级规定，恢复为上级或预设")
def policy_clear(request, key: str, unit: int, version: int):
    policies.clear_override(actor=request.user, key=_known(key), unit=_unit(request.user, unit), version=version)
    return {"ok": True}
