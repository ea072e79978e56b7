"""The request and response schemas of the org API (api/__init__.py is the router)."""

from datetime import date
from typing import Any

from ninja import Field, Schema

from niangjia.core.api_schemas import UnitRef, VersionIn, choice

from ..models import Federation, Organisation, Site


class FederationOut(Schema):
    id: int
    name: str
    code: str
    level: int
    level_name: str
    parent_id: int | None
    form: str
    staffing_quota: int
    departments_quota: int
    has_hotline: bool
    is_active: bool
    version: int


class TreeNodeOut(FederationOut):
    child_count: int = Field(description="有效的直接下级组织数")


class FederationIn(Schema):
    parent: int | None = Field(None, description="上级组织 id；为空表示全国一级（仅超级管理员）")
    name: str
    code: str
    form: choice(Federation.Form) = Federation.Form.FEDERATION.value
    staffing_quota: int = Field(0, ge=0)
    departments_quota: int = Field(0, ge=0)
    has_hotline: bool = False


class FederationPatch(VersionIn):
    name: str | None = None
    code: str | None = None
    form: choice(Federation.Form) | None = None
    staffing_quota: int | None = Field(None, ge=0)
    departments_quota: int | None = Field(None, ge=0)
    has_hotline: bool | None = None


class FederationFilters(Schema):
    level: int | None = Field(None, ge=1, le=6, description="层级 1–6")
    parent: int | None = Field(None, description="只列此组织的直接下级")
    q: str = Field("", description="名称、组织代码（前缀）或拼音（全拼/首字母）")
    active: bool | None = Field(None, description="是否有效；不传则全部")


class SiteOut(Schema):
    id: int
    unit: UnitRef
    kind: str
    kind_name: str
    name: str
    address: str
    host: str
    services: list[str]
    established_on: date | None
    is_active: bool
    version: int

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return obj.get_kind_display()


class SiteIn(Schema):
    unit: int = Field(description="所属组织 id")
    kind: choice(Site.Kind)
    name: str
    address: str = ""
    host: str = ""
    services: list[str] = []
    established_on: date | None = None


class SitePatch(VersionIn):
    kind: choice(Site.Kind) | None = None
    name: str | None = None
    address: str | None = None
    host: str | None = None
    services: list[str] | None = None
    established_on: date | None = None


class ScopedFilters(Schema):
    unit: int | None = Field(None, description="只列此组织及其下级的记录")
    q: str = Field("", description="名称包含")
    active: bool | None = Field(None, description="是否有效；不传则全部")


class SiteFilters(ScopedFilters):
    kind: choice(Site.Kind) | None = None


class OrganisationOut(Schema):
    id: int
    unit: UnitRef
    kind: str
    kind_name: str
    agency_type: str
    name: str
    contact_name: str
    contact_phone: str
    women_count: int
    is_active: bool
    version: int

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return obj.get_kind_display()


class OrganisationIn(Schema):
    unit: int = Field(description="所属组织 id")
    kind: choice(Organisation.Kind)
    agency_type: choice(Organisation.Agency) = ""
    name: str
    contact_name: str = ""
    contact_phone: str = ""
    women_count: int = Field(0, ge=0)


class OrganisationPatch(VersionIn):
    kind: choice(Organisation.Kind) | None = None
    agency_type: choice(Organisation.Agency) | None = None
    name: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    women_count: int | None = Field(None, ge=0)


class OrganisationFilters(ScopedFilters):
    kind: choice(Organisation.Kind) | None = None
    agency_type: choice(Organisation.Agency) | None = None


class UnitFilter(Schema):
    unit: int | None = Field(None, description="只列此组织及其下级的记录")


class ConversionOut(Schema):
    id: int
    unit: UnitRef
    converted_on: date
    executive_members_added: int
    with_village_election: bool
    note: str


class ConversionIn(Schema):
    unit: int = Field(description="村/社区妇联 id")
    converted_on: date
    executive_members_added: int = Field(ge=0)
    with_village_election: bool = True
    note: str = ""


class RegionalisationOut(Schema):
    id: int
    unit: UnitRef
    completed_on: date
    members_before: int
    members_after: int
    executive_members_added: int
    note: str


class RegionalisationIn(Schema):
    unit: int = Field(description="乡镇/街道妇联 id")
    completed_on: date
    members_before: int = Field(ge=0)
    members_after: int = Field(ge=0)
    note: str = ""


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
