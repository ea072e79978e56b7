"""The permission matrix of reform tracking, in the foundation's style.

Who: `east` (cadre of 东县, holding every reform permission) must neither see nor change anything
of 西县 nor of 甲省 above her (a province's plan). Every API endpoint of /reform is one row: a list
leaves the hidden record out and shows 东县's own; a detail, a filter by a hidden unit and every
write answer 404 in the error shape, and afterwards nothing has changed.
"""

from datetime import date

import pytest
from scope_matrix import Endpoint, assert_paths_covered, client_of, fingerprint, run_row, version_of

from niangjia.core.models import AuditEntry, Notification
from niangjia.org.models import Federation
from niangjia.reform import services
from niangjia.reform.models import Document, Entry, Measure, Pilot, Plan

pytestmark = pytest.mark.django_db
_v = version_of


def snapshot():
    return fingerprint((Document, Measure, Measure.responsible.through, Entry, Plan, Pilot, Pilot.members.through,
                        Federation, AuditEntry, Notification))


def _measure_body(w, t):
    return {"unit": t.id, "code": "新", "title": "新措施", "deadline": "2026-12-31"}


ENDPOINTS = [
    Endpoint("GET", "/reform/board?unit={id}", "fed", "detail"),
    Endpoint("GET", "/reform/documents?limit=200", "doc", "list"),
    Endpoint("GET", "/reform/documents?unit={id}", "fed", "detail"),
    Endpoint("POST", "/reform/documents", "fed", "write", lambda w, t: {"unit": t.id, "title": "新文件",
                                                                       "issued_on": "2026-01-01"}),
    Endpoint("PATCH", "/reform/documents/{id}", "doc", "write", lambda w, t: {"version": _v(t), "title": "改"}),
    Endpoint("GET", "/reform/measures?limit=200", "measure", "list"),
    Endpoint("GET", "/reform/measures?unit={id}", "fed", "detail"),
    Endpoint("POST", "/reform/measures", "fed", "write", _measure_body),
    Endpoint("POST", "/reform/measures", "fed", "write", note="hidden responsible unit",
             body=lambda w, t: {**_measure_body(w, w["fed"]["east"]), "responsible": [t.id]}),
    Endpoint("POST", "/reform/measures", "doc", "write", note="hidden document",
             body=lambda w, t: {**_measure_body(w, w["fed"]["east"]), "document": t.id}),
    Endpoint("GET", "/reform/measures/{id}", "measure", "detail"),
    Endpoint("PATCH", "/reform/measures/{id}", "measure", "write", lambda w, t: {"version": _v(t), "title": "改"}),
    Endpoint("POST", "/reform/measures/{id}/steps/start", "measure", "write", lambda w, t: {"version": _v(t)}),
    Endpoint("POST", "/reform/measures/{id}/entries", "measure", "write",
             lambda w, t: {"kind": "evidence", "text": "佐证", "link": "/org/tree/"}),
    Endpoint("GET", "/reform/plans", "plan", "list", own_shown=False),
    Endpoint("GET", "/reform/plans?unit={id}", "fed", "detail"),
    Endpoint("POST", "/reform/plans", "fed", "write", lambda w, t: {"unit": t.id, "title": "方案",
                                                                   "drafting_on": "2016-01-01"}),
    Endpoint("POST", "/reform/plans/{id}/steps/to_signing", "plan", "write",
             lambda w, t: {"version": _v(t), "day": "2016-06-01"}),
    Endpoint("GET", "/reform/pilots", "pilot", "list"),
    Endpoint("POST", "/reform/pilots", "fed", "write", lambda w, t: {"unit": t.id, "name": "试点"}),
    Endpoint("POST", "/reform/pilots", "fed", "write", note="hidden member",
             body=lambda w, t: {"unit": w["fed"]["east"].id, "name": "试点", "members": [t.id]}),
    Endpoint("PATCH", "/reform/pilots/{id}", "pilot", "write", lambda w, t: {"version": _v(t), "name": "改"}),
]
HIDDEN = {"fed": "west", "doc": "west", "measure": "west", "plan": "province", "pilot": "west"}


@pytest.fixture
def world(tree, admin_user):
    a = admin_user
    w = {"fed": {"east": tree.east, "west": tree.west}}
    w["doc"] = {k: services.document_create(actor=a, unit=u, title=f"{u.name}文件", issued_on=date(2016, 1, 1))
                for k, u in w["fed"].items()}
    w["measure"] = {k: services.measure_create(actor=a, unit=u, code="1", title=f"{u.name}措施",
                                               deadline=date(2030, 1, 1)) for k, u in w["fed"].items()}
    w["plan"] = {"province": services.plan_create(actor=a, unit=tree.province, title="甲省方案",
                                                  drafting_on=date(2016, 1, 1))}
    w["pilot"] = {k: services.pilot_create(actor=a, unit=u, name=f"{u.name}试点", members=[u])
                  for k, u in w["fed"].items()}
    return w


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_reform_scope_hides_what_lies_outside_the_callers_reach(world, personas, ep):
    target = world[ep.family][HIDDEN[ep.family]]
    own = world[ep.family].get("east")
    run_row(client_of(personas.east), ep, ep.url.format(id=target.id), ep.body(world, target) if ep.body else None,
            hidden=target.id, own=own.id if own is not None else None, snapshot=snapshot)


def test_every_reform_path_is_in_the_matrix(db):
    rows = [(ep.method, ep.url.replace("/steps/start", "/steps/{step}").replace("/steps/to_signing", "/steps/{step}"))
            for ep in ENDPOINTS]
    assert_paths_covered(["reform"], rows)
