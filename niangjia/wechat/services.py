"""The only writers of WeChat intake: accounts (staff, audited, versioned) and inbound messages
(no actor: a woman writing to the 公众号; idempotent on MsgId)."""

import functools
import hashlib
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from niangjia.core import audit, periods, ratelimit, sensitive, summaries, together
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import DomainError, ValidationFailed
from niangjia.core.extensions import intake
from niangjia.core.idempotency import run_once, statement_once
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise
from niangjia.needs.services import need_public_add, need_public_new, need_submit_public
from niangjia.wechat.audit_actions import Action

from . import metrics, protocol, rules
from .models import WeChatAccount, WeChatMessage
from .rules import PERM

METRIC = metrics.MESSAGE.name

MSG_SLUG = gettext_lazy("地址标识只能用小写字母、数字和连字符（2–49 个字符）")
MSG_TOKEN = gettext_lazy("Token 应为 3–32 位字母或数字")
MSG_APP_ID = gettext_lazy("AppID 应为 6–32 位字母、数字或下划线")
MSG_AES_KEY = gettext_lazy("EncodingAESKey 应为 43 位字母或数字（公众号后台“服务器配置”中生成）")
MSG_AES_NEEDED = gettext_lazy("安全模式需要填写 EncodingAESKey")


# ---------------------------------------------------------------- accounts


def _check_secrets(*, slug: str | None, app_id: str | None, token: str | None, aes_key: str | None) -> None:
    fields = {}
    if slug is not None and not rules.SLUG_RE.match(slug):
        fields["slug"] = MSG_SLUG
    if app_id is not None and not rules.APP_ID_RE.match(app_id):
        fields["app_id"] = MSG_APP_ID
    if token is not None and not rules.TOKEN_RE.match(token):
        fields["token"] = MSG_TOKEN
    if aes_key:
        try:
            protocol.aes_key(aes_key)
        except ValueError:
            fields["encoding_aes_key"] = MSG_AES_KEY
    if fields:
        raise ValidationFailed("；".join(str(v) for v in fields.values()), fields=fields)


def account_create(*, actor, unit, name: str, slug: str, app_id: str, token: str, encoding_aes_key: str = "",
                   mode: str = WeChatAccount.Mode.SAFE, welcome: str = "", rate_per_minute: int = 600,
                   active: bool = True) -> WeChatAccount:
    require(actor, PERM)
    ensure_unit_in_reach(actor, unit)
    slug, app_id, token, encoding_aes_key = slug.strip(), app_id.strip(), token.strip(), encoding_aes_key.strip()
    _check_secrets(slug=slug, app_id=app_id, token=token, aes_key=encoding_aes_key)
    if mode == WeChatAccount.Mode.SAFE and not encoding_aes_key:
        raise ValidationFailed(MSG_AES_NEEDED, fields={"encoding_aes_key": MSG_AES_NEEDED})
    account = WeChatAccount(name=name.strip(), slug=slug, app_id=app_id, mode=mode, welcome=welcome.strip(),
                            rate_per_minute=rate_per_minute, active=active,
                            token_enc=sensitive.encrypt(token), aes_key_enc=sensitive.encrypt(encoding_aes_key))
    account.place_in(unit)
    full_clean_or_raise(account, exclude=["unit"])
    with transaction.atomic():
        account.save()
        audit.record(actor, Action.ACCOUNT_CREATE, account, detail={"mode": mode, "slug": slug})
    return account


EDITABLE = {"name", "slug", "app_id", "mode", "welcome", "rate_per_minute", "active"}


def account_update(*, actor, account: WeChatAccount, version: int, token: str | None = None,
                   encoding_aes_key: str | None = None, **changes) -> WeChatAccount:
    """Change settings; a secret left empty keeps the stored one (they are never shown back)."""
    require(actor, PERM)
    ensure_unit_in_reach(actor, account.unit)
    token = (token or "").strip() or None
    encoding_aes_key = (encoding_aes_key or "").strip() or None
    changes = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    _check_secrets(slug=changes.get("slug"), app_id=changes.get("app_id"), token=token, aes_key=encoding_aes_key)
    if token:
        changes["token_enc"] = sensitive.encrypt(token)
    if encoding_aes_key:
        changes["aes_key_enc"] = sensitive.encrypt(encoding_aes_key)
    mode = changes.get("mode", account.mode)
    if mode == WeChatAccount.Mode.SAFE and not (encoding_aes_key or account.aes_key_enc):
        raise ValidationFailed(MSG_AES_NEEDED, fields={"encoding_aes_key": MSG_AES_NEEDED})
    with transaction.atomic():
        apply_changes(actor=actor, obj=account, version=version, changes=changes,
                      allowed=EDITABLE | {"token_enc", "aes_key_enc"}, action=Action.ACCOUNT_UPDATE,
                      sensitive={"token_enc", "aes_key_enc"})
    return account


def secrets_of(account: WeChatAccount) -> tuple[str, bytes | None]:
    """(token, AES key) for the protocol; never leaves the server. Decrypted once per process for each pair of
    ciphertexts (a changed secret is a new ciphertext; new field keys another entry)."""
    return _secrets(account.token_enc, account.aes_key_enc, tuple(settings.FIELD_ENCRYPTION_KEYS))


@functools.lru_cache(maxsize=256)  # a few accounts per deployment; a failed decryption is not kept
def _secrets(token_enc: str, aes_key_enc: str, _keys: tuple) -> tuple[str, bytes | None]:
    token = sensitive.decrypt(token_enc)
    aes = sensitive.decrypt(aes_key_enc) if aes_key_enc else ""
    return token, (protocol.aes_key(aes) if aes else None)


def count_delivery(account: WeChatAccount, inbound: protocol.Inbound | None = None,
                   plain: tuple[str, str, bytes] | None = None) -> bool | None:
    """Per-account rate limit (a genuine, signed delivery counts; forged ones are refused before); with the
    message of a text delivery, its sender's hourly count moves in the same statement: True when she is past
    her limit (None without a text message).

    `plain`: a plaintext delivery's (timestamp, nonce, body). There the signature covers only token, timestamp
    and nonce, not the body, so a captured signature could carry a forged message: the timestamp+nonce is
    claimed in the same statement, and one seen before with another body is refused (403) and counts
    nothing (the same body again is WeChat's own retry, which the MsgId makes harmless)."""
    texted = inbound is not None and rules.what_to_do(inbound.msg_type, inbound.event, inbound.content) == "record"
    hits = _delivery_hits(account, inbound if texted else None)
    counts = ratelimit.hit_many([(h.scope, h.key, h.per_seconds) for h in hits],
                                first_use=None if plain is None else _nonce(account, *plain))
    if counts is None:
        raise protocol.BadSignature(str(MSG_REPLAY))
    hits[0].counted(counts[0])  # 429 past the account's rate
    return counts[1] > SENDER_LIMIT if texted else None


class _SenderOver(Exception):
    """The sender is past her hourly limit: her message is answered, not recorded."""


def _delivery_hits(account: WeChatAccount, inbound: protocol.Inbound | None) -> list[ratelimit.Hit]:
    """The account's count of deliveries a minute, and with a text message its sender's count an hour."""
    hits = [ratelimit.Hit("wechat.callback", str(account.pk), account.rate_per_minute, 60,
                          message=gettext("消息过于频繁，请稍后再试"))]
    if inbound is not None:
        sender = sensitive.blind_index(f"wechat-openid:{inbound.from_user}")
        hits.append(ratelimit.Hit("wechat.sender", f"{account.pk}:{sender}", SENDER_LIMIT, SENDER_PER_SECONDS,
                                  over=_SenderOver))
    return hits


def answer_delivery(*, account: WeChatAccount, inbound: protocol.Inbound, plain: tuple[str, str, bytes] | None = None,
                    base_url: str = "") -> tuple[str, int] | None:
    """Count a signed delivery (`count_delivery`) and answer it (`reply_for`). A text that becomes a need, on
    PostgreSQL: the counts, the plaintext nonce and the writes in one statement (one round trip, not two),
    the same refusals (403 for a replay, 429 past the account's rate, TOO_MANY past the sender's)."""
    if not (together.one_statement() and not rules.is_suggestion(inbound.content)
            and rules.what_to_do(inbound.msg_type, inbound.event, inbound.content) == "record"):
        sender_over = count_delivery(account, inbound, plain=plain)
        return reply_for(account=account, inbound=inbound, base_url=base_url, sender_over=sender_over)
    hits = _delivery_hits(account, inbound)
    try:
        msg, _ = message_record(account=account, inbound=inbound, base_url=base_url,
                                counted=(hits, None if plain is None else _nonce(account, *plain)))
    except _SenderOver:
        return rules.TOO_MANY, int(periods.now().timestamp())
    except together.UsedBefore:
        raise protocol.BadSignature(str(MSG_REPLAY)) from None
    except DomainError:
        if hits[0].count is None:  # refused before its statement: counted as every signed delivery is
            count_delivery(account, inbound, plain=plain)
        raise
    return msg.reply, msg.reply_time


REPLAY_WINDOW_SECONDS = 300  # WeChat's timestamp must be this close to our clock
SENDER_LIMIT, SENDER_PER_SECONDS = 20, 3600  # messages one sender may file per hour per account
MSG_REPLAY = gettext_lazy("签名已用于另一条消息（疑似重放）")


def check_timestamp(timestamp: str) -> None:
    """Plaintext mode: refuse a stale timestamp (a replay of a fresh one: `count_delivery`)."""
    now = int(periods.now().timestamp())
    if not timestamp.isdigit() or abs(now - int(timestamp)) > REPLAY_WINDOW_SECONDS:
        raise protocol.BadSignature(gettext("时间戳不在有效期内（疑似重放）"))


def _nonce(account: WeChatAccount, timestamp: str, nonce: str, body: bytes) -> tuple[str, str, str, int]:
    return (f"wechat.nonce:{account.pk}", f"{timestamp}:{nonce}", hashlib.sha256(body).hexdigest(),
            2 * REPLAY_WINDOW_SECONDS)


def sender_over_limit(account: WeChatAccount, inbound: protocol.Inbound) -> bool:
    """Count one message of this sender (by the blind index of her openid); True past the hourly limit."""
    sender = _delivery_hits(account, inbound)[1]
    return ratelimit.hit(sender.scope, sender.key, limit=sender.limit, per_seconds=sender.per_seconds) > sender.limit


# ---------------------------------------------------------------- inbound messages


def _msg_key(inbound: protocol.Inbound, sender_bidx: str) -> str:
    # WeChat's documented de-duplication: MsgId, or sender + CreateTime where there is none
    return inbound.msg_id or f"{sender_bidx[:32]}:{inbound.create_time}"


def _file_need(account, inbound, key):
    text = inbound.content.strip()
    need, _ = need_submit_public(unit=account.unit, category=rules.guess_category(text), description=rules.clip(text),
                                 channel="wechat", key=key, urgency=rules.guess_urgency(text))
    return WeChatMessage.Outcome.NEED, need, need.tracking_code, rules.guess_urgency(text)


def _file_suggestion(account, inbound, key):
    text = rules.clip(rules.suggestion_text(inbound.content), rules.SUGGESTION_MAX)
    suggestion, _ = intake("suggestion")(federation=account.unit, text=text, channel="wechat", key=key,
                                      contact_name="", contact_phone="", anonymous=True)
    return WeChatMessage.Outcome.SUGGESTION, suggestion, suggestion.tracking_code, "normal"


def message_record(*, account: WeChatAccount, inbound: protocol.Inbound, base_url: str = "",
                   counted: tuple[list, tuple | None] | None = None) -> tuple[WeChatMessage, bool]:
    """A woman's text message becomes a need (or a suggestion) and a message row with its reply.

    One transaction; a retry of the same MsgId (even concurrent) returns the first row unchanged.
    `base_url` (e.g. "https://host") makes the lookup address in the reply absolute. `counted` (PostgreSQL, a
    need): the delivery's rate hits and nonce (`answer_delivery`), counted and claimed with the writes.
    """
    sender_bidx = sensitive.blind_index(f"wechat-openid:{inbound.from_user}")
    key = f"{account.pk}:{_msg_key(inbound, sender_bidx)}"
    to_suggestion = rules.is_suggestion(inbound.content)

    def message(outcome, record, code, urgency) -> WeChatMessage:
        reply = (rules.suggestion_reply(code, track_url=base_url + rules.SUGGESTION_TRACK_PATH)
                 if outcome == WeChatMessage.Outcome.SUGGESTION
                 else rules.need_reply(code, urgency=urgency, track_url=base_url + rules.NEED_TRACK_PATH))
        now = periods.now()
        sent = datetime.fromtimestamp(inbound.create_time, tz=UTC) if inbound.create_time else now
        msg = WeChatMessage(account=account, msg_key=key.split(":", 1)[1], sender_bidx=sender_bidx,
                            sender_mask=rules.mask_openid(inbound.from_user), sent_at=sent,
                            day=timezone.localdate(now), outcome=outcome, record_type=record._meta.label,
                            record_id=record.pk, tracking_code=code or "", reply=reply,
                            reply_time=int(now.timestamp()))
        msg.place_in(account.unit)
        return msg

    if not to_suggestion and together.one_statement():
        return _record_need_at_once(account, inbound, key, message, counted)

    def create() -> WeChatMessage:
        msg = message(*(_file_suggestion if to_suggestion else _file_need)(account, inbound, key))
        msg.save()
        summaries.bump(METRIC, account.unit, msg.day, category=msg.outcome)
        audit.record(None, Action.WECHAT_RECEIVE, msg, detail={"outcome": msg.outcome, "record": f"{msg.record_type}:{msg.record_id}"})
        return msg

    return run_once(SCOPE, key, create)


SCOPE = "wechat.message"  # the idempotency scope of messages (account id:MsgId)


def _record_need_at_once(account, inbound, key, message, counted=None) -> tuple[WeChatMessage, bool]:
    """PostgreSQL: the message, the need it becomes, both keys, both audit rows and the counts in one statement
    (core.together), its own transaction: one round trip. With `counted` (rate hits, nonce or None), those too:
    nothing is written past a limit or for a replayed nonce."""
    text = inbound.content.strip()
    urgency = rules.guess_urgency(text)
    need = need_public_new(unit=account.unit, category=rules.guess_category(text), description=rules.clip(text),
                           channel="wechat", urgency=urgency)
    msg = message(WeChatMessage.Outcome.NEED, need, need.tracking_code, urgency)
    st = together.Statement()
    if counted is not None:
        hits, nonce = counted
        if nonce is not None:
            st.first_use(*nonce[:3], keep_seconds=nonce[3])
        for hit in hits:
            st.limit(hit)
    pk = st.claim(SCOPE, key, WeChatMessage)
    need_pk = need_public_add(st, need, key=key)
    st.insert(msg, pk=pk, refs={"record_id": need_pk})
    st.counts(metrics.MESSAGE.delta(msg, after={}))
    st.audit(None, Action.WECHAT_RECEIVE, msg, pk=pk, detail={"outcome": msg.outcome,
                                                            "record": f"{msg.record_type}:{need_pk.token}"})
    return statement_once(st, SCOPE, key, msg)


def reply_for(*, account: WeChatAccount, inbound: protocol.Inbound, base_url: str = "",
              sender_over: bool | None = None) -> tuple[str, int] | None:
    """The text to answer with and its CreateTime, or None for "success" (nothing to say); `sender_over`: what
    `count_delivery` found for this message's sender (None: counted here)."""
    action = rules.what_to_do(inbound.msg_type, inbound.event, inbound.content)
    now = int(periods.now().timestamp())
    if action == "ignore":
        return None
    if action == "welcome":
        return account.welcome or rules.WELCOME_DEFAULT, now
    if action in ("not_text", "empty"):
        return (rules.NOT_TEXT if action == "not_text" else rules.EMPTY_TEXT), now
    if sender_over if sender_over is not None else sender_over_limit(account, inbound):
        return rules.TOO_MANY, now
    msg, _ = message_record(account=account, inbound=inbound, base_url=base_url)
    return msg.reply, msg.reply_time
