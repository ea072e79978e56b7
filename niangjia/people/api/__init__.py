"""JSON endpoints of persons, posts and the composition report (thin: query, service, render).

Phone, ID number and address leave the server masked; the clear value needs an audited reveal.
"""

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _
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
from niangjia.core.errors import ValidationFailed
from niangjia.core.roles import require
from niangjia.core.search_terms import carries_number
from niangjia.org import queries as org_queries

from .. import queries, services
from ..models import Person, Post
from ..rules import BodyCounts
from .schemas import (
    CompositionOut,
    DuplicateGroupOut,
    MergeIn,
    PersonDetailOut,
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonSearchIn,
    PostEndIn,
    PostFilters,
    PostIn,
    PostOut,
    PostPatch,
    RevealIn,
    RevealOut,
)

router = Router(tags=["人员与职务"])


# ---------------------------------------------------------------- persons


def _detail(user, person: Person) -> Person:
    person.visible_posts = list(queries.posts_for(user, person=person, active=None))
    person.duplicates = queries.possible_duplicates(user, person)
    return person


# A URL is copied into logs, proxies and histories the application does not control (core.search_terms).
MSG_SEARCH_BY_POST = _("电话号码或身份证号不能放在网址中：请用 POST /api/v1/persons/search，把查找词写在请求体中")


def _person_page(request, filters: PersonFilters, page: PageParams) -> dict:
    require(request.user, "people.view")
    unit = org_queries.subtree_of(request.user, filters.unit)
    qs = queries.persons_for(request.user, unit=unit, q=filters.q, tag=filters.tag or "", body=filters.body or "",
                             active=filters.active)
    return page_out(qs, order=("id",), params=page)


@router.get("/persons", response=responses(page_of(PersonOut)),
            summary="人员列表（按姓名/拼音、组织、标签、机构筛选；电话或身份证号请用 POST /persons/search）")
def person_list(request, filters: Query[PersonFilters], page: Query[PageParams]):
    if carries_number(filters.q):
        raise ValidationFailed(MSG_SEARCH_BY_POST, fields={"q": MSG_SEARCH_BY_POST})
    return _person_page(request, filters, page)


@router.post("/persons/search", response=responses(page_of(PersonOut)),
             summary="查找人员（同人员列表的筛选，写在请求体中：电话或身份证号不进网址；按号码查找记入审计）")
def person_search(request, payload: PersonSearchIn, page: Query[PageParams]):
    return _person_page(request, payload, page)


@router.get("/persons/duplicates", response=responses(page_of(DuplicateGroupOut)), summary="疑似重复人员（身份证号或电话相同）")
def person_duplicates(request, unit: int | None = None, limit: int = Query(100, ge=1, le=500)):
    require(request.user, "people.view")
    return whole_list(queries.duplicate_groups(request.user, unit=org_queries.subtree_of(request.user, unit), limit=limit))


@router.get("/persons/{int:id}", response=responses(PersonDetailOut), summary="人员详情（敏感信息已掩码，含职务与疑似重复）")
def person_detail(request, id: int):
    return _detail(request.user, queries.get_person_for(request.user, id))


@router.post("/persons", response=responses(PersonDetailOut, status=201, write=True), summary="新建人员（返回疑似重复记录）")
def person_create(request, payload: PersonIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    fields = payload.model_dump(exclude_unset=True, exclude={"unit"})
    person = services.person_create(actor=request.user, unit=unit, **fields)
    return Status(201, _detail(request.user, person))


@router.patch("/persons/{int:id}", response=responses(PersonDetailOut, write=True), summary="修改人员（需带版本号，可修改敏感信息）")
def person_update(request, id: int, payload: PersonPatch):
    person = queries.get_person_for(request.user, id, write=True)
    services.person_update(actor=request.user, person=person, version=payload.version, **changes_of(payload))
    return _detail(request.user, person)


@router.post("/persons/{int:id}/reveal", response=responses(RevealOut, write=True), summary="查看敏感信息明文（记入审计日志）")
def person_reveal(request, id: int, payload: RevealIn):
    person = queries.get_person_for(request.user, id)
    value = services.person_reveal(actor=request.user, person=person, field=payload.field)
    return {"field": payload.field, "value": value}


@router.post("/persons/merge", response=responses(PersonDetailOut, write=True), summary="合并两条重复人员记录（不丢失任何信息）")
def person_merge(request, payload: MergeIn):
    keep = queries.get_person_for(request.user, payload.keep)
    drop = queries.get_person_for(request.user, payload.drop)
    return _detail(request.user, services.person_merge(actor=request.user, keep=keep, drop=drop))


@router.post("/persons/{int:id}/deactivate", response=responses(PersonOut, write=True), summary="停用人员")
def person_deactivate(request, id: int, payload: VersionIn):
    person = queries.get_person_for(request.user, id, write=True)
    return services.person_set_active(actor=request.user, person=person, active=False, version=payload.version)


@router.post("/persons/{int:id}/activate", response=responses(PersonOut, write=True), summary="重新启用人员")
def person_activate(request, id: int, payload: VersionIn):
    person = queries.get_person_for(request.user, id, write=True)
    return services.person_set_active(actor=request.user, person=person, active=True, version=payload.version)


# ---------------------------------------------------------------- posts


@router.get("/posts", response=responses(page_of(PostOut)), summary="职务列表（按组织、机构、人员、在任筛选）")
def post_list(request, filters: Query[PostFilters], page: Query[PageParams]):
    require(request.user, "people.view")
    unit = org_queries.subtree_of(request.user, filters.unit)
    person = queries.get_person_for(request.user, filters.person) if filters.person else None
    qs = queries.posts_for(request.user, unit=unit, body=filters.body or "", active=filters.active, person=person)
    return page_out(qs, order=("id",), params=page)


@router.get("/posts/{int:id}", response=responses(PostOut), summary="职务详情")
def post_detail(request, id: int):
    return queries.get_post_for(request.user, id)


@router.post("/posts", response=responses(PostOut, status=201, write=True), summary="为人员新增职务")
def post_create(request, payload: PostIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    person = queries.get_person_for(request.user, payload.person)
    fields = payload.model_dump(exclude={"person", "unit", "body", "title"})
    post = services.post_create(actor=request.user, person=person, unit=unit, body=payload.body, title=payload.title,
                                **fields)
    return Status(201, post)


@router.patch("/posts/{int:id}", response=responses(PostOut, write=True), summary="修改职务（需带版本号）")
def post_update(request, id: int, payload: PostPatch):
    post = queries.get_post_for(request.user, id, write=True)
    return services.post_update(actor=request.user, post=post, version=payload.version, **changes_of(payload))


@router.post("/posts/{int:id}/end", response=responses(PostOut, write=True), summary="结束任职（离任）")
def post_end(request, id: int, payload: PostEndIn):
    post = queries.get_post_for(request.user, id, write=True)
    return services.post_end(actor=request.user, post=post, end_date=payload.end_date, version=payload.version)


# ---------------------------------------------------------------- composition


@router.get("/federations/{int:id}/composition", response=responses(CompositionOut), summary="组成结构报告：各项比例是否达标、编制与“2+1”")
def federation_composition(request, id: int):
    unit = org_queries.get_federation_for(request.user, id)
    require(request.user, "people.view")
    report = queries.composition_report(unit)
    bodies = [{"body": code, "body_name": name, **asdict(report["counts"].get(code, BodyCounts()))}
              for code, name in Post.Body.choices]
    staffing = report["staffing"]
    return {
        "unit": unit,
        "rules": report["rules"],
        "bodies": bodies,
        "staffing": {**asdict(staffing), "actual": staffing.actual, "within_quota": staffing.within_quota,
                     "vacancies": staffing.vacancies, "two_plus_one": staffing.two_plus_one},
        "policy": report["policy"],
    }

