"""Excel import: the template, per-row report before any write, chunked progress, all-or-nothing commit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import load_workbook

from niangjia.core.models import AuditEntry
from niangjia.people import importer, services
from niangjia.people.models import ImportJob, Person, Post


def upload(client, content: bytes, name="人员.xlsx"):
    return client.post("/people/import/", {"file": SimpleUploadedFile(name, content)})


def validate(client, job_id: int):
    """The job once its check ran (the task runs at once in tests) and its page answers."""
    job = ImportJob.objects.get(pk=job_id)
    assert job.status != ImportJob.Status.VALIDATING
    assert client.get(f"/people/import/{job_id}/", HTTP_HX_REQUEST="true").status_code == 200
    return job


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    """Uploads and checked rows go to a directory of their own, to see what is left on disk."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_left(media) -> list:
    return sorted(p.name for p in (media / services.IMPORT_DIR).glob("*")) if (media / services.IMPORT_DIR).exists() else []


def counts():
    return (Person.objects.count(), Post.objects.count(),
            AuditEntry.objects.filter(target_type__in=["people.person", "people.post"]).count())


def good_rows(tree, id_for):
    return [
        {"姓名": "陈静", "性别": "女", "身份证号": id_for("11010519850315002"), "电话": "13800001234",
         "地址": "东村1组", "工作单位": "东村合作社", "标签": "农村妇女、困难妇女", "基层一线": "是",
         "所属组织代码": tree.east_village.code, "机构": "执委会", "职务": "执委", "任职方式": "兼职",
         "任职开始": "2024-01-15"},
        {"姓名": "刘芳", "身份证号": id_for("81000019900101002").lower(), "电话": "010-12345678",
         "所属组织代码": tree.east_town.code},
        {"姓名": "黄丽", "身份证号": id_for("82000019920202002"), "电话": "0571-87654321",
         "所属组织代码": tree.east.code, "机构": "代表大会代表", "职务": "代表"},
        {"姓名": "周敏", "身份证号": id_for("83000019930303002"), "所属组织代码": tree.east_village2.code},
    ]


def test_template_downloads_with_chinese_header_examples_and_instructions(client, tree, personas):
    client.force_login(personas.east)
    resp = client.get("/people/import/template.xlsx")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(resp.content))
    header = [c.value for c in wb["人员"][1]]
    assert header == ["姓名", "性别", "身份证号", "电话", "地址", "工作单位", "标签", "基层一线", "所属组织代码",
                      "机构", "职务", "任职方式", "任职开始"]
    assert wb["人员"].max_row >= 3 and "填写说明" in wb.sheetnames
    notes = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "执委会" in notes and "专职" in notes and "困难妇女" in notes
    codes = [r[0] for r in wb["组织代码"].iter_rows(min_row=2, values_only=True)]
    assert tree.east_village.code in codes and tree.west_village.code not in codes


def test_the_template_itself_validates_cleanly(client, tree, personas):
    # given the downloaded template, examples and all, with the examples' marks taken off
    client.force_login(personas.east)
    wb = load_workbook(io.BytesIO(client.get("/people/import/template.xlsx").content))
    for cell in (wb["人员"]["A2"], wb["人员"]["A3"]):
        cell.value = cell.value.removesuffix(importer.EXAMPLE_NAME_MARK)
    buf = io.BytesIO()
    wb.save(buf)
    # when uploaded
    job = validate(client, ImportJob.objects.get(pk=_job_id(upload(client, buf.getvalue()))).pk)
    # then
    assert job.status == ImportJob.Status.VALID, job.errors


def _job_id(resp) -> int:
    assert resp.status_code == 302, resp.content.decode()[:500]
    return int(resp["Location"].rstrip("/").split("/")[-1])


def test_good_file_imports_persons_and_posts_with_audit(client, tree, personas, make_xlsx, id_for, media):
    # given
    client.force_login(personas.east)
    before = counts()
    # when uploaded and validated
    job = validate(client, _job_id(upload(client, make_xlsx(good_rows(tree, id_for)))))
    # then nothing is written yet
    assert job.status == ImportJob.Status.VALID and job.errors == [] and job.rows_total == 4
    assert counts() == before
    page = client.get(f"/people/import/{job.pk}/").content.decode()
    assert "全部通过校验" in page and "确认导入 4 行" in page
    # when committed
    resp = client.post(f"/people/import/{job.pk}/commit/")
    # then
    job.refresh_from_db()
    assert resp.status_code == 302 and job.status == ImportJob.Status.COMMITTED
    assert (job.persons_created, job.posts_created) == (4, 2)
    assert counts() == (before[0] + 4, before[1] + 2, before[2] + 6)
    chen = Person.objects.get(name="陈静")
    assert chen.tags == ["rural", "poor"] and chen.grassroots_frontline and chen.unit == tree.east_village
    assert Post.objects.get(person=chen).body == "executive"
    liu = Person.objects.get(name="刘芳")
    assert liu.id_number_mask == "810000************"
    assert job.upload_file == job.checked_file == ""  # nothing of the file is kept after the commit
    assert AuditEntry.objects.filter(action="people.import_commit", target_id=str(job.pk)).exists()
    assert files_left(media) == []


def test_bad_file_writes_nothing_and_reports_each_bad_row(client, tree, personas, make_xlsx, id_for):
    # given a file with one good row and six bad ones
    good = id_for("11010519850315002")
    rows = [
        {"姓名": "好人", "身份证号": good, "所属组织代码": tree.east_village.code},
        {"姓名": "校验错", "身份证号": good[:-1] + ("1" if good[-1] != "1" else "2"), "所属组织代码": tree.east_village.code},
        {"姓名": "电话错", "电话": "12345", "所属组织代码": tree.east_village.code},
        {"姓名": "", "所属组织代码": tree.east_village.code},
        {"姓名": "没这个组织", "所属组织代码": "999999999999"},
        {"姓名": "范围外", "所属组织代码": tree.west_village.code},
        {"姓名": "重复证号", "身份证号": good.lower(), "所属组织代码": tree.east_village.code},
        {"姓名": "机构错", "所属组织代码": tree.east_village.code, "机构": "理事会", "职务": "理事", "任职方式": "临时"},
    ]
    client.force_login(personas.east)
    before = counts()
    # when uploaded and validated
    job = validate(client, _job_id(upload(client, make_xlsx(rows))))
    # then every bad row is reported with its row number and column
    report = {(e["row"], e["column"]) for e in job.errors}
    assert job.status == ImportJob.Status.INVALID
    assert {(3, "身份证号"), (4, "电话"), (5, "姓名"), (6, "所属组织代码"), (7, "所属组织代码"),
            (8, "身份证号"), (9, "机构"), (9, "任职方式")} <= report
    assert not any(e["row"] == 2 for e in job.errors)
    messages = {(e["row"]): e["message"] for e in job.errors}
    assert messages[3] == "身份证号校验位不正确" and "第 2 行" in messages[8]
    page = client.get(f"/people/import/{job.pk}/").content.decode()
    assert "没有写入任何数据" in page and "第 7 行" in page and "组织代码不存在或不在您的管辖范围内" in page
    # and the commit is refused; nothing at all was written
    resp = client.post(f"/people/import/{job.pk}/commit/")
    assert resp.status_code == 302
    assert counts() == before
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.INVALID


def test_error_report_downloads_as_excel(client, tree, personas, make_xlsx):
    client.force_login(personas.east)
    job = validate(client, _job_id(upload(client, make_xlsx([{"姓名": "", "所属组织代码": "x"}]))))
    ws = load_workbook(io.BytesIO(client.get(f"/people/import/{job.pk}/errors.xlsx").content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "问题") and (2, "姓名", "必填") in rows


def test_a_failure_during_commit_writes_nothing(client, tree, personas, make_xlsx, id_for, monkeypatch):
    # given a clean job
    client.force_login(personas.east)
    job = validate(client, _job_id(upload(client, make_xlsx(good_rows(tree, id_for)))))
    before = counts()
    # when the audit trail fails once the persons and posts are inserted
    from niangjia.core import audit

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit.BulkRecorder, "flush", broken)
    with pytest.raises(RuntimeError):
        services.import_job_commit(actor=personas.east, job=job)
    # then nothing was written and the job can still be committed later
    assert counts() == before
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.VALID
    monkeypatch.undo()
    services.import_job_commit(actor=personas.east, job=ImportJob.objects.get(pk=job.pk))
    assert counts()[:2] == (before[0] + 4, before[1] + 2)


def test_progress_is_saved_every_chunk_and_the_page_polls_it(client, tree, personas, make_xlsx, monkeypatch):
    # given small chunks and 7 rows, uploaded but not yet checked
    monkeypatch.setattr(importer, "CHUNK_ROWS", 3)
    rows = [{"姓名": f"测试{i}", "所属组织代码": tree.east_village.code} for i in range(7)]
    job = services.import_job_create(actor=personas.east, filename="p.xlsx", content=make_xlsx(rows))
    client.force_login(personas.east)
    page = client.get(f"/people/import/{job.pk}/").content.decode()
    assert "已读 0 行，共约 7 行" in page and 'hx-trigger="every 1s"' in page
    # when the task checks it, the page is looked at after each chunk
    seen = []

    def look(done, total):
        seen.append((done, total, client.get(f"/people/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()))

    services.import_job_run(actor=personas.east, job=job, progress=look)
    # then each chunk's progress was on the page while the check ran, and the finished page stops polling
    assert [(d, t) for d, t, _ in seen] == [(3, 7), (6, 7), (7, 7)]
    assert "已读 3 行，共约 7 行" in seen[0][2] and "42%" in seen[0][2] and 'hx-trigger="every 1s"' in seen[0][2]
    last = client.get(f"/people/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "全部通过校验" in last and "hx-trigger" not in last


@pytest.mark.django_db(transaction=True)  # the commit's progress is written beside its transaction, as in use
def test_the_commit_shows_its_progress_on_the_page_while_it_writes(client, tree, personas, make_xlsx, monkeypatch):
    # given a checked file of 7 rows, written in batches of 3
    monkeypatch.setattr(services, "WRITE_BATCH", 3)
    rows = [{"姓名": f"测试{i}", "所属组织代码": tree.east_village.code} for i in range(7)]
    job = services.import_job_create(actor=personas.east, filename="p.xlsx", content=make_xlsx(rows))
    services.import_job_run(actor=personas.east, job=job)
    client.force_login(personas.east)
    seen = []

    def look(written, total):
        seen.append((written, total, client.get(f"/people/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()))

    # when it is committed and the page is looked at after each batch
    services.import_job_commit(actor=personas.east, job=job, progress=look)
    # then every batch's page said that the import runs and kept polling; on PostgreSQL it showed the rows written
    # so far (SQLite takes one writer at a time: there the page says only that the import runs)
    assert [(w, t) for w, t, _ in seen] == [(3, 7), (6, 7), (7, 7)]
    assert all("正在导入" in page and 'hx-trigger="every 1s"' in page for *_, page in seen)
    if connection.vendor == "postgresql":
        assert "已写入 3 / 7 行" in seen[0][2] and "42%" in seen[0][2]
        assert "已写入 6 / 7 行" in seen[1][2] and "85%" in seen[1][2]
    last = client.get(f"/people/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in last and Person.objects.filter(name__startswith="测试").count() == 7


def test_duplicate_id_is_found_across_chunks(client, tree, personas, make_xlsx, id_for, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    same = id_for("11010519850315002")
    rows = [{"姓名": "甲", "身份证号": same, "所属组织代码": tree.east_village.code},
            {"姓名": "乙", "所属组织代码": tree.east_village.code},
            {"姓名": "丙", "所属组织代码": tree.east_village.code},
            {"姓名": "丁", "身份证号": same, "所属组织代码": tree.east_village.code}]
    client.force_login(personas.east)
    job = validate(client, _job_id(upload(client, make_xlsx(rows))))
    assert job.errors == [{"row": 5, "column": "身份证号", "message": "与第 2 行的身份证号重复"}]


def test_not_an_excel_file_or_wrong_header_is_refused_at_upload(client, personas, make_xlsx):
    client.force_login(personas.east)
    resp = upload(client, b"not a zip", name="x.xlsx")
    assert resp.status_code == 400 and "不是有效的 Excel" in resp.content.decode()
    resp = upload(client, make_xlsx([["张三"]], header=["名字"]))
    assert resp.status_code == 400 and "缺少列：姓名、所属组织代码" in resp.content.decode()
    resp = upload(client, make_xlsx([]))
    assert resp.status_code == 400 and "没有数据行" in resp.content.decode()
    assert ImportJob.objects.count() == 0


def test_import_needs_permission_and_jobs_are_private(client, tree, personas, make_xlsx):
    client.force_login(personas.village)  # executive member: no people.import
    assert client.get("/people/import/").status_code == 403
    assert client.get("/people/import/template.xlsx").status_code == 403
    client.force_login(personas.east)
    job_id = _job_id(upload(client, make_xlsx([{"姓名": "甲", "所属组织代码": tree.east_village.code}])))
    client.force_login(personas.township)
    assert client.get(f"/people/import/{job_id}/").status_code == 404
    assert client.post(f"/people/import/{job_id}/commit/").status_code == 404


def test_landlines_and_mobile_numbers_are_accepted(tree, personas, make_xlsx):
    rows = [{"姓名": n, "电话": p, "所属组织代码": tree.east_village.code}
            for n, p in (("甲", "010-12345678"), ("乙", "0571-87654321"), ("丙", "13800138000"),
                         ("丁", "+86 139 0013 9000"), ("戊", 13700137000))]
    job = services.import_job_create(actor=personas.east, filename="p.xlsx", content=make_xlsx(rows))
    services.import_job_run(actor=personas.east, job=job)
    assert job.status == ImportJob.Status.VALID, job.errors


def test_id_numbers_of_hong_kong_macao_taiwan_and_lower_case_x_are_accepted(tree, personas, make_xlsx, id_for):
    ids = [id_for("81000019900101002"), id_for("82000019900101003"), id_for("83000019900101004"),
           "11010519491231002x"]
    rows = [{"姓名": f"人{i}", "身份证号": v, "所属组织代码": tree.east_village.code} for i, v in enumerate(ids)]
    job = services.import_job_create(actor=personas.east, filename="p.xlsx", content=make_xlsx(rows))
    services.import_job_run(actor=personas.east, job=job)
    assert job.status == ImportJob.Status.VALID, job.errors
    services.import_job_commit(actor=personas.east, job=job)
    assert Person.objects.get(name="人3").id_number_mask == "110105************"


def test_background_task_validates_and_commits_a_job(tree, personas, make_xlsx):
    # given an uploaded job, run by the tasks framework (immediate backend in tests)
    from niangjia.people.tasks import run_import_job

    job = services.import_job_create(actor=personas.east, filename="t.xlsx",
                                     content=make_xlsx([{"姓名": "甲", "所属组织代码": tree.east_village.code}]))
    # when
    result = run_import_job.enqueue(job.pk, personas.east.pk, commit=True)
    # then
    assert result.return_value == {"status": "committed", "errors": 0, "persons": 1, "posts": 0}
    assert Person.objects.filter(name="甲", unit=tree.east_village).exists()


def test_a_file_over_the_old_20000_row_cap_is_read_whole(db):
    # given an import file of 20,001 data rows (the cap this file used to refuse)
    import io as _io

    from openpyxl import Workbook as _Workbook

    from niangjia.people import importer as _importer

    wb = _Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["姓名", "所属组织代码"])
    for i in range(20_001):
        ws.append([f"人员{i}", "110101001001"])
    buf = _io.BytesIO()
    wb.save(buf)
    # when it is read
    rows = _importer.read_rows(buf.getvalue())
    # then every row is there, numbered as in Excel
    assert (len(rows), rows[-1][0], rows[-1][1]["name"]) == (20_001, 20_002, "人员20000")


def test_the_upload_is_kept_sealed_and_wiped_once_checked(client, tree, personas, make_xlsx, id_for, media):
    # given an uploaded file, not yet checked
    rows = good_rows(tree, id_for)
    job = services.import_job_create(actor=personas.east, filename="p.xlsx", content=make_xlsx(rows))
    # then on disk it is ciphertext only
    stored = media / job.upload_file
    assert stored.exists() and b"PK" not in stored.read_bytes()[:64]
    assert id_for("11010519850315002").encode() not in stored.read_bytes()
    # when checked, the upload goes and only the sealed checked rows stay, holding no clear number either
    services.import_job_run(actor=personas.east, job=job)
    assert not stored.exists() and files_left(media) == [job.checked_file.rsplit("/", 1)[1]]
    checked = (media / job.checked_file).read_bytes()
    assert id_for("11010519850315002").encode() not in checked and b"13800001234" not in checked
    # and a discard wipes those too
    services.import_job_discard(actor=personas.east, job=job)
    assert files_left(media) == []


def test_a_unit_that_left_the_reach_before_the_commit_writes_nothing(tree, personas, make_xlsx, id_for):
    # given a clean job, then one of its units deactivated before the commit
    job = services.import_job_create(actor=personas.east, filename="p.xlsx", content=make_xlsx(good_rows(tree, id_for)))
    services.import_job_run(actor=personas.east, job=job)
    assert job.status == ImportJob.Status.VALID
    type(tree.east_town).objects.filter(pk=tree.east_town.pk).update(is_active=False)
    before = counts()
    # when committed
    with pytest.raises(Exception, match="未写入任何数据"):
        services.import_job_commit(actor=personas.east, job=job)
    # then nothing is written and the row is named
    assert counts() == before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [{"row": 3, "column": "所属组织代码", "message": importer.MSG_UNIT}]


def test_a_job_is_committed_once_however_often_it_is_confirmed(tree, personas, make_xlsx):
    # given a clean job committed once
    job = services.import_job_create(actor=personas.east, filename="p.xlsx",
                                     content=make_xlsx([{"姓名": "甲", "所属组织代码": tree.east_village.code}]))
    services.import_job_run(actor=personas.east, job=job)
    services.import_job_commit(actor=personas.east, job=job)
    # when confirmed again (a second click, a second worker)
    with pytest.raises(Exception, match=str(services.MSG_IMPORT_NOT_READY)):
        services.import_job_commit(actor=personas.east, job=ImportJob.objects.get(pk=job.pk))
    # then the person is there once
    assert Person.objects.filter(name="甲").count() == 1
    # and a commit some other worker is still running is refused too
    other = services.import_job_create(actor=personas.east, filename="q.xlsx",
                                       content=make_xlsx([{"姓名": "乙", "所属组织代码": tree.east_village.code}]))
    services.import_job_run(actor=personas.east, job=other)
    ImportJob.objects.filter(pk=other.pk).update(status=ImportJob.Status.COMMITTING)
    with pytest.raises(Exception, match=str(services.MSG_IMPORT_NOT_READY)):
        services.import_job_commit(actor=personas.east, job=other)
    assert not Person.objects.filter(name="乙").exists()


def test_an_import_of_many_rows_leaves_one_audit_row_each_and_the_chain_verifies(tmp_path, tree, personas, monkeypatch):
    # given a file of 2,500 persons, a third with a post, written in batches of 1,000
    from io import StringIO

    from django.core.management import call_command
    from openpyxl import Workbook

    from niangjia.core.validators import id_check_char

    monkeypatch.setattr(services, "WRITE_BATCH", 1000)
    monkeypatch.setattr(importer, "CHUNK_ROWS", 700)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["姓名", "身份证号", "所属组织代码", "机构", "职务"])
    for i in range(2500):
        first17 = f"110105198503{15 + i // 1000:02d}{i % 1000:03d}"
        ws.append([f"批量{i}", first17 + id_check_char(first17), tree.east_village.code,
                   *(("执委会", "执委") if i % 3 == 0 else ("", ""))])
    path = tmp_path / "many.xlsx"
    wb.save(path)
    before = counts()
    # when imported from the command line
    out = StringIO()
    call_command("import_people", str(path), "--actor", "east", "--commit", stdout=out, stderr=StringIO())
    # then every person and post is there with one audit row each, carrying its row
    assert counts() == (before[0] + 2500, before[1] + 834, before[2] + 3334)
    last = Person.objects.get(name="批量2499")
    entry = AuditEntry.objects.get(action="person.create", target_id=str(last.pk))
    assert entry.detail["row"] == 2501 and entry.l6 == tree.east_village.pk and entry.summary == "批量2499"
    post = AuditEntry.objects.filter(action="post.create").latest("seq")
    assert post.summary.endswith("执委会 · 执委")
    # and the audit chain is intact
    verify = StringIO()
    call_command("audit", "verify", stdout=verify)
    assert "audit chain intact" in verify.getvalue()


SEALED = ("phone", "id_number", "address", "birth_date")


def test_an_imported_row_holds_what_the_form_would_store(tree, personas, make_xlsx, id_for):
    # given the good rows imported
    job = services.import_job_create(actor=personas.east, filename="p.xlsx", content=make_xlsx(good_rows(tree, id_for)))
    services.import_job_run(actor=personas.east, job=job)
    services.import_job_commit(actor=personas.east, job=job)
    # then each person is the one the form's builder makes of the same values: same columns, same clear values
    from niangjia.core import sensitive

    chen = Person.objects.get(name="陈静")
    form = services.person_build(unit=tree.east_village, name="陈静", phone="13800001234",
                                 id_number=id_for("11010519850315002"), address="东村1组", workplace="东村合作社",
                                 tags=["rural", "poor"], grassroots_frontline=True)
    for f in importer.PERSON_KEEP:
        if f.endswith("_enc"):
            assert sensitive.decrypt(getattr(chen, f)) == sensitive.decrypt(getattr(form, f)), f
        else:
            assert getattr(chen, f) == getattr(form, f), f
    assert chen.ancestors() == form.ancestors() and chen.version == 1 and chen.is_active and not chen.case_party
    post = Post.objects.get(person=chen)
    assert (post.body, post.title, post.tenure, str(post.start_date)) == ("executive", "执委", "part_time", "2024-01-15")
    assert post.ancestors() == chen.ancestors() and post.is_active
    huang = Person.objects.get(name="黄丽")
    assert Post.objects.get(person=huang).tenure == "part_time"  # the form's default when none is given


def test_too_long_values_are_refused_with_the_forms_message(tree, personas, make_xlsx):
    rows = [{"姓名": "长" * 51, "所属组织代码": tree.east_village.code},
            {"姓名": "乙", "工作单位": "单" * 121, "所属组织代码": tree.east_village.code},
            {"姓名": "丙", "所属组织代码": tree.east_village.code, "机构": "执委会", "职务": "职" * 51}]
    job = services.import_job_create(actor=personas.east, filename="p.xlsx", content=make_xlsx(rows))
    services.import_job_run(actor=personas.east, job=job)
    assert job.status == ImportJob.Status.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "姓名"), (3, "工作单位"), (4, "职务")]
    assert all("50" in e["message"] or "120" in e["message"] for e in job.errors)


def test_the_commit_sends_statements_per_batch_not_per_row(tree, personas, make_xlsx, id_for, django_assert_max_num_queries):
    # given 120 valid rows, a third with a post, written in one batch
    from niangjia.core.validators import id_check_char

    rows = []
    for i in range(120):
        first17 = f"11010519850315{i:03d}"
        rows.append({"姓名": f"批{i}", "身份证号": first17 + id_check_char(first17), "电话": f"1380000{i:04d}",
                     "所属组织代码": tree.east_village.code, **({"机构": "执委会", "职务": "执委"} if i % 3 == 0 else {})})
    job = services.import_job_create(actor=personas.east, filename="p.xlsx", content=make_xlsx(rows))
    # when checked and committed, the number of statements does not grow with the rows (reach, units, job,
    # ids, inserts, the chain's head: a few each, never one per row)
    with django_assert_max_num_queries(12):
        services.import_job_run(actor=personas.east, job=job)
    with django_assert_max_num_queries(30):
        services.import_job_commit(actor=personas.east, job=job)
    assert (job.persons_created, job.posts_created) == (120, 40)
    assert AuditEntry.objects.filter(action="person.create", detail__import_job=job.pk).count() == 120


@pytest.mark.parametrize("ahead", [False, True], ids=["read here", "read by a second process"])
def test_a_large_file_read_by_a_second_process_gives_the_same_report(client, tree, personas, make_xlsx, id_for,
                                                                     monkeypatch, ahead):
    # given a file with good and bad rows over several chunks, read ahead (as a large upload is) or here
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    monkeypatch.setattr(services, "READ_AHEAD_BYTES", 0 if ahead else 10**9)
    used = []
    real = services.readahead.chunks
    monkeypatch.setattr(services.readahead, "chunks", lambda *a, **kw: used.append(1) or real(*a, **kw))
    rows = good_rows(tree, id_for) + [{"姓名": "电话错", "电话": "12345", "所属组织代码": tree.east_village.code},
                                      {"姓名": "没这个组织", "所属组织代码": "999999999999"}]
    client.force_login(personas.east)
    # when uploaded and validated
    job = validate(client, _job_id(upload(client, make_xlsx(rows))))
    # then the report is the same either way, every row counted
    assert bool(used) == ahead
    assert job.rows_total == 6 and job.status == ImportJob.Status.INVALID
    assert {(e["row"], e["column"]) for e in job.errors} == {(6, "电话"), (7, "所属组织代码")}
    assert [r["row"] for r in job.state["preview"]] == [2, 3, 4, 5, 6, 7]
