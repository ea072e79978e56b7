"""Reading and checking an Excel file of persons and posts; no writes (services.import_job_* write).

One row is one person, optionally with one post in the person's own federation. Every row is
checked column by column with core's validators, then built with the same `person_build` /
`post_build` the forms use, so the import accepts exactly what a form would.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from niangjia.core.errors import ValidationFailed
from niangjia.core.sensitive import blind_index
from niangjia.core.validators import id_check_char, id_number_problem, normalize_id_number, phone_problem
from niangjia.org.queries import federations_for

from .models import TAGS, Person, Post
from .services import person_build, post_build

CHUNK_ROWS = 500  # rows validated per step; files of any size are taken (read-only streaming)

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
BODIES = {label: code for code, label in Post.Body.choices}
TENURES = {label: code for code, label in Post.Tenure.choices}
TAG_BY_NAME = {name: code for code, name in TAGS.items()}

MSG_NOT_XLSX = "文件不是有效的 Excel（.xlsx）文件"
MSG_EMPTY = "文件中没有数据行"
MSG_REQUIRED = "必填"
MSG_UNIT = "组织代码不存在或不在您的管辖范围内"
MSG_GENDER = "只能填“女”或“男”"
MSG_YESNO = "只能填“是”或“否”"
MSG_BODY = "未知的机构，可选：" + "、".join(BODIES)
MSG_TENURE = "未知的任职方式，可选：" + "、".join(TENURES)
MSG_DATE = "日期格式应为 2024-01-31"
MSG_POST_NEEDS_BODY = "填写了职务信息，但没有填写机构"
MSG_DUP_ID = "与第 {row} 行的身份证号重复"


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


def _open(content: bytes):
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationFailed(MSG_NOT_XLSX, fields={"file": MSG_NOT_XLSX}) from exc
    return wb, wb.worksheets[0]


def _cell_text(value) -> str:
    if value is None:
        return ""
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
        msg = f"第 1 行缺少列：{'、'.join(missing)}（请使用导入模板）"
        raise ValidationFailed(msg, fields={"file": msg})
    return found


def read_rows(content: bytes) -> list[list]:
    """Every data row as [excel row number, {key: text}], blank rows skipped; read once at upload.

    Refuses files that are not xlsx, lack the required header or are empty; any number of rows.
    """
    wb, ws = _open(content)
    out = []
    try:
        rows = ws.iter_rows(values_only=True)
        cols = _header_map(next(rows, ()) or ())
        for number, values in enumerate(rows, start=2):
            texts = {k: _cell_text(values[i]) if i < len(values) else "" for k, i in cols.items()}
            if any(texts.values()):
                out.append([number, texts])
    finally:
        wb.close()
    if not out:
        raise ValidationFailed(MSG_EMPTY, fields={"file": MSG_EMPTY})
    return out


# ---------------------------------------------------------------- checking rows


def check_rows(actor, rows: list, seen_ids: dict[str, int]) -> CheckResult:
    """Check and build each row; `seen_ids` (id key → row) carries duplicate detection across chunks."""
    codes = {r.get("unit_code", "") for _, r in rows}
    units = {u.code: u for u in federations_for(actor).filter(code__in=codes - {""}, is_active=True)}
    result = CheckResult()
    for number, raw in rows:
        errors: list[RowError] = []
        built = _check_row(number, raw, units, seen_ids, errors)
        result.errors += errors
        if built is not None and not errors:
            result.built.append(built)
    return result


def _check_row(number: int, raw: dict, units: dict, seen_ids: dict[str, int], errors: list) -> BuiltRow | None:
    text = {k: (raw.get(k) or "").strip() for k, _ in COLUMNS}

    def bad(key, message):
        errors.append(RowError(number, HEADER[key], message))

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
            errors.append(RowError(number, HEADER.get(key, _field_label(key)), message))
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
        bad("tags", f"未知的标签：{'、'.join(unknown)}（可选：{'、'.join(TAGS.values())}）")
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
    id1, id2 = _example_id("11010519850315002"), _example_id("81000019900101002")
    ws.append(["张秀兰", "女", id1, "13800138000", "东县东镇东村3组12号", "东村村委会", "农村妇女、困难妇女", "是",
               example_code, "执委会", "执委", "兼职", "2024-01-15"])
    ws.append(["李小梅", "女", id2.lower(), "0571-87654321", "", "某合作社", "青年创业者", "否",
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
        codes.append([u.code, u.name, u.level_name])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


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
        ("标签", "选填", "多个用顿号或逗号分隔，可选：" + "、".join(TAGS.values())),
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
