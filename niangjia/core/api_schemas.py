"""Schemas and helpers shared by every ninja router: the error shape, pages, versions, refs.

Routers stay thin: they parse input with these schemas, fetch through the scoped queries,
call the service and render with `page_out`.
"""

from functools import cache
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field
from pydantic import create_model

from .pagination import MAX_LIMIT, keyset_page
from .schema import Schema  # lazy words become text in one place (core.schema)


class ErrorBody(Schema):
    code: str = Field(description="稳定的错误代码，如 invalid、not_found、forbidden、stale_version")
    message: str = Field(description="中文说明")
    fields: dict[str, str] = Field(default_factory=dict, description="出错的字段及原因")


class ErrorOut(Schema):
    error: ErrorBody


class OkOut(Schema):
    ok: bool = True


class VersionIn(Schema):
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


class UnitRef(Schema):
    id: int
    name: str
    level: int


# Refusals every endpoint may answer; merged into each route's `response` mapping.
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 400: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 409: ErrorOut}


def responses(ok, *, status: int = 200, write: bool = False) -> dict:
    return {status: ok, **(WRITE_ERRORS if write else READ_ERRORS)}


@cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The page schema {items: [item], next_cursor} for one item schema (one class per item)."""
    name = item.__name__.removesuffix("Out") + "Page"
    return create_model(
        name,
        __base__=Schema,
        items=(list[item], ...),
        next_cursor=(str | None, Field(None, description="下一页的游标；为空表示没有更多")),
    )


class PageParams(Schema):
    """Keyset pagination query parameters."""

    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数（1–200）")
    cursor: str | None = Field(None, description="上一页返回的 next_cursor")


def page_out(qs, *, order: tuple[str, ...], params: PageParams) -> dict:
    page = keyset_page(qs, order=order, cursor=params.cursor, limit=params.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


def choice(enum_cls):
    """A Literal type of a TextChoices' values, so OpenAPI lists them and bad values answer 400."""
    return Literal[tuple(enum_cls.values)]  # type: ignore[valid-type]


def changes_of(payload: Schema, *, exclude: set[str] = frozenset({"version"})) -> dict:
    """The fields a PATCH body actually carried (absent fields stay untouched)."""
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items() if k not in exclude}


def field_error_text(err: dict) -> str:
    """A pydantic error for one field, said in Chinese (the field itself is named by the caller)."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return _("必填")
    if kind == "literal_error":
        return _("取值无效，可选：{value}").format(value=ctx.get('expected', ''))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        word = {"greater_than_equal": _("不能小于"), "greater_than": _("应大于"), "less_than_equal": _("不能大于"),
                "less_than": _("应小于")}[kind]
        bound = next(iter(ctx.values()), "")
        return f"{word} {bound}"
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("应为数字")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("日期格式应为 YYYY-MM-DD")
    if kind.startswith("bool"):
        return _("应为 true 或 false")
    if kind == "string_too_short":
        return _("不能为空")
    if kind.startswith(("string_", "list_", "dict_", "model_")):
        return _("类型不正确")
    return err.get("msg", _("无效"))


def whole_list(rows) -> dict:
    """A list short enough for one page, in the envelope every list answers: {items, next_cursor: null}."""
    return {"items": list(rows), "next_cursor": None}
