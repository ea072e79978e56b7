"""Bringing cadres onto the platform: accounts from an Excel file, and the first-login password change.

Thin: parse the form, call accounts.services (permission users.manage, audited), render.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from niangjia.core import excel
from niangjia.core.errors import DomainError
from niangjia.core.web import web_view

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
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_own_password(user=request.user, old_password=form.cleaned_data["old_password"],
                                              new_password=form.cleaned_data["new_password"])
        except DomainError as exc:
            for field, message in (exc.fields or {"new_password": exc.message}).items():
                form.add_error(field if field in form.fields else None, message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改"))
            return redirect("/")
    return render(request, "accounts/password_change.html", {"form": form},
                  status=400 if form.errors else 200)


def _job(request, pk) -> AccountImport:
    return get_object_or_404(AccountImport, pk=pk, created_by=request.user)


@web_view("users.manage")
def account_import(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.account_import_create(actor=request.user, filename=upload.name, content=upload.read())
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("account_import_job", pk=job.pk)
    jobs = AccountImport.objects.filter(created_by=request.user)[:20]
    return render(request, "accounts/account_import.html", {"form": form, "jobs": jobs},
                  status=400 if form.errors else 200)


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
    try:
        services.account_import_commit(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("account_import_job", pk=job.pk)


@require_POST
@web_view("users.manage")
def account_import_sheet(request, pk):
    """The printable sheet of one-time passwords: shown once, then gone."""
    job = _job(request, pk)
    sheet = services.account_import_take_sheet(actor=request.user, job=job)
    resp = render(request, "accounts/account_import_sheet.html", {"job": job, "sheet": sheet})
    resp["Cache-Control"] = "no-store"
    return resp
