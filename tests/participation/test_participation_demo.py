"""The participation demo loader, run on the test tree (东县 standing in for 安吉县): an open
consultation with answers and a corrected paper sheet, letters, an upcoming and a held activity —
written through the services, so every rule holds (nobody registered for the held activity except
by the after-the-fact entry)."""

from datetime import date
from types import SimpleNamespace

from niangjia.core.models import AuditEntry
from niangjia.demo.fake import Fake
from niangjia.participation import demo, queries
from niangjia.participation.models import Activity, Consultation, Response


def test_demo_loader(tree, admin_user):
    ctx = SimpleNamespace(fake=Fake(20_160_301, date.today()), by_name={"安吉县": SimpleNamespace(fed=tree.east)},
                          admin=admin_user, counts={})
    n = demo.load(ctx)
    c = Consultation.objects.get()
    assert n > 0 and queries.state_label(c) == "进行中"
    paper = Response.objects.filter(consultation=c, channel="paper")
    assert paper.count() == 4 and paper.filter(voided_at__isnull=False).count() == 1
    fixed = paper.get(corrects__isnull=False)
    assert fixed.corrects.void_reason.startswith("第3题录错")
    assert c.response_count == Response.objects.filter(consultation=c, voided_at__isnull=True).count() == 27
    held = Activity.objects.get(status="done")
    late = AuditEntry.objects.filter(action="participation.register", detail__activity=held.pk)
    assert late.count() == held.capacity and all(e.detail["after_the_fact"] for e in late)
