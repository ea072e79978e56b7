"""Reading and checking an Excel file of persons and posts; no writes (services.import_job_* write).

One row is one person, optionally with one post in the person's own federation. Every row is
checked column by column with core's validators, then built with the same `person_build` /
`post_build` the forms use, so the import accepts exactly what a form would.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from niangjia.core.errors import ValidationFailed
from niangjia.core.i18n import source_text
from niangjia.core.scope import ANCESTOR_FIELDS
from niangjia.core.sensitive import blind_index
from niangjia.core.validators import id_check_char, id_number_problem, normalize_id_number, phone_problem
from niangjia.org.queries import federations_for

from .models import TAGS, Person, Post
from .services import person_build, post_build

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
class BuiltRow:
    row: int
    person: Person
    post: Post | None


@dataclass
class CheckResult:
    built: list[BuiltRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# ---------------------------------------------------------------- reading the file


def _open(source):
    """The workbook (read-only: rows are parsed as they are read) and its first sheet; `source` is the file's
    bytes or a seekable binary file object."""
    try:
        wb = load_workbook(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source, read_only=True,
                           data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ValidationFailed(MSG_NOT_XLSX, fields={"file": MSG_NOT_XLSX}) from exc
    return wb, wb.worksheets[0]


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


def _data_rows(ws) -> Iterator[tuple[int, dict]]:
    rows = ws.iter_rows(values_only=True)
    cols = list(_header_map(next(rows, ()) or ()).items())
    for number, values in enumerate(rows, start=2):
        n = len(values)
        texts = {k: _cell_text(values[i]) if i < n else "" for k, i in cols}
        if any(texts.values()) and not is_example(texts):
            yield number, texts


def iter_rows(source) -> Iterator[tuple[int, dict]]:
    """Every data row as (Excel row number, {key: text}), parsed as it is read (one pass, any number of rows);
    blank rows and the template's examples are skipped. Refuses a file that is not xlsx or lacks the header."""
    wb, ws = _open(source)
    try:
        yield from _data_rows(ws)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:  # a zip cut short is found while reading
        raise ValidationFailed(MSG_NOT_XLSX, fields={"file": MSG_NOT_XLSX}) from exc
    finally:
        wb.close()


def first_check(source) -> int | None:
    """The check at upload: an xlsx with the template's header and at least one data row. Returns the sheet's
    own row count when it states one (the progress bar's total until the rows are counted), else None."""
    wb, ws = _open(source)
    try:
        stated = ws.max_row if isinstance(ws.max_row, int) and ws.max_row > 1 else None
        if next(_data_rows(ws), None) is None:
            raise ValidationFailed(MSG_EMPTY, fields={"file": MSG_EMPTY})
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ValidationFailed(MSG_NOT_XLSX, fields={"file": MSG_NOT_XLSX}) from exc
    finally:
        wb.close()
    return stated - 1 if stated else None


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
    from niangjia.core.sensitive import mask_id_number, mask_phone

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
    is found across the whole file) and the units already looked up."""

    def __init__(self, actor):
        self.actor, self.seen, self.units = actor, {}, {}

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
            built = _check_row(number, raw, self.units, self.seen, errors)
            result.errors += errors
            if built is not None and not errors:
                result.built.append(built)
        return result


def check_rows(actor, rows: list, seen_ids: dict[str, int]) -> CheckResult:
    """Check and build each row; `seen_ids` (id key → row) carries duplicate detection across chunks."""
    checker = Checker(actor)
    checker.seen = seen_ids
    return checker.check(rows)


# ---------------------------------------------------------------- checked rows, as kept between check and commit

# The columns a checked row carries to the commit: sealed already (ciphertext, blind index, mask), so the commit
# neither checks nor encrypts again; the unit is looked up again then (it may have moved or left the reach).
PERSON_KEEP = ("name", "name_pinyin", "name_initials", "gender", "birth_year", "birth_date_enc", "phone_enc",
               "phone_bidx", "phone_mask", "id_number_enc", "id_number_bidx", "id_number_mask", "address_enc",
               "address_mask", "workplace", "tags", "grassroots_frontline", "origin")
POST_KEEP = ("body", "title", "tenure", "start_date", "end_date")


def to_record(built: BuiltRow) -> list:
    """A checked row as JSON-ready values: [row, unit id, person columns, post columns or None]."""
    person = [getattr(built.person, f) for f in PERSON_KEEP]
    post = None
    if built.post is not None:
        post = [getattr(built.post, f) for f in POST_KEEP]
        post = [v.isoformat() if isinstance(v, date) else v for v in post]
    return [built.row, built.person.unit_id, person, post]


def from_record(record: list, unit) -> tuple[int, Person, Post | None]:
    """The unsaved person (and post) of a checked row, placed in `unit` as it is now."""
    row, _, person_values, post_values = record
    person = Person(**dict(zip(PERSON_KEEP, person_values, strict=True)))
    person.place_in(unit)
    post = None
    if post_values is not None:
        values = dict(zip(POST_KEEP, post_values, strict=True))
        for f in ("start_date", "end_date"):
            values[f] = date.fromisoformat(values[f]) if values[f] else None
        post = Post(person=person, **values)
        post.place_in(unit)
    return row, person, post


def _check_row(number: int, raw: dict, units: dict, seen_ids: dict[str, int], errors: list) -> BuiltRow | None:
    text = {k: (raw.get(k) or "").strip() for k, _ in COLUMNS}

    def bad(key, message):
        errors.append(RowError(number, HEADER[key], str(message)))  # kept as JSON with the job

    for key in REQUIRED:
        if not text[key]:
            bad(key, MSG_REQUIRED)
    unit = units.get(text["unit_code"])
    if text["unit_code"] and unit is None:
        bad("unit_code", MSG_UNIT)
    person_fields = _person_fields(text, bad)
    _check_id_number(number, text["id_number"], seen_ids, bad)
    if text["phone"] and phone_problem(text["phone"]):
        bad("phone", phone_problem(text["phone"]))
    post_fields = _post_fields(text, bad)
    if errors:
        return None
    try:
        person = person_build(unit=unit, name=text["name"], phone=text["phone"], id_number=text["id_number"],
                              address=text["address"], **person_fields)
        post = post_build(person=person, unit=unit, **post_fields) if post_fields else None
    except ValidationFailed as exc:
        for key, message in (exc.fields or {"name": exc.message}).items():
            errors.append(RowError(number, str(HEADER.get(key, _field_label(key))), str(message)))
        return None
    return BuiltRow(number, person, post)


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


def _check_id_number(number: int, value: str, seen_ids: dict[str, int], bad) -> None:
    if not value:
        return
    problem = id_number_problem(value)
    if problem:
        bad("id_number", problem)
        return
    key = blind_index(normalize_id_number(value))[:24]
    if key in seen_ids and seen_ids[key] != number:
        bad("id_number", MSG_DUP_ID.format(row=seen_ids[key]))
    else:
        seen_ids[key] = number


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
