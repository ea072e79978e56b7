"""The field forms honour the idempotency key the outbox sends: a resend returns the first record."""

from niangjia.duties.models import Evidence


def test_a_resent_evidence_post_with_the_same_key_makes_one_record(client, duty):
    # given her record form's key
    client.force_login(duty.exec_a)
    url = f"/duties/a/{duty.a.pk}/items/{duty.items['contact_delegate'].pk}/record/"
    data = {"what": "走访代表王芳", "day": "2026-03-01", "idempotency_key": "k-1"}
    # when the outbox sends it twice, then once more with another key
    first, second = client.post(url, data), client.post(url, data)
    third = client.post(url, {**data, "idempotency_key": "k-2"})
    # then two records: the resend was recognised, the new key was not
    assert [first.status_code, second.status_code, third.status_code] == [302, 302, 302]
    assert Evidence.objects.filter(what="走访代表王芳").count() == 2


def test_the_same_key_from_another_user_is_a_different_record(client, duty):
    url_a = f"/duties/a/{duty.a.pk}/items/{duty.items['contact_delegate'].pk}/record/"
    url_b = f"/duties/a/{duty.b.pk}/items/{duty.items['contact_delegate'].pk}/record/"
    client.force_login(duty.exec_a)
    client.post(url_a, {"what": "走访", "day": "2026-03-01", "idempotency_key": "same"})
    client.force_login(duty.exec_b)
    client.post(url_b, {"what": "走访", "day": "2026-03-01", "idempotency_key": "same"})
    assert Evidence.objects.filter(what="走访").count() == 2
    assert Evidence.objects.filter(what="走访", assignment=duty.b).count() == 1


def test_the_outbox_page_the_service_worker_and_the_manifest_are_served(client, duty):
    client.force_login(duty.exec_a)
    assert 'id="nj-outbox"' in client.get("/outbox/").content.decode()
    sw = client.get("/sw.js")
    assert sw["Content-Type"].startswith("text/javascript") and b"FIELD_PAGES" in sw.content
    home = client.get("/").content.decode()
    assert 'rel="manifest"' in home and "offline.js" in home
