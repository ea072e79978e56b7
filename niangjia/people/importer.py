"""Reading and checking an Excel file of persons and posts; no writes (services.import_job_* write).

One row is one person, optionally with one post in the person's own federation. Every row is
checked once, column by column with core's validators, and the values it gives are checked with the
model fields' own rules (lengths, choices: what `person_build` / `post_build` check for a form), so the
import accepts exactly what a form would; the row is then kept as the columns to write, sealed already.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from xml.etree.ElementTree import ParseError

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from niangjia.core import sensitive, xlsx_rows
from niangjia.core.errors import ValidationFailed
from niangjia.core.i18n import source_text
from niangjia.core.pinyin import pinyin_keys
from niangjia.core.scope import ANCESTOR_FIELDS
from niangjia.core.sensitive import mask_id_number, mask_phone
from niangjia.core.validators import (
    check_phone,
    id_check_char,
    id_number_problem,
    normalize_id_number,
)
from niangjia.org.queries import federations_for

from .models import TAGS, Person, Post
from .rules import birth_and_gender_from_id

CHUNK_ROWS = 2000  # rows checked (and progress saved) per step; files of any size stream through

# (key, header) in template order; the header text is what the file must carry.
COLUMNS = [
    ("name", "姓名"), ("gender", "性别"), ("id_number", "身份证号"), ("phone", "电话"), ("address", "地址"),
    ("workplace", "工作单位"), ("tags", "标签"), ("grassroots", "基层一线"), ("unit_code", "所属组织代码"),
    ("body", "机构"), ("title", "职务"), ("tenure", "任职方式"), ("start_date", "任职开始"),
]
HEADER = {key: label for key, label in COLUMNS}
REQUIRED = ("name", "unit_code")
TEXT_COLUMNS = ("id_number", "phone", "unit_code")

GENDERS = {"女": "F", "男": "M", "F": "F", "M": "M"}
YES = {"是", "Y", "YES", "TRUE", "1", "√"}
NO = {"否", "N", "NO", "FALSE", "0", ""}
BODIES = {source_text(label): code for code, label in Post.Body.choices}
TENURES = {source_text(label): code for code, label in Post.Tenure.choices}
TAG_BY_NAME = {source_text(name): code for code, name in TAGS.items()}

MSG_NOT_XLSX = gettext_lazy("文件不是有效的 Excel（.xlsx）文件")
MSG_EMPTY = gettext_lazy("文件中没有数据行（模板里的示例行不会导入）")
# The template's two example rows: never imported, even when the user leaves them in the file.
EXAMPLE_NAME_MARK = "（示例）"
MSG_REQUIRED = gettext_lazy("必填")
MSG_UNIT = gettext_lazy("组织代码不存在或不在您的管辖范围内")
MSG_GENDER = gettext_lazy("只能填“女”或“男”")
MSG_YESNO = gettext_lazy("只能填“是”或“否”")
MSG_BODY = format_lazy(gettext_lazy("未知的机构，可选：{names}"), names="、".join(BODIES))
MSG_TENURE = format_lazy(gettext_lazy("未知的任职方式，可选：{names}"), names="、".join(TENURES))
MSG_DATE = gettext_lazy("日期格式应为 2024-01-31")
MSG_POST_NEEDS_BODY = gettext_lazy("填写了职务信息，但没有填写机构")
MSG_DUP_ID = gettext_lazy("与第 {row} 行的身份证号重复")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class CheckResult:
    built: list[list] = field(default_factory=list)  # checked rows as records (layout at PERSON_KEEP)
    errors: list[RowError] = field(default_factory=list)


# ---------------------------------------------------------------- reading the file

READ_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError, EOFError, TypeError, ParseError)


def _open(source) -> xlsx_rows.Workbook:
    """The workbook, its first sheet read as a stream (core.xlsx_rows); `source` is the file's bytes or a seekable
    binary file object."""
    try:
        return xlsx_rows.Workbook(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source)
    except READ_ERRORS as exc:
        raise ValidationFailed(MSG_NOT_XLSX, fields={"file": MSG_NOT_XLSX}) from exc


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _header_map(first_row) -> dict[str, int]:
    """Column index by key, matched on the header text; a missing required column is refused."""
    labels = {label: key for key, label in COLUMNS}
    found = {}
    for i, value in enumerate(first_row):
        key = labels.get(_cell_text(value).rstrip("*"))
        if key and key not in found:
            found[key] = i
    missing = [HEADER[k] for k in REQUIRED if k not in found]
    if missing:
        msg = gettext("第 1 行缺少列：{value}（请使用导入模板）").format(value='、'.join(missing))
        raise ValidationFailed(msg, fields={"file": msg})
    return found


def _data_rows(wb: xlsx_rows.Workbook) -> Iterator[tuple[int, dict]]:
    rows = wb.rows()
    first = next(rows, None)
    cols = list(_header_map(first[1] if first is not None and first[0] == 1 else ()).items())
    for number, values in rows:
        n = len(values)
        texts = {k: _cell_text(values[i]) if i < n else "" for k, i in cols}
        if any(texts.values()) and not is_example(texts):
            yield number, texts


def iter_rows(source) -> Iterator[tuple[int, dict]]:
    """Every data row as (Excel row number, {key: text}), parsed as it is read (one pass, any number of rows);
    blank rows and the template's examples are skipped. Refuses a file that is not xlsx or lacks the header."""
    wb = _open(source)
    try:
        yield from _data_rows(wb)
    except READ_ERRORS as exc:  # a zip cut short or a broken sheet is found while reading
        raise ValidationFailed(MSG_NOT_XLSX, fields={"file": MSG_NOT_XLSX}) from exc
    finally:
        wb.close()


def first_check(source) -> int | None:
    """The check at upload: an xlsx with the template's header and at least one data row (read up to that row
    only). Returns the sheet's own row count when it states one (the progress bar's total until the rows are
    counted), else None."""
    wb = _open(source)
    try:
        stated = wb.stated_rows()
        if next(_data_rows(wb), None) is None:
            raise ValidationFailed(MSG_EMPTY, fields={"file": MSG_EMPTY})
    except READ_ERRORS as exc:
        raise ValidationFailed(MSG_NOT_XLSX, fields={"file": MSG_NOT_XLSX}) from exc
    finally:
        wb.close()
    return stated - 1 if stated and stated > 1 else None


def read_rows(content: bytes) -> list[list]:
    """Every data row of a file held in memory as [Excel row number, {key: text}] (small files; large ones
    stream through iter_rows). Refuses files that are not xlsx, lack the required header or are empty."""
    out = [[number, texts] for number, texts in iter_rows(content)]
    if not out:
        raise ValidationFailed(MSG_EMPTY, fields={"file": MSG_EMPTY})
    return out


def is_example(texts: dict) -> bool:
    """A row left from the template's examples: its name carries the mark （示例）."""
    return texts.get("name", "").endswith(EXAMPLE_NAME_MARK)


def preview(rows: list, limit: int = 50) -> list[dict]:
    """The first rows as the confirm step shows them: ID numbers and phones masked."""
    out = []
    for number, raw in rows[:limit]:
        out.append({"row": number, "name": raw.get("name", ""), "gender": raw.get("gender", ""),
                    "id_number": mask_id_number(raw.get("id_number", "")) if raw.get("id_number") else "",
                    "phone": mask_phone(raw.get("phone", "")) if raw.get("phone") else "",
                    "unit_code": raw.get("unit_code", ""), "body": raw.get("body", ""), "title": raw.get("title", "")})
    return out


# ---------------------------------------------------------------- checking rows


class Checker:
    """Checks the rows of one file a chunk at a time, each row once: remembers the ID numbers seen (a duplicate
    is found across the whole file) and the units already looked up (one query per chunk for the new codes)."""

    def __init__(self, actor):
        self.actor, self.seen, self.units = actor, {}, {}
        self.sealer = sensitive.BulkEncryptor()

    def check(self, rows) -> CheckResult:
        codes = {r.get("unit_code", "") for _, r in rows} - {""} - self.units.keys()
        if codes:
            found = federations_for(self.actor).filter(code__in=codes, is_active=True).only(
                "id", "code", "level", "path", *ANCESTOR_FIELDS)
            self.units.update(dict.fromkeys(codes))
            self.units.update({u.code: u for u in found})
        result = CheckResult()
        for number, raw in rows:
            errors: list[RowError] = []
            record = _check_row(number, raw, self.units, self.seen, errors, self.sealer)
            result.errors += errors
            if record is not None and not errors:
                result.built.append(record)
        return result


def check_rows(actor, rows: list, seen_ids: dict) -> CheckResult:
    """Check and build each row; `seen_ids` (id key → row) carries duplicate detection across chunks."""
    checker = Checker(actor)
    checker.seen = seen_ids
    return checker.check(rows)


# ---------------------------------------------------------------- checked rows, as kept between check and commit

# The columns a checked row carries to the commit: sealed already (ciphertext, blind index, mask), so the commit
# neither checks nor encrypts again; the unit is looked up again then (it may have moved or left the reach).
# Record layout: [row, unit id, [PERSON_KEEP values], [POST_KEEP values, dates as ISO text] or None].
PERSON_KEEP = ("name", "name_pinyin", "name_initials", "gender", "birth_year", "birth_date_enc", "phone_enc",
               "phone_bidx", "phone_mask", "id_number_enc", "id_number_bidx", "id_number_mask", "address_enc",
               "address_mask", "workplace", "tags", "grassroots_frontline", "origin")
POST_KEEP = ("body", "title", "tenure", "start_date", "end_date")
# The fields a row's text reaches, checked with the model's own field rules (what full_clean checks of them),
# in the model's order; every other column is made here from checked values (masks, ciphertext, the year).
PERSON_CHECKED = ("name", "name_pinyin", "name_initials", "gender", "workplace")
POST_CHECKED = ("body", "title", "tenure")


def _field_problems(model, names, values: dict) -> dict[str, str]:
    """Each field's own check (Field.clean, as full_clean runs it), skipped for a text that plainly passes it:
    not blank (unless allowed), within max_length, no NUL, one of the choices when there are choices."""
    problems = {}
    for name in names:
        value = values[name]
        f = model._meta.get_field(name)
        if isinstance(value, str) and (value or f.blank) and len(value) <= (f.max_length or len(value)) \
                and "\x00" not in value and (not f.choices or value in _choice_values(f)):
            continue
        try:
            f.clean(value, None)
        except ValidationError as exc:
            problems[name] = "；".join(exc.messages)
    return problems


@cache
def _choice_values(f) -> frozenset:
    return frozenset(str(k) for k, _ in f.flatchoices)


def _person_record(text: dict, fields: dict, id_number: str, phone: str, sealer) -> tuple[list | None, dict]:
    """The person's columns (PERSON_KEEP order) as person_build would set them, or the field problems."""
    born, id_gender = birth_and_gender_from_id(id_number) if id_number else (None, None)
    values = {"name": text["name"], "workplace": fields["workplace"],
              "gender": fields.get("gender") or id_gender or Person.Gender.FEMALE}
    values["name_pinyin"], values["name_initials"] = pinyin_keys(values["name"])
    problems = _field_problems(Person, PERSON_CHECKED, values)
    if "name" in problems:  # its pinyin keys are too long only because the name is: one problem, said once
        problems.pop("name_pinyin", None)
        problems.pop("name_initials", None)
    if problems:
        return None, problems
    id_bidx = fields.get("id_bidx") or sensitive.blind_index(id_number)
    address = text["address"][:300]
    return [values["name"], values["name_pinyin"], values["name_initials"], values["gender"],
            born.year if born else None, sealer.encrypt(born.isoformat()) if born else "",
            sealer.encrypt(phone), sensitive.blind_index(phone), sensitive.mask_phone(phone) if phone else "",
            sealer.encrypt(id_number), id_bidx, sensitive.mask_id_number(id_number) if id_number else "",
            sealer.encrypt(address), sensitive.mask_address(address), values["workplace"],
            list(dict.fromkeys(fields["tags"])), fields["grassroots_frontline"], ""], {}


def _post_record(fields: dict) -> tuple[list | None, dict]:
    values = {"body": fields["body"], "title": fields["title"], "tenure": fields.get("tenure") or "part_time"}
    problems = _field_problems(Post, POST_CHECKED, values)
    if problems:
        return None, problems
    start = fields.get("start_date")
    return [values["body"], values["title"], values["tenure"], start.isoformat() if start else None, None], {}


def _check_row(number: int, raw: dict, units: dict, seen_ids: dict, errors: list, sealer) -> list | None:
    """The row's record (see PERSON_KEEP), or None with its problems added to `errors`."""
    text = {k: (raw.get(k) or "").strip() for k, _ in COLUMNS}

    def bad(key, message):
        errors.append(RowError(number, str(HEADER.get(key) or _field_label(key)), str(message)))

    for key in REQUIRED:
        if not text[key]:
            bad(key, MSG_REQUIRED)
    unit = units.get(text["unit_code"])
    if text["unit_code"] and unit is None:
        bad("unit_code", MSG_UNIT)
    person_fields = _person_fields(text, bad)
    id_number, person_fields["id_bidx"] = _check_id_number(number, text["id_number"], seen_ids, bad)
    phone = ""
    if text["phone"]:
        problem, phone = check_phone(text["phone"])
        if problem:
            bad("phone", problem)
    post_fields = _post_fields(text, bad)
    if errors:
        return None
    person, problems = _person_record(text, person_fields, id_number, phone, sealer)
    post = None
    if person is not None and post_fields:
        post, problems = _post_record(post_fields)
    for key, message in problems.items():
        bad(key, message)
    return None if problems else [number, unit.pk, person, post]


def _person_fields(text: dict, bad) -> dict:
    fields: dict = {"workplace": text["workplace"]}
    if text["gender"]:
        if text["gender"].upper() in GENDERS:
            fields["gender"] = GENDERS[text["gender"].upper()]
        else:
            bad("gender", MSG_GENDER)
    flag = text["grassroots"].upper()
    if flag in YES or flag in NO:
        fields["grassroots_frontline"] = flag in YES
    else:
        bad("grassroots", MSG_YESNO)
    tags = [t for t in re.split(r"[、,，;；\s]+", text["tags"]) if t]
    unknown = [t for t in tags if t not in TAG_BY_NAME and t not in TAGS]
    if unknown:
        bad("tags", gettext("未知的标签：{value}（可选：{v2}）").format(value='、'.join(unknown), v2='、'.join(TAG_BY_NAME)))
    fields["tags"] = [TAG_BY_NAME.get(t, t) for t in tags]
    return fields


def _check_id_number(number: int, value: str, seen_ids: dict, bad) -> tuple[str, str]:
    """The normalized ID number and its blind index ("" when absent or bad); a number seen on an earlier row is
    refused."""
    if not value:
        return "", ""
    problem = id_number_problem(value)
    if problem:
        bad("id_number", problem)
        return "", ""
    normalized = normalize_id_number(value)
    bidx = sensitive.blind_index(normalized)
    key = bidx[:24]
    if key in seen_ids and seen_ids[key] != number:
        bad("id_number", MSG_DUP_ID.format(row=seen_ids[key]))
        return "", ""
    seen_ids[key] = number
    return normalized, bidx


def _post_fields(text: dict, bad) -> dict | None:
    if not text["body"]:
        if text["title"] or text["tenure"] or text["start_date"]:
            bad("body", MSG_POST_NEEDS_BODY)
        return None
    fields = {"title": text["title"]}
    if text["body"] in BODIES or text["body"] in BODIES.values():
        fields["body"] = BODIES.get(text["body"], text["body"])
    else:
        bad("body", MSG_BODY)
    if not text["title"]:
        bad("title", MSG_REQUIRED)
    if text["tenure"]:
        if text["tenure"] in TENURES:
            fields["tenure"] = TENURES[text["tenure"]]
        else:
            bad("tenure", MSG_TENURE)
    if text["start_date"]:
        start = _parse_date(text["start_date"])
        if start is None:
            bad("start_date", MSG_DATE)
        fields["start_date"] = start
    return fields


def _parse_date(value: str) -> date | None:
    text = value.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        return None


def _field_label(key: str) -> str:
    for model in (Person, Post):
        try:
            return str(model._meta.get_field(key).verbose_name)
        except Exception:  # noqa: BLE001 - not a field of this model
            continue
    return key


# ---------------------------------------------------------------- the template


def template_bytes(actor) -> bytes:
    """The import template: header, two example rows, an instructions sheet and the unit codes in reach."""
    units = list(federations_for(actor).filter(is_active=True).order_by("path")[:5000])
    example_code = units[-1].code if units else "110101001001"
    wb = Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append([HEADER[k] for k, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE2E4")
    id1, id2 = (_example_id(f) for f in EXAMPLE_ID_STEMS)
    ws.append(["张秀兰" + EXAMPLE_NAME_MARK, "女", id1, "13800138000", "东县东镇东村3组12号", "东村村委会", "农村妇女、困难妇女", "是",
               example_code, "执委会", "执委", "兼职", "2024-01-15"])
    ws.append(["李小梅" + EXAMPLE_NAME_MARK, "女", id2.lower(), "0571-87654321", "", "某合作社", "青年创业者", "否",
               example_code, "", "", "", ""])
    letters = {k: chr(ord("A") + i) for i, (k, _) in enumerate(COLUMNS)}
    for key in TEXT_COLUMNS:  # text cells keep 18-digit ID numbers and leading zeros intact
        for row in range(2, 5002):
            ws[f"{letters[key]}{row}"].number_format = "@"
    for key, values in (("gender", "女,男"), ("grassroots", "是,否"), ("body", ",".join(BODIES)),
                        ("tenure", ",".join(TENURES))):
        dv = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
        dv.add(f"{letters[key]}2:{letters[key]}5001")
        ws.add_data_validation(dv)
    for i, (_, label) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = 22 if label in ("身份证号", "地址", "工作单位") else 14
    _instructions(wb.create_sheet("填写说明"))
    codes = wb.create_sheet("组织代码")
    codes.append(["组织代码", "名称", "层级"])
    for u in units:
        codes.append([u.code, u.name, str(u.level_name)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


EXAMPLE_ID_STEMS = ("11010519850315002", "81000019900101002")


def _example_id(first17: str) -> str:
    return first17 + id_check_char(first17)


def _instructions(ws) -> None:
    ws.append(["列", "是否必填", "说明 / 可选值"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    rows = [
        ("姓名", "必填", "最多 50 字"),
        ("性别", "选填", "女、男；不填时按身份证号推算，默认女"),
        ("身份证号", "选填", "18 位，按 GB 11643 校验；支持 81/82/83 开头的港澳台居民居住证号码，末位 x 大小写均可；同一文件内不能重复"),
        ("电话", "选填", "手机 11 位，或带区号的座机，如 010-12345678、0571-87654321"),
        ("地址", "选填", "加密保存，列表中只显示前几个字"),
        ("工作单位", "选填", "最多 120 字"),
        ("标签", "选填", "多个用顿号或逗号分隔，可选：" + "、".join(TAG_BY_NAME)),
        ("基层一线", "选填", "是、否；不填为否"),
        ("所属组织代码", "必填", "见“组织代码”工作表；必须在您的管辖范围内"),
        ("机构", "选填", "填写后同时新增一条职务，可选：" + "、".join(BODIES)),
        ("职务", "填写机构时必填", "如：主席、副主席、执委、代表"),
        ("任职方式", "选填", "可选：" + "、".join(TENURES) + "；不填为兼职"),
        ("任职开始", "选填", "日期，如 2024-01-15"),
        ("", "", ""),
        ("导入规则", "", "先校验全部行，有任何错误都不会写入；全部通过后才能确认导入，导入要么全部成功，要么一条都不写入。"),
    ]
    for row in rows:
        ws.append(list(row))
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 90
