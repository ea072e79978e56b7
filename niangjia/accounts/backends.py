"""Login with lockout keyed on the account: 5 failures lock it for 30 minutes.

The counter lives on the user row, so no client address (forged X-Forwarded-For or not)
can reset it. An attempt takes its slot *before* the password is checked, by one
conditional UPDATE (failed_logins < max and not locked): under any concurrency, across
processes, at most LOGIN_MAX_FAILURES wrong passwords are ever checked before the lock.
A success gives the slots back. A locked account is refused after running the password
hasher anyway, so that neither the answer nor its time tells it apart from a wrong password.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.db.models import F, Q

from niangjia.accounts.audit_actions import Action
from niangjia.core import audit, periods

from .models import User


class AccountLocked(Exception):
    def __init__(self, until):
        super().__init__("account locked")
        self.until = until


def is_locked(user: User) -> bool:
    return bool(user.locked_until and user.locked_until > periods.now())


def take_attempt(user: User) -> bool:
    """Reserve one password check for this account; False when it is locked or its slots are taken."""
    now = periods.now()
    return bool(
        User.objects.filter(pk=user.pk, failed_logins__lt=settings.LOGIN_MAX_FAILURES)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(failed_logins=F("failed_logins") + 1)
    )


def register_failure(user: User) -> None:
    """The reserved attempt failed: the attempt that fills the last slot locks the account."""
    with transaction.atomic():
        until = periods.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
        locked = User.objects.filter(pk=user.pk, failed_logins__gte=settings.LOGIN_MAX_FAILURES).update(
            locked_until=until, failed_logins=0)
        if locked:
            audit.record(None, Action.LOGIN_LOCKED, None, summary=f"{user.username} 连续登录失败，账号锁定",
                         detail={"failures": settings.LOGIN_MAX_FAILURES, "locked_until": until.isoformat()})
        else:
            failures = User.objects.filter(pk=user.pk).values_list("failed_logins", flat=True).first()
            audit.record(None, Action.LOGIN_FAILED, None, summary=f"{user.username} 登录失败",
                         detail={"failures": failures})


def _refuse_locked(user: User, password: str) -> None:
    check_password(password, user.password)  # same cost as a real check, so timing does not tell
    until = User.objects.filter(pk=user.pk).values_list("locked_until", flat=True).first()
    with transaction.atomic():
        audit.record(None, Action.LOGIN_REFUSED, None, summary=f"{user.username} 账号锁定中，拒绝登录")
    raise AccountLocked(until)


def authenticate_account(username: str, password: str) -> User:
    """The user for these credentials; raises AccountLocked, or returns None on bad credentials."""
    user = User.objects.filter(username=username).first()
    if user is None:
        User().set_password(password)  # same cost as a real check, so timing does not tell
        return None
    if not take_attempt(user):
        _refuse_locked(user, password)
    if not user.check_password(password) or not user.is_active:
        register_failure(user)
        return None
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
