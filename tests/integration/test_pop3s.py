"""Integration tests for check_pop3s: the case table below IS the spec.

Each case runs the plugin once against the loopback stack (stack.sh):
  Dovecot  127.0.0.1:10995 POP3S (implicit TLS)
           127.0.0.1:10110 POP3 + STLS, no USER / SASL before TLS
           127.0.0.2:10110 POP3 + STLS, USER and SASL PLAIN allowed before TLS
           certificate good.chain.pem (mail.test); users (passwd-file):
             monitor   INBOX 3 messages, 4500 octets
             quotauser INBOX 4 messages, 87040 octets
  Knot     127.0.0.1:10053, authoritative for test.
  faultd   127.0.0.1:11201..11207, scripted POP3 servers (faultd.py's
           docstring): tarpit, -ERR greeting, STLS injection, a CAPA that
           never ends, a login that never answers, a 70 KB multi-line reply,
           no STLS
and asserts for every case what harness.py's docstring lists (exit code,
"POP3S <STATE> - " first line, regexes, < 4 KiB, one '|', well-formed
perfdata, "[STATE] text" long output, -t + 0.5 s, peak RSS < 16 MiB;
MC_PLUGIN_WRAPPER and MC_NO_RSS_CHECK as for check_smtp_tls).

The plugin is skipped (not failed) while plugins/check_pop3s is not built.
test_secrets_* prove the password never appears in stdout or stderr at -vvv
(plain or base64), for every way of giving it.  Placeholders: as in
test_imaps.py.  The TLS mode is always explicit (--tls=implicit|starttls).
"""

import socket
import ssl

import pytest

from harness import (SECRET_WAYS, Case, assert_login_keeps_secret, check_table, params,
                     run_case, write_secret_files)

LABEL = "POP3S"
USERS = {"monitor": "Mon1tor-s3cret!", "quotauser": "Qu0ta-s3cret!", "fulluser": "Fu11-s3cret!"}

NAME = "-H mail.test -s {dns} -4 --ca-file {ca}"
IMPLICIT = NAME + " -p 10995 --tls=implicit"
STARTTLS = NAME + " -p 10110 --tls=starttls"
PLAINOK = "-H 127.0.0.2 --cert-name mail.test --ca-file {ca} -p 10110 --tls=starttls"
ADDR = "-H 127.0.0.1 --cert-name mail.test --ca-file {ca} --tls=starttls"   # faultd
MON = " -U monitor --password-file {pwfile_monitor}"
PW = {"MAILCHECK_PASSWORD": "{password_monitor}"}

OK_LINE = r"^POP3S OK - mail\.test:10995 TLSv1\.3 \S+, certificate valid (89|90)\.\d days"
LOGGED_IN = r", logged in as monitor\b"
MESSAGES = r"(^|\s)'?messages'?=%s(;|\s|$)"
SIZE = r"(^|\s)'?size'?=%sB%s(;|\s|$)"      # SIZE % (octets, ";warn;crit")

CASES = [
    # ---- Dovecot, TLS only (no login) --------------------------------------------
    Case("implicit-tls-good", IMPLICIT, 0, "OK", (OK_LINE + r"(?!.*STLS)(?!.*STARTTLS)",)),
    # the STARTTLS path names POP3's command, STLS, before TLSv1.x
    Case("stls-good", STARTTLS, 0, "OK",
         r"^POP3S OK - mail\.test:10110 STLS TLSv1\.3 \S+, certificate valid (89|90)\.\d days",
         absent=(r"plaintext",)),
    Case("implicit-fallback-from-ipv6", "-H mail.test -s {dns} --ca-file {ca} -p 10995 --tls=implicit",
         0, "OK", r"mail\.test:10995 TLSv1\.3"),
    Case("perfdata-complete", IMPLICIT, 0, "OK",
         (r"\| (.* )?'?time'?=[0-9.]+s", r" '?time_connect'?=[0-9.]+s", r" '?time_tls'?=[0-9.]+s",
          r" '?cert_days'?=[0-9.]+;14:;3:")),
    Case("json-output", IMPLICIT + " --output-format=json", 0, "OK", mode="json"),
    Case("default-trust-store-rejects-test-ca", "-H mail.test -s {dns} -4 -p 10995 --tls=implicit",
         2, "CRITICAL", r"certificate verify failed"),
    Case("cert-wrong-name", "-H 127.0.0.1 --cert-name other.test --ca-file {ca} -p 10995 --tls=implicit",
         2, "CRITICAL", (r"name mismatch", r"other\.test")),
    Case("cert-days-warning", IMPLICIT + " -D 100,3", 1, "WARNING", r" '?cert_days'?=[0-9.]+;100:;3:"),
    Case("cert-days-critical", STARTTLS + " -D 100,95", 2, "CRITICAL", r" '?cert_days'?=[0-9.]+;100:;95:"),
    Case("min-tls13-ok", IMPLICIT + " --min-tls=1.3", 0, "OK", r"TLSv1\.3"),
    Case("critical-time", IMPLICIT + " -c 0.000001", 2, "CRITICAL",
         r" '?time'?=[0-9.]+s;[^; ]*;0\.000001\b"),
    Case("connection-refused", "-H 127.0.0.1 --cert-name mail.test --ca-file {ca} -p 11999 --tls=implicit",
         2, "CRITICAL", r"connection refused"),

    # ---- Dovecot, login and STAT -------------------------------------------------
    Case("login-password-file", IMPLICIT + MON, 0, "OK",
         (OK_LINE, LOGGED_IN, MESSAGES % "3", SIZE % ("4500", ""))),
    Case("login-password-file-stls", STARTTLS + MON, 0, "OK",
         (r"mail\.test:10110 STLS TLSv1\.3", LOGGED_IN, MESSAGES % "3", SIZE % ("4500", "")),
         absent=(r"plaintext",)),
    Case("login-env", IMPLICIT + " -U monitor", 0, "OK", LOGGED_IN, env=tuple(PW.items())),
    Case("login-extra-opts", IMPLICIT + " --extra-opts=monitor@{ini}", 0, "OK", LOGGED_IN),
    Case("login-extra-opts-password-file", IMPLICIT + " --extra-opts=monitor-pwfile@{ini}", 0, "OK",
         LOGGED_IN),
    Case("login-password-option", IMPLICIT + " -U monitor -P {password_monitor}", 0, "OK", LOGGED_IN),
    Case("login-password-file-first-line-only", IMPLICIT + " -U monitor --password-file {pwfile_twolines}",
         0, "OK", LOGGED_IN),
    Case("login-auth-user", IMPLICIT + MON + " --auth=user", 0, "OK", (LOGGED_IN, MESSAGES % "3")),
    Case("login-auth-plain", IMPLICIT + MON + " --auth=plain", 0, "OK", (LOGGED_IN, MESSAGES % "3")),
    Case("login-auth-user-stls", STARTTLS + MON + " --auth=user", 0, "OK", LOGGED_IN),
    Case("login-quotauser-stat", IMPLICIT + " -U quotauser --password-file {pwfile_quotauser}", 0, "OK",
         (r"logged in as quotauser", MESSAGES % "4", SIZE % ("87040", ""))),
    Case("login-wrong-password", IMPLICIT + " -U monitor --password-file {pwfile_wrong}", 2, "CRITICAL",
         r"login failed"),
    Case("login-wrong-password-auth-plain", STARTTLS + " -U monitor --password-file {pwfile_wrong} --auth=plain",
         2, "CRITICAL", r"login failed"),
    Case("login-unknown-user", IMPLICIT + " -U nobody --password-file {pwfile_monitor}", 2, "CRITICAL",
         r"login failed"),
    # not in the brief (assumption): as for check_imaps
    Case("password-file-missing", IMPLICIT + " -U monitor --password-file {pwfile_missing}", 3,
         "UNKNOWN", r"password"),
    Case("user-without-password", IMPLICIT + " -U monitor", 3, "UNKNOWN", r"password"),

    # ---- thresholds on STAT ------------------------------------------------------
    Case("messages-ok", IMPLICIT + MON + " --messages-warning 5 --messages-critical 10", 0, "OK",
         MESSAGES % "3;5;10"),
    Case("messages-warning", IMPLICIT + MON + " --messages-warning 2", 1, "WARNING", MESSAGES % "3;2"),
    Case("messages-critical", IMPLICIT + MON + " --messages-warning 1 --messages-critical 2", 2,
         "CRITICAL", MESSAGES % "3;1;2"),
    Case("size-ok", IMPLICIT + MON + " --size-warning 5000 --size-critical 10000", 0, "OK",
         SIZE % ("4500", ";5000;10000")),
    Case("size-warning", IMPLICIT + MON + " --size-warning 4000", 1, "WARNING", SIZE % ("4500", ";4000")),
    Case("size-critical", IMPLICIT + MON + " --size-warning 1000 --size-critical 4000", 2, "CRITICAL",
         SIZE % ("4500", ";1000;4000")),

    # ---- Dovecot, plaintext login possible before TLS (127.0.0.2) ----------------
    Case("plaintext-before-tls", PLAINOK, 1, "WARNING", r"plaintext login accepted before TLS"),
    Case("plaintext-before-tls-with-login", PLAINOK + MON, 1, "WARNING",
         r"plaintext login accepted before TLS", out=(r"logged in as monitor\b",)),

    # ---- faultd: scripted misbehaviour -------------------------------------------
    # the implicit-TLS port in STARTTLS mode: Dovecot waits for a ClientHello
    Case("implicit-port-in-starttls-mode", "-H 127.0.0.1 -p 10995 --cert-name mail.test "
         "--ca-file {ca} -t 1", 2, "CRITICAL",
         r"timeout after 1s in greeting phase \(no greeting: if the port expects implicit "
         r"TLS, use --tls=implicit\)", max_s=1.5),
    Case("tarpit-timeout", ADDR + " -p 11201 -t 2", 2, "CRITICAL", r"timeout", max_s=2.5),
    Case("err-greeting", ADDR + " -p 11202", 2, "CRITICAL", r"go away|-ERR"),
    Case("stls-injection", ADDR + " -p 11203", 2, "CRITICAL", r"STLS injection"),
    # lines keep coming, never the "."; the overall deadline still holds
    Case("endless-capa", ADDR + " -p 11204 -t 2", 2, "CRITICAL", r"timeout", max_s=2.5),
    Case("login-never-answers", ADDR + " -p 11205 -t 2" + MON, 2, "CRITICAL", (r"timeout", r"login"),
         max_s=2.5),
    Case("login-never-answers-auth-plain", ADDR + " -p 11205 -t 2" + MON + " --auth=plain", 2,
         "CRITICAL", (r"timeout", r"login"), max_s=2.5),
    Case("multiline-over-64k", ADDR + " -p 11206", 2, "CRITICAL", r"protocol error"),
    Case("no-stls", ADDR + " -p 11207", 2, "CRITICAL", r"STLS not offered"),

    # ---- usage errors: UNKNOWN, exactly one line ---------------------------------
    Case("usage-missing-hostname", "-p 10995", 3, "UNKNOWN", r"hostname|-H", mode="usage"),
    Case("usage-bad-auth", IMPLICIT + MON + " --auth=login", 3, "UNKNOWN", r"login|auth", mode="usage"),
    Case("usage-bad-tls-mode", NAME + " --tls=bogus", 3, "UNKNOWN", r"bogus|tls", mode="usage"),
    Case("usage-bad-size-range", IMPLICIT + MON + " --size-warning abc", 3, "UNKNOWN", r"abc",
         mode="usage"),
    Case("usage-unknown-option", IMPLICIT + " --bogus-option", 3, "UNKNOWN", r"bogus", mode="usage"),
    Case("help", "-h", 3, "UNKNOWN", (r"--hostname", r"--password-file", r"--size-warning",
                                      r"MAILCHECK_PASSWORD"), mode="raw"),
    Case("version", "-V", 3, "UNKNOWN", r"\S", mode="raw"),
]


# ---------------------------------------------------------------------------
# fixtures

@pytest.fixture(scope="module")
def dovecot(stack):
    try:
        s, f = pop3_connect("127.0.0.1", 10995, stack.ca, implicit=True)
        s.close()
    except (OSError, RuntimeError) as e:
        pytest.fail("Dovecot does not answer on 127.0.0.1:10995 (%s: %s); is the stack from a "
                    "stack.sh that starts it?" % (type(e).__name__, e), pytrace=False)
    return stack


@pytest.fixture(scope="module")
def values(dovecot, tmp_path_factory):
    v = {"dns": dovecot.dns, "ca": str(dovecot.ca)}
    v.update(write_secret_files(tmp_path_factory.mktemp("pop3s-secrets"), USERS))
    return v


# ---------------------------------------------------------------------------
# a tiny POP3 client for the server checks

def tls_context(ca):
    return ssl.create_default_context(cafile=str(ca))


def pop3_connect(host, port, ca, implicit=False):
    s = socket.create_connection((host, port), timeout=5)
    if implicit:
        s = tls_context(ca).wrap_socket(s, server_hostname="mail.test")
    f = s.makefile("rb")
    g = f.readline(10000)
    if not g.startswith(b"+OK"):
        s.close()
        raise RuntimeError("greeting %r" % g)
    return s, f


def pop3_cmd(s, f, cmd, multi=False, limit=200000):
    """Send a command; the status line, and for multi the lines up to "."."""
    s.sendall(cmd + b"\r\n")
    first = f.readline(limit)
    lines = []
    if multi and first.startswith(b"+OK"):
        while sum(map(len, lines)) < limit:
            line = f.readline(limit)
            if not line or line == b".\r\n":
                break
            lines.append(line)
    return first, lines


def stls(s, f, ca):
    r, _ = pop3_cmd(s, f, b"STLS")
    assert r.startswith(b"+OK"), r
    t = tls_context(ca).wrap_socket(s, server_hostname="mail.test")
    return t, t.makefile("rb")


# ---------------------------------------------------------------------------

def test_case_table_is_sane():
    check_table(CASES)


@pytest.mark.parametrize("host,implicit,userok", [
    ("127.0.0.1", True, True), ("127.0.0.1", False, False), ("127.0.0.2", False, True)],
    ids=["10995-implicit", "10110-strict", "127.0.0.2-plaintext-ok"])
def test_dovecot_answers_as_designed(dovecot, host, implicit, userok):
    ca = dovecot.ca
    s, f = pop3_connect(host, 10995 if implicit else 10110, ca, implicit)
    try:
        if not implicit:
            _, caps = pop3_cmd(s, f, b"CAPA", multi=True)
            assert b"STLS\r\n" in caps
            assert (b"USER\r\n" in caps) == userok, caps
            s, f = stls(s, f, ca)
        assert pop3_cmd(s, f, b"USER monitor")[0].startswith(b"+OK")
        assert pop3_cmd(s, f, b"PASS Mon1tor-s3cret!")[0].startswith(b"+OK")
        assert pop3_cmd(s, f, b"STAT")[0] == b"+OK 3 4500\r\n"
        pop3_cmd(s, f, b"QUIT")
    finally:
        s.close()


def test_faultd_pop3_answers_as_designed(dovecot):
    ca = dovecot.ca
    h = "127.0.0.1"

    s = socket.create_connection((h, 11201), timeout=5)
    s.settimeout(0.5)
    with pytest.raises(socket.timeout):
        s.recv(100)
    s.close()

    with socket.create_connection((h, 11202), timeout=5) as s:
        f = s.makefile("rb")
        assert f.readline() == b"-ERR go away\r\n" and f.readline() == b""

    s, f = pop3_connect(h, 11203, ca)
    with s:
        s.sendall(b"STLS\r\n")
        assert s.recv(1000) == b"+OK begin TLS\r\n+OK injected\r\n"

    s, f = pop3_connect(h, 11204, ca)
    with s:
        s.sendall(b"CAPA\r\n")
        assert f.readline().startswith(b"+OK")
        for _ in range(3):
            line = f.readline()
            assert line.startswith(b"X-FAULTD-"), line

    s, f = pop3_connect(h, 11205, ca)
    try:
        s, f = stls(s, f, ca)
        _, caps = pop3_cmd(s, f, b"CAPA", multi=True)
        assert b"USER\r\n" in caps
        s.sendall(b"USER monitor\r\n")
        s.settimeout(0.5)
        with pytest.raises(socket.timeout):
            s.recv(100)
    finally:
        s.close()

    s, f = pop3_connect(h, 11206, ca)
    with s:
        first, lines = pop3_cmd(s, f, b"CAPA", multi=True)
        assert first.startswith(b"+OK") and sum(map(len, lines)) > 65536

    s, f = pop3_connect(h, 11207, ca)
    with s:
        _, caps = pop3_cmd(s, f, b"CAPA", multi=True)
        assert caps and b"STLS\r\n" not in caps


@pytest.mark.parametrize("case", params(CASES))
def test_check_pop3s(case, check_pop3s, values):
    run_case(check_pop3s, LABEL, case, values)


# ---------------------------------------------------------------------------
# secrets: the password never appears in the output, even at -vvv

SECRET_PATHS = {
    "implicit-user": IMPLICIT + " --auth=user",
    "implicit-plain": IMPLICIT + " --auth=plain",
    "stls-user": STARTTLS + " --auth=user",
    "stls-plain": STARTTLS + " --auth=plain",
    "plaintext-ok-port": PLAINOK,
}


@pytest.mark.parametrize("path", sorted(SECRET_PATHS))
@pytest.mark.parametrize("way", sorted(SECRET_WAYS))
def test_secrets_never_printed(check_pop3s, values, way, path):
    assert_login_keeps_secret(check_pop3s, SECRET_PATHS[path], way, values)


@pytest.mark.parametrize("auth", ["user", "plain"])
@pytest.mark.parametrize("way", sorted(SECRET_WAYS))
def test_secrets_never_printed_failed_login(check_pop3s, values, way, auth):
    """A wrong password at -vvv: the error path must not print it either."""
    assert_login_keeps_secret(check_pop3s, STARTTLS + " --auth=" + auth, way, values, wrong=True)
