"""Reading and checking an Excel file of accounts; no writes (services.account_import_* write).

One row is one account: username, the person it belongs to (by ID number, optional), its roles,
the unit codes of its reach, and an initial password (blank: a one-time password is generated and
handed out on a printable sheet). Every account made this way must set its own password at first
login. Rows are checked with the same rules as the user form: known roles the importer may grant,
units inside the importer's reach, passwords that pass the policy, usernames not taken.
"""

import io
import re
import secrets
import zipfile
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from niangjia.core.errors import ValidationFailed
from niangjia.core.i18n import source_text
from niangjia.core.roles import ROLES, can_grant
from niangjia.core.sensitive import blind_index
from niangjia.core.validators import id_number_problem, normalize_id_number
from niangjia.org.queries import federations_for
from niangjia.people.queries import persons_visible_to

from .models import User

COLUMNS = [("username", "用户名"), ("name", "姓名"), ("id_number", "身份证号"), ("roles", "角色"),
           ("units", "管辖组织代码"), ("password", "初始密码")]
HEADER = dict(COLUMNS)
REQUIRED = ("username", "roles", "units")
ROLE_BY_NAME = {source_text(name): code for code, (name, _) in ROLES.items()}
SPLIT = re.compile(r"[、,，;；\s]+")
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
ONE_TIME_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"  # no 0/O, 1/l/I

MSG_NOT_XLSX = gettext_lazy("文件不是有效的 Excel（.xlsx）文件")
MSG_EMPTY = gettext_lazy("文件中没有数据行")
MSG_REQUIRED = gettext_lazy("必填")
MSG_USERNAME = gettext_lazy("只能包含字母、数字和 @ . + - _，最多 150 个字符")
MSG_TAKEN = gettext_lazy("用户名已存在")
MSG_DUP = gettext_lazy("与第 {row} 行的用户名重复")
MSG_ROLE = format_lazy(gettext_lazy("未知角色：{names}（可选：{choices}）"), names="{names}", choices="、".join(ROLE_BY_NAME))
MSG_GRANT = gettext_lazy("您不能授予这些角色")
MSG_UNIT = gettext_lazy("组织代码不存在或不在您的管辖范围内：{codes}")
MSG_PERSON = gettext_lazy("找不到该身份证号的人员（或不在您的管辖范围内）")


@dataclass
class AccountRow:
    row: int
    username: str
    name: str
    roles: list[str]
    unit_ids: list[int]
    person_id: int | None
    password: str
    generated: bool


@dataclass
class Checked:
    accounts: list[AccountRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(12))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(content: bytes) -> list[list]:
    """Every data row as [excel row number, {key: text}], read with openpyxl in read-only mode."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationFailed(MSG_NOT_XLSX, fields={"file": MSG_NOT_XLSX}) from exc
    out = []
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        labels = {label: key for key, label in COLUMNS}
        cols = {}
        for i, value in enumerate(next(rows, ()) or ()):
            key = labels.get(_text(value).rstrip("*"))
            if key and key not in cols:
                cols[key] = i
        missing = [HEADER[k] for k in REQUIRED if k not in cols]
        if missing:
            msg = gettext("第 1 行缺少列：{value}（请使用导入模板）").format(value='、'.join(missing))
            raise ValidationFailed(msg, fields={"file": msg})
        for number, values in enumerate(rows, start=2):
            texts = {k: _text(values[i]) if i < len(values) else "" for k, i in cols.items()}
            if any(texts.values()):
                out.append([number, texts])
    finally:
        wb.close()
    if not out:
        raise ValidationFailed(MSG_EMPTY, fields={"file": MSG_EMPTY})
    return out


def check_rows(actor, rows: list) -> Checked:
    """Check every row against the importer's grants and reach; `accounts` only when no row has an error."""
    out = Checked()
    codes = {c for _, r in rows for c in SPLIT.split(r.get("units", "")) if c}
    units = dict(federations_for(actor).filter(code__in=codes, is_active=True).values_list("code", "id"))
    names = {r.get("username", "") for _, r in rows}
    taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    seen: dict[str, int] = {}
    people = persons_visible_to(actor)
    for number, raw in rows:
        def bad(key, message, number=number):
            out.errors.append({"row": number, "column": HEADER[key], "message": str(message)})

        text = {k: (raw.get(k) or "").strip() for k, _ in COLUMNS}
        for key in REQUIRED:
            if not text[key]:
                bad(key, MSG_REQUIRED)
        username = text["username"]
        if username:
            if not USERNAME.match(username):
                bad("username", MSG_USERNAME)
            elif username in seen:
                bad("username", MSG_DUP.format(row=seen[username]))
            elif username in taken:
                bad("username", MSG_TAKEN)
            seen.setdefault(username, number)
        roles = _roles(text["roles"], actor, bad)
        unit_ids = _units(text["units"], units, bad)
        person_id = _person(text["id_number"], people, bad)
        password, generated = text["password"], not text["password"]
        if generated:
            password = one_time_password()
        else:
            try:
                validate_password(password, User(username=username, first_name=text["name"]))
            except ValidationError as exc:
                bad("password", "；".join(exc.messages))
        out.accounts.append(AccountRow(number, username, text["name"], roles, unit_ids, person_id, password, generated))
    if out.errors:
        out.accounts = []
    return out


def _roles(text: str, actor, bad) -> list[str]:
    names = [n for n in SPLIT.split(text) if n]
    roles = [ROLE_BY_NAME.get(n, n) for n in names]
    unknown = [n for n, r in zip(names, roles, strict=True) if r not in ROLES]
    if unknown:
        bad("roles", MSG_ROLE.format(names="、".join(unknown)))
    elif roles and not can_grant(actor, roles):
        bad("roles", MSG_GRANT)
    return list(dict.fromkeys(roles))


def _units(text: str, units: dict, bad) -> list[int]:
    codes = [c for c in SPLIT.split(text) if c]
    missing = [c for c in codes if c not in units]
    if missing:
        bad("units", MSG_UNIT.format(codes="、".join(missing)))
    return [units[c] for c in codes if c in units]


def _person(text: str, people, bad) -> int | None:
    if not text:
        return None
    problem = id_number_problem(text)
    if problem:
        bad("id_number", problem)
        return None
    person_id = people.filter(id_number_bidx=blind_index(normalize_id_number(text))).values_list("id", flat=True).first()
    if person_id is None:
        bad("id_number", MSG_PERSON)
    return person_id


def template_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "账号"
    ws.append([label + ("*" if key in REQUIRED else "") for key, label in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["zhangxl", "张秀兰", "", "机关干部", "330523", ""])
    ws.append(["yucun01", "李小梅", "", "执委", "330523100201", ""])
    notes = wb.create_sheet("填写说明")
    for row in (("用户名", "必填；字母、数字和 @ . + - _"), ("姓名", "选填"),
                ("身份证号", "选填；填写时关联到已导入的人员"),
                ("角色", "必填；多个用顿号分隔，可选：" + "、".join(ROLE_BY_NAME)),
                ("管辖组织代码", "必填；区划代码，多个用顿号分隔；必须在您的管辖范围内"),
                ("初始密码", "选填；不填时系统生成一次性密码，导入后打印发放。所有导入的账号首次登录都须修改密码"),
                ("导入规则", "先校验全部行，有任何错误都不写入；全部通过后确认导入，要么全部成功，要么一个都不建")):
        notes.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
