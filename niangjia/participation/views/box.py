"""Staff pages of the suggestion box: the inbox (filters, sort, pages, Excel), one letter with
its reply, public display and turning it into a need."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core import audit
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import require
from niangjia.core.sensitive import decrypt
from niangjia.core.web import (
    act,
    export_requested,
    export_url,
    first_page_url,
    list_page,
    posted_version,
    unit_of,
    web_view,
)
from niangjia.needs.models import Need
from niangjia.org import queries as org_queries

from .. import queries, services
from ..models import Channel, Suggestion

SORTS = {"new": (gettext_lazy("提交时间（新→旧）"), ("-day", "-id")), "old": (gettext_lazy("提交时间（旧→新）"), ("day", "id"))}


@web_view("participation.view")
def inbox(request):
    unit = unit_of(request)
    f = {"status": request.GET.get("status", ""), "channel": request.GET.get("channel", ""),
         "q": request.GET.get("q", "").strip()[:50], "public": request.GET.get("public", "")}
    qs = queries.suggestions_for(request.user, unit=unit, **f)
    if export_requested(request):
        require(request.user, "export")
        rows = ([s.tracking_code, s.day, s.unit.name, s.get_channel_display(), _("匿名") if s.anonymous else s.contact_name,
                 s.contact_phone_mask, s.text, s.get_status_display(), s.reply, _("是") if s.is_public else _("否")]
                for s in qs.order_by("-day", "-id")[:50_000])
        return xlsx_response(request, _("意见箱"), _("意见箱"), [_("查询码"), _("日期"), _("妇联"), _("渠道"), _("署名"), _("电话"), _("意见"), _("状态"),
                                              _("答复"), _("公开")], rows)
    page, sort, next_url = list_page(request, qs, sorts=SORTS, default="new")
    ctx = {"section": "box", "page": page, "sort": sort, "sorts": SORTS, "next_url": next_url, "f": f,
           "first_url": first_page_url(request), "unit": unit, "statuses": Suggestion.Status.choices,
           "channels": Channel.choices, "unit_options": org_queries.unit_options_for(request.user, selected=unit),
           "export_url": export_url(request)}
    return render(request, "participation/inbox.html", ctx)


@web_view("participation.view")
def letter(request, pk):
    s = queries.get_suggestion_for(request.user, pk)
    ctx = {"s": s, "section": "box", "categories": Need.Category.choices}
    return render(request, "participation/letter.html", ctx)


@require_POST
@web_view("participation.manage")
def letter_reply(request, pk):
    s = queries.get_suggestion_for(request.user, pk, write=True)
    return act(request, lambda: services.suggestion_reply(
        actor=request.user, pk=s.pk, reply=request.POST.get("reply", ""), version=posted_version(request),
        is_public=request.POST.get("is_public") == "1"),
        back=reverse("participation:letter", args=[s.pk]), message=_("已答复，提交人可用查询码查看"))


@require_POST
@web_view("participation.manage")
def letter_public(request, pk):
    s = queries.get_suggestion_for(request.user, pk, write=True)
    show = request.POST.get("is_public") == "1"
    return act(request, lambda: services.suggestion_set_public(actor=request.user, pk=s.pk, is_public=show,
                                                               version=posted_version(request)),
               back=reverse("participation:letter", args=[s.pk]),
               message=_("已公开展示（不含联系方式）") if show else _("已取消公开"))


@require_POST
@web_view("participation.manage")
def letter_to_need(request, pk):
    s = queries.get_suggestion_for(request.user, pk, write=True)
    return act(request, lambda: services.suggestion_to_need(actor=request.user, pk=s.pk,
                                                            category=request.POST.get("category", ""),
                                                            urgency=request.POST.get("urgency", "normal")),
               back=reverse("participation:letter", args=[s.pk]),
               message=lambda need: _("已转入需求台账（查询码 {tracking_code}）").format(tracking_code=need.tracking_code))


@require_POST
@web_view("participation.manage")
def letter_reveal(request, pk):
    """The clear contact phone for the cadre who answers (an audited read)."""
    s = queries.get_suggestion_for(request.user, pk, write=True)
    phone = audit.reveal(request.user, s, "contact_phone", lambda: decrypt(s.contact_phone_enc))
    return render(request, "participation/partials/_revealed.html", {"value": phone or _("（未留电话）")})
