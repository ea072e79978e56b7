"""Bringing cadres onto the platform: accounts from an Excel file, and the first-login password change.

Thin: parse the form, call accounts.services (permission users.manage, audited), render.
"""

from django import forms
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from niangjia.core import excel
from niangjia.core.web import act, form_status, submit, web_view

from .. import importer, services
from ..models import AccountImport


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}))


class PasswordForm(forms.Form):
    old_password = forms.CharField(label=gettext_lazy("当前密码（初始密码）"), widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "current-password"}))
    new_password = forms.CharField(label=gettext_lazy("新密码"), widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=gettext_lazy("再输入一次新密码"), widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


@web_view()
def password_change(request):
    form = PasswordForm(request.POST or None)
    done = submit(request, form, lambda d: services.user_change_own_password(
        user=request.user, old_password=d["old_password"], new_password=d["new_password"]),
        message=_("密码已修改"), success=lambda _r: _password_changed(request))
    return done or render(request, "accounts/password_change.html", {"form": form}, status=form_status(form))


def _password_changed(request):
    update_session_auth_hash(request, request.user)  # she stays logged in with the new password
    return redirect("/")


def _job(request, pk) -> AccountImport:
    return get_object_or_404(AccountImport, pk=pk, created_by=request.user)


@web_view("users.manage")
def account_import(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    done = submit(request, form, lambda d: services.account_import_create(
        actor=request.user, filename=d["file"].name, content=d["file"].read()),
        field="file", success=lambda job: redirect("account_import_job", pk=job.pk))
    if done:
        return done
    jobs = AccountImport.objects.filter(created_by=request.user)[:20]
    return render(request, "accounts/account_import.html", {"form": form, "jobs": jobs},
                  status=form_status(form))


@require_GET
@web_view("users.manage")
def account_import_template(request):
    resp = HttpResponse(importer.template_bytes(), content_type=excel.XLSX)
    resp["Content-Disposition"] = "attachment; filename=accounts-template.xlsx"
    return resp


@web_view("users.manage")
def account_import_job(request, pk):
    return render(request, "accounts/account_import_job.html", {"job": _job(request, pk), "S": AccountImport.Status})


@require_POST
@web_view("users.manage")
def account_import_confirm(request, pk):
    job = _job(request, pk)
    return act(request, lambda: services.account_import_commit(actor=request.user, job=job),
               back=reverse("account_import_job", args=[job.pk]))


@require_POST
@web_view("users.manage")
def account_import_sheet(request, pk):
    """The printable sheet of one-time passwords: shown once, then gone."""
    job = _job(request, pk)
    sheet = services.account_import_take_sheet(actor=request.user, job=job)
    resp = render(request, "accounts/account_import_sheet.html", {"job": job, "sheet": sheet})
    resp["Cache-Control"] = "no-store"
    return resp
