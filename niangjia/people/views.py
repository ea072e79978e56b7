"""People pages: thin views that parse input, fetch through scoped queries, call services and render."""

from itertools import groupby

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from niangjia.core import excel, periods
from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.pagination import keyset_page
from niangjia.core.roles import require
from niangjia.core.web import act, form_status, posted_version, submit, web_view
from niangjia.org.queries import get_federation_for

from . import importer, queries, services
from .forms import SORTS, EndPostForm, ImportUploadForm, PersonFilterForm, PersonForm, PostForm
from .models import ImportJob, Person, Post
from .tasks import run_import_job

PAGE_SIZE = 30
def _unit_or_none(user, raw):
    if raw in (None, ""):
        return None
    return get_federation_for(user, raw)


# ---------------------------------------------------------------- list, search, export


def _filtered(request, data=None):
    form = PersonFilterForm(data if data is not None else (request.GET or None))
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    unit = _unit_or_none(request.user, data.get("unit"))
    qs = queries.persons_for(request.user, unit=unit, q=data.get("q", ""), tag=data.get("tag", ""),
                             body=data.get("body", ""), active=form.active_value() if form.is_bound else True)
    order = SORTS.get(data.get("sort") or "name", SORTS["name"])[1]
    return form, unit, qs, order


def _link_params(data) -> QueryDict:
    """The filters as they go into links (pages, export, the address bar): a phone or ID number is
    replaced by its keyed hash, so no number reaches a URL, an access log or the browser history."""
    params = QueryDict(mutable=True)
    for key in ("q", "unit", "tag", "body", "active", "sort"):
        value = (data.get(key) or "").strip()
        if value:
            params[key] = queries.hashed_query(value) if key == "q" else value
    return params


@require_http_methods(["GET", "POST"])
@web_view(replica=True)
def person_list(request):
    """The search form posts (a typed phone or ID number never travels in a URL); links carry its hash."""
    require(request.user, "people.view")
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "GET":
        queries.refuse_number_in_link(data.get("q", ""))
    params = _link_params(data)
    if request.method == "POST" and not request.htmx:
        return redirect(f"{request.path}?{params.urlencode()}" if params else request.path)
    form, unit, qs, order = _filtered(request, data if data else None)
    page = keyset_page(qs, order=order, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    if form.is_bound and queries.exact_key(form.cleaned_data.get("q", "")):
        form = PersonFilterForm({**form.cleaned_data, "q": ""})  # the box never echoes the number or its hash
        form.is_valid()
    ctx = {"form": form, "page": page, "unit": unit, "params": params.urlencode(),
           "units": queries.units_to_pick(request.user, selected=unit), "first_page": not request.GET.get("cursor"),
           "exact_search": bool(queries.exact_key(data.get("q", "")))}
    if request.htmx and request.htmx.target == "results":
        resp = render(request, "people/partials/_results.html", ctx)
        if request.method == "POST":
            resp["HX-Push-Url"] = f"{request.path}?{params.urlencode()}" if params else request.path
        return resp
    return render(request, "people/list.html", ctx)


@require_GET
@web_view(replica=True)
def person_export(request):
    require(request.user, "people.view")
    require(request.user, "export")
    queries.refuse_number_in_link(request.GET.get("q", ""))
    _form, _unit, qs, order = _filtered(request)
    rows = queries.person_export_rows(qs.order_by(*order)[: queries.EXPORT_MAX_ROWS])
    return excel.xlsx_response(request, gettext("人员名单"), gettext("人员"), queries.PERSON_EXPORT_HEADERS, rows)


@require_GET
@web_view()
def unit_options(request):
    """<option>s for a unit picker: search by name, code or pinyin initials among units in reach."""
    q = request.GET.get("unit_q", "").strip()
    units = queries.search_units(request.user, q) if q else queries.units_to_pick(request.user)
    return render(request, "people/partials/_unit_options.html",
                  {"units": units, "blank": request.GET.get("blank", ""), "searched": bool(q)})


# ---------------------------------------------------------------- one person


@require_GET
@web_view()
def person_detail(request, pk):
    person = queries.get_person_for(request.user, pk)
    posts = queries.posts_for(request.user, person=person, active=None).order_by("-is_active", "-start_date", "-id")
    ctx = {"person": person, "posts": posts, "today": periods.today(),
           "duplicates": queries.possible_duplicates(request.user, person) if person.is_active else [],
           "sensitive": [("birth_date", gettext("出生日期"), gettext("{birth_year} 年").format(birth_year=person.birth_year) if person.birth_year else ""),
                         ("phone", gettext("电话"), person.phone_mask), ("id_number", gettext("身份证号"), person.id_number_mask),
                         ("address", gettext("地址"), person.address_mask)]}
    return render(request, "people/detail.html", ctx)


@require_POST
@web_view()
def person_reveal(request, pk, field):
    person = queries.get_person_for(request.user, pk)
    if field not in services.REVEALABLE:
        raise NotFound()
    value = services.person_reveal(actor=request.user, person=person, field=field)
    if field == "phone" and value:
        value = _national(value)
    return render(request, "people/partials/_revealed.html", {"value": value, "field": field})


def _person_form_response(request, form, person, status=200):
    unit = person.unit if person else _unit_or_none(request.user, form.data.get("unit") if form.is_bound else None)
    ctx = {"form": form, "person": person, "units": queries.units_to_pick(request.user, selected=unit),
           "selected_unit": unit.pk if unit else None,
           "birth_help": (gettext("当前：{birth_year} 年（加密保存）；留空表示不修改").format(birth_year=person.birth_year) if person and person.birth_year
                          else gettext("加密保存；留空表示不修改"))}
    return render(request, "people/form.html", ctx, status=status)


@web_view()
def person_create(request):
    require(request.user, "people.edit")
    form = PersonForm(request.POST or None, initial={"gender": Person.Gender.FEMALE})

    def create(d):
        unit = _unit_or_none(request.user, d["unit"])
        if unit is None:
            raise ValidationFailed(gettext("请选择所属组织"), fields={"unit": gettext("请选择所属组织")})
        return services.person_create(actor=request.user, unit=unit, **form.person_values(), **form.sensitive_given())

    done = submit(request, form, create, message=lambda person: gettext("已新增人员：{name}").format(name=person.name),
                  success=lambda person: redirect("people:detail", pk=person.pk))
    return done or _person_form_response(request, form, None, status=form_status(form))


@web_view()
def person_edit(request, pk):
    person = queries.get_person_for(request.user, pk, write=True)
    initial = {f: getattr(person, f) for f in PersonForm.PERSON_FIELDS}
    form = PersonForm(request.POST or None, initial={**initial, "version": person.version, "unit": person.unit_id})

    def save(d):
        changes = {k: v for k, v in form.person_values().items() if v != getattr(person, k)}
        services.person_update(actor=request.user, person=person, version=d["version"], **changes,
                               **form.sensitive_given())
        unit = _unit_or_none(request.user, d["unit"])
        if unit is not None and unit.pk != person.unit_id:
            services.person_move(actor=request.user, person=person, unit=unit, version=person.version)

    done = submit(request, form, save, message=gettext("已保存"), success=lambda _: redirect("people:detail", pk=person.pk))
    return done or _person_form_response(request, form, person, status=form_status(form))


@require_POST
@web_view()
def person_set_active(request, pk):
    person = queries.get_person_for(request.user, pk, write=True)
    active = request.POST.get("active") == "1"
    return act(request, lambda: services.person_set_active(actor=request.user, person=person, active=active,
                                                           version=posted_version(request)),
               back=reverse("people:detail", args=[person.pk]), message=gettext("已恢复") if active else gettext("已停用"))


def _national(phone: str) -> str:
    """+8613800138000 → 138 0013 8000, +861012345678 → 010 1234 5678 (how people read them)."""
    # phonenumbers: optional and heavy, loaded only when this runs
    import phonenumbers

    try:
        return phonenumbers.format_number(phonenumbers.parse(phone, "CN"), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return phone


# ---------------------------------------------------------------- posts


@web_view()
def post_create(request, pk):
    person = queries.get_person_for(request.user, pk, write=True)
    form = PostForm(request.POST or None, initial={"unit": person.unit_id})

    def create(data):
        unit = _unit_or_none(request.user, data["unit"])
        if unit is None:
            raise ValidationFailed(gettext("请选择任职组织"), fields={"unit": gettext("请选择任职组织")})
        return services.post_create(actor=request.user, person=person, unit=unit, body=data["body"],
                                    title=data["title"], tenure=data["tenure"], start_date=data["start_date"])

    done = submit(request, form, create, message=gettext("已新增职务"), success=lambda _: redirect("people:detail", pk=person.pk))
    if done:
        return done
    selected = _unit_or_none(request.user, form.data.get("unit")) if form.is_bound else person.unit
    ctx = {"form": form, "person": person, "units": queries.units_to_pick(request.user, selected=selected),
           "selected_unit": selected.pk if selected else None}
    return render(request, "people/post_form.html", ctx, status=form_status(form))


@require_POST
@web_view()
def post_end(request, pk):
    post = queries.get_post_for(request.user, pk, write=True)
    form = EndPostForm(request.POST)
    back = reverse("people:detail", args=[post.person_id])
    if not form.is_valid():
        messages.error(request, form.errors["version"][0] if "version" in form.errors else gettext("请填写有效的任职结束日期"))
        return redirect(back)
    return act(request, lambda: services.post_end(actor=request.user, post=post, end_date=form.cleaned_data["end_date"],
                                                  version=form.cleaned_data["version"]),
               back=back, message=gettext("已结束职务：{title}").format(title=post.title))


# ---------------------------------------------------------------- duplicates and merge


@require_GET
@web_view()
def duplicates(request):
    require(request.user, "people.view")
    groups = queries.duplicate_groups(request.user)
    return render(request, "people/duplicates.html", {"groups": groups})


@web_view()
def merge(request):
    require(request.user, "people.merge")
    a = queries.get_person_for(request.user, request.GET.get("a") or request.POST.get("a"))
    b = queries.get_person_for(request.user, request.GET.get("b") or request.POST.get("b"))
    if request.method == "POST":
        keep_id = request.POST.get("keep")
        if keep_id not in (str(a.pk), str(b.pk)):
            raise ValidationFailed(gettext("请选择要保留的记录"), fields={"keep": gettext("请选择要保留的记录")})
        keep, drop = (a, b) if keep_id == str(a.pk) else (b, a)
        services.person_merge(actor=request.user, keep=keep, drop=drop)
        messages.success(request, gettext("已合并：{name}（#{pk}）并入 #{pk2}").format(name=drop.name, pk=drop.pk, pk2=keep.pk))
        return redirect("people:detail", pk=keep.pk)
    pair = []
    for p in (a, b):
        pair.append({"person": p, "posts": list(queries.posts_for(request.user, person=p, active=None))})
    return render(request, "people/merge.html", {"pair": pair, "a": a, "b": b})


# ---------------------------------------------------------------- Excel import


@web_view()
def import_home(request):
    require(request.user, "people.import")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(actor=request.user, filename=upload.name, source=upload)
        except ValidationFailed as exc:
            form.add_error("file", exc.message)
        else:
            _enqueue(job, request.user)
            return redirect("people:import_job", pk=job.pk)
    return render(request, "people/import.html", {"form": form, "jobs": queries.import_jobs_for(request.user)},
                  status=400 if form.errors else 200)


def _enqueue(job, user, *, commit: bool = False) -> None:
    """The check (and the commit) run as a task: in the worker in production, at once without one."""
    run_import_job.enqueue(job.pk, user.pk, commit=commit)


@require_GET
@web_view()
def import_template(request):
    require(request.user, "people.import")
    resp = HttpResponse(importer.template_bytes(request.user), content_type=excel.XLSX)
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BA%BA%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    return resp


def _job_ctx(job) -> dict:

    S = ImportJob.Status
    running = job.status in (S.VALIDATING, S.COMMITTING)
    return {"job": job, "preview": job.state.get("preview", []) if job.status == S.VALID else [],
            "errors": job.errors[:500], "more_errors": max(0, len(job.errors) - 500), "S": S,
            "stalled": running and job.updated_at < periods.now() - services.STALE_COMMIT}


@require_GET
@web_view()
def import_job(request, pk):
    """The job page; while the task runs, its progress partial polls this page (htmx) for the task's progress."""
    job = queries.get_import_job_for(request.user, pk)
    if request.htmx:
        return render(request, "people/partials/_import_progress.html", _job_ctx(job))
    return render(request, "people/import_job.html", _job_ctx(job))


@require_POST
@web_view()
def import_step(request, pk):
    """Start again a task whose worker went silent (no progress for STALE_COMMIT): the check from the start, or
    the commit (which wrote nothing: its transaction died with it)."""
    job = queries.get_import_job_for(request.user, pk)
    if _job_ctx(job)["stalled"]:
        if job.status == ImportJob.Status.VALIDATING:
            _enqueue(job, request.user)
        else:
            _enqueue(job, request.user, commit=True)
    return redirect("people:import_job", pk=job.pk)


@require_POST
@web_view()
def import_commit(request, pk):
    job = queries.get_import_job_for(request.user, pk)
    if job.status != ImportJob.Status.VALID:
        messages.error(request, services.MSG_IMPORT_NOT_READY)
        return redirect("people:import_job", pk=job.pk)
    # A file of 100,000 rows takes a while to write: the worker commits it (at once without one); the job page
    # shows its progress, then the outcome.
    _enqueue(job, request.user, commit=True)
    return redirect("people:import_job", pk=job.pk)


@require_POST
@web_view()
def import_discard(request, pk):
    job = queries.get_import_job_for(request.user, pk)
    services.import_job_discard(actor=request.user, job=job)
    messages.info(request, gettext("已放弃该导入任务"))
    return redirect("people:import")


@require_GET
@web_view()
def import_errors(request, pk):
    job = queries.get_import_job_for(request.user, pk)
    rows = ([e["row"], e["column"], e["message"]] for e in job.errors)
    return excel.xlsx_response(request, gettext("导入错误报告-{pk}").format(pk=job.pk), gettext("错误"), [gettext("行号"), gettext("列"), gettext("问题")], rows)


def federation_people(user, fed) -> dict:
    """The federation page's people (org/federation.html, through core.extensions.unit_context): her
    posts grouped by body, leadership first as the bodies are declared, and the composition report."""
    posts = queries.posts_for(user, unit=fed).order_by("body", "id")[:500]
    order = [code for code, _ in Post.Body.choices]
    grouped = {body: list(rows) for body, rows in groupby(posts, key=lambda p: p.body)}
    people_by_body = [(label, grouped[code]) for code, label in Post.Body.choices if code in grouped]
    people_by_body += [(code, rows) for code, rows in grouped.items() if code not in order]
    return {"report": queries.composition_report(fed), "people_by_body": people_by_body}
