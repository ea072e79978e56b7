"""The demo's award round: 湖州市's 三八红旗手 round in its notice period, as the brief describes it."""

from io import StringIO

import pytest
from django.core.management import call_command

from niangjia.accounts.models import User
from niangjia.awards import queries, rules
from niangjia.awards.models import AwardRound, Ballot, Nomination, Objection
from niangjia.core.models import SummaryCount

pytestmark = pytest.mark.django_db


def test_demo_round_is_in_its_notice_period(client):
    call_command("demo", "--if-empty", "--small", stdout=StringIO())
    rnd = AwardRound.objects.get(unit__name="湖州市妇联", award="三八红旗手")
    assert rnd.phase == "notice"
    # org nominations from 安吉县 and 德清县 within quota
    for row in queries.quota_table(rnd):
        assert row["used"] <= row["quota"]
    org_units = set(Nomination.objects.filter(round=rnd, kind="org").values_list("unit__name", flat=True))
    assert org_units == {"安吉县妇联", "德清县妇联"}
    # public nominations, each with the nominee's consent
    public = Nomination.objects.filter(round=rnd, kind="public")
    assert public.exists() and all(n.consent == "given" and n.consent_via == "link" for n in public)
    # evaluation done, the top places proposed; one objection answered, one pending
    assert Ballot.objects.filter(round=rnd).count() == 36
    assert Nomination.objects.filter(round=rnd, status="proposed").count() == rnd.places
    assert sorted(Objection.objects.filter(round=rnd).values_list("outcome", flat=True)) == ["", "dismissed"]
    # finalizing now is refused, naming both reasons
    problems = rules.finalize_problems(rnd.phase, rnd.notice_starts, rnd.notice_ends, queries.unanswered_count(rnd))
    assert "还有 1 条异议未答复" in problems and any(p.startswith("公示期至") for p in problems)
    # the summary table holds the counts (nominations by kind, ballots, objections)
    def total(metric, **kw):
        return sum(SummaryCount.objects.filter(metric=metric, **kw).values_list("count", flat=True))

    assert total("award_nomination", category="org") == Nomination.objects.filter(kind="org").count()
    assert total("award_nomination", category="public") == public.count()
    assert (total("award_ballot"), total("award_objection")) == (36, 2)
    # and huzhou_leader sees it in her navbar and its pages
    client.force_login(User.objects.get(username="huzhou_leader"))
    assert "评选表彰" in client.get("/").content.decode()
    assert "还有 1 条异议未答复" in client.get(f"/awards/{rnd.pk}/").content.decode()
    assert client.get(f"/p/awards/{rnd.code}/notice/").status_code == 200
