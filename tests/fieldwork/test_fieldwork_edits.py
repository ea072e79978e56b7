"""Editing a diary, report or proposal: core's versioned edit (audited old → new, unknown fields and
stale versions refused with nothing written) and the summary count moving with the date."""

from datetime import date

import pytest

from niangjia.core.errors import StaleVersion, ValidationFailed
from niangjia.core.models import AuditEntry, SummaryCount
from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import Diary

pytestmark = pytest.mark.django_db
JAN, FEB = date(date.today().year - 1, 1, 20), date(date.today().year - 1, 2, 3)


def _diary_months() -> dict:
    rows = SummaryCount.objects.filter(metric="diary").exclude(count=0, total=0)
    return {r.period: (r.count, r.total) for r in rows}


@pytest.fixture
def diary(tree, personas, fw_people):
    return fw.diary_write(actor=personas.village, person=fw_people.village, place=tree.east_village, date=JAN,
                          title="一月日记", text="走访", women_met=4)


def test_an_edit_is_audited_old_to_new_and_moves_the_summary(personas, diary):
    # given a January diary counted in January
    assert _diary_months() == {date(JAN.year, 1, 1): (1, 4)}
    # when its writer moves it to February and retitles it
    fw.diary_update(actor=personas.village, diary=diary, version=diary.version, date=FEB, title="二月日记")
    # then the audit keeps old → new of what changed, and the count moved month
    entry = AuditEntry.objects.get(action="fieldwork.diary_update")
    assert entry.detail == {"changes": {"date": [JAN.isoformat(), FEB.isoformat()], "title": ["一月日记", "二月日记"]}}
    assert _diary_months() == {date(FEB.year, 2, 1): (1, 4)}
    assert (Diary.objects.get(pk=diary.pk).version, diary.version) == (2, 2)


@pytest.mark.parametrize("changes, error", [
    ({"person": None}, ValidationFailed),  # not an editable field
    ({"title": "  "}, ValidationFailed),  # a required text left blank
])
def test_a_refused_edit_writes_nothing(personas, diary, changes, error):
    with pytest.raises(error):
        fw.diary_update(actor=personas.village, diary=diary, version=diary.version, date=FEB, **changes)
    stored = Diary.objects.get(pk=diary.pk)
    assert (stored.title, stored.date, stored.version) == ("一月日记", JAN, 1)
    assert not AuditEntry.objects.filter(action="fieldwork.diary_update").exists()
    assert _diary_months() == {date(JAN.year, 1, 1): (1, 4)}


def test_a_stale_edit_writes_nothing(personas, diary):
    with pytest.raises(StaleVersion):
        fw.diary_update(actor=personas.village, diary=diary, version=diary.version + 1, date=FEB)
    assert Diary.objects.get(pk=diary.pk).date == JAN
    assert not AuditEntry.objects.filter(action="fieldwork.diary_update").exists()
    assert _diary_months() == {date(JAN.year, 1, 1): (1, 4)}
