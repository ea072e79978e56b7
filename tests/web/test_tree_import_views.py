"""The tree import pages: upload, dry-run report, confirm, outcome — for system administrators only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from niangjia.core.models import AuditEntry
from niangjia.org.models import Federation, TreeImport
from tests.org.divisionfiles import YEAR_2023, write_npm, zip_folder

# Zhejiang's units only: the personas' tree already uses Beijing-like codes
ZHEJIANG = {code: unit for code, unit in YEAR_2023.items() if code.startswith("33")}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, path, name="codes.zip"):
    return client.post("/org/tree/import/", {"file": SimpleUploadedFile(name, path.read_bytes())})


def test_an_administrator_uploads_reads_the_dry_run_and_confirms(tree, admin_user, client, tmp_path):
    # given the 2023 files zipped, and an administrator
    archive = zip_folder(write_npm(tmp_path / "2023", ZHEJIANG), tmp_path / "codes.zip")
    client.force_login(admin_user)
    units_before = Federation.objects.count()
    # when she uploads them
    resp = upload(client, archive)
    job = TreeImport.objects.get()
    # then the dry run is shown and nothing is written yet
    assert resp.status_code == 302 and resp["Location"] == f"/org/tree/import/{job.pk}/"
    page = client.get(resp["Location"]).content.decode()
    assert job.status == TreeImport.Status.CHECKED and "确认导入" in page and "余村村委会" in page
    assert job.report["counts"]["new"] == 7
    assert Federation.objects.count() == units_before
    # when she confirms
    resp = client.post(f"/org/tree/import/{job.pk}/confirm/")
    job.refresh_from_db()
    # then the import ran (immediately in tests), its outcome shown, audited as one action with its counts
    assert (job.status, job.counts["new"]) == (TreeImport.Status.DONE, 7)
    assert Federation.objects.count() == units_before + 7
    assert "已于" in client.get(f"/org/tree/import/{job.pk}/").content.decode()
    actions = list(AuditEntry.objects.filter(action__startswith="tree.").order_by("id").values_list("action", "detail__new"))
    assert actions == [("tree.import_upload", None), ("tree.import", 7)]
    # and confirming again is refused
    again = client.post(f"/org/tree/import/{job.pk}/confirm/")
    assert again.status_code == 400
    assert Federation.objects.count() == units_before + 7


def test_a_bad_file_lists_its_problems_and_cannot_be_confirmed(tree, admin_user, client, tmp_path):
    folder = write_npm(tmp_path / "bad", ZHEJIANG, extra={"villages.csv": [["330523999001", "无主村", "330523999",
                                                                           "33", "3305", "330523"]]})
    client.force_login(admin_user)
    upload(client, zip_folder(folder, tmp_path / "bad.zip"))
    job = TreeImport.objects.get()
    page = client.get(f"/org/tree/import/{job.pk}/").content.decode()
    assert job.status == TreeImport.Status.INVALID
    assert "上级代码“330523999”不存在" in page and "第 5 行" in page
    before = Federation.objects.count()
    assert client.post(f"/org/tree/import/{job.pk}/confirm/").status_code == 400
    assert Federation.objects.count() == before


def test_a_file_of_another_type_is_refused_at_upload(tree, admin_user, client, tmp_path):
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    client.force_login(admin_user)
    resp = upload(client, tmp_path / "notes.txt", name="notes.txt")
    assert resp.status_code == 400 and TreeImport.objects.count() == 0


def test_discarding_writes_nothing(tree, admin_user, client, tmp_path):
    client.force_login(admin_user)
    upload(client, zip_folder(write_npm(tmp_path / "2023", ZHEJIANG), tmp_path / "codes.zip"))
    job = TreeImport.objects.get()
    before = Federation.objects.count()
    client.post(f"/org/tree/import/{job.pk}/discard/")
    job.refresh_from_db()
    assert (job.status, Federation.objects.count()) == (TreeImport.Status.DISCARDED, before)


@pytest.mark.parametrize("who", ["province", "east", "village"])
def test_only_system_administrators_reach_the_pages(tree, personas, admin_user, client, tmp_path, who):
    # given an upload by the administrator
    client.force_login(admin_user)
    upload(client, zip_folder(write_npm(tmp_path / "2023", ZHEJIANG), tmp_path / "codes.zip"))
    job = TreeImport.objects.get()
    before = Federation.objects.count()
    # when anyone else tries the pages
    client.force_login(getattr(personas, who))
    codes = [client.get("/org/tree/import/").status_code, client.get(f"/org/tree/import/{job.pk}/").status_code,
             client.post(f"/org/tree/import/{job.pk}/confirm/").status_code,
             upload(client, tmp_path / "codes.zip").status_code]
    # then each is refused and nothing changed
    assert codes == [403, 403, 403, 403]
    job.refresh_from_db()
    assert (job.status, TreeImport.objects.count(), Federation.objects.count()) == \
        (TreeImport.Status.CHECKED, 1, before)
