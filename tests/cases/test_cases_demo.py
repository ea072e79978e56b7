"""The demo's rights-protection work in 安吉县, as the demo accounts find it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from niangjia.accounts.models import User
from niangjia.cases import services
from niangjia.cases.models import Case, HotlineCall, Referral
from niangjia.core.errors import Forbidden
from niangjia.core.models import AuditEntry, Notification
from niangjia.org.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", "--small", stdout=StringIO())


def test_the_demo_has_cases_calls_referrals_an_override_and_an_escalation(demo):
    worker, sup = User.objects.get(username="anji_caseworker"), User.objects.get(username="anji_supervisor")
    cases = Case.objects.all()
    assert cases.count() == 10 and all(c.worker == worker for c in cases)
    assert all(list(c.supervisors.all()) == [sup] for c in cases)
    assert {c.unit.name for c in cases} == {"安吉县妇联"}
    assert len({c.case_type for c in cases}) == 7 and {c.risk_level for c in cases} == {"low", "medium", "high"}
    assert {c.status for c in cases} == {"intake", "assessment", "referred", "follow_up", "closed"}
    assert set(Referral.objects.values_list("status", flat=True)) == {"sent", "accepted", "declined", "done"}
    assert Referral.objects.filter(under_override=True).count() == 2  # police and shelter for case 1
    assert AuditEntry.objects.filter(action="case.override", actor=sup).count() == 1
    assert Notification.objects.filter(kind="case.override", recipient__username="huzhou_supervisor").exists()
    assert cases.exclude(escalated_for=None).count() == 1
    assert cases.filter(id_number_warning__gt="").count() == 1
    withdrawn = cases.get(share_withdrawn_at__isnull=False)
    assert (withdrawn.consent_share, withdrawn.case_type) == (False, "employment")
    assert list(withdrawn.consents.filter(kind="share").values_list("given", flat=True)) == [True, False]
    police = Organisation.objects.get(unit=withdrawn.unit, agency_type="police")
    with pytest.raises(Forbidden) as refused:
        services.referral_create(actor=worker, case=withdrawn, agency=police)
    assert refused.value.message == services.MSG_CONSENT_WITHDRAWN
    statuses = list(HotlineCall.objects.values_list("status", flat=True))
    assert statuses.count("new") == 7 and statuses.count("case") == 4 and statuses.count("need") == 2
    # the accounts see what they should
    c = Client()
    c.force_login(worker)
    assert c.get("/cases/").context["page"].items
    c.force_login(User.objects.get(username="anji_hotline"))
    assert c.get(f"/cases/{cases.first().pk}/").status_code == 404
    c.force_login(User.objects.get(username="huzhou_stats"))
    assert c.get("/api/v1/cases/counts").json()["total"] == 10
