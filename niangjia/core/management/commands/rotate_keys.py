"""Re-encrypt every sensitive field under the newest key in NIANGJIA_FIELD_KEYS.

Rotation: put a new key first in NIANGJIA_FIELD_KEYS (keep the old ones after it), run this
command, then drop the old keys. Rows are rewritten in batches, each batch in one transaction.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from niangjia.core import audit, sensitive
from niangjia.core.audit import CoreAction


def encrypted_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name.endswith("_enc")]


class Command(BaseCommand):
    help = "Re-encrypt every sensitive field under the newest field-encryption key"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, batch: int, **options):
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            done = self._rotate_model(model, fields, batch)
            total += done
            self.stdout.write(f"{model._meta.label}: {done} rows")
        with transaction.atomic():
            audit.record(None, CoreAction.KEYS_ROTATE, None, summary=f"重新加密 {total} 行", detail={"rows": total})
        self.stdout.write(self.style.SUCCESS(f"rotated {total} rows"))

    def _rotate_model(self, model, fields: list[str], batch: int) -> int:
        done, last = 0, 0
        while True:
            rows = list(model._base_manager.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:batch])
            if not rows:
                return done
            with transaction.atomic():
                for row in rows:
                    for f in fields:
                        setattr(row, f, sensitive.rotate(getattr(row, f)))
                model._base_manager.bulk_update(rows, fields)
            done += len(rows)
            last = rows[-1].pk
