"""Settings for a real deployment: trusted proxies, the client address, our system checks,
`check --deploy` on the documented production configuration, keys, and the README's table."""

import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from niangjia.core import checks
from niangjia.core.backup.crypto import MIN_SECRET
from niangjia.core.context import client_ip
from niangjia.core.management.commands.keys import generate
from niangjia.core.models import AuditEntry, RateCounter
from niangjia.settings import trusted_networks

ROOT = Path(__file__).resolve().parents[2]
PROXY = [ipaddress.ip_network("10.0.0.1/32"), ipaddress.ip_network("fd00::/64")]

# The production environment docs/operations.md documents (keys are made fresh per run).
PRODUCTION_ENV = {
    "NIANGJIA_DEBUG": "false",
    "NIANGJIA_ALLOWED_HOSTS": "niangjia.example.gov.cn",
    "NIANGJIA_CSRF_TRUSTED_ORIGINS": "https://niangjia.example.gov.cn",
    "NIANGJIA_TRUSTED_PROXIES": "127.0.0.1,::1",
    "NIANGJIA_SECURE_SSL_REDIRECT": "true",
    "NIANGJIA_HSTS_SECONDS": "31536000",
    "NIANGJIA_HSTS_INCLUDE_SUBDOMAINS": "true",
    "NIANGJIA_HSTS_PRELOAD": "true",
}


def run_manage(env_extra, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIANGJIA_", "DJANGO_ALLOW_ASYNC"))}
    env.update(env_extra)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- the client address


@pytest.mark.parametrize("peer, forwarded, expected", [
    ("198.51.100.7", "", "198.51.100.7"),                                   # no proxy in front
    ("198.51.100.7", "203.0.113.9", "198.51.100.7"),                        # anyone's XFF is ignored
    ("10.0.0.1", "203.0.113.9", "203.0.113.9"),                             # the proxy's XFF is believed
    ("10.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),                    # the client's own forgery is left of it
    ("10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.1", "203.0.113.9"),          # a chain of trusted proxies
    ("fd00::5", "2001:db8::7", "2001:db8::7"),                              # IPv6 proxy and client
    ("10.0.0.1", "", "10.0.0.1"),                                           # the proxy sent nothing
    ("10.0.0.1", "not-an-ip", "10.0.0.1"),                                  # garbage is never the address
])
def test_client_ip_believes_forwarded_for_only_from_a_trusted_proxy(settings, peer, forwarded, expected):
    # given
    settings.TRUSTED_PROXY_NETWORKS = PROXY
    meta = {"REMOTE_ADDR": peer}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    # when / then
    assert client_ip(meta) == expected


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_NETWORKS = []
    assert client_ip({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}) == "10.0.0.1"


@pytest.mark.parametrize("entries", [["*"], ["0.0.0.0/0"], ["::/0"], ["10.0.0.1", "0.0.0.0/0"], ["proxy.local"]])
def test_a_proxy_setting_that_trusts_everyone_or_is_malformed_is_refused(entries):
    with pytest.raises(ImproperlyConfigured):
        trusted_networks(entries)


def test_a_proxy_setting_of_real_addresses_is_accepted():
    assert trusted_networks(["127.0.0.1", "10.1.0.0/16", "::1"]) == [
        ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.1.0.0/16"), ipaddress.ip_network("::1/128")]


def test_the_audit_row_and_the_login_throttle_see_the_forwarded_client_address(personas, settings):
    # given a proxy at 10.0.0.1
    settings.TRUSTED_PROXY_NETWORKS = PROXY
    # when a client behind it logs in, and a client elsewhere sends a forged header
    Client().post("/login/", {"username": "east", "password": "wrong"},
                  REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    Client().post("/login/", {"username": "west", "password": "wrong"},
                  REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.10")
    # then
    assert AuditEntry.objects.get(action="login.failed", summary__startswith="east").ip == "203.0.113.9"
    assert AuditEntry.objects.get(action="login.failed", summary__startswith="west").ip == "198.51.100.7"
    buckets = set(RateCounter.objects.filter(bucket__startswith="login.address:").values_list("bucket", flat=True))
    assert buckets == {"login.address:203.0.113.9", "login.address:198.51.100.7"}


# ---------------------------------------------------------------- our system checks


def test_a_malformed_fernet_key_fails_the_check(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), "not-a-key"]
    assert [(e.id, "key 2" in e.msg) for e in checks.check_field_keys()] == [("niangjia.E001", True)]


def test_good_fernet_keys_pass_the_check(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]
    assert checks.check_field_keys() == []


@pytest.mark.parametrize("key", ["short", "", "x" * 20])
def test_a_malformed_blind_index_key_fails_the_check(settings, key):
    settings.BLIND_INDEX_KEY = key
    assert [e.id for e in checks.check_blind_index_key()] == ["niangjia.E002"]


def test_the_dev_blind_index_key_is_refused_outside_debug(settings):
    settings.DEBUG = False
    settings.BLIND_INDEX_KEY = "dev-only-blind-index-key"
    assert [e.id for e in checks.check_blind_index_key()] == ["niangjia.E002"]


def test_a_proxy_setting_that_trusts_everyone_fails_the_check(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1", "0.0.0.0/0"]
    assert [e.id for e in checks.check_trusted_proxies()] == ["niangjia.E003"]


def test_a_missing_media_root_fails_the_check_outside_debug(settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "absent"
    assert [e.id for e in checks.check_media_root()] == ["niangjia.E004"]
    assert not (tmp_path / "absent").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_media_root_fails_the_check(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tmp_path.chmod(0o500)
    try:
        assert [e.id for e in checks.check_media_root()] == ["niangjia.E004"]
    finally:
        tmp_path.chmod(0o700)


def test_a_writable_media_root_passes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert checks.check_media_root() == []


def test_the_check_command_names_a_bad_key():
    result = run_manage({"NIANGJIA_FIELD_KEYS": "not-a-key"}, "check")
    assert result.returncode != 0 and "niangjia.E001" in result.stderr


def test_a_proxy_setting_that_trusts_everyone_stops_the_process():
    result = run_manage({"NIANGJIA_TRUSTED_PROXIES": "0.0.0.0/0"}, "check")
    assert result.returncode != 0 and "would trust every client" in result.stderr


# ---------------------------------------------------------------- check --deploy and keys


def test_check_deploy_is_clean_on_the_documented_production_configuration(tmp_path):
    # given the documented production environment with fresh keys
    env = {**PRODUCTION_ENV, **generate(), "NIANGJIA_MEDIA_ROOT": str(tmp_path)}
    # when
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")
    # then
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_when_tls_settings_are_missing(tmp_path):
    env = {**PRODUCTION_ENV, **generate(), "NIANGJIA_MEDIA_ROOT": str(tmp_path), "NIANGJIA_HSTS_SECONDS": "0"}
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0 and "security.W004" in result.stderr


def test_keys_generate_prints_fresh_valid_keys(capsys, settings):
    # when
    call_command("keys", "generate")
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln and not ln.startswith("#")]
    values = dict(ln.split("=", 1) for ln in lines)
    # then
    assert sorted(values) == ["NIANGJIA_BACKUP_KEY", "NIANGJIA_BLIND_INDEX_KEY", "NIANGJIA_FIELD_KEYS",
                              "NIANGJIA_METRICS_TOKEN", "NIANGJIA_SECRET_KEY"]
    assert len(values["NIANGJIA_BACKUP_KEY"]) >= MIN_SECRET
    settings.FIELD_ENCRYPTION_KEYS = [values["NIANGJIA_FIELD_KEYS"]]
    settings.BLIND_INDEX_KEY = values["NIANGJIA_BLIND_INDEX_KEY"]
    assert checks.check_field_keys() == [] and checks.check_blind_index_key() == []
    assert generate() != generate()


# ---------------------------------------------------------------- the README's table


def env_vars_read_by_the_code() -> set[str]:
    pattern = re.compile(r"\b(?:env\w*|environ\.get|getenv)\(\s*[\"'](NIANGJIA_[A-Z0-9_]+)")
    found = set()
    for path in (ROOT / "niangjia").rglob("*.py"):
        found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return found


def env_vars_in_the_readme() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration (environment variables)", 1)[1].split("\n## ", 1)[0]
    found = set()
    for row in section.splitlines():
        if not row.startswith("| `"):
            continue
        names = re.findall(r"`(NIANGJIA_[A-Z0-9_]+|_[A-Z0-9_]+)`", row.split("|")[1])
        stem = ""
        for name in names:  # `NIANGJIA_LOGIN_MAX_FAILURES` / `_LOCK_MINUTES` → NIANGJIA_LOGIN_LOCK_MINUTES
            if name.startswith("NIANGJIA_"):
                found.add(name)
                stem = "_".join(name.split("_")[:2])
            else:
                found.add(stem + name)
    return found


def test_every_environment_variable_the_code_reads_is_in_the_readme():
    read = env_vars_read_by_the_code()
    assert "NIANGJIA_TRUSTED_PROXIES" in read and "NIANGJIA_DEBUG" in read  # the scan works
    assert sorted(read - env_vars_in_the_readme()) == []
    assert sorted(env_vars_in_the_readme() - read) == []
