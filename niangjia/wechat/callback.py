"""The public callback WeChat's servers call: /p/wechat/<account id or slug>/.

GET is the handshake (echo `echostr` when the signature holds); POST carries one message, in
plaintext or, in safe mode (安全模式), inside <Encrypt> with its own msg_signature. Anything that
fails the signature is refused with 403, anything that does not decrypt or parse with 400, before
a single row is written. Not a core.public_view: WeChat posts XML without a CSRF token, and the
rate limit is per account (counted only for signed deliveries, so forged traffic cannot use up
the real account's allowance).
"""

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from niangjia.core.errors import DomainError

from . import protocol, queries, services
from .models import WeChatAccount

XML = "application/xml; charset=utf-8"


def _params(request) -> tuple[str, str]:
    return request.GET.get("timestamp", ""), request.GET.get("nonce", "")


def _handshake(request, token: str) -> HttpResponse:
    timestamp, nonce = _params(request)
    protocol.check_signature(request.GET.get("signature", ""), token, timestamp, nonce)
    return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain; charset=utf-8")


def _inbound(request, account: WeChatAccount, token: str, key: bytes | None) -> protocol.Inbound:
    """The verified message of a POST, decrypted in safe mode (in plaintext mode, its nonce is checked with
    the rate counts: `callback`)."""
    timestamp, nonce = _params(request)
    fields = protocol.parse_xml(request.body)
    if account.mode == WeChatAccount.Mode.SAFE:
        if request.GET.get("encrypt_type", "").lower() != "aes" or "Encrypt" not in fields or key is None:
            raise protocol.BadSignature(_("安全模式只接受加密消息"))
        protocol.check_signature(request.GET.get("msg_signature", ""), token, timestamp, nonce, fields["Encrypt"])
        fields = protocol.parse_xml(protocol.decrypt(key, account.app_id, fields["Encrypt"]))
        return protocol.Inbound.from_fields(fields)
    protocol.check_signature(request.GET.get("signature", ""), token, timestamp, nonce)
    inbound = protocol.Inbound.from_fields(fields)
    services.check_timestamp(timestamp)  # the body is not signed: no stale deliveries, and no replays (below)
    return inbound


def _answer(request, account, token, key, inbound, reply) -> HttpResponse:
    if reply is None:
        return HttpResponse("success", content_type="text/plain; charset=utf-8")
    content, create_time = reply
    xml = protocol.text_reply_xml(to_user=inbound.from_user, from_user=inbound.to_user, create_time=create_time,
                                  content=content)
    if account.mode == WeChatAccount.Mode.SAFE:
        timestamp, nonce = _params(request)
        xml = protocol.encrypted_reply_xml(token=token, key=key, app_id=account.app_id, reply_xml=xml,
                                           timestamp=timestamp, nonce=nonce)
    return HttpResponse(xml, content_type=XML)


@csrf_exempt
def callback(request, ref: str):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    account = queries.active_account(ref)
    if account is None:
        raise Http404(_("公众号不存在"))
    token, key = services.secrets_of(account)
    try:
        if request.method == "GET":
            return _handshake(request, token)
        inbound = _inbound(request, account, token, key)
        plain = None if account.mode == WeChatAccount.Mode.SAFE else (*_params(request), request.body)
        # the account's count and the sender's, and a plaintext delivery's nonce claimed, at once
        reply = services.answer_delivery(account=account, inbound=inbound, plain=plain,
                                         base_url=request.build_absolute_uri("/").rstrip("/"))
        return _answer(request, account, token, key, inbound, reply)
    except protocol.ProtocolError as exc:
        return HttpResponse(str(exc), status=exc.status, content_type="text/plain; charset=utf-8")
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
