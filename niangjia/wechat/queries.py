"""Scoped reads of WeChat accounts and the messages they took in."""

from niangjia.core import callers
from niangjia.core.access import get_for, scoped

from .models import WeChatAccount, WeChatMessage
from .rules import PERM

ACCOUNTS = "wechat.accounts"  # the owner of cached accounts (core.callers; forgotten on any change, apps.py)


class _Missing(Exception):
    """No such active account: answered, never cached (an account switched on later is found at once)."""


def active_account(ref: str) -> WeChatAccount | None:
    """The account a callback URL names (by id or slug), if it is switched on (cached until an account or the
    tree changes)."""
    def build() -> WeChatAccount:
        lookup = {"pk": int(ref)} if ref.isdigit() else {"slug": ref}
        found = WeChatAccount.objects.select_related("unit").filter(active=True, **lookup).first()
        if found is None:
            raise _Missing
        return found

    try:
        return callers.remember_for(ACCOUNTS, ref[:60], build)
    except _Missing:
        return None


def accounts_for(user):
    return scoped(WeChatAccount.objects.select_related("unit"), user)


def get_account_for(user, pk) -> WeChatAccount:
    return get_for(WeChatAccount.objects.select_related("unit"), user, pk, perm=PERM)


def messages_of(account: WeChatAccount, *, outcome: str = ""):
    qs = WeChatMessage.objects.filter(account=account).only(
        "id", "day", "sent_at", "sender_mask", "outcome", "record_type", "record_id", "tracking_code", "unit_id",
        "account_id")
    return qs.filter(outcome=outcome) if outcome else qs
