"""`niangjia <command> --help` works for every command of the platform, in Chinese and in English (a lazy help
text once crashed argparse: "expected string or bytes-like object, got '__proxy__'")."""

import pytest
from django.core.management import get_commands, load_command_class
from django.utils import translation

OURS = sorted(name for name, app in get_commands().items() if app.startswith("niangjia"))


def test_the_platform_has_its_commands():
    assert {"import_people", "export_list", "audit", "reform_overdue", "tree_import"} <= set(OURS)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_command_prints_its_help(lang):
    broken = {}
    with translation.override(lang):
        for name in OURS:
            command = load_command_class(get_commands()[name], name)
            try:
                text = command.create_parser("niangjia", name).format_help()
            except Exception as exc:  # noqa: BLE001 - every failure is listed at once
                broken[name] = repr(exc)
                continue
            assert name in text
    assert broken == {}


def test_the_help_speaks_the_active_language():
    command = load_command_class(get_commands()["import_people"], "import_people")
    with translation.override("en"):
        english = command.create_parser("niangjia", "import_people").format_help()
    with translation.override("zh-hans"):
        chinese = command.create_parser("niangjia", "import_people").format_help()
    assert "导入人员" in chinese and "导入人员" not in english
