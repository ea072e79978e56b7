"""Login with lockout keyed on the account: 5 failures lock it for 30 minutes.

The counter lives on the user row, so no client address (forged X-Forwarded-For or not)
can reset it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from niangjia.core import audit

from .models import User


class AccountLocked(Exception):
    def __init__(self, until):
        super().__init__("account locked")
        self.until = until


def is_locked(user: User) -> bool:
    return bool(user.locked_until and user.locked_until > timezone.now())


def register_failure(user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins", "locked_until"])
        detail = {"failures": user.failed_logins}
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=user.locked_until, failed_logins=0)
            detail["locked_until"] = user.locked_until.isoformat()
            audit.record(None, "login.locked", None, summary=f"{user.username} 连续登录失败，账号锁定", detail=detail)
        else:
            audit.record(None, "login.failed", None, summary=f"{user.username} 登录失败", detail=detail)


def authenticate_account(username: str, password: str) -> User:
    """The user for these credentials; raises AccountLocked, or returns None on bad credentials."""
    user = User.objects.filter(username=username).first()
    if user is None:
        User().set_password(password)  # same cost as a real check, so timing does not tell
        return None
    if is_locked(user):
        raise AccountLocked(user.locked_until)
    if not user.check_password(password) or not user.is_active:
        register_failure(user)
        return None
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    return user


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        try:
            user = authenticate_account(username, password)
        except AccountLocked:
            if request is not None:
                request.niangjia_locked = True
            return None
        return user
