"""deploy/niangjia.env.example is the documented production configuration: with fresh keys (and
this machine's paths) `check --deploy` finds nothing to warn about."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from niangjia.core.management.commands.keys import generate

ROOT = Path(__file__).resolve().parents[2]


def _example() -> dict[str, str]:
    lines = (ROOT / "deploy" / "niangjia.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_the_example_environment_passes_check_deploy(tmp_path):
    # given the example environment file with the keys appended as docs/operations.md says
    env = _example()
    assert [k for k, v in env.items() if not v] == []
    env.update(generate(), NIANGJIA_BACKUP_KEY=secrets.token_urlsafe(32))
    (tmp_path / "media").mkdir()
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", NIANGJIA_MEDIA_ROOT=str(tmp_path / "media"),
               NIANGJIA_STATIC_ROOT=str(tmp_path / "static"))
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NIANGJIA_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC"))}
    # when Django's deployment checks and ours run on it
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
                          env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, timeout=120)
    # then there is nothing to fix
    assert done.returncode == 0, done.stderr[-2000:]
    assert "System check identified no issues" in done.stdout
