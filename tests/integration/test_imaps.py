"""Integration tests for check_imaps: the case table below IS the spec.

Each case runs the plugin once against the loopback stack (stack.sh):
  Dovecot  127.0.0.1:10993 IMAPS (implicit TLS)
           127.0.0.1:10143 IMAP + STARTTLS, LOGINDISABLED before TLS
           127.0.0.2:10143 IMAP + STARTTLS, plaintext login allowed before TLS
           certificate good.chain.pem (mail.test); users (passwd-file):
             monitor   INBOX 3 messages (1 unseen), Archive 5 (all seen),
                       quota 10M, almost empty
             quotauser 85 KiB of a 100K quota      fulluser 95 KiB of 100K
  Knot     127.0.0.1:10053, authoritative for test. (mail.test A 127.0.0.1,
           AAAA ::1 -- Dovecot does not listen on ::1)
  faultd   127.0.0.1:11101..11110, scripted IMAP servers (faultd.py's
           docstring): tarpit, BYE greeting, wrong tags, a huge literal, BYE
           mid-session, STARTTLS injection, a login that never answers, a
           line over 8 KiB, no QUOTA capability, no STARTTLS
and asserts for every case what harness.py's docstring lists (exit code,
"IMAPS <STATE> - " first line, regexes, < 4 KiB, one '|', well-formed
perfdata, "[STATE] text" long output, -t + 0.5 s, peak RSS < 16 MiB;
MC_PLUGIN_WRAPPER and MC_NO_RSS_CHECK as for check_smtp_tls).

The plugin is skipped (not failed) while plugins/check_imaps is not built.
test_secrets_* run every way of giving the password at -vvv and prove it
appears nowhere in stdout or stderr, neither plain nor base64 (SASL PLAIN,
LOGIN).  test_dovecot_* and test_faultd_* check the servers themselves, so
a plugin result is never blamed on them.

Placeholders in args, env and regexes: {dns} {ca}, and the secret files the
tests write into a pytest tmp dir: {pwfile_monitor} {pwfile_quotauser}
{pwfile_fulluser} {pwfile_wrong} {pwfile_twolines} {pwfile_missing} {ini}
(sections [monitor], [monitor-pwfile], [quotauser], [fulluser], [wrong]) and
{password_monitor} etc. for MAILCHECK_PASSWORD.  Every case that names a
*.test host passes "-s {dns}".  No case passes --tls for a port that is not
993/143 implicitly: the mode is always explicit.
"""

import socket
import ssl

import pytest

from harness import (SECRET_WAYS, Case, assert_login_keeps_secret, check_table, params,
                     run_case, write_secret_files)

LABEL = "IMAPS"
USERS = {"monitor": "Mon1tor-s3cret!", "quotauser": "Qu0ta-s3cret!", "fulluser": "Fu11-s3cret!"}

# common argument groups
NAME = "-H mail.test -s {dns} -4 --ca-file {ca}"               # by name, IPv4 only
IMPLICIT = NAME + " -p 10993 --tls=implicit"
STARTTLS = NAME + " -p 10143 --tls=starttls"
PLAINOK = "-H 127.0.0.2 --cert-name mail.test --ca-file {ca} -p 10143 --tls=starttls"
ADDR = "-H 127.0.0.1 --cert-name mail.test --ca-file {ca} --tls=starttls"   # faultd
MON = " -U monitor --password-file {pwfile_monitor}"
QUOTA = " -U quotauser --password-file {pwfile_quotauser}"
FULL = " -U fulluser --password-file {pwfile_fulluser}"
PW = {"MAILCHECK_PASSWORD": "{password_monitor}"}

OK_LINE = r"^IMAPS OK - mail\.test:10993 TLSv1\.3 \S+, certificate valid (89|90)\.\d days"
LOGGED_IN = r", logged in as monitor\b"
MSG = r"(^|\s)'?%s'?=%s(;|\s|$)"       # a perfdata item without UOM: MSG % (label, value)

CASES = [
    # ---- Dovecot, TLS only (no login) --------------------------------------------
    Case("implicit-tls-good", IMPLICIT, 0, "OK", (OK_LINE + r"(?!.*STARTTLS)",)),
    Case("starttls-good", STARTTLS, 0, "OK",
         r"^IMAPS OK - mail\.test:10143 STARTTLS TLSv1\.3 \S+, certificate valid (89|90)\.\d days",
         absent=(r"plaintext",)),
    # mail.test has AAAA ::1 where nothing listens: the plugin falls back to 127.0.0.1
    Case("implicit-fallback-from-ipv6", "-H mail.test -s {dns} --ca-file {ca} -p 10993 --tls=implicit",
         0, "OK", r"mail\.test:10993 TLSv1\.3"),
    Case("perfdata-complete", IMPLICIT, 0, "OK",
         (r"\| (.* )?'?time'?=[0-9.]+s", r" '?time_connect'?=[0-9.]+s", r" '?time_tls'?=[0-9.]+s",
          r" '?cert_days'?=[0-9.]+;14:;3:")),
    Case("json-output", IMPLICIT + " --output-format=json", 0, "OK", mode="json"),
    Case("default-trust-store-rejects-test-ca", "-H mail.test -s {dns} -4 -p 10993 --tls=implicit",
         2, "CRITICAL", r"certificate verify failed"),
    Case("cert-wrong-name", "-H 127.0.0.1 --cert-name other.test --ca-file {ca} -p 10993 --tls=implicit",
         2, "CRITICAL", (r"name mismatch", r"other\.test")),
    Case("verify-chain-wrong-name",
         "-H 127.0.0.1 --cert-name other.test --ca-file {ca} -p 10993 --tls=implicit --verify=chain",
         0, "OK", r""),
    Case("verify-none-default-store", "-H mail.test -s {dns} -4 -p 10993 --tls=implicit --verify=none",
         0, "OK", r"not verified"),
    Case("ipv4-address-needs-cert-name", "-H 127.0.0.1 -p 10993 --tls=implicit --ca-file {ca}",
         3, "UNKNOWN", r"cert-name"),
    Case("min-tls13-ok", IMPLICIT + " --min-tls=1.3", 0, "OK", r"TLSv1\.3"),
    Case("cert-days-warning", IMPLICIT + " -D 100,3", 1, "WARNING", r" '?cert_days'?=[0-9.]+;100:;3:"),
    Case("cert-days-critical", IMPLICIT + " -D 100,95", 2, "CRITICAL", r" '?cert_days'?=[0-9.]+;100:;95:"),
    Case("critical-time", IMPLICIT + " -c 0.000001", 2, "CRITICAL",
         r" '?time'?=[0-9.]+s;[^; ]*;0\.000001\b"),
    Case("warning-time", IMPLICIT + " -w 0.000001", 1, "WARNING", r" '?time'?=[0-9.]+s;0\.000001\b"),
    Case("connection-refused", "-H 127.0.0.1 --cert-name mail.test --ca-file {ca} -p 11999 --tls=implicit",
         2, "CRITICAL", r"connection refused"),

    # ---- Dovecot, login: every way of giving the password ------------------------
    Case("login-password-file", IMPLICIT + MON, 0, "OK", (OK_LINE, LOGGED_IN)),
    Case("login-password-file-starttls", STARTTLS + MON, 0, "OK",
         (r"mail\.test:10143 STARTTLS TLSv1\.3", LOGGED_IN), absent=(r"plaintext",)),
    Case("login-env", IMPLICIT + " -U monitor", 0, "OK", LOGGED_IN, env=tuple(PW.items())),
    Case("login-extra-opts", IMPLICIT + " --extra-opts=monitor@{ini}", 0, "OK", LOGGED_IN),
    Case("login-extra-opts-password-file", IMPLICIT + " --extra-opts=monitor-pwfile@{ini}", 0, "OK",
         LOGGED_IN),
    Case("login-password-option", IMPLICIT + " -U monitor -P {password_monitor}", 0, "OK", LOGGED_IN),
    Case("login-password-file-first-line-only", IMPLICIT + " -U monitor --password-file {pwfile_twolines}",
         0, "OK", LOGGED_IN),
    Case("login-auth-plain", IMPLICIT + MON + " --auth=plain", 0, "OK", LOGGED_IN),
    Case("login-auth-login", IMPLICIT + MON + " --auth=login", 0, "OK", LOGGED_IN),
    Case("login-auth-login-starttls", STARTTLS + MON + " --auth=login", 0, "OK", LOGGED_IN),
    Case("login-wrong-password", IMPLICIT + " -U monitor --password-file {pwfile_wrong}", 2, "CRITICAL",
         r"login failed"),
    Case("login-wrong-password-extra-opts", IMPLICIT + " --extra-opts=wrong@{ini}", 2, "CRITICAL",
         r"login failed"),
    Case("login-unknown-user", IMPLICIT + " -U nobody --password-file {pwfile_monitor}", 2, "CRITICAL",
         r"login failed"),
    # not in the brief (assumption): an unreadable password file is a usage error
    Case("password-file-missing", IMPLICIT + " -U monitor --password-file {pwfile_missing}", 3,
         "UNKNOWN", r"password"),
    Case("user-without-password", IMPLICIT + " -U monitor", 3, "UNKNOWN", r"password"),

    # ---- Dovecot, plaintext login possible before TLS (127.0.0.2) ----------------
    Case("plaintext-before-tls", PLAINOK, 1, "WARNING", r"plaintext login accepted before TLS"),
    Case("plaintext-before-tls-with-login", PLAINOK + MON, 1, "WARNING",
         r"plaintext login accepted before TLS", out=(r"logged in as monitor\b",)),

    # ---- Dovecot, mailbox STATUS (-m) --------------------------------------------
    Case("mailbox-inbox", IMPLICIT + MON + " -m INBOX", 0, "OK",
         (LOGGED_IN, r", INBOX 3 messages, 1 unseen", MSG % ("messages", "3"), MSG % ("unseen", "1"))),
    Case("mailbox-inbox-starttls", STARTTLS + MON + " -m INBOX", 0, "OK",
         (r"STARTTLS", r"INBOX 3 messages, 1 unseen")),
    Case("mailbox-archive", IMPLICIT + MON + " -m Archive", 0, "OK",
         (r"Archive 5 messages, 0 unseen", MSG % ("messages", "5"), MSG % ("unseen", "0"))),
    Case("mailbox-messages-ok", IMPLICIT + MON + " -m INBOX --messages-warning 5 --messages-critical 10",
         0, "OK", MSG % ("messages", "3;5;10")),
    Case("mailbox-messages-warning", IMPLICIT + MON + " -m INBOX --messages-warning 2", 1, "WARNING",
         (r"INBOX:? 3 messages", MSG % ("messages", "3;2"))),
    Case("mailbox-messages-critical", IMPLICIT + MON + " -m INBOX --messages-warning 1 --messages-critical 2",
         2, "CRITICAL", MSG % ("messages", "3;1;2")),
    Case("mailbox-unseen-warning", IMPLICIT + MON + " -m INBOX --unseen-warning 0", 1, "WARNING",
         (r"1 unseen", MSG % ("unseen", "1;0"))),
    Case("mailbox-unseen-critical", IMPLICIT + MON + " -m INBOX --unseen-warning 0 --unseen-critical 0",
         2, "CRITICAL", r"1 unseen"),
    Case("mailbox-archive-unseen-ok", IMPLICIT + MON + " -m Archive --unseen-critical 0", 0, "OK",
         r"0 unseen"),
    # not in the brief (assumption): STATUS answered NO is CRITICAL and names the mailbox
    Case("mailbox-missing", IMPLICIT + MON + " -m NoSuchBox", 2, "CRITICAL", r"NoSuchBox"),

    # ---- Dovecot, quota (GETQUOTAROOT) -------------------------------------------
    Case("quota-low-ok", IMPLICIT + MON + " --quota", 0, "OK",
         (r"quota:? 0(\.0+)?%", r" '?quota_used'?=0(\.\d+)?%;80;90")),
    Case("quota-85-warning", IMPLICIT + QUOTA + " --quota", 1, "WARNING",
         (r"quota:? 85(\.0+)?%", r" '?quota_used'?=85(\.0+)?%;80;90")),
    Case("quota-95-critical", IMPLICIT + FULL + " --quota", 2, "CRITICAL",
         (r"quota:? 95(\.0+)?%", r" '?quota_used'?=95(\.0+)?%;80;90")),
    Case("quota-85-starttls", STARTTLS + QUOTA + " --quota", 1, "WARNING", r"quota:? 85(\.0+)?%"),
    Case("quota-thresholds-raised", IMPLICIT + QUOTA + " --quota --quota-warning 90 --quota-critical 95",
         0, "OK", (r"quota:? 85(\.0+)?%", r" '?quota_used'?=85(\.0+)?%;90;95")),
    Case("quota-thresholds-lowered", IMPLICIT + QUOTA + " --quota --quota-critical 80", 2, "CRITICAL",
         r"quota:? 85(\.0+)?%"),
    Case("quota-and-mailbox", IMPLICIT + MON + " --quota -m INBOX", 0, "OK",
         (r"INBOX 3 messages, 1 unseen", r"quota:? 0(\.0+)?%", MSG % ("messages", "3"),
          r" '?quota_used'?=")),
    Case("quota-env-password", IMPLICIT + " -U quotauser --quota", 1, "WARNING", r"quota:? 85(\.0+)?%",
         env=(("MAILCHECK_PASSWORD", "{password_quotauser}"),)),
    Case("quota-capability-absent", ADDR + " -p 11109" + MON + " --quota", 3, "UNKNOWN", r"QUOTA"),
    # the same fake server is a working IMAP server for -m
    Case("faultd-no-quota-mailbox-ok", ADDR + " -p 11109" + MON + " -m INBOX", 0, "OK",
         r"INBOX 3 messages, 1 unseen"),

    # ---- faultd: scripted misbehaviour -------------------------------------------
    # the implicit-TLS port in STARTTLS mode: Dovecot waits for a ClientHello
    Case("implicit-port-in-starttls-mode", "-H 127.0.0.1 -p 10993 --cert-name mail.test "
         "--ca-file {ca} -t 1", 2, "CRITICAL",
         r"timeout after 1s in greeting phase \(no greeting: if the port expects implicit "
         r"TLS, use --tls=implicit\)", max_s=1.5),
    Case("tarpit-timeout", ADDR + " -p 11101 -t 2", 2, "CRITICAL", r"timeout", max_s=2.5),
    Case("tarpit-timeout-warning", ADDR + " -p 11101 -t 2:warning", 1, "WARNING", r"timeout",
         max_s=2.5),
    Case("bye-greeting", ADDR + " -p 11102", 2, "CRITICAL", r"\bBYE\b"),
    Case("tag-mismatch", ADDR + " -p 11103", 2, "CRITICAL", r"protocol error"),
    Case("huge-literal", ADDR + " -p 11104", 2, "CRITICAL", (r"protocol error", r"literal")),
    Case("bye-midsession", ADDR + " -p 11105", 2, "CRITICAL", r"\bBYE\b"),
    Case("starttls-injection", ADDR + " -p 11106", 2, "CRITICAL", r"STARTTLS injection"),
    Case("login-never-answers", ADDR + " -p 11107 -t 2" + MON, 2, "CRITICAL", (r"timeout", r"login"),
         max_s=2.5),
    Case("login-never-answers-auth-login", ADDR + " -p 11107 -t 2" + MON + " --auth=login", 2,
         "CRITICAL", (r"timeout", r"login"), max_s=2.5),
    Case("line-over-8k", ADDR + " -p 11108", 2, "CRITICAL", (r"protocol error", r"too long")),
    Case("no-starttls", ADDR + " -p 11110", 2, "CRITICAL", r"STARTTLS not offered"),

    # ---- usage errors: UNKNOWN, exactly one line ---------------------------------
    Case("usage-missing-hostname", "-p 10993", 3, "UNKNOWN", r"hostname|-H", mode="usage"),
    Case("usage-bad-auth", IMPLICIT + MON + " --auth=bogus", 3, "UNKNOWN", r"bogus|auth", mode="usage"),
    Case("usage-bad-tls-mode", NAME + " --tls=bogus", 3, "UNKNOWN", r"bogus|tls", mode="usage"),
    Case("usage-bad-quota-range", IMPLICIT + MON + " --quota --quota-warning abc", 3, "UNKNOWN", r"abc",
         mode="usage"),
    Case("usage-bad-messages-range", IMPLICIT + MON + " -m INBOX --messages-warning abc", 3, "UNKNOWN",
         r"abc", mode="usage"),
    Case("usage-unknown-option", IMPLICIT + " --bogus-option", 3, "UNKNOWN", r"bogus", mode="usage"),
    Case("help", "-h", 3, "UNKNOWN", (r"--hostname", r"--mailbox", r"--quota", r"--password-file",
                                      r"MAILCHECK_PASSWORD"), mode="raw"),
    Case("version", "-V", 3, "UNKNOWN", r"\S", mode="raw"),
]


# ---------------------------------------------------------------------------
# fixtures

@pytest.fixture(scope="module")
def dovecot(stack):
    """The stack's Dovecot answers on 10993 (else the stack predates it)."""
    try:
        s, f = imap_connect("127.0.0.1", 10993, stack.ca, implicit=True)
        s.close()
    except (OSError, RuntimeError) as e:
        pytest.fail("Dovecot does not answer on 127.0.0.1:10993 (%s: %s); is the stack from a "
                    "stack.sh that starts it?" % (type(e).__name__, e), pytrace=False)
    return stack


@pytest.fixture(scope="module")
def values(dovecot, tmp_path_factory):
    v = {"dns": dovecot.dns, "ca": str(dovecot.ca)}
    v.update(write_secret_files(tmp_path_factory.mktemp("imaps-secrets"), USERS))
    return v


# ---------------------------------------------------------------------------
# a tiny IMAP client for the server checks

def tls_context(ca):
    c = ssl.create_default_context(cafile=str(ca))
    c.check_hostname = True
    return c


def imap_connect(host, port, ca, implicit=False):
    s = socket.create_connection((host, port), timeout=5)
    if implicit:
        s = tls_context(ca).wrap_socket(s, server_hostname="mail.test")
    f = s.makefile("rb")
    g = f.readline(100000)
    if not g.startswith(b"* OK"):
        s.close()
        raise RuntimeError("greeting %r" % g)
    return s, f


def imap_cmd(s, f, tag, cmd, limit=200000):
    """Send a command; return all lines up to the tagged one (b"" on EOF)."""
    s.sendall(tag + b" " + cmd + b"\r\n")
    data = b""
    while len(data) < limit:
        line = f.readline(limit)
        if not line:
            break
        data += line
        if line.startswith(tag + b" "):
            break
    return data


def starttls(s, f, ca, tag=b"t1"):
    r = imap_cmd(s, f, tag, b"STARTTLS")
    assert r.startswith(tag + b" OK"), r
    t = tls_context(ca).wrap_socket(s, server_hostname="mail.test")
    return t, t.makefile("rb")


# ---------------------------------------------------------------------------

def test_case_table_is_sane():
    check_table(CASES)


@pytest.mark.parametrize("host,implicit,loginok", [
    ("127.0.0.1", True, True), ("127.0.0.1", False, False), ("127.0.0.2", False, True)],
    ids=["10993-implicit", "10143-strict", "127.0.0.2-plaintext-ok"])
def test_dovecot_answers_as_designed(dovecot, host, implicit, loginok):
    """Capabilities before TLS, the mailboxes of monitor, the quotas."""
    ca = dovecot.ca
    s, f = imap_connect(host, 10993 if implicit else 10143, ca, implicit)
    try:
        caps = imap_cmd(s, f, b"c1", b"CAPABILITY")
        if not implicit:
            assert b" STARTTLS" in caps
            assert (b"LOGINDISABLED" not in caps) == loginok, caps
            assert (b"AUTH=PLAIN" in caps) == loginok, caps
            s, f = starttls(s, f, ca)
        r = imap_cmd(s, f, b"l1", b"LOGIN monitor Mon1tor-s3cret!")
        assert r.startswith(b"l1 OK") or b"\r\nl1 OK" in r, r
        assert b"* STATUS INBOX (MESSAGES 3 UNSEEN 1)" in imap_cmd(
            s, f, b"s1", b"STATUS INBOX (MESSAGES UNSEEN)")
        assert b"* STATUS Archive (MESSAGES 5 UNSEEN 0)" in imap_cmd(
            s, f, b"s2", b"STATUS Archive (MESSAGES UNSEEN)")
        assert b" QUOTA" in imap_cmd(s, f, b"c2", b"CAPABILITY")
        assert b'(STORAGE 8 10240)' in imap_cmd(s, f, b"q1", b"GETQUOTAROOT INBOX")
        imap_cmd(s, f, b"z1", b"LOGOUT")
    finally:
        s.close()


@pytest.mark.parametrize("user,pct", [("quotauser", 85), ("fulluser", 95)])
def test_dovecot_quota_as_designed(dovecot, user, pct):
    s, f = imap_connect("127.0.0.1", 10993, dovecot.ca, implicit=True)
    try:
        r = imap_cmd(s, f, b"l1", b"LOGIN %s %s" % (user.encode(), USERS[user].encode()))
        assert b"l1 OK" in r, r
        assert b"(STORAGE %d 100)" % pct in imap_cmd(s, f, b"q1", b"GETQUOTAROOT INBOX")
        r = imap_cmd(s, f, b"l2", b"LOGOUT")
    finally:
        s.close()
    s, f = imap_connect("127.0.0.1", 10993, dovecot.ca, implicit=True)
    try:
        r = imap_cmd(s, f, b"l1", b"LOGIN %s wrong" % user.encode())
        assert b"l1 NO" in r, r
    finally:
        s.close()


def test_faultd_imap_answers_as_designed(dovecot):
    """The scripted IMAP servers (so a plugin result is not blamed on them)."""
    ca = dovecot.ca
    h = "127.0.0.1"

    s = socket.create_connection((h, 11101), timeout=5)
    s.settimeout(0.5)
    with pytest.raises(socket.timeout):
        s.recv(100)
    s.close()

    with socket.create_connection((h, 11102), timeout=5) as s:
        f = s.makefile("rb")
        assert f.readline() == b"* BYE going away\r\n"
        assert f.readline() == b""

    s, f = imap_connect(h, 11103, ca)
    with s:
        s.sendall(b"a1 NOOP\r\n")
        assert f.readline() == b"zz OK done\r\n"

    s, f = imap_connect(h, 11104, ca)
    with s:
        s.sendall(b"a1 CAPABILITY\r\n")
        assert f.readline() == b"* CAPABILITY {70000}\r\n"
        assert len(f.read(70000)) == 70000
        assert f.readline() == b"\r\n" and f.readline() == b"a1 OK done\r\n"

    s, f = imap_connect(h, 11105, ca)
    with s:
        assert imap_cmd(s, f, b"a1", b"CAPABILITY") == b"* BYE shutting down\r\n"

    s, f = imap_connect(h, 11106, ca)
    with s:
        s.sendall(b"x7 STARTTLS\r\n")
        assert s.recv(1000) == b"x7 OK begin TLS\r\n* OK injected\r\n"

    s, f = imap_connect(h, 11107, ca)
    try:
        s, f = starttls(s, f, ca)
        assert b"AUTH=PLAIN" in imap_cmd(s, f, b"a2", b"CAPABILITY")
        s.sendall(b"a3 LOGIN monitor x\r\n")
        s.settimeout(0.5)
        with pytest.raises(socket.timeout):
            s.recv(100)
    finally:
        s.close()

    s, f = imap_connect(h, 11108, ca)
    with s:
        r = imap_cmd(s, f, b"a1", b"CAPABILITY")
        assert len(r.split(b"\r\n")[0]) > 8192 and r.endswith(b"a1 OK done\r\n")

    s, f = imap_connect(h, 11109, ca)
    try:
        s, f = starttls(s, f, ca)
        assert b"OK" in imap_cmd(s, f, b"a2", b"LOGIN monitor x")
        assert b"QUOTA" not in imap_cmd(s, f, b"a3", b"CAPABILITY")
        assert b"(MESSAGES 3 UNSEEN 1)" in imap_cmd(s, f, b"a4", b"STATUS INBOX (MESSAGES UNSEEN)")
        assert b"a5 BAD" in imap_cmd(s, f, b"a5", b"GETQUOTAROOT INBOX")
    finally:
        s.close()

    s, f = imap_connect(h, 11110, ca)
    with s:
        assert b"STARTTLS" not in imap_cmd(s, f, b"a1", b"CAPABILITY")


@pytest.mark.parametrize("case", params(CASES))
def test_check_imaps(case, check_imaps, values):
    run_case(check_imaps, LABEL, case, values)


# ---------------------------------------------------------------------------
# secrets: the password never appears in the output, even at -vvv

SECRET_PATHS = {
    "implicit-plain": IMPLICIT + " --auth=plain -m INBOX --quota",
    "implicit-login": IMPLICIT + " --auth=login -m INBOX",
    "starttls-plain": STARTTLS + " --auth=plain -m INBOX",
    "starttls-login": STARTTLS + " --auth=login",
    "plaintext-ok-port": PLAINOK,
}


@pytest.mark.parametrize("path", sorted(SECRET_PATHS))
@pytest.mark.parametrize("way", sorted(SECRET_WAYS))
def test_secrets_never_printed(check_imaps, values, way, path):
    assert_login_keeps_secret(check_imaps, SECRET_PATHS[path], way, values)


@pytest.mark.parametrize("auth", ["plain", "login"])
@pytest.mark.parametrize("way", sorted(SECRET_WAYS))
def test_secrets_never_printed_failed_login(check_imaps, values, way, auth):
    """A wrong password at -vvv: the error path must not print it either."""
    assert_login_keeps_secret(check_imaps, STARTTLS + " --auth=" + auth, way, values, wrong=True)
