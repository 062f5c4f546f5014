"""check_smtp_tls -U (SMTP AUTH, RFC 4954): every mechanism against Postfix
with Dovecot SASL (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256 picked by default),
the ways a password is given, wrong passwords, AUTH offered before STARTTLS
or not at all, servers that misbehave inside AUTH, and the password never
printed. The case table below IS the spec; harness.py's run_case applies the assertions every case shares (exit code and
state word, first-line regexes, output size and shape, perfdata syntax, the
-t bound, RSS, and wrapper errors under valgrind/ASan).

Servers (stack.sh):
  Postfix  127.0.0.1:10587 submission (AUTH after STARTTLS only, Dovecot
           SASL); 10465 implicit TLS with AUTH; 10037 AUTH offered before
           STARTTLS; 10025 offers no AUTH
  faultd   127.0.0.1:11030 a SCRAM server whose proof is wrong (an impostor),
           11031 asks 10^9 PBKDF2 iterations, 11032 a challenge that is not
           base64, 11033 AUTH never answered
"""

import pytest

from harness import (SECRET_WAYS, Case, assert_login_keeps_secret, check_table, params, run_case,
                     write_secret_files)

LABEL = "SMTP_TLS"
USERS = {"monitor": "Mon1tor-s3cret!"}

CA = " --ca-file {ca}"
DNS = " -s {dns}"
PF = " -p 10025" + CA + DNS
SUB = "-H 127.0.0.1 -p 10587 --cert-name mail.test" + CA
SUBS = "-H 127.0.0.1 -p 10465 --tls=implicit --cert-name mail.test" + CA
MON = " -U monitor --password-file {pwfile_monitor}"
FAULT = "-H 127.0.0.1 --cert-name mail.test" + CA + " -p "

CASES = [
    # ---- AUTH ---------------------------------------------------------------------------
    Case("auth-auto-picks-scram", SUB + MON, 0, "OK",
         r"logged in as monitor \(AUTH SCRAM-SHA-256\)", out=(r"'?time_auth'?=",)),
    Case("auth-plain", SUB + MON + " -A PLAIN", 0, "OK", r"logged in as monitor \(AUTH PLAIN\)"),
    Case("auth-login", SUB + MON + " -A login", 0, "OK", r"\(AUTH LOGIN\)"),
    Case("auth-cram-md5", SUB + MON + " --authtype CRAM-MD5", 0, "OK", r"\(AUTH CRAM-MD5\)"),
    Case("auth-scram", SUB + MON + " -A SCRAM-SHA-256", 0, "OK", r"\(AUTH SCRAM-SHA-256\)"),
    Case("auth-implicit-tls", SUBS + MON, 0, "OK", r"logged in as monitor"),
    Case("auth-env-password", SUB + " -U monitor -A PLAIN", 0, "OK", r"logged in as monitor",
         env=(("MAILCHECK_PASSWORD", "{password_monitor}"),)),
    Case("auth-extra-opts", SUB + " --extra-opts=monitor@{ini}", 0, "OK", r"logged in"),
    Case("auth-wrong-password", SUB + " -U monitor --password-file {pwfile_wrong} -A PLAIN", 2,
         "CRITICAL", r"login failed: AUTH PLAIN rejected: 535"),
    Case("auth-wrong-password-scram", SUB + " -U monitor --password-file {pwfile_wrong}", 2,
         "CRITICAL", r"login failed: AUTH SCRAM-SHA-256 rejected: 535"),
    Case("auth-not-offered", "-H 127.0.0.1 --cert-name mail.test" + PF + MON, 2, "CRITICAL",
         r"AUTH not offered after TLS"),
    Case("auth-before-starttls-warns", "-H 127.0.0.1 -p 10037 --cert-name mail.test" + CA + MON,
         1, "WARNING", r"AUTH offered before STARTTLS: credentials could be sent in clear",
         out=(r"\[OK\] auth: logged in as monitor",)),
    Case("auth-submission-hides-auth-before-tls", SUB + MON, 0, "OK",
         absent=(r"AUTH offered before",)),
    # fault servers (faultd.py 11030..11034)
    Case("auth-scram-impostor", FAULT + "11030" + MON, 2, "CRITICAL",
         r"AUTH SCRAM-SHA-256 failed: .*signature"),
    Case("auth-scram-iterations", FAULT + "11031" + MON, 2, "CRITICAL",
         r"AUTH SCRAM-SHA-256 failed: .*iteration", max_s=2.0),
    Case("auth-bad-challenge", FAULT + "11032" + MON + " -A LOGIN", 2, "CRITICAL",
         r"challenge is not base64"),
    Case("auth-stall", FAULT + "11033" + MON + " -t 2", 2, "CRITICAL",
         r"timeout after 2s in auth phase"),
    Case("auth-mech-not-offered", FAULT + "11032" + MON + " -A GSSAPI", 3, "UNKNOWN",
         r"invalid --authtype", mode="usage"),
    Case("authtype-without-user", SUB + " -A PLAIN", 3, "UNKNOWN", r"--authtype needs -U",
         mode="usage"),
    Case("authtype-unknown", SUB + MON + " -A GSSAPI", 3, "UNKNOWN", r"invalid --authtype",
         mode="usage"),
]


@pytest.fixture(scope="module")
def values(stack, tmp_path_factory):
    v = {"dns": "127.0.0.1:10054", "ca": str(stack.ca)}
    v.update(write_secret_files(tmp_path_factory.mktemp("smtp-secrets"), USERS))
    return v


def test_case_table_is_sane():
    check_table(CASES, loopback_hosts=("127.0.0.1",))


@pytest.mark.parametrize("case", params(CASES))
def test_smtp_auth(case, check_smtp_tls, values):
    run_case(check_smtp_tls, LABEL, case, values)


# secrets: the password never appears in the output, even at -vvv, whatever
# the mechanism
@pytest.mark.parametrize("mech", ["PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"])
@pytest.mark.parametrize("way", sorted(SECRET_WAYS))
def test_secrets_never_printed(check_smtp_tls, values, way, mech):
    assert_login_keeps_secret(check_smtp_tls, SUB + " -A " + mech, way, values)


@pytest.mark.parametrize("mech", ["PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"])
def test_secrets_never_printed_failed_login(check_smtp_tls, values, mech):
    assert_login_keeps_secret(check_smtp_tls, SUB + " -A " + mech, "password-file", values,
                              wrong=True)
