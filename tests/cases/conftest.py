"""Rights-protection fixtures on top of the root tree: case staff in 东县, a city supervisor, agencies.

The folder's conftest: pytest finds its fixtures; tests import its plain helpers by name.

    东县妇联: worker (case_worker), worker2 (case_worker), sup (case_supervisor), sup2 (case_supervisor,
              not named on cases), hotline (hotline_operator); the personas' `east` cadre
    甲一市妇联: city_sup (case_supervisor) — the superior told of emergency overrides
    agencies of 东县: police (公安, outside the federation), committee (机关妇委会, inside)
"""

import pytest
from conftest import make_user

from niangjia.cases import services
from niangjia.org import services as org

ID_OK = "110105199003070025"  # a valid GB 11643 number (check character 5)
ID_BAD = "110105199003070026"  # the same with a wrong check character


class Staff:
    pass


@pytest.fixture
def staff(tree, personas):
    s = Staff()
    s.worker = make_user("worker", ["case_worker"], [tree.east])
    s.worker2 = make_user("worker2", ["case_worker"], [tree.east])
    s.sup = make_user("sup", ["case_supervisor"], [tree.east])
    s.sup2 = make_user("sup2", ["case_supervisor"], [tree.east])
    s.city_sup = make_user("city_sup", ["case_supervisor"], [tree.city])
    s.hotline = make_user("hotline", ["hotline_operator"], [tree.east])
    s.west_worker = make_user("west_worker", ["case_worker"], [tree.west])
    s.cadre = personas.east
    s.police = org.organisation_create(actor=personas.east, unit=tree.east, kind="partner_agency",
                                       agency_type="police", name="东县公安局")
    s.shelter = org.organisation_create(actor=personas.east, unit=tree.east, kind="partner_agency",
                                        agency_type="shelter", name="东县庇护所")
    s.committee = org.organisation_create(actor=personas.east, unit=tree.east, kind="workplace_committee",
                                          name="东县机关妇委会")
    return s


def open_case(staff, tree, *, actor=None, consent_share=False, answers=None, **kw):
    fields = {"channel": "walk_in", "case_type": "domestic_violence", "narrative": "丈夫多次殴打，昨晚掐脖子",
              "worker": staff.worker, "supervisors": [staff.sup], "answers": answers or {},
              "consent_store": True, "consent_share": consent_share, "consent_contact": True,
              "name": "李春花", "phone": "13900001111", "id_number": ID_OK, "address": "东县东镇东村5组12号"}
    unit = kw.pop("unit", tree.east)
    fields.update(kw)
    case, _ = services.case_open(actor=actor or staff.worker, unit=unit, **fields)
    return case


@pytest.fixture
def case(staff, tree):
    return open_case(staff, tree)
