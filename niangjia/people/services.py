"""Writes of persons and posts: the only code that writes people tables."""

import json

from django.db import DatabaseError, transaction
from django.db.models import F

from niangjia.core import audit, periods, sensitive
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.pinyin import pinyin_full, pinyin_initials
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_id_number, clean_phone
from niangjia.core.versioning import bump_version

from .models import TAGS, Person, Post
from .queries import may_see_person
from .rules import birth_and_gender_from_id

PERSON_FIELDS = {"name", "gender", "birth_date", "workplace", "tags", "grassroots_frontline", "origin"}
SENSITIVE_FIELDS = {"phone": "phone", "id_number": "id_number", "address": "address"}
REVEALABLE = {*SENSITIVE_FIELDS, "birth_date"}  # the birth date is sealed too (only its year is clear)
POST_FIELDS = {"body", "title", "tenure", "start_date", "end_date"}
MSG_UNKNOWN_TAG = "未知的标签"
MSG_MERGE_SELF = "不能把一条记录合并到它自己"
MSG_MERGE_CASE_PARTY = "维权个案当事人的记录不能与普通人员记录合并"


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
    birth_date = fields.pop("birth_date", None)
    person = Person(name=require_text(name, "name", "姓名"), **fields)
    person.tags = _clean_tags(fields.get("tags"))
    person.name_pinyin, person.name_initials = pinyin_full(person.name), pinyin_initials(person.name)
    values = clean_sensitive(phone, id_number, address)
    if values.get("id_number"):
        born, gender = birth_and_gender_from_id(values["id_number"])
        birth_date = birth_date or born
        if "gender" not in fields and gender:
            person.gender = gender
    seal_birth_date(person, birth_date)
    _seal_into(person, values)
    person.place_in(unit)
    full_clean_or_raise(person, exclude=_loaded(unit, "unit"))
    return person


def seal_birth_date(person: Person, born) -> None:
    """Keep the year in clear and the full date only as ciphertext (it is 8 digits of the ID number)."""
    person.birth_year = born.year if born else None
    person.birth_date_enc = sensitive.encrypt(born.isoformat()) if born else ""


def birth_date_of(person: Person):
    """The sealed birth date in clear, for services that need it (never shown without an audited reveal)."""
    from datetime import date

    clear = sensitive.decrypt(person.birth_date_enc)
    return date.fromisoformat(clear) if clear else None


def _birth_changes(person: Person, changes: dict) -> set[str]:
    """Turn a given `birth_date` into the sealed columns it changes; returns the sealed column names."""
    if "birth_date" not in changes:
        return set()
    born = changes.pop("birth_date")
    if born == birth_date_of(person):
        return set()
    changes["birth_year"] = born.year if born else None
    changes["birth_date_enc"] = sensitive.encrypt(born.isoformat()) if born else ""
    return {"birth_date_enc"}


def _loaded(unit, field: str) -> list[str] | None:
    """Skip the FK existence query when the unit was just read from the database (bulk import speed)."""
    return [field] if unit is not None and unit.pk and not unit._state.adding else None


def person_create(*, actor, unit, case_party: bool = False, **fields) -> Person:
    """A new person; `case_party` (set by case intake only) hides her from everyone not on her case."""
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, unit)
    person = person_build(unit=unit, **fields)
    person.case_party = bool(case_party)
    with transaction.atomic():
        person.save()
        audit.record(actor, "person.create", person, detail={"case_party": True} if case_party else None)
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
    sealed = _birth_changes(person, changes)
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
                          allowed=PERSON_FIELDS | {"name_pinyin", "name_initials", "birth_year", "birth_date_enc"},
                          action="person.update", sensitive=sealed)
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
    if not may_see_person(actor, person):
        raise NotFound()
    if field not in REVEALABLE:
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
    if keep.case_party != drop.case_party:  # her case data must not flow into (or hide) an ordinary record
        raise ValidationFailed(MSG_MERGE_CASE_PARTY)
    moved = {}
    with transaction.atomic():
        for rel in _links_to_person():
            n = rel.related_model._base_manager.filter(**{rel.field.name: drop}).update(**{rel.field.name: keep})
            if n:
                moved[rel.related_model._meta.label_lower] = n
        filled = _fill_blanks(keep, drop)
        keep.tags = list(dict.fromkeys([*keep.tags, *drop.tags]))
        keep.grassroots_frontline = keep.grassroots_frontline or drop.grassroots_frontline
        bump_version(keep, None, [*filled, "tags", "grassroots_frontline"])
        Person.all_objects.filter(pk=drop.pk).update(is_active=False, merged_into=keep, version=F("version") + 1)
        drop.refresh_from_db()
        audit.record(actor, "person.merge", keep, detail={"merged": drop.pk, "moved": moved, "filled": filled})
        audit.record(actor, "person.merged_into", drop, detail={"into": keep.pk})
    return keep


def _links_to_person() -> list:
    """Every foreign key of other models to Person, hidden ones (related_name="+": a case's complainant,
    a need's woman, a diary's author…) included: `_meta.related_objects` leaves those out."""
    return [f for f in Person._meta.get_fields(include_hidden=True)
            if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one) and f.related_model is not Person]


def _fill_blanks(keep: Person, drop: Person) -> list[str]:
    fields = ["birth_year", "birth_date_enc", "workplace", "origin", "phone_enc", "phone_bidx", "phone_mask", "id_number_enc",
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
    exclude = (["person"] if person.pk is None else []) + (_loaded(unit, "unit") or [])
    full_clean_or_raise(post, exclude=exclude or None)
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


# ---------------------------------------------------------------- Excel import (all or nothing)

MSG_IMPORT_NOT_READY = "只有全部校验通过的文件才能导入"
MSG_IMPORT_FAILED = "导入失败，未写入任何数据："


def import_job_create(*, actor, filename: str, content: bytes):
    """Store an uploaded file (encrypted) as a job to validate; refuses a file that is not a usable template."""
    from . import importer
    from .models import ImportJob

    require(actor, "people.import")
    rows = importer.read_rows(content)
    seal = sensitive.fernet().encrypt
    with transaction.atomic():
        job = ImportJob.objects.create(created_by=actor, filename=(filename or "import.xlsx")[:200],
                                       content_enc=seal(content), rows_enc=seal(json.dumps(rows).encode()),
                                       rows_total=len(rows), state={"seen_ids": {}})
        audit.record(actor, "people.import_upload", job, detail={"rows": len(rows), "filename": job.filename})
    return job


def import_job_rows(job) -> list:
    """The rows of an upload, to show before the commit (the caller masks them: importer.preview)."""
    return _job_rows(job)


def _job_rows(job) -> list:
    """The rows parsed at upload (kept encrypted: they hold clear ID numbers and phones)."""
    return json.loads(sensitive.fernet().decrypt(bytes(job.rows_enc)))


def import_job_step(*, actor, job, rows: int | None = None, all_rows: list | None = None):
    """Validate the next chunk of rows; nothing but the job's own progress and report is written.

    `all_rows` spares a caller that steps through a whole job the decryption of its rows at every step.
    """
    from . import importer
    from .models import ImportJob

    require(actor, "people.import")
    if job.status != ImportJob.Status.VALIDATING:
        return job
    source = all_rows if all_rows is not None else _job_rows(job)
    chunk = source[job.rows_done: job.rows_done + (rows or importer.CHUNK_ROWS)]
    seen = job.state.setdefault("seen_ids", {})
    result = importer.check_rows(actor, chunk, seen)
    job.errors = [*job.errors, *(e.as_dict() for e in result.errors)]
    job.rows_done = min(job.rows_total, job.rows_done + len(chunk))
    if not chunk or job.rows_done >= job.rows_total:
        job.rows_done = job.rows_total
        job.status = ImportJob.Status.INVALID if job.errors else ImportJob.Status.VALID
        job.state = {}
    job.save(update_fields=["errors", "rows_done", "status", "state", "updated_at"])
    return job


def import_job_run(*, actor, job):
    """Validate every remaining chunk (CLI and background worker), the rows decrypted once."""
    from . import importer
    from .models import ImportJob

    all_rows = _job_rows(job) if job.status == ImportJob.Status.VALIDATING else []
    while job.status == ImportJob.Status.VALIDATING:
        import_job_step(actor=actor, job=job, rows=importer.CHUNK_ROWS * 4, all_rows=all_rows)
    return job


class _RowsFailed(Exception):
    def __init__(self, errors: list):
        self.errors = errors


def import_job_commit(*, actor, job):
    """Write every row of a clean job in one transaction, one audit row per record; any failure writes nothing.

    Rows are checked again and written a chunk at a time inside that one transaction, so memory stays
    flat whatever the file's size; an error in any chunk rolls every chunk back.
    """
    from .models import ImportJob

    require(actor, "people.import")
    if job.status != ImportJob.Status.VALID:
        raise ValidationFailed(MSG_IMPORT_NOT_READY)
    try:
        _import_commit_all(actor, job, _job_rows(job))
    except _RowsFailed as failed:
        job.errors, job.status = failed.errors, ImportJob.Status.INVALID
        job.save(update_fields=["errors", "status", "updated_at"])
        raise ValidationFailed(MSG_IMPORT_FAILED + f"发现 {len(failed.errors)} 处错误") from None
    except DatabaseError as exc:
        raise ValidationFailed(MSG_IMPORT_FAILED + "数据库写入出错，请稍后重试") from exc
    return job


def _import_commit_all(actor, job, rows: list) -> None:
    """The one transaction of a commit: claim the job, check and write every chunk, audit, mark the job done."""

    from . import importer
    from .models import ImportJob

    # Re-check everything: units, reach or the data may have changed since validation.
    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALID).update(
                status=ImportJob.Status.COMMITTED):
            raise ValidationFailed(MSG_IMPORT_NOT_READY)
        seen: dict = {}
        persons = posts = 0
        for start in range(0, len(rows), importer.CHUNK_ROWS * 4):
            result = importer.check_rows(actor, rows[start: start + importer.CHUNK_ROWS * 4], seen)
            if result.errors:
                raise _RowsFailed([e.as_dict() for e in result.errors])
            posts += _import_write(actor, job, result.built)
            persons += len(result.built)
        job.status, job.persons_created, job.posts_created = ImportJob.Status.COMMITTED, persons, posts
        job.committed_at, job.content_enc, job.rows_enc = periods.now(), b"", b""
        job.save(update_fields=["status", "persons_created", "posts_created", "committed_at", "content_enc",
                                "rows_enc", "updated_at"])
        audit.record(actor, "people.import_commit", job,
                     detail={"persons": job.persons_created, "posts": job.posts_created})


def _import_write(actor, job, built) -> int:
    """Bulk-insert the built persons and posts, then one audit row each; runs inside the commit's transaction."""
    persons = [item.person for item in built]
    Person.objects.bulk_create(persons, batch_size=500)
    for item in built:
        audit.record(actor, "person.create", item.person, detail={"import_job": job.pk, "row": item.row})
    posts = []
    for item in built:
        if item.post is not None:
            item.post.person = item.person
            posts.append(item.post)
    Post.objects.bulk_create(posts, batch_size=500)
    by_post = {id(item.post): item.row for item in built if item.post is not None}
    for post in posts:
        audit.record(actor, "post.create", post, detail={"import_job": job.pk, "row": by_post[id(post)]})
    return len(posts)


def import_job_discard(*, actor, job):
    """Give up a job that will not be committed; its stored file is wiped."""
    from .models import ImportJob

    require(actor, "people.import")
    if job.status == ImportJob.Status.COMMITTED:
        raise ValidationFailed("已导入的任务不能放弃")
    with transaction.atomic():
        job.status, job.content_enc, job.rows_enc, job.state = ImportJob.Status.DISCARDED, b"", b"", {}
        job.save(update_fields=["status", "content_enc", "rows_enc", "state", "updated_at"])
        audit.record(actor, "people.import_discard", job)
    return job
