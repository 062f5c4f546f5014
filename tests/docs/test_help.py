"""The README's option tables and each plugin's --help list the same options,
and --help states a default wherever the README gives one."""
import os
import re
import subprocess
import sys

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("MC_BUILDDIR", TOP)
sys.path.insert(0, os.path.join(TOP, "tests"))
from lists import plugins  # noqa: E402  (libexec_PROGRAMS in Makefile.am)

PLUGINS = plugins()


def help_options(plugin):
    exe = os.path.join(BUILD, "plugins", plugin)
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 3, "--help exits UNKNOWN"
    opts = {}
    current = None
    for line in out.stdout.splitlines():
        m = re.match(r"^ (?:-(\w), |    )--([a-z0-9-]+)(?:\[=(.*)\]|=(.*))?$", line)
        if m:
            current = m.group(2)
            kind = "optional" if m.group(3) else "required" if m.group(4) else "flag"
            opts[current] = {"short": m.group(1), "kind": kind, "text": ""}
        elif current and line.startswith("    "):
            opts[current]["text"] += " " + line.strip()
    return opts


def readme_options(plugin):
    text = open(os.path.join(TOP, "README"), encoding="utf-8").read()
    section = text.split("\n" + plugin + "\n", 1)[1]
    rows = {}
    for line in section.splitlines():
        if not line.startswith("| `-"):
            if rows and not line.startswith("|"):
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        m = re.match(r"`(?:-(\w), )?--([a-z0-9-]+)`", cells[0])
        assert m, "malformed README row: " + line
        rows[m.group(2)] = {"short": m.group(1), "default": cells[-1]}
    return rows


@pytest.mark.parametrize("plugin", PLUGINS)
def test_readme_and_help_list_the_same_options(plugin):
    helped = help_options(plugin)
    documented = readme_options(plugin)
    assert len(helped) > 10
    assert sorted(helped) == sorted(documented)
    for name, row in documented.items():
        assert row["short"] == helped[name]["short"], name


@pytest.mark.parametrize("plugin", PLUGINS)
def test_help_states_the_defaults_the_readme_gives(plugin):
    helped = help_options(plugin)
    for name, row in readme_options(plugin).items():
        if row["default"] and name not in ("extra-opts",):
            assert "Default:" in helped[name]["text"] or "required" in helped[name]["text"], name
