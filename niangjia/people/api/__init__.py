"""JSON endpoints of persons, posts and the composition report (thin: query, service, render).

Phone, ID number and address leave the server masked; the clear value needs an audited reveal.
"""

from dataclasses import asdict
from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from niangjia.core.api_schemas import (
    PageParams,
    UnitRef,
    VersionIn,
    changes_of,
    choice,
    page_of,
    page_out,
    responses,
    whole_list,
)
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from . import queries, services
from .models import TAGS, Person, Post
from .rules import BodyCounts

router = Router(tags=["人员与职务"])

SensitiveField = Literal["phone", "id_number", "address", "birth_date"]
TagCode = Literal[tuple(TAGS)]  # type: ignore[valid-type]


# ---------------------------------------------------------------- schemas


class PersonRef(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_year: int | None = Field(description="出生年份（完整出生日期加密保存，需查看明文）")
    unit: UnitRef
    phone: str = Field(description="掩码后的电话")
    id_number: str = Field(description="掩码后的身份证号")
    address: str = Field(description="掩码后的地址")
    workplace: str
    tags: list[str]
    tag_names: list[str]
    grassroots_frontline: bool
    origin: str
    is_active: bool
    merged_into_id: int | None
    version: int

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_mask

    @staticmethod
    def resolve_id_number(obj) -> str:
        return obj.id_number_mask

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.address_mask


class PostOut(Schema):
    id: int
    person: PersonRef
    unit: UnitRef
    body: str
    body_name: str
    title: str
    tenure: str
    tenure_name: str
    start_date: date | None
    end_date: date | None
    is_active: bool
    version: int

    @staticmethod
    def resolve_body_name(obj) -> str:
        return obj.get_body_display()

    @staticmethod
    def resolve_tenure_name(obj) -> str:
        return obj.get_tenure_display()


class PersonDetailOut(PersonOut):
    posts: list[PostOut] = Field(description="管辖范围内的职务")
    possible_duplicates: list[PersonOut] = Field(description="身份证号或电话相同的其他人员")

    @staticmethod
    def resolve_posts(obj) -> list:
        return obj.visible_posts

    @staticmethod
    def resolve_possible_duplicates(obj) -> list:
        return obj.duplicates


class PersonIn(Schema):
    unit: int = Field(description="所属组织 id")
    name: str
    gender: choice(Person.Gender) = Field(None, description="不填时按身份证号推断，默认女")
    birth_date: date | None = None
    phone: str = Field("", description="手机或固定电话")
    id_number: str = Field("", description="身份证号（GB 11643，含港澳台居民居住证）")
    address: str = ""
    workplace: str = ""
    tags: list[TagCode] = []
    grassroots_frontline: bool = False
    origin: choice(Person.Origin) = ""


class PersonPatch(VersionIn):
    name: str | None = None
    gender: choice(Person.Gender) | None = None
    birth_date: date | None = None
    phone: str | None = Field(None, description="新的电话；空串表示清除")
    id_number: str | None = Field(None, description="新的身份证号；空串表示清除")
    address: str | None = Field(None, description="新的地址；空串表示清除")
    workplace: str | None = None
    tags: list[TagCode] | None = None
    grassroots_frontline: bool | None = None
    origin: choice(Person.Origin) | None = None


class PersonFilters(Schema):
    q: str = Field("", description="姓名、拼音（全拼/首字母）、完整电话或完整身份证号")
    unit: int | None = Field(None, description="只列此组织及其下级的人员")
    tag: TagCode | None = None
    body: choice(Post.Body) | None = Field(None, description="只列在此机构任职的人员")
    active: bool | None = Field(None, description="是否有效；不传则全部")


class RevealIn(Schema):
    field: SensitiveField


class RevealOut(Schema):
    field: str
    value: str


class MergeIn(Schema):
    keep: int = Field(description="保留的人员 id")
    drop: int = Field(description="并入后停用的人员 id")


class DuplicateGroupOut(Schema):
    reason: str
    persons: list[PersonOut]


class PostIn(Schema):
    person: int
    unit: int = Field(description="任职的妇联组织 id")
    body: choice(Post.Body)
    title: str
    tenure: choice(Post.Tenure) = Post.Tenure.PART_TIME.value
    start_date: date | None = None
    end_date: date | None = None


class PostPatch(VersionIn):
    body: choice(Post.Body) | None = None
    title: str | None = None
    tenure: choice(Post.Tenure) | None = None
    start_date: date | None = None
    end_date: date | None = None


class PostEndIn(VersionIn):
    end_date: date


class PostFilters(Schema):
    unit: int | None = Field(None, description="任职的妇联组织 id")
    body: choice(Post.Body) | None = None
    person: int | None = None
    active: bool | None = Field(None, description="是否在任；不传则全部")


class RuleOut(Schema):
    code: str
    name: str
    part: int
    whole: int
    share_pct: float | None
    threshold_pct: int
    comparison: str = Field(description=">= 为下限，<= 为上限")
    met: bool | None = Field(description="是否达标；机构无成员时为空")
    text: str


class BodyCountOut(Schema):
    body: str
    body_name: str
    members: int
    grassroots: int
    full_time: int
    seconded: int
    part_time: int


class StaffingOut(Schema):
    quota: int
    actual: int
    full_time: int
    seconded: int
    volunteers: int
    within_quota: bool | None
    vacancies: int
    two_plus_one: bool = Field(description="“2+1”：专职、挂职、机关志愿者齐备")


class CompositionOut(Schema):
    unit: UnitRef
    rules: list[RuleOut]
    bodies: list[BodyCountOut]
    staffing: StaffingOut
    policy: dict[str, int]


# ---------------------------------------------------------------- persons


def _detail(user, person: Person) -> Person:
    person.visible_posts = list(queries.posts_for(user, person=person, active=None))
    person.duplicates = queries.possible_duplicates(user, person)
    return person


@router.get("/persons", response=responses(page_of(PersonOut)), summary="人员列表（按姓名/拼音/电话/身份证号、组织、标签、机构筛选）")
def person_list(request, filters: Query[PersonFilters], page: Query[PageParams]):
    require(request.user, "people.view")
    unit = org_queries.subtree_of(request.user, filters.unit)
    qs = queries.persons_for(request.user, unit=unit, q=filters.q, tag=filters.tag or "", body=filters.body or "",
                             active=filters.active)
    return page_out(qs, order=("id",), params=page)


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

