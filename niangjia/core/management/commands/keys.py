"""`niangjia keys generate`: fresh secrets in environment-file format, for a new installation.

Print them once into the service's environment file (mode 0600); they are never stored
anywhere else. Losing NIANGJIA_FIELD_KEYS loses every sealed phone, ID number and address.
"""

import base64
import secrets

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


def generate() -> dict[str, str]:
    """A new Django secret key, Fernet field key, blind-index key, backup key and metrics token."""
    return {
        "NIANGJIA_SECRET_KEY": secrets.token_urlsafe(50),
        "NIANGJIA_FIELD_KEYS": Fernet.generate_key().decode(),
        "NIANGJIA_BLIND_INDEX_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        # seals `niangjia backup` files (core/backup/crypto.py wants at least 32 characters)
        "NIANGJIA_BACKUP_KEY": secrets.token_urlsafe(32),
        # the bearer token Prometheus sends to /metrics
        "NIANGJIA_METRICS_TOKEN": secrets.token_urlsafe(32),
    }


class Command(BaseCommand):
    help = "Print fresh secret, field-encryption and blind-index keys as KEY=value lines (`keys generate`)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate"])

    def handle(self, *args, action, **options):
        self.stdout.write("# Niangjia keys, made by `niangjia keys generate`. Keep this file mode 0600; back it up")
        self.stdout.write("# apart from the database: without NIANGJIA_FIELD_KEYS sealed fields cannot be read, and")
        self.stdout.write("# without NIANGJIA_BACKUP_KEY no backup made with it can be restored.")
        for name, value in generate().items():
            self.stdout.write(f"{name}={value}")
