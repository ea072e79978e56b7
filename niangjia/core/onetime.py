"""One-time links: a random token handed to one person (a juror, a respondent), stored hashed.

`issue(purpose, subject)` returns the raw token to put in a link; `peek` checks it without
using it (showing the form), `consume` uses it exactly once under a row lock (the submit).
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from niangjia.core import periods

from .errors import Conflict, NotFound
from .models import OneTimeToken

MSG_INVALID = _("链接无效或已过期")
MSG_USED = _("此链接已经使用过")


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(purpose: str, subject, *, ttl: timedelta | None = None) -> str:
    raw = secrets.token_urlsafe(24)
    OneTimeToken.objects.create(purpose=purpose, digest=_digest(raw), subject_type=subject._meta.label_lower,
                                subject_id=str(subject.pk), expires_at=periods.now() + ttl if ttl else None)
    return raw


def _find(purpose: str, raw: str, *, lock: bool = False) -> OneTimeToken:
    qs = OneTimeToken.objects.filter(purpose=purpose, digest=_digest(raw or ""))
    token = (qs.select_for_update() if lock else qs).first()
    if token is None or (token.expires_at and token.expires_at <= periods.now()):
        raise NotFound(MSG_INVALID)
    return token


def peek(purpose: str, raw: str) -> OneTimeToken:
    """The unused token (404 when unknown/expired, 409 when already used)."""
    token = _find(purpose, raw)
    if token.used_at:
        raise Conflict(MSG_USED)
    return token


def consume(purpose: str, raw: str) -> OneTimeToken:
    """Mark the token used; must run inside the transaction that writes what it authorises."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("onetime.consume must run inside the transaction it authorises")
    token = _find(purpose, raw, lock=True)
    if token.used_at:
        raise Conflict(MSG_USED)
    token.used_at = periods.now()
    token.save(update_fields=["used_at"])
    return token


def revoke_for(subject, purpose: str | None = None) -> int:
    qs = OneTimeToken.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk),
                                     used_at__isnull=True)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.update(expires_at=periods.now())
