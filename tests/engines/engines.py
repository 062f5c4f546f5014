"""What the engine tests share: where the tree, the build and the stack
are, the stack's password, checks that fail with what to install or set,
and starting and stopping an engine daemon in its own process group."""
import os
import signal
import subprocess
import sys

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("MC_BUILDDIR", TOP)
PLUGINS = os.path.join(BUILD, "plugins")
STACK = os.environ.get("MC_STACK_DIR", "/tmp/mailcheck-stack")
CA = os.path.join(STACK, "certs", "ca.pem")
PASSWORD = "Mon1tor-s3cret!"  # the stack's user "monitor"
sys.path.insert(0, os.path.join(TOP, "tests"))
from lists import plugins  # noqa: E402  (libexec_PROGRAMS in Makefile.am)

PLUGIN_NAMES = tuple(plugins())


def need_binary(path, package):
    if not os.access(path, os.X_OK):
        pytest.fail("%s is missing: apt-get install %s" % (path, package))


def need_stack():
    if not os.environ.get("MC_STACK_RUNNING"):
        pytest.fail("needs the test stack: MC_STACK_RUNNING=1 (see tests/README)")
    if not os.path.exists(CA):
        pytest.fail("no %s: is the stack running in this network namespace?" % CA)
    for p in PLUGIN_NAMES:
        if not os.access(os.path.join(PLUGINS, p), os.X_OK):
            pytest.fail("no %s in %s: set MC_BUILDDIR to a build" % (p, PLUGINS))


class Daemon:
    """An engine in the foreground, in a process group of its own, its
    stdout and stderr in the file `log`."""

    def __init__(self, argv, log, env=None):
        self.out = open(log, "w")
        self.proc = subprocess.Popen(argv, stdout=self.out, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)

    def running(self):
        return self.proc.poll() is None

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass
        self.out.close()
