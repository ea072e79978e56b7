"""Our own system checks (`niangjia check`): refuse keys, folders and proxy settings that would fail later.

A malformed Fernet key passes settings and fails on the first write of a phone number; a
media root that cannot be written fails on the first upload. These checks say so at start.
"""

import base64
import binascii
import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from niangjia.settings import trusted_networks

MIN_BLIND_INDEX_KEY_BYTES = 32


def _fernet_problem(key: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(key.strip().encode())
    except (binascii.Error, ValueError):
        return "not url-safe base64"
    if len(raw) != 32:
        return f"decodes to {len(raw)} bytes, a Fernet key has 32"
    return ""


@register(Tags.security)
def check_field_keys(app_configs=None, **kwargs):
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", []))
    if not [k for k in keys if k.strip()]:
        return [Error("NIANGJIA_FIELD_KEYS is empty", id="niangjia.E001",
                      hint="`niangjia keys generate` prints a fresh key")]
    errors = []
    for index, key in enumerate(keys, start=1):
        problem = _fernet_problem(key)
        if problem:
            errors.append(Error(f"NIANGJIA_FIELD_KEYS key {index} is not a Fernet key ({problem})",
                                id="niangjia.E001", hint="`niangjia keys generate` prints a fresh key"))
    return errors


@register(Tags.security)
def check_blind_index_key(app_configs=None, **kwargs):
    key = getattr(settings, "BLIND_INDEX_KEY", "") or ""
    if settings.DEBUG and key == "dev-only-blind-index-key":
        return []
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) < MIN_BLIND_INDEX_KEY_BYTES:
        return [Error(f"NIANGJIA_BLIND_INDEX_KEY must be url-safe base64 of at least {MIN_BLIND_INDEX_KEY_BYTES} "
                      "random bytes", id="niangjia.E002", hint="`niangjia keys generate` prints a fresh key")]
    return []


@register(Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs):
    try:
        trusted_networks(list(getattr(settings, "TRUSTED_PROXIES", [])))
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="niangjia.E003",
                      hint="list only the reverse proxies' own addresses, e.g. 127.0.0.1 or 10.0.0.5/32")]
    return []


@register()
def check_media_root(app_configs=None, **kwargs):
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        if settings.DEBUG and not root.exists():
            root.mkdir(parents=True, exist_ok=True)  # a fresh checkout just runs
            return []
        return [Error(f"media root {root} does not exist", id="niangjia.E004",
                      hint="create it (owned by the application user) or set NIANGJIA_MEDIA_ROOT")]
    if not os.access(root, os.W_OK | os.X_OK):
        return [Error(f"media root {root} is not writable by this process", id="niangjia.E004",
                      hint="chown it to the application user")]
    return []


@register(Tags.security, deploy=True)
def check_media_outside_code(app_configs=None, **kwargs):
    root = Path(settings.MEDIA_ROOT).resolve()
    code = Path(__file__).resolve().parent.parent
    if root == code or code in root.parents:
        return [Warning(f"media root {root} is inside the code ({code}); an upgrade would lose uploads",
                        id="niangjia.W001", hint="set NIANGJIA_MEDIA_ROOT, e.g. /var/lib/niangjia/media")]
    return []
