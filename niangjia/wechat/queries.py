"""Scoped reads of WeChat accounts and the messages they took in."""

from niangjia.core.access import get_for, scoped

from .models import WeChatAccount, WeChatMessage
from .rules import PERM


def active_account(ref: str) -> WeChatAccount | None:
    """The account a callback URL names (by id or slug), if it is switched on."""
    qs = WeChatAccount.objects.select_related("unit").filter(active=True)
    lookup = {"pk": int(ref)} if ref.isdigit() else {"slug": ref}
    return qs.filter(**lookup).first()


def accounts_for(user):
    return scoped(WeChatAccount.objects.select_related("unit"), user)


def get_account_for(user, pk) -> WeChatAccount:
    return get_for(WeChatAccount.objects.select_related("unit"), user, pk, perm=PERM)


def messages_of(account: WeChatAccount, *, outcome: str = ""):
    qs = WeChatMessage.objects.filter(account=account).only(
        "id", "day", "sent_at", "sender_mask", "outcome", "record_type", "record_id", "tracking_code", "unit_id",
        "account_id")
    return qs.filter(outcome=outcome) if outcome else qs
