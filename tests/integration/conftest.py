"""pytest fixtures for the integration tests (run with /usr/bin/python3).

Environment:
  MC_BUILDDIR            build tree holding plugins/check_smtp_tls
                         (default: the repository root)
  MC_STACK_DIR           where stack.sh keeps the servers' state
                         (default: /tmp/mailcheck-stack)
  MC_STACK_RUNNING=1     the stack is already up: do not start/stop it
  MC_SKIP_MISSING_PLUGIN=1  skip (instead of fail) when the plugin is not built
"""

import os
import pathlib
import subprocess
from dataclasses import dataclass

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
STACK_SH = HERE / "stack.sh"


def _builddir():
    return pathlib.Path(os.environ.get("MC_BUILDDIR") or REPO).resolve()


def _stackdir():
    return pathlib.Path(os.environ.get("MC_STACK_DIR") or "/tmp/mailcheck-stack")


@dataclass(frozen=True)
class Stack:
    dir: pathlib.Path
    ca: pathlib.Path          # test root CA (trust anchor for --ca-file)
    dns: str                  # Knot, authoritative for test.
    certs: pathlib.Path


def pytest_report_header(config):
    return [
        "mailcheck plugins: %s" % (_builddir() / "plugins"),
        "mailcheck stack:   %s (%s)" % (
            _stackdir(),
            "already running" if os.environ.get("MC_STACK_RUNNING") == "1"
            else "started by the tests"),
    ]


def plugin_path(name):
    """Path of a built plugin; fail (or skip on request) when it is missing."""
    p = _builddir() / "plugins" / name
    if not (p.is_file() and os.access(p, os.X_OK)):
        msg = "%s is not built (looked for %s; set MC_BUILDDIR)" % (name, p)
        if os.environ.get("MC_SKIP_MISSING_PLUGIN") == "1":
            pytest.skip(msg)
        pytest.fail(msg, pytrace=False)
    return p


@pytest.fixture(scope="session")
def check_smtp_tls():
    return plugin_path("check_smtp_tls")


@pytest.fixture(scope="session")
def check_imaps():
    return plugin_path("check_imaps")


@pytest.fixture(scope="session")
def check_pop3s():
    return plugin_path("check_pop3s")


@pytest.fixture(scope="session")
def stack():
    d = _stackdir()
    started = False
    if os.environ.get("MC_STACK_RUNNING") != "1":
        r = subprocess.run(["bash", str(STACK_SH), "start", str(d)],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=180)
        if r.returncode != 0:
            pytest.fail("stack.sh start failed (exit %d):\n%s%s"
                        % (r.returncode, r.stdout, r.stderr), pytrace=False)
        started = True
    s = Stack(dir=d, ca=d / "certs" / "ca.pem", dns="127.0.0.1:10053",
              certs=d / "certs")
    if not s.ca.is_file():
        pytest.fail("no %s: is the stack running? (MC_STACK_RUNNING=1 given)" % s.ca,
                    pytrace=False)
    try:
        yield s
    finally:
        if started:
            subprocess.run(["bash", str(STACK_SH), "stop", str(d)], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60)
