"""Staff pages: the federation's 公众号 accounts and what each received message became."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core.errors import ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import require
from niangjia.core.web import (
    EXPORT_MAX_ROWS,
    act,
    export_requested,
    export_url,
    first_page_url,
    form_errors_from,
    form_status,
    list_page,
    posted_version,
    submit,
    web_view,
)
from niangjia.org import queries as org_queries

from . import queries, services
from .forms import AccountForm
from .models import WeChatMessage

ACCOUNT_SORTS = {"name": (gettext_lazy("名称"), ("name", "id")), "new": (gettext_lazy("最新接入"), ("-id",))}
MESSAGE_SORTS = {"new": (gettext_lazy("最新"), ("-day", "-id")), "old": (gettext_lazy("最早"), ("day", "id"))}
# where staff open the record a message became (a record type without a page shows only its code)
RECORD_PAGES = {"needs.Need": "needs:detail", "participation.Suggestion": "participation:letter"}


def _record_url(message) -> str:
    name = RECORD_PAGES.get(message.record_type)
    try:
        return reverse(name, args=[message.record_id]) if name else ""
    except NoReverseMatch:
        return ""


@web_view(services.PERM)
def account_list(request):
    page, sort, next_url = list_page(request, queries.accounts_for(request.user), sorts=ACCOUNT_SORTS, default="name")
    return render(request, "wechat/account_list.html", {"page": page, "sort": sort, "sorts": ACCOUNT_SORTS,
                                                        "next_url": next_url, "first_url": first_page_url(request)})


def _form_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("unit", None)
    return data


@web_view(services.PERM)
def account_create(request):
    units = org_queries.unit_options_for(request.user)
    form = AccountForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            unit = org_queries.get_federation_for(request.user, form.cleaned_data["unit"])
            account = services.account_create(actor=request.user, unit=unit, **_form_data(form))
        except ValidationFailed as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, gettext("已接入公众号“{name}”").format(name=account.name))
            return redirect("wechat:account", pk=account.pk)
    return render(request, "wechat/account_form.html", {"form": form, "title": gettext("接入公众号"),
                                                        "back": reverse("wechat:accounts")})


@web_view(services.PERM)
def account_edit(request, pk: int):
    account = queries.get_account_for(request.user, pk)
    initial = {f: getattr(account, f) for f in services.EDITABLE}
    form = AccountForm(request.POST or None, initial=initial, editing=True)
    done = submit(request, form, lambda d: services.account_update(
        actor=request.user, account=account, version=posted_version(request), **_form_data(form)),
        message=gettext("设置已保存"), success=lambda _: redirect("wechat:account", pk=account.pk))
    return done or render(request, "wechat/account_form.html", {
        "form": form, "title": gettext("修改“{name}”").format(name=account.name), "account": account,
        "back": reverse("wechat:account", args=[account.pk])}, status=form_status(form))


@require_POST
@web_view(services.PERM)
def account_toggle(request, pk: int):
    account = queries.get_account_for(request.user, pk)
    return act(request, lambda: services.account_update(actor=request.user, account=account,
                                                        version=posted_version(request), active=not account.active),
               back=reverse("wechat:account", args=[account.pk]),
               message=lambda _: gettext("已启用") if account.active else gettext("已停用，回调地址将不再受理消息"))


@web_view(services.PERM)
def account_detail(request, pk: int):
    """One account: its callback URL and settings, and the messages it received (senders masked)."""
    account = queries.get_account_for(request.user, pk)
    outcome = request.GET.get("outcome", "")
    outcome = outcome if outcome in WeChatMessage.Outcome.values else ""
    qs = queries.messages_of(account, outcome=outcome)
    if export_requested(request):
        require(request.user, "export")
        sort = request.GET.get("sort") if request.GET.get("sort") in MESSAGE_SORTS else "new"
        rows = ([m.day, m.sent_at.astimezone().strftime("%Y-%m-%d %H:%M"), m.sender_mask, m.get_outcome_display(),
                 m.tracking_code] for m in qs.order_by(*MESSAGE_SORTS[sort][1])[:EXPORT_MAX_ROWS])
        return xlsx_response(request, gettext("{name}-消息").format(name=account.name), gettext("微信消息"), [gettext("接收日期"), gettext("发送时间"), gettext("发送者"), gettext("登记为"), gettext("查询码")], rows)
    page, sort, next_url = list_page(request, qs, sorts=MESSAGE_SORTS, default="new")
    for m in page.items:
        m.record_url = _record_url(m)
    return render(request, "wechat/account_detail.html", {
        "account": account, "page": page, "sort": sort,
        "sorts": MESSAGE_SORTS, "next_url": next_url, "first_url": first_page_url(request), "outcome": outcome,
        "outcomes": WeChatMessage.Outcome.choices, "export_url": export_url(request),
        "callback_url": request.build_absolute_uri(reverse("wechat_public:callback", args=[account.slug])),
    })
