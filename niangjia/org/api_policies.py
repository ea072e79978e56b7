"""JSON endpoints of 制度参数: each rule's figures for a federation (read: org.view; write: policy.edit)."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from niangjia.core import policies, policy_params
from niangjia.core.api_schemas import OkOut, page_of, responses, whole_list
from niangjia.core.errors import NotFound

from . import queries

router = Router(tags=["制度参数"])


class ParamOut(Schema):
    path: str = Field(description="参数路径；嵌套参数用点号连接，如 normal_days.legal")
    label: str
    kind: str = Field(description="int、bool 或 choice")
    choices: list[list[str]] = Field(default_factory=list, description="choice 的可选值 [值, 名称]")


class PolicyOut(Schema):
    key: str
    name: str
    source: str = Field(description="依据（改革文件或平台惯例）")
    preset: dict[str, Any]
    value: dict[str, Any] = Field(description="本组织现行的规定（预设叠加上级和本级的规定）")
    own: dict[str, Any] | None = Field(description="本级自己的规定（只含与上级不同的数字）；没有则为空")
    version: int = Field(description="本级规定的版本号；没有本级规定时为 0")
    set_by: dict[str, str] = Field(description="每个参数由谁规定：预设或某级妇联的名称")
    parameters: list[ParamOut] = Field(description="可由本级修改的参数")


class UnitQuery(Schema):
    unit: int | None = Field(None, description="妇联组织 id；不传则为本人管辖范围的最上级组织")


class PolicyIn(Schema):
    unit: int = Field(description="妇联组织 id")
    value: dict[str, Any] = Field(description="要规定的数字（可只含部分参数，其余沿用上级或预设）")
    version: int = Field(description="读取时本级规定的版本号（没有本级规定时为 0）；他人已修改则返回 409")


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
            "parameters": [{"path": p.path, "label": p.label, "kind": p.kind, "choices": [list(c) for c in p.choices]}
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
