"""The permission matrix of report forms, in the foundation's style.

Who: `east` (cadre of 东县, holding every reports permission) must neither see nor change 西县's form
and reports; every API endpoint of /reports is one row: a list leaves 西县's record out and shows
东县's own; a detail, a filter by 西县 and every write answer 404 in the error shape, and afterwards
nothing has changed.
"""

from datetime import date

import pytest
from scope_matrix import Endpoint, assert_paths_covered, client_of, fingerprint, run_row, version_of

from niangjia.core.models import AuditEntry, Notification, SummaryCount
from niangjia.reports import services
from niangjia.reports.models import ReportField, ReportForm, Submission, Value

pytestmark = pytest.mark.django_db
_v = version_of
DAY = "day=2026-02-14"
FIELDS = [{"key": "women", "label": "服务妇女人次", "kind": "int"}]


def snapshot():
    return fingerprint((ReportForm, ReportField, Submission, Value, AuditEntry, Notification, SummaryCount))


ENDPOINTS = [
    Endpoint("GET", "/reports/forms", "form", "list"),
    Endpoint("POST", "/reports/forms", "fed", "write", lambda w, t: {"unit": t.id, "title": "表", "fill_level": 6,
                                                                    "period_kind": "month", "fields": FIELDS}),
    Endpoint("GET", "/reports/forms/{id}", "form", "detail"),
    Endpoint("GET", f"/reports/forms/{{id}}/submissions?{DAY}", "form", "detail"),
    Endpoint("GET", f"/reports/forms/{{id}}/submissions?unit={{id}}&{DAY}", "fed", "detail", note="hidden unit",
             own=lambda w: w["form"]["east"].id),
    Endpoint("POST", "/reports/forms/{id}/submissions", "form", "write",
             lambda w, t: {"unit": w["town"]["east"].id}),
    Endpoint("POST", "/reports/forms/{own}/submissions", "fed", "write", note="hidden unit",
             body=lambda w, t: {"unit": t.id}),
    Endpoint("GET", f"/reports/forms/{{id}}/completeness?{DAY}", "form", "detail"),
    Endpoint("GET", f"/reports/forms/{{own}}/completeness?unit={{id}}&{DAY}", "fed", "detail", note="hidden unit"),
    Endpoint("GET", f"/reports/forms/{{id}}/totals/women?{DAY}", "form", "detail"),
    Endpoint("GET", f"/reports/forms/{{own}}/totals/women?unit={{id}}&{DAY}", "fed", "detail", note="hidden unit"),
    Endpoint("GET", "/reports/submissions/{id}", "sub", "detail"),
    Endpoint("PUT", "/reports/submissions/{id}/values", "sub", "write",
             lambda w, t: {"version": _v(t), "values": {"women": 3}}),
    Endpoint("POST", "/reports/submissions/{id}/steps/approve", "sub", "write", lambda w, t: {"version": _v(t)}),
]
HIDDEN = "west"


@pytest.fixture
def world(tree, admin_user):
    a = admin_user
    w = {"fed": {"east": tree.east, "west": tree.west}, "town": {"east": tree.east_town, "west": tree.west_town}}
    w["form"] = {k: services.form_create(actor=a, unit=u, title=f"{u.name}月报", fill_level=6, period_kind="month",
                                         fields=FIELDS) for k, u in w["fed"].items()}
    w["sub"] = {}
    for k, v in (("east", tree.east_village), ("west", tree.west_village)):
        sub, _ = services.submission_open(actor=a, form=w["form"][k], unit=v, day=date(2026, 2, 14))
        sub = services.submission_save(actor=a, submission=sub, version=None, values={"women": 5})
        w["sub"][k] = services.submission_submit(actor=a, submission=sub, version=None)
    return w


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_reports_scope_hides_what_lies_outside_the_callers_reach(world, personas, ep):
    target = world[ep.family][HIDDEN]
    own = world[ep.family].get("east")
    url = ep.url.replace("{own}", str(world["form"]["east"].id)).format(id=target.id)
    run_row(client_of(personas.east), ep, url, ep.body(world, target) if ep.body else None,
            hidden=target.id, own=own.id if own is not None else None, snapshot=snapshot)


def test_every_reports_path_is_in_the_matrix(db):
    rows = [(ep.method, ep.url.replace("{own}", "{id}").replace("/steps/approve", "/steps/{step}")
             .replace("/totals/women", "/totals/{key}")) for ep in ENDPOINTS]
    assert_paths_covered(["reports"], rows)
