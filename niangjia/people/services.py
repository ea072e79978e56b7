"""Writes of persons and posts: the only code that writes people tables."""

from django.db import transaction
from django.db.models import F

from niangjia.core import audit, sensitive
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import ValidationFailed
from niangjia.core.pinyin import pinyin_full, pinyin_initials
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_id_number, clean_phone
from niangjia.core.versioning import bump_version

from .models import TAGS, Person, Post
from .rules import birth_and_gender_from_id

PERSON_FIELDS = {"name", "gender", "birth_date", "workplace", "tags", "grassroots_frontline", "origin"}
SENSITIVE_FIELDS = {"phone": "phone", "id_number": "id_number", "address": "address"}
POST_FIELDS = {"body", "title", "tenure", "start_date", "end_date"}
MSG_UNKNOWN_TAG = "未知的标签"
MSG_MERGE_SELF = "不能把一条记录合并到它自己"


def _clean_tags(tags) -> list[str]:
    tags = list(dict.fromkeys(tags or []))
    bad = [t for t in tags if t not in TAGS]
    if bad:
        raise ValidationFailed(f"{MSG_UNKNOWN_TAG}：{'、'.join(bad)}", fields={"tags": MSG_UNKNOWN_TAG})
    return tags


def clean_sensitive(phone: str | None = None, id_number: str | None = None, address: str | None = None) -> dict:
    """Normalize the sensitive values given (None = not given, "" = clear)."""
    out = {}
    if phone is not None:
        out["phone"] = clean_phone(phone) if phone.strip() else ""
    if id_number is not None:
        out["id_number"] = clean_id_number(id_number) if id_number.strip() else ""
    if address is not None:
        out["address"] = address.strip()[:300]
    return out


def _seal_into(person: Person, values: dict) -> None:
    for field, value in values.items():
        sensitive.assign_sealed(person, field, SENSITIVE_FIELDS[field], value)


def _sealed_columns(values: dict) -> list[str]:
    cols = []
    for field in values:
        cols += [f"{field}_enc", f"{field}_mask"] + ([f"{field}_bidx"] if field != "address" else [])
    return cols


def person_build(*, unit, name: str, phone: str = "", id_number: str = "", address: str = "", **fields) -> Person:
    """A validated, sealed, unsaved person (shared by the form, the API and the importer)."""
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise ValidationFailed(f"未知字段：{', '.join(sorted(unknown))}")
    person = Person(name=require_text(name, "name", "姓名"), **fields)
    person.tags = _clean_tags(fields.get("tags"))
    person.name_pinyin, person.name_initials = pinyin_full(person.name), pinyin_initials(person.name)
    values = clean_sensitive(phone, id_number, address)
    if values.get("id_number"):
        born, gender = birth_and_gender_from_id(values["id_number"])
        person.birth_date = person.birth_date or born
        if "gender" not in fields and gender:
            person.gender = gender
    _seal_into(person, values)
    person.place_in(unit)
    full_clean_or_raise(person)
    return person


def person_create(*, actor, unit, **fields) -> Person:
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, unit)
    person = person_build(unit=unit, **fields)
    with transaction.atomic():
        person.save()
        audit.record(actor, "person.create", person)
    return person


def person_update(*, actor, person: Person, version: int | None, phone=None, id_number=None, address=None,
                  **changes) -> Person:
    """Edit a person; sensitive values are re-sealed and the audit notes only that they changed."""
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, person)
    if "name" in changes:
        changes["name"] = require_text(changes["name"], "name", "姓名")
        changes["name_pinyin"], changes["name_initials"] = pinyin_full(changes["name"]), pinyin_initials(changes["name"])
    if "tags" in changes:
        changes["tags"] = _clean_tags(changes["tags"])
    values = clean_sensitive(phone, id_number, address)
    with transaction.atomic():
        if values:
            _seal_into(person, values)
            cols = _sealed_columns(values)
            bump_version(person, version, cols)
            version = person.version
            audit.record(actor, "person.update_sensitive", person, detail={"fields": sorted(values)})
        if changes or not values:
            apply_changes(actor=actor, obj=person, version=version, changes=changes,
                          allowed=PERSON_FIELDS | {"name_pinyin", "name_initials"}, action="person.update")
    return person


def person_move(*, actor, person: Person, unit, version: int | None) -> Person:
    """Move a person's home unit (both ends must be in the actor's reach)."""
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, person)
    ensure_unit_in_reach(actor, unit)
    person.place_in(unit)
    with transaction.atomic():
        bump_version(person, version, ["unit", "l1", "l2", "l3", "l4", "l5", "l6"])
        audit.record(actor, "person.move", person, detail={"to": unit.pk})
    return person


def person_set_active(*, actor, person: Person, active: bool, version: int | None) -> Person:
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, person)
    apply_changes(actor=actor, obj=person, version=version, changes={"is_active": active},
                  allowed={"is_active"}, action="person.activate" if active else "person.deactivate")
    return person


def person_reveal(*, actor, person: Person, field: str) -> str:
    """The clear value of one sensitive field; the read is audited in the same transaction."""
    require(actor, "people.reveal")
    ensure_unit_in_reach(actor, person)
    if field not in SENSITIVE_FIELDS:
        raise ValidationFailed(f"未知的敏感字段：{field}")
    return audit.reveal(actor, person, field, lambda: sensitive.decrypt(getattr(person, f"{field}_enc")))


def person_merge(*, actor, keep: Person, drop: Person) -> Person:
    """Merge `drop` into `keep`: every link to `drop` moves to `keep`, blanks are filled, nothing is lost.

    `drop` stays as an inactive record pointing at `keep`, so its history remains readable.
    """
    require(actor, "people.merge")
    ensure_unit_in_reach(actor, keep)
    ensure_unit_in_reach(actor, drop)
    if keep.pk == drop.pk:
        raise ValidationFailed(MSG_MERGE_SELF)
    if not drop.is_active or drop.merged_into_id:
        raise ValidationFailed("被合并的记录已停用或已合并")
    moved = {}
    with transaction.atomic():
        for rel in Person._meta.related_objects:
            if rel.related_model is Person:
                continue
            if rel.one_to_many or rel.one_to_one:
                n = rel.related_model._base_manager.filter(**{rel.field.name: drop}).update(**{rel.field.name: keep})
                if n:
                    moved[rel.related_model._meta.label_lower] = n
        filled = _fill_blanks(keep, drop)
        keep.tags = list(dict.fromkeys([*keep.tags, *drop.tags]))
        keep.grassroots_frontline = keep.grassroots_frontline or drop.grassroots_frontline
        bump_version(keep, None, [*filled, "tags", "grassroots_frontline"])
        Person.objects.filter(pk=drop.pk).update(is_active=False, merged_into=keep, version=F("version") + 1)
        drop.refresh_from_db()
        audit.record(actor, "person.merge", keep, detail={"merged": drop.pk, "moved": moved, "filled": filled})
        audit.record(actor, "person.merged_into", drop, detail={"into": keep.pk})
    return keep


def _fill_blanks(keep: Person, drop: Person) -> list[str]:
    fields = ["birth_date", "workplace", "origin", "phone_enc", "phone_bidx", "phone_mask", "id_number_enc",
              "id_number_bidx", "id_number_mask", "address_enc", "address_mask"]
    filled = []
    for f in fields:
        if not getattr(keep, f) and getattr(drop, f):
            setattr(keep, f, getattr(drop, f))
            filled.append(f)
    return filled


def post_build(*, person: Person, unit, body: str, title: str, **fields) -> Post:
    unknown = set(fields) - POST_FIELDS
    if unknown:
        raise ValidationFailed(f"未知字段：{', '.join(sorted(unknown))}")
    post = Post(person=person, body=body, title=require_text(title, "title", "职务"), **fields)
    post.place_in(unit)
    if post.end_date and post.start_date and post.end_date < post.start_date:
        raise ValidationFailed("任职结束日期早于开始日期", fields={"end_date": "早于开始日期"})
    full_clean_or_raise(post, exclude=["person"] if person.pk is None else None)
    return post


def post_create(*, actor, person: Person, unit, body: str, title: str, **fields) -> Post:
    """Give a person a post in a body of `unit` (the person may belong to another unit in reach)."""
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, unit)
    ensure_unit_in_reach(actor, person)
    post = post_build(person=person, unit=unit, body=body, title=title, **fields)
    with transaction.atomic():
        post.save()
        audit.record(actor, "post.create", post)
    return post


def post_update(*, actor, post: Post, version: int | None, **changes) -> Post:
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, post)
    apply_changes(actor=actor, obj=post, version=version, changes=changes, allowed=POST_FIELDS, action="post.update")
    return post


def post_end(*, actor, post: Post, end_date, version: int | None) -> Post:
    """End a post (离任): it stays on record but no longer counts in composition."""
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, post)
    if post.start_date and end_date < post.start_date:
        raise ValidationFailed("任职结束日期早于开始日期", fields={"end_date": "早于开始日期"})
    apply_changes(actor=actor, obj=post, version=version, changes={"end_date": end_date, "is_active": False},
                  allowed={"end_date", "is_active"}, action="post.end")
    return post
