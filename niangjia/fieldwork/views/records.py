"""Pages of the written evidence of field work: diaries (with needs), research reports, proposals.

Lists filter by unit, person, dates and status (niangjia.fieldwork.listing); a detail page is
open to everyone who may see the record, its edit form to those who may change it.
"""


from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from niangjia.core.access import reach_of
from niangjia.core.errors import NotFound
from niangjia.core.excel import xlsx_response
from niangjia.core.files import upload_response
from niangjia.core.roles import has_perm, require
from niangjia.core.web import (
    EXPORT_MAX_ROWS,
    act,
    export_requested,
    export_url,
    first_page_url,
    form_status,
    list_page,
    once,
    posted_version,
    submit,
    web_view,
)
from niangjia.needs.queries import needs_of_sources

from .. import exports, forms, queries, services
from ..listing import list_filter
from ..models import Proposal

DATE_SORTS = {"new": (gettext_lazy("日期（近到远）"), ("-date", "-id")), "old": (gettext_lazy("日期（远到近）"), ("date", "id"))}


def require_any(user) -> None:
    """Lists need fieldwork.view (everyone in reach) or fieldwork.record (her own)."""
    if not has_perm(user, "fieldwork.view"):
        require(user, "fieldwork.record")


def may_edit(user, obj) -> bool:
    """Her own record (fieldwork.record), or a manager's for someone in her reach."""
    if getattr(user, "person_id", None) and user.person_id == obj.person_id:
        return has_perm(user, "fieldwork.record")
    return has_perm(user, "fieldwork.manage") and reach_of(user).covers_obj(obj.person)




def _list(request, *, qs, template, sheet, headers, row, extra=None, status=200):
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, sheet, sheet, headers, (row(o) for o in qs.order_by("-date", "-id")[:EXPORT_MAX_ROWS]))
    page, sort, next_url = list_page(request, qs, sorts=DATE_SORTS, default="new")
    ctx = {"page": page, "sort": sort, "sorts": DATE_SORTS, "next_url": next_url, "first_url": first_page_url(request),
           "export_url": export_url(request), **(extra or {})}
    return render(request, template, ctx, status=status)


def _saved_text(obj) -> str:
    ev = getattr(obj, "duty_evidence", None)
    return _("已保存“{title}”").format(title=obj.title) + (_("，并记入履职清单“{title}”").format(title=ev.item.title) if ev is not None else "")


def record_for(request, get_for, pk: int):
    """The record if the user may see it (404 otherwise), and whether she may change it."""
    require_any(request.user)
    obj = get_for(request.user, pk)
    return obj, may_edit(request.user, obj)


def _filed(request, form, file):
    """On a valid POST, `file(cleaned_data)` the new record and come back to the list; a refusal goes on the form."""
    return submit(request, form, file, message=_saved_text, success=request.path)


def _edited(request, form, save):
    """On a valid form, `save(cleaned_data)` and show the page again; a refusal goes on the form (403 and 404
    stand)."""
    return submit(request, form, save, message=_("已保存"), success=request.path)


def _offer_duty(form, request) -> None:
    """The 记入履职清单 box only for members who keep a checklist."""
    if not has_perm(request.user, "duties.record"):
        form.fields.pop("record_duty", None)


# ---------------------------------------------------------------- diaries


@web_view()
def diaries(request):
    require_any(request.user)
    f = list_filter(request)
    qs = f.select(queries.diaries_for(request.user, **f.query_args()))
    return _list(request, qs=qs, template="fieldwork/diaries.html", sheet=_("妇情日记"),
                 headers=exports.DIARY_HEADERS, row=exports.diary_row,
                 extra={"f": f, "unit": f.unit})


@web_view("fieldwork.record")
def diary_new(request):
    person = queries.my_person(request.user)
    form = forms.DiaryForm(request.POST or None, actor=request.user)
    need_rows = forms.needs_from_post(request.POST) if request.method == "POST" else []
    done = submit(request, form, lambda d: once(request, "fieldwork.diary", lambda: services.diary_write(
        actor=request.user, person=person, place=d["place_obj"], date=d["date"], title=d["title"],
        text=d["text"], women_met=d["women_met"], needs=need_rows)),
        message=_("已保存日记，登记需求 {n} 条").format(n=len(need_rows)),
        success=lambda diary: redirect("fieldwork:diary", pk=diary.pk))
    return done or render(request, "fieldwork/diary_form.html", {
        "form": form, "person": person, **_need_ctx(need_rows)}, status=form_status(form))


def _need_ctx(need_rows: list[dict]) -> dict:
    rows = need_rows + [{}] * max(0, forms.NEED_ROWS - len(need_rows))
    return {"need_rows": [(i, r) for i, r in enumerate(rows, start=1)], "categories": forms.NEED_CATEGORIES,
            "urgencies": forms.NEED_URGENCIES}


@web_view()
def diary_detail(request, pk: int):
    """A diary for everyone who may see it; its owner (or a manager) corrects it and adds needs."""
    diary, editable = record_for(request, queries.get_diary_for, pk)
    form = forms.DiaryForm(request.POST if request.POST.get("action") == "save" else None, actor=request.user,
                           selected=diary.place, initial={"place": diary.place_id, "date": diary.date,
                                                          "title": diary.title, "text": diary.text,
                                                          "women_met": diary.women_met, "version": diary.version})
    need_rows = forms.needs_from_post(request.POST) if request.POST.get("action") == "needs" else []
    status = 200
    if request.method == "POST":
        if not editable:
            raise NotFound()
        if request.POST.get("action") == "needs":  # the need rows are not a form: a refusal is a message over them
            return act(request, lambda: services.diary_add_needs(actor=request.user, diary=diary, needs=need_rows),
                       back=reverse("fieldwork:diary", args=[diary.pk]),
                       message=lambda made: _("已登记需求 {n} 条").format(n=len(made)),
                       refused=lambda exc: _diary_page(request, diary, editable, form, need_rows, exc.status))
        if done := submit(request, form, lambda d: services.diary_update(
                actor=request.user, diary=diary, version=d["version"], place=d["place_obj"], date=d["date"],
                title=d["title"], text=d["text"], women_met=d["women_met"]),
                message=_("已保存"), success=lambda _: redirect("fieldwork:diary", pk=diary.pk)):
            return done
        status = form_status(form) if form.is_bound else 400
    return _diary_page(request, diary, editable, form, need_rows, status)


def _diary_page(request, diary, editable, form, need_rows, status):
    needs = needs_of_sources("fieldwork.diary", [diary.pk]).get(diary.pk, [])
    return render(request, "fieldwork/diary.html", {"diary": diary, "needs": needs, "editable": editable,
                                                    "form": form, **_need_ctx(need_rows)}, status=status)


# ---------------------------------------------------------------- research reports


@web_view()
def reports(request):
    require_any(request.user)
    person = queries.my_person(request.user)
    form = forms.ReportForm(request.POST or None, request.FILES or None)
    _offer_duty(form, request)
    if done := _filed(request, form, lambda d: services.report_file(
            actor=request.user, person=person, date=d["date"], title=d["title"], topic=d["topic"],
            summary=d["summary"], file=d.get("file"), record_duty=d.get("record_duty", False))):
        return done
    f = list_filter(request)
    qs = f.select(queries.reports_for(request.user, **f.query_args()))
    return _list(request, qs=qs, template="fieldwork/reports.html", sheet=_("调研报告"),
                 headers=[_("日期"), pgettext("column", "人员"), _("标题"), _("调研问题"), _("摘要"), _("附件")],
                 row=lambda r: [r.date, r.person.name, r.title, r.topic, r.summary, _("有") if r.file else ""],
                 extra={"f": f, "unit": f.unit, "form": form, "person": person},
                 status=form_status(form))


@web_view()
def report_detail(request, pk: int):
    report, editable = record_for(request, queries.get_report_for, pk)
    form = forms.ReportEditForm(request.POST or None, request.FILES or None, initial={
        "date": report.date, "title": report.title, "topic": report.topic, "summary": report.summary,
        "version": report.version})

    def save(d):
        services.report_update(actor=request.user, report=report, version=d["version"], date=d["date"],
                               title=d["title"], topic=d["topic"], summary=d["summary"] or "")
        if d.get("file"):
            services.report_attach(actor=request.user, report=report, file=d["file"])

    if request.method == "POST":
        if not editable:
            raise NotFound()
        if done := _edited(request, form, save):
            return done
    return render(request, "fieldwork/report.html", {"report": report, "editable": editable, "form": form},
                  status=form_status(form))


@web_view()
def report_file(request, pk: int):
    """The attachment of a report, for those who may see the report (scoped like duties:file)."""
    require_any(request.user)
    return file_response(queries.get_report_for(request.user, pk))


def file_response(report):
    """The report's file as a download (images and pdf inline), never sniffed as html."""
    if not report.file:
        raise NotFound(_("这份调研报告没有附件"))
    return upload_response(report.file)


# ---------------------------------------------------------------- proposals


def _set_status(request, proposal, back: str):
    return act(request, lambda: services.proposal_set_status(
        actor=request.user, proposal=proposal, status=request.POST.get("status", ""), version=posted_version(request)),
        back=back, message=lambda _obj: _("“{title}”状态已改为{status}").format(title=proposal.title, status=proposal.get_status_display()))


@web_view()
def proposals(request):
    require_any(request.user)
    if request.method == "POST" and request.POST.get("proposal"):
        return _set_status(request, queries.get_proposal_for(request.user, request.POST["proposal"]),
                           request.get_full_path())
    person = queries.my_person(request.user)
    form = forms.ProposalForm(request.POST or None)
    _offer_duty(form, request)
    if done := _filed(request, form, lambda d: services.proposal_file(
            actor=request.user, person=person, date=d["date"], title=d["title"], text=d["text"],
            addressed_to=d["addressed_to"], record_duty=d.get("record_duty", False))):
        return done
    f = list_filter(request, statuses=Proposal.Status.choices)
    qs = f.select(queries.proposals_for(request.user, status=f.status, **f.query_args()))
    return _list(request, qs=qs, template="fieldwork/proposals.html", sheet=_("建议案"),
                 headers=[_("日期"), pgettext("column", "人员"), _("标题"), _("提交对象"), _("状态"), _("内容")],
                 row=lambda p: [p.date, p.person.name, p.title, p.addressed_to, p.get_status_display(), p.text],
                 extra={"f": f, "unit": f.unit, "form": form, "person": person,
                        "statuses": Proposal.Status.choices, "status_form": forms.ProposalStatusForm},
                 status=form_status(form))


@web_view()
def proposal_detail(request, pk: int):
    proposal, editable = record_for(request, queries.get_proposal_for, pk)
    action = request.POST.get("action")
    form = forms.ProposalEditForm(request.POST if action == "save" else None, initial={
        "date": proposal.date, "title": proposal.title, "addressed_to": proposal.addressed_to, "text": proposal.text,
        "version": proposal.version})
    if request.method == "POST":
        if not editable:
            raise NotFound()
        if action == "status":
            return _set_status(request, proposal, reverse("fieldwork:proposal", args=[proposal.pk]))
        if done := _edited(request, form, lambda d: services.proposal_update(
                actor=request.user, proposal=proposal, version=d["version"], date=d["date"], title=d["title"],
                text=d["text"], addressed_to=d["addressed_to"])):
            return done
    return render(request, "fieldwork/proposal.html", {
        "proposal": proposal, "editable": editable, "form": form, "statuses": Proposal.Status.choices},
        status=form_status(form))
