"""JSON endpoints of the tree, sites, organisations and grassroots reform (thin: query, service, render)."""


from ninja import Query, Router, Status

from niangjia.core.api_schemas import (
    PageParams,
    VersionIn,
    changes_of,
    page_of,
    page_out,
    responses,
    whole_list,
)
from niangjia.core.roles import require

from .. import queries, services
from .policies import router as policies_router
from .quotas import router as quotas_router
from .schemas import (
    ConversionIn,
    ConversionOut,
    FederationFilters,
    FederationIn,
    FederationOut,
    FederationPatch,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    RegionalisationIn,
    RegionalisationOut,
    SiteFilters,
    SiteIn,
    SiteOut,
    SitePatch,
    TreeNodeOut,
    UnitFilter,
)

router = Router(tags=["组织体系"])
router.add_router("", policies_router)  # 制度参数, under the same /v1 prefix
router.add_router("", quotas_router)  # 机构编制核定

FED_ORDER = ("level", "code", "id")
SCOPED_ORDER = ("id",)


# ---------------------------------------------------------------- federations


@router.get("/federations", response=responses(page_of(FederationOut)), summary="妇联组织列表（按层级、上级、名称/代码/拼音筛选）")
def federation_list(request, filters: Query[FederationFilters], page: Query[PageParams]):
    require(request.user, "org.view")
    parent = queries.get_federation_for(request.user, filters.parent) if filters.parent else None
    qs = queries.federations_list(request.user, level=filters.level, parent=parent, q=filters.q, active=filters.active)
    return page_out(qs, order=FED_ORDER, params=page)


@router.get("/federations/tree", response=responses(page_of(TreeNodeOut)), summary="组织树：管辖范围的顶层组织，或某组织的直接下级")
def federation_tree(request, parent: int | None = None, include_inactive: bool = False):
    require(request.user, "org.view")
    return whole_list(queries.tree_nodes_for(request.user, parent, include_inactive=include_inactive))


@router.get("/federations/search", response=responses(page_of(FederationOut)), summary="按名称、组织代码或拼音首字母搜索组织")
def federation_search(request, q: str = Query(..., min_length=1, description="搜索词"),
                      limit: int = Query(30, ge=1, le=200)):
    require(request.user, "org.view")
    return whole_list(queries.search_federations(request.user, q, limit=limit))


@router.get("/federations/{int:id}", response=responses(FederationOut), summary="妇联组织详情")
def federation_detail(request, id: int):
    return queries.get_federation_for(request.user, id)


@router.get("/federations/{int:id}/subtree", response=responses(page_of(FederationOut)), summary="某组织的全部下级组织（分页，可按层级筛选）")
def federation_subtree(request, id: int, page: Query[PageParams], level: int | None = Query(None, ge=1, le=6),
                       active: bool | None = None):
    unit = queries.get_federation_for(request.user, id)
    qs = queries.federations_list(request.user, within=unit, level=level, active=active)
    return page_out(qs, order=FED_ORDER, params=page)


@router.post("/federations", response=responses(FederationOut, status=201, write=True), summary="新建妇联组织")
def federation_create(request, payload: FederationIn):
    parent = queries.get_federation_for(request.user, payload.parent, write=True) if payload.parent else None
    fields = payload.model_dump(exclude={"parent", "name", "code"})
    fed = services.federation_create(actor=request.user, parent=parent, name=payload.name, code=payload.code, **fields)
    return Status(201, fed)


@router.patch("/federations/{int:id}", response=responses(FederationOut, write=True), summary="修改妇联组织（需带版本号）")
def federation_update(request, id: int, payload: FederationPatch):
    fed = queries.get_federation_for(request.user, id, write=True)
    return services.federation_update(actor=request.user, federation=fed, version=payload.version, **changes_of(payload))


@router.post("/federations/{int:id}/deactivate", response=responses(FederationOut, write=True), summary="停用妇联组织（须先停用下级）")
def federation_deactivate(request, id: int, payload: VersionIn):
    fed = queries.get_federation_for(request.user, id, write=True)
    return services.federation_set_active(actor=request.user, federation=fed, active=False, version=payload.version)


@router.post("/federations/{int:id}/activate", response=responses(FederationOut, write=True), summary="重新启用妇联组织")
def federation_activate(request, id: int, payload: VersionIn):
    fed = queries.get_federation_for(request.user, id, write=True)
    return services.federation_set_active(actor=request.user, federation=fed, active=True, version=payload.version)


# ---------------------------------------------------------------- sites


@router.get("/sites", response=responses(page_of(SiteOut)), summary="阵地列表（按组织及下级、类型、名称筛选）")
def site_list(request, filters: Query[SiteFilters], page: Query[PageParams]):
    require(request.user, "org.view")
    unit = queries.subtree_of(request.user, filters.unit)
    qs = queries.sites_for(request.user, unit=unit, kind=filters.kind or "", q=filters.q, active=filters.active)
    return page_out(qs, order=SCOPED_ORDER, params=page)


@router.get("/sites/{int:id}", response=responses(SiteOut), summary="阵地详情")
def site_detail(request, id: int):
    return queries.get_site_for(request.user, id)


@router.post("/sites", response=responses(SiteOut, status=201, write=True), summary="新建阵地")
def site_create(request, payload: SiteIn):
    unit = queries.get_federation_for(request.user, payload.unit, write=True)
    site = services.site_create(actor=request.user, unit=unit, **payload.model_dump(exclude={"unit"}))
    return Status(201, site)


@router.patch("/sites/{int:id}", response=responses(SiteOut, write=True), summary="修改阵地（需带版本号）")
def site_update(request, id: int, payload: SitePatch):
    site = queries.get_site_for(request.user, id, write=True)
    return services.site_update(actor=request.user, site=site, version=payload.version, **changes_of(payload))


@router.post("/sites/{int:id}/deactivate", response=responses(SiteOut, write=True), summary="停用阵地")
def site_deactivate(request, id: int, payload: VersionIn):
    site = queries.get_site_for(request.user, id, write=True)
    return services.site_update(actor=request.user, site=site, version=payload.version, is_active=False)


@router.post("/sites/{int:id}/activate", response=responses(SiteOut, write=True), summary="重新启用阵地")
def site_activate(request, id: int, payload: VersionIn):
    site = queries.get_site_for(request.user, id, write=True)
    return services.site_update(actor=request.user, site=site, version=payload.version, is_active=True)


# ---------------------------------------------------------------- organisations


@router.get("/organisations", response=responses(page_of(OrganisationOut)), summary="合作组织列表（按组织及下级、类型、名称筛选）")
def organisation_list(request, filters: Query[OrganisationFilters], page: Query[PageParams]):
    require(request.user, "org.view")
    unit = queries.subtree_of(request.user, filters.unit)
    qs = queries.organisations_for(request.user, unit=unit, kind=filters.kind or "",
                                   agency_type=filters.agency_type or "", q=filters.q, active=filters.active)
    return page_out(qs, order=SCOPED_ORDER, params=page)


@router.get("/organisations/{int:id}", response=responses(OrganisationOut), summary="合作组织详情")
def organisation_detail(request, id: int):
    return queries.get_organisation_for(request.user, id)


@router.post("/organisations", response=responses(OrganisationOut, status=201, write=True), summary="新建合作组织")
def organisation_create(request, payload: OrganisationIn):
    unit = queries.get_federation_for(request.user, payload.unit, write=True)
    obj = services.organisation_create(actor=request.user, unit=unit, **payload.model_dump(exclude={"unit"}))
    return Status(201, obj)


@router.patch("/organisations/{int:id}", response=responses(OrganisationOut, write=True), summary="修改合作组织（需带版本号）")
def organisation_update(request, id: int, payload: OrganisationPatch):
    obj = queries.get_organisation_for(request.user, id, write=True)
    return services.organisation_update(actor=request.user, organisation=obj, version=payload.version,
                                        **changes_of(payload))


@router.post("/organisations/{int:id}/deactivate", response=responses(OrganisationOut, write=True), summary="停用合作组织")
def organisation_deactivate(request, id: int, payload: VersionIn):
    obj = queries.get_organisation_for(request.user, id, write=True)
    return services.organisation_update(actor=request.user, organisation=obj, version=payload.version, is_active=False)


@router.post("/organisations/{int:id}/activate", response=responses(OrganisationOut, write=True), summary="重新启用合作组织")
def organisation_activate(request, id: int, payload: VersionIn):
    obj = queries.get_organisation_for(request.user, id, write=True)
    return services.organisation_update(actor=request.user, organisation=obj, version=payload.version, is_active=True)


# ---------------------------------------------------------------- grassroots reform


@router.get("/conversions", response=responses(page_of(ConversionOut)), summary="会改联记录列表")
def conversion_list(request, filters: Query[UnitFilter], page: Query[PageParams]):
    require(request.user, "org.view")
    qs = queries.conversions_for(request.user, unit=queries.subtree_of(request.user, filters.unit))
    return page_out(qs, order=("-converted_on", "-id"), params=page)


@router.post("/conversions", response=responses(ConversionOut, status=201, write=True), summary="登记会改联（村妇代会改建为村妇联）")
def conversion_create(request, payload: ConversionIn):
    village = queries.get_federation_for(request.user, payload.unit, write=True)
    conv = services.village_conversion_record(actor=request.user, village=village,
                                              **payload.model_dump(exclude={"unit"}))
    return Status(201, conv)


@router.get("/regionalisations", response=responses(page_of(RegionalisationOut)), summary="乡镇妇联区域化建设记录列表")
def regionalisation_list(request, filters: Query[UnitFilter], page: Query[PageParams]):
    require(request.user, "org.view")
    qs = queries.regionalisations_for(request.user, unit=queries.subtree_of(request.user, filters.unit))
    return page_out(qs, order=("-completed_on", "-id"), params=page)


@router.post("/regionalisations", response=responses(RegionalisationOut, status=201, write=True), summary="登记乡镇妇联区域化建设")
def regionalisation_create(request, payload: RegionalisationIn):
    township = queries.get_federation_for(request.user, payload.unit, write=True)
    rec = services.township_regionalisation_record(actor=request.user, township=township,
                                                   **payload.model_dump(exclude={"unit"}))
    return Status(201, rec)

