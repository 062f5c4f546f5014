"""A password given with -P is overwritten in the process's argument list
(what ps and /proc/PID/cmdline show to every local user) as soon as the
plugin has read it."""
import os
import subprocess
import time

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("MC_BUILDDIR", TOP)
SECRET = "Sup3r-S3cret-argv"

# Each plugin against a server that never greets (faultd tarpits), so the
# process lives long enough to be looked at.
CASES = [
    ("check_imaps", ["-p", "11101"]),
    ("check_pop3s", ["-p", "11201"]),
]


@pytest.mark.parametrize("plugin,args", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("form", ["-P", "--password", "--password="])
def test_password_scrubbed_from_argv(stack, plugin, args, form):
    exe = os.path.join(BUILD, "plugins", plugin)
    if not os.path.exists(exe):
        pytest.skip("%s not built" % exe)
    pw = [form + SECRET] if form.endswith("=") else [form, SECRET]
    argv = [exe, "-H", "127.0.0.1", "--cert-name", "mail.test", "-U", "monitor", "-t", "2"]
    p = subprocess.Popen(argv + args + pw, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    try:
        seen = None
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            time.sleep(0.2)
            with open("/proc/%d/cmdline" % p.pid, "rb") as f:
                seen = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            if "monitor" in seen:
                break
        assert seen and "monitor" in seen, "could not read the command line: %r" % seen
        assert SECRET not in seen, "the password is visible in /proc/PID/cmdline: %r" % seen
        assert "*" * len(SECRET) in seen, "the password was not overwritten: %r" % seen
    finally:
        out, err = p.communicate(timeout=10)
    assert SECRET.encode() not in out + err
