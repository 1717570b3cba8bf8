"""`smartpick --help` lists every command from the registry, without importing them."""

from __future__ import annotations

import subprocess
import sys

from smartpick.cli import COMMAND_MODULES, load_all


def test_registered_help_is_each_commands_own() -> None:
    commands = load_all()
    for _, name, text in COMMAND_MODULES:
        assert commands[name].get_short_help_str(1000) == text, name


def test_help_imports_no_command_module() -> None:
    code = ("import sys; from smartpick.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('smartpick.cli.')"
            " or m.split('.')[0] in ('numpy', 'scipy', 'fastapi', 'sqlalchemy', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
