"""The minimal needs ledger: registration is audited, counted and scoped."""

from datetime import date

import pytest

from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.models import AuditEntry, SummaryCount
from niangjia.needs import queries, services
from niangjia.needs.models import Need

pytestmark = pytest.mark.django_db


def test_register_a_need_is_audited_and_counted(tree, personas):
    need = services.need_register(actor=personas.east, unit=tree.east_village, category="legal", urgency="urgent",
                                  description="土地承包权益咨询", channel="hotline", day=date(2026, 3, 8))
    assert (need.status, need.l4, need.l6) == ("registered", tree.east.pk, tree.east_village.pk)
    assert AuditEntry.objects.filter(action="need.register", target_id=str(need.pk)).exists()
    row = SummaryCount.objects.get(metric="need")
    assert (row.category, row.status, row.count, row.period) == ("legal", "registered", 1, date(2026, 3, 1))


def test_a_bad_category_names_the_field_and_writes_nothing(tree, personas):
    with pytest.raises(ValidationFailed) as exc:
        services.need_register(actor=personas.east, unit=tree.east_village, category="nonsense", urgency="normal",
                               description="x", channel="hotline")
    assert "category" in exc.value.fields
    assert not Need.objects.exists()


def test_an_empty_description_is_refused(tree, personas):
    with pytest.raises(ValidationFailed) as exc:
        services.need_register(actor=personas.east, unit=tree.east_village, category="legal", urgency="normal",
                               description=" ", channel="walk_in")
    assert exc.value.fields == {"description": "需求内容不能为空"}


def test_a_need_outside_the_reach_is_refused(tree, personas):
    with pytest.raises(NotFound):
        services.need_register(actor=personas.east, unit=tree.west_village, category="legal", urgency="normal",
                               description="x", channel="walk_in")
    assert not Need.objects.exists()


def test_needs_for_sees_only_the_reach(tree, personas):
    services.need_register(actor=personas.east, unit=tree.east_village, category="legal", urgency="normal",
                           description="东村", channel="walk_in")
    services.need_register(actor=personas.west, unit=tree.west_village, category="legal", urgency="normal",
                           description="西村", channel="walk_in")
    assert [n.description for n in queries.needs_for(personas.east)] == ["东村"]
    assert {n.description for n in queries.needs_for(personas.province)} == {"东村", "西村"}
    assert [n.description for n in queries.needs_for(personas.province, unit=tree.west)] == ["西村"]
