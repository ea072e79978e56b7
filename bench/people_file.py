"""Write an N-row persons import file (.xlsx, the import template's columns) on units of the tree in the
database, for measuring `niangjia import` at size: `python -m bench.people_file OUT.xlsx 100000`.

Every row is valid: distinct GB 11643 ID numbers, mobile phones, a third of the rows with a post."""

import random
import sys
from datetime import date, timedelta

from openpyxl import Workbook


def write(out: str, rows: int, codes: list[str]) -> None:
    """The file at `out`: `rows` persons spread over the unit `codes` (written as a stream)."""
    from niangjia.core.validators import id_check_char
    from niangjia.people.importer import COLUMNS

    rnd = random.Random(11)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    ws.append([label for _, label in COLUMNS])
    for i in range(rows):
        born = date(1940, 1, 1) + timedelta(days=i // 1000)  # 1,000 serials a day: every number distinct
        first17 = f"330523{born:%Y%m%d}{i % 1000:03d}"
        id_number = first17 + id_check_char(first17)
        body, title = ("执委会", "执委") if i % 3 == 0 else ("", "")
        ws.append([f"测试{i:07d}", "女", id_number, f"138{rnd.randrange(10**8):08d}",
                   f"某县某镇某村{i % 50}组{i % 97}号", "", "", "是" if i % 2 else "否", codes[i % len(codes)],
                   body, title, "", ""])
    wb.save(out)


def village_codes(limit: int = 20000) -> list[str]:
    from niangjia.org.models import Federation

    return list(Federation.objects.filter(level=6, is_active=True).order_by("id").values_list("code", flat=True)[:limit])


def main(out: str, rows: int) -> None:
    import django

    django.setup()
    write(out, rows, village_codes())


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
