"""People fixtures: a few persons on both branches, and an Excel builder for import files.

The folder's conftest: pytest finds its fixtures; tests import its plain helpers by name.
"""

import io

import pytest
from openpyxl import Workbook

from niangjia.core.validators import id_check_char
from niangjia.people import services as people
from niangjia.people.importer import COLUMNS


def valid_id(first17: str) -> str:
    return first17 + id_check_char(first17)


@pytest.fixture
def folks(tree, personas):
    """张秀兰 and 李梅 in 东村 (east), 王芳 in 西村 (west)."""

    class F:
        pass

    f = F()
    f.zhang = people.person_create(actor=personas.east, unit=tree.east_village, name="张秀兰", phone="13800138000",
                                   id_number="11010519491231002X", address="甲省甲一市东县东镇东村3组12号",
                                   tags=["rural", "poor"])
    f.li = people.person_create(actor=personas.east, unit=tree.east_village2, name="李梅", phone="0571-87654321",
                                tags=["entrepreneur"])
    f.wang = people.person_create(actor=personas.west, unit=tree.west_village, name="王芳", phone="13900139000",
                                  id_number=valid_id("11010219800101002"))
    f.post = people.post_create(actor=personas.east, person=f.zhang, unit=tree.east_village, body="executive",
                                title="执委", tenure="part_time")
    return f


def xlsx(rows, header=None) -> bytes:
    """An import file: the template's header (or `header`) and the given rows (dicts by header text or lists)."""
    header = header or [label for _, label in COLUMNS]
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([row.get(h, "") for h in header] if isinstance(row, dict) else list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def make_xlsx():
    return xlsx


@pytest.fixture
def id_for():
    return valid_id
