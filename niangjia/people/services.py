"""Writes of persons and posts: the only code that writes people tables."""

import json
import os
import uuid
from array import array
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_lazy

from niangjia.core import audit, bulk_rows, periods, readahead, sealed_files, sensitive
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.pinyin import pinyin_full, pinyin_initials, pinyin_keys
from niangjia.core.roles import require
from niangjia.core.scope import ANCESTOR_FIELDS
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_id_number, clean_phone
from niangjia.core.versioning import bump_version
from niangjia.org.queries import federations_for
from niangjia.people.audit_actions import Action

from . import importer
from .models import TAGS, ImportJob, Person, Post
from .queries import may_see_person
from .rules import birth_and_gender_from_id

PERSON_FIELDS = {"name", "gender", "birth_date", "workplace", "tags", "grassroots_frontline", "origin"}
SENSITIVE_FIELDS = {"phone": "phone", "id_number": "id_number", "address": "address"}
REVEALABLE = {*SENSITIVE_FIELDS, "birth_date"}  # the birth date is sealed too (only its year is clear)
POST_FIELDS = {"body", "title", "tenure", "start_date", "end_date"}
MSG_UNKNOWN_TAG = gettext_lazy("未知的标签")
MSG_MERGE_SELF = gettext_lazy("不能把一条记录合并到它自己")
MSG_MERGE_CASE_PARTY = gettext_lazy("维权个案当事人的记录不能与普通人员记录合并")


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
        raise ValidationFailed(gettext("未知字段：{value}").format(value=', '.join(sorted(unknown))))
    birth_date = fields.pop("birth_date", None)
    person = Person(name=require_text(name, "name", gettext("姓名")), **fields)
    person.tags = _clean_tags(fields.get("tags"))
    person.name_pinyin, person.name_initials = pinyin_keys(person.name)
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
        audit.record(actor, Action.PERSON_CREATE, person, detail={"case_party": True} if case_party else None)
    return person


def person_update(*, actor, person: Person, version: int | None, phone=None, id_number=None, address=None,
                  **changes) -> Person:
    """Edit a person; sensitive values are re-sealed and the audit notes only that they changed."""
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, person)
    if "name" in changes:
        changes["name"] = require_text(changes["name"], "name", gettext("姓名"))
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
            audit.record(actor, Action.PERSON_UPDATE_SENSITIVE, person, detail={"fields": sorted(values)})
        if changes or not values:
            apply_changes(actor=actor, obj=person, version=version, changes=changes,
                          allowed=PERSON_FIELDS | {"name_pinyin", "name_initials", "birth_year", "birth_date_enc"},
                          action=Action.PERSON_UPDATE, sensitive=sealed)
    return person


def person_move(*, actor, person: Person, unit, version: int | None) -> Person:
    """Move a person's home unit (both ends must be in the actor's reach)."""
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, person)
    ensure_unit_in_reach(actor, unit)
    person.place_in(unit)
    with transaction.atomic():
        bump_version(person, version, ["unit", "l1", "l2", "l3", "l4", "l5", "l6"])
        audit.record(actor, Action.PERSON_MOVE, person, detail={"to": unit.pk})
    return person


def person_set_active(*, actor, person: Person, active: bool, version: int | None) -> Person:
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, person)
    apply_changes(actor=actor, obj=person, version=version, changes={"is_active": active},
                  allowed={"is_active"}, action=Action.PERSON_ACTIVATE if active else Action.PERSON_DEACTIVATE)
    return person


def person_reveal(*, actor, person: Person, field: str) -> str:
    """The clear value of one sensitive field; the read is audited in the same transaction."""
    require(actor, "people.reveal")
    ensure_unit_in_reach(actor, person)
    if not may_see_person(actor, person):
        raise NotFound()
    if field not in REVEALABLE:
        raise ValidationFailed(gettext("未知的敏感字段：{field}").format(field=field))
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
        raise ValidationFailed(gettext("被合并的记录已停用或已合并"))
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
        Person.objects.filter(pk=drop.pk).update(is_active=False, merged_into=keep, version=F("version") + 1)
        drop.refresh_from_db()
        audit.record(actor, Action.PERSON_MERGE, keep, detail={"merged": drop.pk, "moved": moved, "filled": filled})
        audit.record(actor, Action.PERSON_MERGED_INTO, drop, detail={"into": keep.pk})
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
        raise ValidationFailed(gettext("未知字段：{value}").format(value=', '.join(sorted(unknown))))
    post = Post(person=person, body=body, title=require_text(title, "title", gettext("职务")), **fields)
    post.place_in(unit)
    if post.end_date and post.start_date and post.end_date < post.start_date:
        raise ValidationFailed(gettext("任职结束日期早于开始日期"), fields={"end_date": gettext("早于开始日期")})
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
        audit.record(actor, Action.POST_CREATE, post)
    return post


def post_update(*, actor, post: Post, version: int | None, **changes) -> Post:
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, post)
    apply_changes(actor=actor, obj=post, version=version, changes=changes, allowed=POST_FIELDS, action=Action.POST_UPDATE)
    return post


def post_end(*, actor, post: Post, end_date, version: int | None) -> Post:
    """End a post (离任): it stays on record but no longer counts in composition."""
    require(actor, "people.edit")
    ensure_unit_in_reach(actor, post)
    if post.start_date and end_date < post.start_date:
        raise ValidationFailed(gettext("任职结束日期早于开始日期"), fields={"end_date": gettext("早于开始日期")})
    apply_changes(actor=actor, obj=post, version=version, changes={"end_date": end_date, "is_active": False},
                  allowed={"end_date", "is_active"}, action=Action.POST_END)
    return post


# ---------------------------------------------------------------- Excel import (all or nothing)
# upload (sealed to disk as it arrives) → check (one streaming pass, each row once, the checked rows sealed to
# disk) → commit (one transaction: bulk inserts, then one audit row per record chained in bulk).

MSG_IMPORT_NOT_READY = gettext_lazy("只有全部校验通过的文件才能导入")
MSG_IMPORT_FAILED = gettext_lazy("导入失败，未写入任何数据：")
IMPORT_DIR = "imports"
WRITE_BATCH = 2000
STALE_COMMIT = timedelta(minutes=10)  # a commit whose worker went silent this long may be started again


def _media(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def import_job_create(*, actor, filename: str, content: bytes | None = None, source=None):
    """Store an upload as a job to check: streamed to disk sealed (never whole in memory, never in clear), then
    opened from there to refuse a file that is not a usable template. `source`: a file object or an
    UploadedFile; `content`: the file's bytes (small files, tests)."""
    # cycle: people.importer → people.services
    from . import importer

    require(actor, "people.import")
    name = f"{IMPORT_DIR}/people-{uuid.uuid4().hex}.xlsx.sealed"
    path = _media(name)
    if source is None:
        chunks = [content or b""]
    elif hasattr(source, "chunks"):
        chunks = source.chunks()
    else:
        chunks = iter(lambda: source.read(sealed_files.CHUNK), b"")
    try:
        with sealed_files.open_write(path) as out:
            for chunk in chunks:
                out.write(chunk)
        with sealed_files.open_read(path) as sealed:
            stated = importer.first_check(sealed)
        with transaction.atomic():
            job = ImportJob.objects.create(created_by=actor, filename=(filename or "import.xlsx")[:200],
                                           upload_file=name, rows_total=stated or 0, state={})
            audit.record(actor, Action.IMPORT_UPLOAD, job, detail={"filename": job.filename, "rows_stated": stated})
    except BaseException:
        sealed_files.wipe(path)
        raise
    return job


def _batches(items, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


READ_AHEAD_BYTES = 256 * 1024  # an upload this large (about 4,000 rows) is read in a second process


def _read_rows(importer, upload: str):
    """The upload's rows in chunks of importer.CHUNK_ROWS. A large file is read by a second process
    (core.readahead: unsealing, unzipping and parsing the sheet overlap with the checks here, on the other core);
    a small one here, where forking would cost more than it saves."""

    def rows():
        with sealed_files.open_read(upload) as src:
            yield from importer.iter_rows(src)

    if os.path.getsize(upload) >= READ_AHEAD_BYTES:
        return readahead.chunks(rows, importer.CHUNK_ROWS, forward=(ValidationFailed,))
    return _batches(rows(), importer.CHUNK_ROWS)


def import_job_run(*, actor, job, progress=None):
    """Check every row in one streaming pass, each row once; nothing but the job's progress and report is written.

    Progress (rows read, errors found) is saved every chunk for the page; `progress(done, total)` tells a CLI.
    The checked rows (sealed, with their sensitive values already encrypted) are what the commit writes; the
    upload itself is wiped at the end.
    """
    # cycle: people.importer → people.services
    from . import importer

    require(actor, "people.import")
    if job.status != ImportJob.Status.VALIDATING:
        return job
    checker, errors, preview, done = importer.Checker(actor), [], [], 0
    stated = job.rows_total  # the sheet's own count, 0 when it states none (the CLI then shows rows read only)
    name = f"{IMPORT_DIR}/people-{uuid.uuid4().hex}.rows.sealed"
    upload = _media(job.upload_file)
    try:
        with sealed_files.open_write(_media(name)) as out:
            for chunk in _read_rows(importer, upload):
                result = checker.check(chunk)
                errors += [e.as_dict() for e in result.errors]
                if not errors:  # once a row is bad nothing will be written: only the report goes on
                    out.write("".join(json.dumps(record, ensure_ascii=False) + "\n"
                                      for record in result.built).encode())
                if len(preview) < 50:
                    preview += importer.preview(chunk, 50 - len(preview))
                done += len(chunk)
                job.rows_done, job.rows_total = done, max(job.rows_total, done)
                job.state = {"errors": len(errors)}
                job.save(update_fields=["rows_done", "rows_total", "state", "updated_at"])
                if progress:
                    progress(done, stated if stated >= done else 0)
    except ValidationFailed as exc:  # the file broke off part way (a zip cut short)
        errors.append({"row": done + 2, "column": gettext("文件"), "message": exc.message})
    except BaseException:
        sealed_files.wipe(_media(name))
        raise
    job.rows_total = job.rows_done = done
    job.errors, job.state = errors, {"preview": preview}
    job.status = ImportJob.Status.INVALID if errors else ImportJob.Status.VALID
    sealed_files.wipe(_media(job.upload_file))
    job.upload_file, job.checked_file = "", ("" if errors else name)
    if errors:
        sealed_files.wipe(_media(name))
    job.save(update_fields=["rows_total", "rows_done", "errors", "state", "status", "upload_file", "checked_file",
                            "updated_at"])
    return job


def _read_checked(job):
    with sealed_files.open_read(_media(job.checked_file)) as f:
        for line in f:
            yield json.loads(line)


class _RowsFailed(Exception):
    def __init__(self, errors: list):
        self.errors = errors


class _Meter:
    """Commit progress seen from outside the commit's transaction: on PostgreSQL a second connection notes the
    rows written on the job every batch (its heartbeat, too); SQLite takes one writer at a time, so there the
    page only says that the import runs. `progress(written, total)` tells a CLI."""

    def __init__(self, job, progress):
        self.job, self.progress = job, progress
        self.side = connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None

    def __call__(self, written: int) -> None:
        if self.side is not None:  # first, so that what the CLI is told the page already shows
            with self.side.cursor() as cur:
                cur.execute("UPDATE people_importjob SET rows_written = %s, updated_at = %s WHERE id = %s",
                            [written, periods.now(), self.job.pk])
        if self.progress:
            self.progress(written, self.job.rows_total)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def import_job_commit(*, actor, job, progress=None):
    """Write every checked row in one transaction, one audit row per record; any failure writes nothing.

    The job is claimed first (valid → committing, in its own statement), so two clicks or two workers never
    write it twice. Rows are not checked again, except that each unit must still be active and in reach.
    """
    require(actor, "people.import")
    S = ImportJob.Status
    claimable = Q(status=S.VALID) | Q(status=S.COMMITTING, updated_at__lt=periods.now() - STALE_COMMIT)
    if not ImportJob.objects.filter(claimable, pk=job.pk).update(status=S.COMMITTING, rows_written=0,
                                                                 updated_at=periods.now()):
        raise ValidationFailed(MSG_IMPORT_NOT_READY)
    job.status, job.rows_written = S.COMMITTING, 0
    meter = _Meter(job, progress)
    try:
        with transaction.atomic():
            persons, posts = _import_write_all(actor, job, meter)
            job.status, job.persons_created, job.posts_created = S.COMMITTED, persons, posts
            checked = job.checked_file
            job.committed_at, job.rows_written, job.checked_file = periods.now(), job.rows_total, ""
            job.save(update_fields=["status", "persons_created", "posts_created", "committed_at", "rows_written",
                                    "checked_file", "updated_at"])
            audit.record(actor, Action.IMPORT_COMMIT, job, detail={"persons": persons, "posts": posts})
    except _RowsFailed as failed:
        sealed_files.wipe(_media(job.checked_file))
        job.errors, job.status, job.checked_file = failed.errors, S.INVALID, ""
        job.save(update_fields=["errors", "status", "checked_file", "updated_at"])
        raise ValidationFailed(MSG_IMPORT_FAILED + gettext("发现 {value} 处错误").format(value=len(failed.errors))) from None
    except BaseException as exc:
        job.status = S.VALID
        ImportJob.objects.filter(pk=job.pk, status=S.COMMITTING).update(status=S.VALID, rows_written=0)
        if isinstance(exc, DatabaseError):
            raise ValidationFailed(MSG_IMPORT_FAILED + gettext("数据库写入出错，请稍后重试")) from exc
        raise
    finally:
        meter.close()
    sealed_files.wipe(_media(checked))
    return job


# the columns the commit writes: a checked record's (importer.PERSON_KEEP / POST_KEEP) and what a new record holds
PERSON_COLUMNS = ("unit_id", *ANCESTOR_FIELDS, "name", "name_pinyin", "name_initials", "gender", "birth_year",
                  "birth_date_enc", "phone_enc", "phone_bidx", "phone_mask", "id_number_enc", "id_number_bidx",
                  "id_number_mask", "address_enc", "address_mask", "workplace", "tags", "grassroots_frontline",
                  "origin", "is_active", "merged_into_id", "case_party", "version", "created_at", "updated_at")
POST_COLUMNS = ("unit_id", *ANCESTOR_FIELDS, "person_id", "body", "title", "tenure", "start_date", "end_date",
                "is_active", "version", "created_at")


def _import_units(actor, units: dict, batch: list) -> None:
    """The units of a batch's rows not looked up yet, as they are now (one query): they may have moved or left
    the reach since the check (None then)."""
    wanted = {rec[1] for rec in batch} - units.keys()
    if wanted:
        units.update(dict.fromkeys(wanted))
        units.update({u.pk: u for u in federations_for(actor).filter(pk__in=wanted, is_active=True)
                      .only("id", "code", "level", "is_active", *ANCESTOR_FIELDS)})


def _import_write_all(actor, job, meter) -> tuple[int, int]:
    """Inside the commit's transaction: insert the checked rows batch by batch as they are (core.bulk_rows: ids
    drawn in one query and one COPY per table on PostgreSQL), then their audit rows."""
    units: dict = {}
    ancestors: dict = {}  # unit id → (unit id, l1, …, l6): the columns that place a record in its unit
    person_ids, post_ids, errors, written = array("q"), array("q"), [], 0
    for batch in _batches(_read_checked(job), WRITE_BATCH):
        _import_units(actor, units, batch)
        errors += [{"row": rec[0], "column": importer.HEADER["unit_code"], "message": str(importer.MSG_UNIT)}
                   for rec in batch if units[rec[1]] is None]
        if errors:
            continue
        now = periods.now()
        for pk in {rec[1] for rec in batch} - ancestors.keys():
            ancestors[pk] = (pk, *(getattr(units[pk], f) for f in ANCESTOR_FIELDS))
        ids = bulk_rows.insert(Person, PERSON_COLUMNS, [(*ancestors[rec[1]], *rec[2], True, None, False, 1, now, now)
                                                        for rec in batch])
        posts = [(*ancestors[rec[1]], pk, *rec[3][:3], _day(rec[3][3]), _day(rec[3][4]), True, 1, now)
                 for rec, pk in zip(batch, ids, strict=True) if rec[3] is not None]
        new_posts = iter(bulk_rows.insert(Post, POST_COLUMNS, posts))
        person_ids.extend(ids)
        post_ids.extend(next(new_posts) if rec[3] is not None else 0 for rec in batch)
        written += len(batch)
        meter(written)
    if errors:
        raise _RowsFailed(errors)
    _import_audit(actor, job, units, person_ids, post_ids)
    return len(person_ids), sum(1 for pk in post_ids if pk)


def _import_audit(actor, job, units: dict, person_ids, post_ids) -> None:
    """One audit row per created person and post, as person_create/post_create write them, chained in bulk at
    the end so the chain's head is locked only for this last part of the commit."""
    bodies = dict(Post.Body.choices)
    with audit.bulk(actor) as add:
        for (row, unit_id, person, post), person_id, post_id in zip(_read_checked(job), person_ids, post_ids,
                                                                     strict=True):
            name, unit, detail = person[0], units[unit_id], {"import_job": job.pk, "row": row}
            add(Action.PERSON_CREATE, target_type="people.person", target_id=person_id, summary=name, detail=detail,
                unit=unit)
            if post_id:
                add(Action.POST_CREATE, target_type="people.post", target_id=post_id,
                    summary=f"{name} · {bodies.get(post[0], post[0])} · {post[1]}", detail=detail, unit=unit)


def _day(text):
    return date.fromisoformat(text) if text else None


def import_job_discard(*, actor, job):
    """Give up a job that will not be committed; its stored files are wiped."""
    require(actor, "people.import")
    if job.status in (ImportJob.Status.COMMITTED, ImportJob.Status.COMMITTING):
        raise ValidationFailed(gettext("已导入的任务不能放弃") if job.status == ImportJob.Status.COMMITTED else gettext("正在导入，不能放弃"))
    with transaction.atomic():
        for name in (job.upload_file, job.checked_file):
            if name:
                sealed_files.wipe(_media(name))
        job.status, job.upload_file, job.checked_file, job.state = ImportJob.Status.DISCARDED, "", "", {}
        job.save(update_fields=["status", "upload_file", "checked_file", "state", "updated_at"])
        audit.record(actor, Action.IMPORT_DISCARD, job)
    return job
