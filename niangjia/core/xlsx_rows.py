"""The cell values of an .xlsx file's first sheet, read as a stream: fast enough for a million-row import.

openpyxl's read-only mode builds a Python object per cell and, for a sheet without a stated size (files written
by openpyxl's write-only mode, among others), reads the whole sheet once more to size it. Here the sheet's XML is
decompressed piece by piece, each piece of whole <row> elements is parsed by the C parser at once, and only the
values are taken out: strings (shared or inline), numbers (int or float, as openpyxl gives them), booleans, and
dates for numbers in a date format (as openpyxl gives them, so callers see the same values). The shared strings
are kept packed (a few large strings and offsets), not as one Python object each.

Errors: zipfile.BadZipFile, KeyError (a missing part), ValueError and xml.etree.ElementTree.ParseError (a broken
part); callers turn them into their own message.
"""

import codecs
import posixpath
import re
import zipfile
from array import array
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from itertools import accumulate
from xml.etree import ElementTree as ET

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
PIECE = 1 << 20  # decompressed characters parsed at a time
SEGMENT = 1 << 16  # shared strings packed per segment
_XMLNS = re.compile(r'\sxmlns(:\w+)?="[^"]*"')


class SharedStrings:
    """The workbook's shared strings, packed: segments of up to SEGMENT strings joined, with their end offsets."""

    def __init__(self):
        self._segments: list[tuple[str, array]] = []
        self._pending: list[str] = []

    def append(self, text: str) -> None:
        self._pending.append(text)
        if len(self._pending) >= SEGMENT:
            self._pack()

    def _pack(self) -> None:
        if self._pending:
            self._segments.append(("".join(self._pending), array("q", accumulate(map(len, self._pending)))))
            self._pending = []

    def __getitem__(self, i: int) -> str:
        joined, ends = self._segments[i >> 16]
        j = i & (SEGMENT - 1)
        return joined[ends[j - 1] if j else 0:ends[j]]


def _text_of(element) -> str:
    """The text of a string item (<si> or <is>): its <t>, or its runs' <t>s; phonetic runs (<rPh>) left out."""
    t = element.find(NS + "t")
    if t is not None:
        return t.text or ""
    return "".join(r.findtext(NS + "t") or "" for r in element.iter(NS + "r"))


def _pieces(stream, container: str, item: str) -> Iterator[ET.Element]:
    """The <item> elements inside the first <container> of an XML part, parsed a piece of whole items at a time
    (each piece wrapped in an element carrying the part's namespace declarations)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    buf, wrap, close, end_tag, stop_tag = "", None, None, None, None
    while True:
        chunk = stream.read(PIECE)
        buf += decoder.decode(chunk, final=not chunk)
        if wrap is None:
            m = re.search(rf"<(\w+:)?{container}\b[^>]*?(/?)>", buf)
            if m is None:
                if not chunk:
                    return
                continue
            if m.group(2):  # <sheetData/>: no rows
                return
            prefix = m.group(1) or ""
            declared: dict[str, str] = {}  # every namespace declared up to the container, first one per prefix
            for decl in _XMLNS.finditer(buf, 0, m.end()):
                declared.setdefault(decl.group(1), decl.group(0))
            wrap = "<w" + "".join(declared.values()) + ">"
            close, end_tag, stop_tag = "</w>", f"</{prefix}{item}>", f"</{prefix}{container}>"
            buf = buf[m.end():]
        stop = buf.find(stop_tag)
        cut = stop if stop >= 0 else (buf.rfind(end_tag) + len(end_tag) if end_tag in buf else -1)
        if cut > 0:
            yield from ET.fromstring(wrap + buf[:cut] + close)
            buf = buf[cut:]
        if stop >= 0 or not chunk:
            return


class Workbook:
    """An open .xlsx (a path or a seekable binary file object): `rows()` gives the first sheet's rows."""

    def __init__(self, source):
        self.zip = zipfile.ZipFile(source)
        try:
            self._locate()
        except BaseException:
            self.zip.close()
            raise

    def _locate(self) -> None:
        book = ET.fromstring(self.zip.read("xl/workbook.xml"))
        pr = book.find(NS + "workbookPr")
        self.epoch = CALENDAR_MAC_1904 if pr is not None and pr.get("date1904") in ("1", "true") \
            else CALENDAR_WINDOWS_1900
        first = book.find(f"{NS}sheets/{NS}sheet")
        if first is None:
            raise KeyError("no sheet")
        targets, kinds = {}, {}
        for rel in ET.fromstring(self.zip.read("xl/_rels/workbook.xml.rels")).iter(PKG_REL_NS + "Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[rel.get("Id")] = path
            kinds[rel.get("Type", "").rsplit("/", 1)[-1]] = path
        self.sheet_path = targets[first.get(REL_NS + "id")]
        self.strings_path = kinds.get("sharedStrings")
        self.styles_path = kinds.get("styles")

    def close(self) -> None:
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def stated_rows(self) -> int | None:
        """The last row number the sheet states in its <dimension>, when it states one."""
        with self.zip.open(self.sheet_path) as f:
            head = f.read(4096).decode("utf-8", "replace")
        m = re.search(r'<(?:\w+:)?dimension\s+ref="[A-Z]*\d+(?::[A-Z]+(\d+))?"', head)
        return int(m.group(1)) if m and m.group(1) else None

    def _shared(self) -> SharedStrings:
        strings = SharedStrings()
        if self.strings_path and self.strings_path in self.zip.namelist():
            with self.zip.open(self.strings_path) as f:
                for si in _pieces(f, "sst", "si"):
                    strings.append(_text_of(si))
        strings._pack()
        return strings

    def _date_styles(self) -> frozenset[int]:
        """Indexes of the cell formats whose number format is a date (their numbers are read as dates)."""
        if not self.styles_path or self.styles_path not in self.zip.namelist():
            return frozenset()
        styles = ET.fromstring(self.zip.read(self.styles_path))
        formats = dict(BUILTIN_FORMATS)
        for nf in styles.iter(NS + "numFmt"):
            formats[int(nf.get("numFmtId", "0"))] = nf.get("formatCode", "")
        xfs = styles.find(NS + "cellXfs")
        return frozenset(i for i, xf in enumerate(xfs if xfs is not None else ())
                         if is_date_format(formats.get(int(xf.get("numFmtId", "0")), "")))

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number, [value of column A, B, …]) for every row the sheet holds, in order."""
        shared, dates = self._shared(), self._date_styles()
        v_tag, is_tag, c_tag = NS + "v", NS + "is", NS + "c"
        number = 0
        with self.zip.open(self.sheet_path) as f:
            for row in _pieces(f, "sheetData", "row"):
                r = row.get("r")
                number = int(r) if r else number + 1
                values: list = []
                for c in row.iter(c_tag):
                    ref = c.get("r")
                    if ref:
                        col = _column_index(ref.rstrip("0123456789"))
                        if col > len(values):
                            values.extend([None] * (col - len(values)))
                    kind = c.get("t")
                    if kind == "inlineStr":
                        inline = c.find(is_tag)
                        values.append(_text_of(inline) if inline is not None else None)
                        continue
                    v = c.findtext(v_tag)
                    if v is None:
                        values.append(None)
                    elif kind == "s":
                        values.append(shared[int(v)])
                    elif kind is None or kind == "n":
                        values.append(_number(v, c.get("s"), dates, self.epoch))
                    elif kind == "b":
                        values.append(v == "1")
                    elif kind == "d":
                        values.append(datetime.fromisoformat(v.rstrip("Z")))
                    else:  # "str" (a formula's text) and "e" (an error such as #N/A) as written
                        values.append(v)
                yield number, values


@lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    """0 for A, 25 for Z, 26 for AA, …"""
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col - 1


def _number(v: str, style: str | None, dates: frozenset[int], epoch):
    value = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
    if style is not None and dates and int(style) in dates:
        return from_excel(value, epoch)
    return value
