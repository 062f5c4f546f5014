"""Shared runner for the case-table tests of the mail plugins (test_smtp_tls.py,
test_dns_faults.py, test_imaps.py, test_pop3s.py): run a plugin and apply the
assertions every case gets.  This module must not import the test files.

For every classic case (run_case):
  - the exit code (a plugin killed by a signal fails with the signal's name),
    and that the first line starts with "<LABEL> <STATE> - ";
  - the regex(es) match the first line (case-insensitive);
  - 'out' regexes match the whole output, 'absent' ones do not;
  - the whole output is < 4096 bytes;
  - '|' appears only once, in the first line, as the perfdata separator;
  - perfdata (if any) is well-formed: 'label'=value[UOM];warn;crit;min;max,
    plain decimal, UOM one of s B % c or none;
  - following lines (long output) are subcheck lines "[STATE] text"
    (indented by spaces when nested);
  - the run took no longer than the plugin's own deadline + 0.5 s: -t /
    --timeout SECONDS[:STATE] from the case's args, 10 s when absent; or
    max_s when that is given and tighter (timed by the reaper, see below);
  - the plugin process's peak RSS (ru_maxrss) is below 16 MiB;
  - under MC_PLUGIN_WRAPPER: the wrapper reports no errors (see below);
  - whatever the caller's check(run, stdout) asserts (e.g. a server's log);
  - json mode: the output is a JSON object whose "state" is the state word;
  - raw mode (-h, -V): only the exit code and a regex on the whole stdout;
  - usage mode: exactly one line.

How the plugin runs: /usr/bin/python3 -S -I runs a tiny reaper (REAPER) that
forks and execs the plugin, reaps it with os.wait4 and hands back its wait
status, ru_maxrss and elapsed time through a pipe.  The indirection is needed:
Linux charges a child's ru_maxrss with the RSS of the process it was forked
from (exec records the old mm's high-water mark in the process's maxrss), so a
plugin forked straight from pytest would report pytest's RSS (tens of MiB).
Forked from the reaper, the floor is the reaper's own, ~5.7 MiB.  The plugin
gets SIGPIPE and SIGXFSZ at their defaults, as under a monitoring daemon
(Python ignores both and exec would pass SIG_IGN on, hiding deaths by
SIGPIPE).  stdout and stderr are read by threads; the outer timeout
(OUTER_TIMEOUT) kills the whole process group.  MAILCHECK_PASSWORD is removed
from the environment unless the case sets it.

Environment:
  MC_BUILDDIR           the build whose plugins/ are tested
  MC_NO_RSS_CHECK=1     skip the RSS assertion (the ASan build: shadow memory)
  MC_PLUGIN_WRAPPER     shell words prepended to the plugin command, e.g.
                        "valgrind -q --error-exitcode=99 --leak-check=full
                        --errors-for-leak-kinds=definite".  With a wrapper the
                        RSS and elapsed-time assertions are skipped (they
                        measure the wrapper), MAILCHECK_MALLOC=system is set so
                        OpenSSL allocates with libc's malloc, the outer timeout
                        is WRAPPED_OUTER_TIMEOUT, and a case also fails when the
                        wrapper exits 99 or its stderr shows "ERROR SUMMARY:
                        [1-9]" or "definitely lost: [1-9]".
"""

import json
import os
import pathlib
import re
import select
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import pytest

STATES = {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}
OUTER_TIMEOUT = 60          # seconds; the plugin's own deadline is -t (default 10)
WRAPPED_OUTER_TIMEOUT = 300 # the same under MC_PLUGIN_WRAPPER (valgrind is slow)
DEFAULT_TIMEOUT = 10.0      # the plugins' -t default
TIMEOUT_SLACK = 0.5         # a run may exceed its -t by this much
MAX_OUTPUT = 4096
MAX_RSS_KIB = 16 * 1024     # peak RSS of the plugin process (ru_maxrss is in KiB)

WRAPPER = shlex.split(os.environ.get("MC_PLUGIN_WRAPPER", ""))
RSS_CHECK = os.environ.get("MC_NO_RSS_CHECK") != "1" and not WRAPPER
WRAPPER_ERRORS = re.compile(r"ERROR SUMMARY: [1-9]|definitely lost: [1-9]")
WRAPPER_ERROR_EXIT = 99     # --error-exitcode=99

PERF_ITEM = re.compile(r"""^('[^'=]+'|[^'= ]+)=-?[0-9]+(\.[0-9]+)?(s|B|%|c)?(;[^; ]*){0,4}$""")
SUBCHECK_LINE = re.compile(r"^ *\[(OK|WARNING|CRITICAL|UNKNOWN)\] \S")   # indented = nested
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
SECRET_ENV = "MAILCHECK_PASSWORD"


@dataclass(frozen=True)
class Case:
    id: str                   # names the server behaviour provoked
    args: str                 # plugin arguments (shell words, placeholders)
    exit: int                 # wanted exit code
    state: str                # wanted state word
    regex: object = ""        # str or tuple of str: must all match the first line
    max_s: float = None       # elapsed-time bound, when it matters
    out: tuple = ()           # regexes that must match the whole output (multi-line)
    absent: tuple = ()        # regexes that must NOT match the whole output
    env: tuple = ()           # (NAME, value) pairs added to the environment (placeholders)
    mode: str = "classic"     # classic | json | usage (exactly one line) | raw (-h/-V)
    xfail: str = None         # known plugin bug: reason (strict xfail)


# argv: FD PROGRAM ARGS...; writes "STATUS MAXRSS_KIB ELAPSED_S" of PROGRAM to FD.
# Runs with -S -I: no site, no environment, as small as Python gets.
REAPER = r"""
import os, sys, time
import _signal      # not signal: that imports enum & co., and the fork copies them
fd = int(sys.argv[1])
os.set_inheritable(fd, False)
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    # Python ignores SIGPIPE and SIGXFSZ; exec keeps SIG_IGN: give the plugin
    # the default dispositions, as a monitoring daemon would
    for sig in (_signal.SIGPIPE, _signal.SIGXFSZ):
        _signal.signal(sig, _signal.SIG_DFL)
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    except OSError as e:
        os.write(2, ("reaper: cannot run %s: %s\n" % (sys.argv[2], e)).encode())
    os._exit(127)
while True:
    try:
        _, status, ru = os.wait4(pid, 0)
        break
    except InterruptedError:
        pass
os.write(fd, ("%d %d %.6f\n" % (status, ru.ru_maxrss, time.monotonic() - t0)).encode())
"""


# ---------------------------------------------------------------------------

def builddir():
    return pathlib.Path(os.environ.get("MC_BUILDDIR") or pathlib.Path(__file__).resolve()
                        .parent.parent.parent).resolve()


def expand(text, values, regex=False):
    def sub(m):
        if m.group(1) not in values:
            return m.group(0)           # not a placeholder (e.g. a regex {n})
        v = str(values[m.group(1)])
        return re.escape(v) if regex else v
    return PLACEHOLDER.sub(sub, text)


def parse_timeout(argv):
    """The plugin's deadline in seconds from -t/--timeout SECONDS[:STATE]."""
    value = None
    for i, w in enumerate(argv):
        if w in ("-t", "--timeout") and i + 1 < len(argv):
            value = argv[i + 1]
        elif w.startswith("--timeout="):
            value = w.split("=", 1)[1]
        elif w.startswith("-t") and not w.startswith("--") and len(w) > 2:
            value = w[2:]
    if value is None:
        return DEFAULT_TIMEOUT
    try:
        return float(value.split(":", 1)[0])
    except ValueError:
        return DEFAULT_TIMEOUT      # a usage error: the plugin exits at once


@dataclass
class Run:
    returncode: int           # the plugin's (negative: killed by that signal)
    stdout: bytes
    stderr: bytes
    elapsed: float            # seconds, fork to reap of the plugin process
    maxrss_kib: int           # the plugin process's ru_maxrss
    outer_elapsed: float      # seconds, as seen from here (includes the reaper)


def _wait_timeout(pid, timeout):
    """os.wait4(pid) with a timeout: (status, rusage), or None on timeout."""
    deadline = time.monotonic() + timeout
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    try:
        while True:
            wpid, status, ru = os.wait4(pid, os.WNOHANG)
            if wpid == pid:
                return status, ru
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if pidfd is not None:
                select.select([pidfd], [], [], left)
            else:
                time.sleep(min(left, 0.005))
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _reader(pipe, chunks):
    with pipe:
        while True:
            data = pipe.read1(65536)
            if not data:
                return
            chunks.append(data)


def describe_exit(code):
    if code < 0:
        try:
            return "killed by %s" % signal.Signals(-code).name
        except ValueError:
            return "killed by signal %d" % -code
    return "exit %d" % code


def run_plugin(binary, argv, extra_env=None):
    cmd = WRAPPER + [str(binary)] + argv
    env = dict(os.environ)
    env.pop(SECRET_ENV, None)
    env.update(extra_env or {})
    if WRAPPER:
        env["MAILCHECK_MALLOC"] = "system"
    outer = WRAPPED_OUTER_TIMEOUT if WRAPPER else OUTER_TIMEOUT
    rfd, wfd = os.pipe()
    t0 = time.monotonic()
    try:
        p = subprocess.Popen([sys.executable, "-S", "-I", "-c", REAPER, str(wfd)] + cmd,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, pass_fds=(wfd,), env=env,
                             start_new_session=True)
    finally:
        os.close(wfd)
    out, err = [], []
    threads = [threading.Thread(target=_reader, args=(p.stdout, out), daemon=True),
               threading.Thread(target=_reader, args=(p.stderr, err), daemon=True)]
    for t in threads:
        t.start()
    try:
        got = _wait_timeout(p.pid, outer)
        if got is None:
            os.killpg(p.pid, signal.SIGKILL)        # the reaper and the plugin
            _, status, _ = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            for t in threads:
                t.join(5)
            pytest.fail("plugin did not exit within %d s: %s\nstdout so far: %r"
                        % (outer, shlex.join(cmd), b"".join(out)), pytrace=False)
        p.returncode = os.waitstatus_to_exitcode(got[0])   # Popen must not wait again
        outer_elapsed = time.monotonic() - t0
        for t in threads:
            t.join(10)
        result = os.read(rfd, 200).split()
    finally:
        os.close(rfd)
    stdout, stderr = b"".join(out), b"".join(err)
    if p.returncode != 0 or len(result) != 3:
        pytest.fail("reaper failed (%s): %s\nstderr: %s"
                    % (describe_exit(p.returncode), shlex.join(cmd),
                       stderr.decode("utf-8", "replace")), pytrace=False)
    status, maxrss, elapsed = int(result[0]), int(result[1]), float(result[2])
    return Run(os.waitstatus_to_exitcode(status), stdout, stderr, elapsed, maxrss,
               outer_elapsed)


def check_classic(label, case, out, regexes):
    lines = out.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert lines, "no output"
    first = lines[0]
    prefix = "%s %s - " % (label, case.state)
    assert first.startswith(prefix), "first line does not start with %r: %r" % (prefix, first)
    for rx in regexes:
        assert re.search(rx, first, re.I), "first line does not match /%s/: %r" % (rx, first)

    assert first.count("|") <= 1, "more than one '|' in the first line: %r" % first
    for n, line in enumerate(lines[1:], 2):
        assert "|" not in line, "'|' in output line %d: %r" % (n, line)
    if "|" in first:
        perf = first.split("|", 1)[1].strip()
        assert perf, "empty perfdata after '|': %r" % first
        for item in perf.split():
            assert PERF_ITEM.match(item), "malformed perfdata item %r in %r" % (item, first)

    if case.mode == "usage":
        assert len(lines) == 1, "usage error must be exactly one line, got %d: %r" % (len(lines), out)
    else:
        for n, line in enumerate(lines[1:], 2):
            # the 4 KiB cap replaces the lines that do not fit by one marker
            if n == len(lines) and re.fullmatch(r"\[\.\.\.\] \d+ more lines", line):
                continue
            assert SUBCHECK_LINE.match(line), "line %d is not a '[STATE] text' subcheck line: %r" % (n, line)


def check_table(cases, loopback_hosts=("localhost", "127.0.0.1", "127.0.0.2", "::1")):
    """The table itself: unique ids, consistent states, loopback only, -s for *.test."""
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    for c in cases:
        assert STATES[c.exit] == c.state, c.id
        assert c.mode in ("classic", "json", "usage", "raw"), c.id
        words = shlex.split(c.args)
        for i, w in enumerate(words):
            if w in ("-H", "--hostname"):
                host = words[i + 1]
                if host.endswith(".test."):     # the same name, fully qualified
                    host = host[:-1]
                assert host in loopback_hosts or host.endswith(".test"), \
                    "%s: host %r is not loopback/test" % (c.id, host)
                if host.endswith(".test"):
                    assert re.search(r"-s \{\w+\}", c.args), \
                        "%s resolves %s without -s {dns}" % (c.id, host)


def params(cases):
    for c in cases:
        marks = [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else []
        yield pytest.param(c, id=c.id, marks=marks)


def run_case(binary, label, case, values, check=None):
    """Run one case and apply every assertion; returns (Run, stdout text).

    check: optional callable(Run, stdout text) with further assertions; its
    failures get the same command/output report as the built-in ones."""
    __tracebackhide__ = True
    argv = [expand(w, values) for w in shlex.split(case.args)]
    env = {k: expand(v, values) for k, v in case.env}
    regexes = case.regex if isinstance(case.regex, tuple) else (case.regex,)
    regexes = [expand(r, values, regex=True) for r in regexes if r]
    out_regexes = [expand(r, values, regex=True) for r in case.out]
    absent = [expand(r, values, regex=True) for r in case.absent]
    limit = parse_timeout(argv) + TIMEOUT_SLACK
    if case.max_s is not None:
        limit = min(limit, case.max_s)

    p = run_plugin(binary, argv, env)
    raw = p.stdout
    out = raw.decode("utf-8", "replace")
    stderr = p.stderr.decode("utf-8", "replace")
    info = ("\n$ %s%s\n%s after %.2fs (%.2fs with the reaper), peak RSS %d KiB\n"
            "stdout:\n%s\nstderr:\n%s" % (
                "".join("%s=%s " % (k, shlex.quote(v)) for k, v in env.items()),
                shlex.join(WRAPPER + [pathlib.Path(binary).name] + argv),
                describe_exit(p.returncode), p.elapsed, p.outer_elapsed, p.maxrss_kib,
                out, stderr))
    try:
        if WRAPPER:
            assert p.returncode != WRAPPER_ERROR_EXIT, \
                "the wrapper reports errors (exit %d)" % WRAPPER_ERROR_EXIT
            m = WRAPPER_ERRORS.search(stderr)
            assert not m, "the wrapper reports errors: %r" % m.group(0)
        assert p.returncode == case.exit, "%s, wanted exit %d (%s)" % (
            describe_exit(p.returncode), case.exit, case.state)
        if case.mode == "raw":
            assert out.strip(), "no output"
            for rx in regexes:
                assert re.search(rx, out, re.I), "output does not match /%s/" % rx
        else:
            assert len(raw) < MAX_OUTPUT, "output is %d bytes (limit %d)" % (len(raw), MAX_OUTPUT)
            if case.mode == "json":
                try:
                    obj = json.loads(out)
                except ValueError as e:
                    raise AssertionError("output is not JSON: %s" % e) from None
                assert isinstance(obj, dict), "JSON output is not an object"
                assert obj.get("state") == case.state, "JSON state %r, wanted %r" % (
                    obj.get("state"), case.state)
            else:
                check_classic(label, case, out, regexes)
            for rx in out_regexes:
                assert re.search(rx, out, re.I), "output does not match /%s/" % rx
            for rx in absent:
                assert not re.search(rx, out, re.I), "output matches /%s/, must not" % rx
        if not WRAPPER:
            assert p.elapsed <= limit, "took %.2fs, limit %.2fs" % (p.elapsed, limit)
        if RSS_CHECK:
            assert p.maxrss_kib < MAX_RSS_KIB, "peak RSS %d KiB, limit %d KiB" % (
                p.maxrss_kib, MAX_RSS_KIB)
        if check is not None:
            check(p, out)
    except AssertionError as e:
        raise AssertionError("%s%s" % (e, info)) from None
    return p, out


# ---------------------------------------------------------------------------
# secrets

def secret_forms(user, password):
    """Every form in which a password could leak into the output: itself and
    the base64 of what SASL PLAIN and LOGIN send (with and without authzid)."""
    import base64
    pw = password.encode()
    forms = {"password": pw}
    for name, blob in (("base64(password)", pw),
                       ("base64(\\0user\\0password)", b"\0" + user.encode() + b"\0" + pw),
                       ("base64(user\\0user\\0password)",
                        user.encode() + b"\0" + user.encode() + b"\0" + pw)):
        enc = base64.b64encode(blob)
        forms[name] = enc
        forms[name + " without padding"] = enc.rstrip(b"=")
    # the password inside any base64 blob, at each of the 3 alignments: the
    # 4-character groups made of password bytes only
    for k in (0, 1, 2):
        enc = base64.b64encode(b"\0" * k + pw)
        core = enc[4 if k else 0:-4]
        if len(core) >= 8:
            forms["base64 fragment of the password (offset %d mod 3)" % k] = core
    return forms


def assert_no_secret(p, user, password, what):
    for name, form in secret_forms(user, password).items():
        for stream, data in (("stdout", p.stdout), ("stderr", p.stderr)):
            assert form not in data, "%s: %s appears in %s:\n%s" % (
                what, name, stream, data.decode("utf-8", "replace"))


def write_secret_files(d, users, wrong="Wr0ng-passw0rd?"):
    """Password files and an --extra-opts ini file in directory d.

    users: {name: password}.  Returns the placeholder values:
      pwfile_NAME    the password alone on the first line
      pwfile_wrong   a wrong password
      pwfile_twolines  monitor's password, then a second line that must be ignored
      pwfile_missing a path that does not exist
      ini            sections [NAME] (user=, password=), [NAME-pwfile]
                     (user=, password-file=) and [wrong] (monitor, wrong password)
      password_NAME  the password itself (for env)
    """
    d = pathlib.Path(d)
    values = {}
    ini = []
    for name, pw in users.items():
        f = d / ("%s.pw" % name)
        f.write_text(pw + "\n")
        f.chmod(0o600)
        values["pwfile_" + name] = str(f)
        values["password_" + name] = pw
        ini += ["[%s]" % name, "user=%s" % name, "password=%s" % pw, "",
                "[%s-pwfile]" % name, "user=%s" % name, "password-file=%s" % f, ""]
    f = d / "wrong.pw"
    f.write_text(wrong + "\n")
    values["pwfile_wrong"] = str(f)
    values["password_wrong"] = wrong
    first = next(iter(users))
    f = d / "twolines.pw"
    f.write_text(users[first] + "\nthis second line is not the password\n")
    values["pwfile_twolines"] = str(f)
    values["pwfile_missing"] = str(d / "no-such-file.pw")
    ini += ["[wrong]", "user=%s" % first, "password=%s" % wrong, ""]
    f = d / "extra.ini"
    f.write_text("\n".join(ini))
    f.chmod(0o600)
    values["ini"] = str(f)
    return values


# The three ways a password reaches a mailbox plugin, for monitor (the
# placeholders are write_secret_files'): login arguments and environment.
SECRET_WAYS = {
    "password-file": ("-U monitor --password-file {pwfile_monitor}", {}),
    "env": ("-U monitor", {"MAILCHECK_PASSWORD": "{password_monitor}"}),
    "extra-opts": ("--extra-opts=monitor@{ini}", {}),
}
# The same with the wrong password.
SECRET_WAYS_WRONG = {
    "password-file": ("-U monitor --password-file {pwfile_wrong}", {}),
    "env": ("-U monitor", {"MAILCHECK_PASSWORD": "{password_wrong}"}),
    "extra-opts": ("--extra-opts=wrong@{ini}", {}),
}


def assert_login_keeps_secret(binary, args, way, values, wrong=False):
    """Run binary ARGS plus the login of way at -vvv: the login works (or,
    with wrong, fails as a login failure) and neither stdout nor stderr
    holds the password in any form."""
    __tracebackhide__ = True
    login, env = (SECRET_WAYS_WRONG if wrong else SECRET_WAYS)[way]
    argv = [expand(w, values) for w in shlex.split(args + " " + login + " -vvv")]
    p = run_plugin(binary, argv, {k: expand(v, values) for k, v in env.items()})
    what = "%s %s (%s)" % (pathlib.Path(binary).name, shlex.join(argv), way)
    out = p.stdout.decode("utf-8", "replace")
    if wrong:
        assert p.returncode == 2 and "login failed" in out.lower(), "%s:\n%s" % (what, out)
    else:
        assert p.returncode in (0, 1), "%s: exit %d, the login must have worked:\n%s%s" % (
            what, p.returncode, out, p.stderr.decode("utf-8", "replace"))
        assert "logged in as monitor" in out, what
    assert_no_secret(p, "monitor", values["password_wrong" if wrong else "password_monitor"],
                     what)

