"""Participation fixtures. Imported with `from tests.participation.participation_fixtures import *`.

    east (cadre, 东县) manages 东县's consultations, letters and activities; west (cadre, 西县)
    never sees them; stats (statistician, 东县) may look but not manage.
"""

import pytest

PHONE_A = "13800138000"
PHONE_B = "13900139000"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
