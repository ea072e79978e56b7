"""ID-number re-masking shared by the data migrations of people, cases and selection (frozen here: later
changes of core.sensitive must not change what a landed migration did). Skipped by the migration
loader because its name starts with an underscore."""

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

CHUNK = 2000


def _fernet():
    return MultiFernet([Fernet(k.strip().encode()) for k in settings.FIELD_ENCRYPTION_KEYS])


def region_mask(clear: str) -> str:
    return "*" * len(clear) if len(clear) <= 6 else clear[:6] + "*" * (len(clear) - 6)


def old_mask(clear: str) -> str:
    return "*" * len(clear) if len(clear) < 8 else clear[:4] + "*" * (len(clear) - 8) + clear[-4:]


def remask(model, masker) -> None:
    """Re-mask every row's ID number from its ciphertext (shared with the cases and selection migrations)."""
    f = _fernet()
    batch = []
    for row in model.objects.exclude(id_number_enc="").only("pk", "id_number_enc").iterator(chunk_size=CHUNK):
        row.id_number_mask = masker(f.decrypt(row.id_number_enc.encode()).decode())
        batch.append(row)
        if len(batch) >= CHUNK:
            model.objects.bulk_update(batch, ["id_number_mask"])
            batch = []
    model.objects.bulk_update(batch, ["id_number_mask"])
