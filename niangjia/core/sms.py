"""Outgoing text messages (check codes, tracking codes). Intranet deployments have no SMS gateway
by default: the "outbox" backend keeps each message in OutboundMessage (number as a blind index
and a mask) for an operator — and for tests — to read. A gateway backend plugs in through
settings.NIANGJIA_SMS_BACKEND ("module.function" taking (phone, text))."""

from django.conf import settings
from django.utils.module_loading import import_string

from .models import OutboundMessage
from .sensitive import blind_index, mask_phone


def send_sms(phone: str, text: str, *, purpose: str) -> OutboundMessage:
    msg = OutboundMessage.objects.create(to_index=blind_index(phone), to_masked=mask_phone(phone),
                                         purpose=purpose, body=text[:300])
    backend = getattr(settings, "NIANGJIA_SMS_BACKEND", "")
    if backend:
        import_string(backend)(phone, text)
    return msg


def last_sent_to(phone: str, purpose: str | None = None) -> OutboundMessage | None:
    qs = OutboundMessage.objects.filter(to_index=blind_index(phone))
    return (qs.filter(purpose=purpose) if purpose else qs).first()
