"""Serving an uploaded file, once the view has checked who may read it.

Uploads live in MEDIA_ROOT and are never served by a public URL: a permission-checked view
finds the record through its scoped query, then calls `upload_response`. Behind nginx
(`NIANGJIA_X_ACCEL_REDIRECT=/_uploads/`, deploy/nginx/niangjia.conf) the answer is an empty
response whose `X-Accel-Redirect` header tells nginx to send the file from its `internal`
location, so the worker is not held for the download; otherwise Django streams it itself.
"""

import mimetypes
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy

from .errors import NotFound


def upload_kind(name: str) -> tuple[str, bool]:
    """The content type of a stored file and whether a browser may show it inline (images, pdf)."""
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return kind, kind.startswith("image/") or kind == "application/pdf"


def upload_response(field_file, *, filename: str | None = None, missing: str = gettext_lazy("附件文件已丢失")):
    """The file of a FileField as a download (images and pdf inline), never sniffed as html."""
    if not field_file:
        raise NotFound(missing)
    name = filename or field_file.name.rsplit("/", 1)[-1]
    kind, inline = upload_kind(name)
    prefix = getattr(settings, "X_ACCEL_REDIRECT", "")
    if prefix:
        if not Path(field_file.path).is_file():
            raise NotFound(missing)
        resp = HttpResponse(content_type=kind)
        resp["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
        resp["Content-Disposition"] = content_disposition_header(not inline, name)
    else:
        try:
            handle = field_file.open("rb")
        except FileNotFoundError as exc:
            raise NotFound(missing) from exc
        resp = FileResponse(handle, content_type=kind, as_attachment=not inline, filename=name)
    resp["X-Content-Type-Options"] = "nosniff"
    # Uploads are personal records: no shared cache keeps them.
    resp["Cache-Control"] = "private, no-store"
    return resp
