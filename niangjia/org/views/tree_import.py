"""组织体系导入: a system administrator uploads division-code files, reads the dry run, confirms.

Thin: check that the user is a system administrator, call org.tree_import through the background
tasks (immediate in tests and without a worker), render the job.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core.errors import Forbidden
from niangjia.core.web import form_status, submit, web_view

from .. import tasks, tree_import
from ..models import TreeImport

HEADS = {"new": (gettext_lazy("代码"), gettext_lazy("名称（公布）"), gettext_lazy("上级代码")), "renamed": (gettext_lazy("代码"), gettext_lazy("原名称"), gettext_lazy("新名称")),
         "moved": (gettext_lazy("代码"), gettext_lazy("原上级代码"), gettext_lazy("新上级代码")), "retired": (gettext_lazy("代码"), gettext_lazy("名称")), "restored": (gettext_lazy("代码"), gettext_lazy("名称"))}
KINDS = (("new", gettext_lazy("新增")), ("renamed", gettext_lazy("更名")), ("moved", gettext_lazy("调整隶属")), ("retired", gettext_lazy("撤销（停用）")), ("restored", gettext_lazy("恢复")))


class TreeUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("区划代码文件（.zip，或“代码、名称、上级代码”的 .csv / .xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".zip,.csv,.xlsx", "class": "form-control"}))


def _admin_only(request) -> None:
    if not request.user.is_superuser:
        raise Forbidden(tree_import.MSG_SUPERUSER)


def _job(request, pk) -> TreeImport:
    _admin_only(request)
    return get_object_or_404(TreeImport.objects.select_related("root", "created_by"), pk=pk)


@web_view()
def tree_import_home(request):
    _admin_only(request)
    form = TreeUploadForm(request.POST or None, request.FILES or None)
    done = submit(request, form, lambda d: tree_import.tree_import_upload(
        actor=request.user, filename=d["file"].name, chunks=d["file"].chunks()),
        field="file", success=lambda job: _checking(request, job))
    if done:
        return done
    jobs = TreeImport.objects.select_related("created_by")[:20]
    return render(request, "org/tree_import.html", {"form": form, "jobs": jobs, "root": tree_import.national_root()},
                  status=form_status(form))


def _checking(request, job: TreeImport):
    tasks.check_tree_import.enqueue(job.pk, request.user.pk)
    return redirect("org:tree_import_job", pk=job.pk)


def _ctx(job: TreeImport) -> dict:
    report = job.report or {}
    counts = report.get("counts", {})
    sections = [{"key": k, "label": label, "count": counts.get(k, 0), "rows": report.get(k, []),
                 "heads": HEADS[k]} for k, label in KINDS]
    return {"job": job, "S": TreeImport.Status, "counts": counts, "sections": sections, "kinds": KINDS,
            "outcome": [(label, job.counts.get(k, 0)) for k, label in KINDS] if job.counts else []}


@web_view()
def tree_import_job(request, pk):
    job = _job(request, pk)
    template = "org/partials/_tree_import_status.html" if request.htmx else "org/tree_import_job.html"
    return render(request, template, _ctx(job))


@require_POST
@web_view()
def tree_import_confirm(request, pk):
    job = _job(request, pk)
    tree_import.tree_import_confirm(actor=request.user, job=job)
    tasks.run_tree_import.enqueue(job.pk, request.user.pk)
    return redirect("org:tree_import_job", pk=job.pk)


@require_POST
@web_view()
def tree_import_discard(request, pk):
    job = _job(request, pk)
    tree_import.tree_import_discard(actor=request.user, job=job)
    messages.info(request, _("已放弃这次导入，未写入任何数据"))
    return redirect("org:tree_import")
