"""Uploaded files: what may be kept (type, size, first bytes agree), and, since they live outside the
database, a rolled-back write must take its file with it."""

from contextlib import contextmanager

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ValidationFailed

MAX_FILE_BYTES = 10 * 1024 * 1024
ALLOWED_FILES = {
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".webp": "image", ".heic": "image", ".gif": "image",
    ".pdf": "pdf", ".doc": "office", ".docx": "office", ".xls": "office", ".xlsx": "office", ".txt": "text",
}
MAGIC = {
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",), ".gif": (b"GIF8",),
    ".pdf": (b"%PDF",), ".docx": (b"PK",), ".xlsx": (b"PK",), ".webp": (b"RIFF",),
}


def file_problem(name: str, size: int, head: bytes) -> str:
    """Why an uploaded file is refused ('' when it may be kept)."""
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot >= 0 else ""
    if ext not in ALLOWED_FILES:
        return _("只能上传照片（jpg、png、webp、heic、gif）或文件（pdf、Word、Excel、txt）")
    if size <= 0:
        return _("文件是空的")
    if size > MAX_FILE_BYTES:
        return _("文件不能超过 {value} MB").format(value=MAX_FILE_BYTES // (1024 * 1024))
    starts = MAGIC.get(ext)
    if starts and not any(head.startswith(s) for s in starts):
        return _("文件内容与扩展名不符")
    return ""


def check_upload(upload, *, field: str = "attachment", label: str = gettext_lazy("照片或文件")) -> None:
    """An uploaded photo or document (duty evidence, fieldwork's reports): its type, size and first bytes
    must agree (`file_problem`), else a refusal naming the field."""
    if upload is None:
        return
    head = upload.read(16)
    upload.seek(0)
    problem = file_problem(upload.name or "", upload.size or 0, head)
    if problem:
        raise ValidationFailed(f"{label}：{problem}", fields={field: problem})


@contextmanager
def kept_only_if_saved():
    """Track the files stored inside the block; if the block fails (a stale version, a refused check, an audit
    row that cannot be written), delete them, so a refused upload leaves nothing on disk. Use around the
    transaction that stores them: `with kept_only_if_saved() as keep, transaction.atomic(): ... keep(f)`."""
    stored = []
    try:
        yield stored.append
    except BaseException:
        for fieldfile in stored:
            if fieldfile and fieldfile.name:
                fieldfile.storage.delete(fieldfile.name)
        raise
