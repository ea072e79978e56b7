"""Participation fixtures (the folder's conftest; tests import its plain helpers by name).

    east (cadre, 东县) manages 东县's consultations, letters and activities; west (cadre, 西县)
    never sees them (404); stats (statistician, 东县) may look but not manage (403).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from niangjia.participation import services

PHONE_A = "13800138000"
PHONE_B = "13900139000"


@pytest.fixture
def today():
    return timezone.localdate()


def make_consultation(actor, unit, *, identity="anonymous", publish=True, opens=-1, closes=7, **kw):
    """A consultation with one question of each kind: 1 single (3 options, required), 2 multiple
    (4 options, at most 2, required), 3 rating (1–5, required), 4 text (optional)."""
    day = timezone.localdate()
    c = services.consultation_create(actor=actor, unit=unit, title="暑期活动意见征集", identity=identity,
                                     opens_on=day + timedelta(days=opens), closes_on=day + timedelta(days=closes), **kw)
    services.question_add(actor=actor, consultation=c, kind="single", text="什么时间方便？",
                          options=["上午", "下午", "晚上"])
    services.question_add(actor=actor, consultation=c, kind="multiple", text="想参加什么？",
                          options=["托管", "培训", "讲座", "义诊"], max_choices=2)
    services.question_add(actor=actor, consultation=c, kind="rating", text="满意度", scale=5)
    services.question_add(actor=actor, consultation=c, kind="text", text="其他建议", required=False)
    if publish:
        c.refresh_from_db()
        services.consultation_publish(actor=actor, consultation=c, version=c.version)
    c.refresh_from_db()
    return c


def good_sheet(c, text="希望有午饭"):
    q = list(c.questions.all())
    return {q[0].pk: [1], q[1].pk: [0, 2], q[2].pk: 4, q[3].pk: text}


@pytest.fixture
def consultation(tree, personas):
    return make_consultation(personas.east, tree.east)


def make_activity(actor, unit, *, capacity=2, status="open", day_offset=10, **kw):
    return services.activity_create(actor=actor, unit=unit, title="妈妈课堂", capacity=capacity, status=status,
                                    day=timezone.localdate() + timedelta(days=day_offset), **kw)


def phone(n: int) -> str:
    return f"1390000{n:04d}"
