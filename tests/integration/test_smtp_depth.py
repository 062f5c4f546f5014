"""check_smtp_tls in depth: DANE, MX fan-out, AUTH, OCSP stapling, protocol
policy, capabilities and the relay test.  The case table below IS the spec;
harness.py's run_case applies the assertions every case shares (exit code and
state word, first-line regexes, output size and shape, perfdata syntax, the
-t bound, RSS, and wrapper errors under valgrind/ASan).

Servers (stack.sh):
  Postfix  127.0.0.1:10025 (and [::1]) relays for loopback clients (the open
           relay); 10587 submission (AUTH after STARTTLS only, Dovecot SASL);
           10465 implicit TLS with AUTH; 10037 AUTH offered before STARTTLS,
           relaying refused without AUTH; 10035 RSA 1024 certificate
  Unbound  127.0.0.1:10054, validating (mx.test. signed): {dns} here, so that
           TLSA and MX answers carry AD; Knot 127.0.0.1:10053 ({auth}) answers
           without AD
  tlsd.py  127.0.0.1:11301.. implicit-TLS SMTP: OCSP staples (good, revoked,
           expired, garbage, none, must-staple), TLS 1.0 accepted, TLS 1.2
           only, RSA 2048 and SHA-1 signed certificates (tlsd.py --list)
DNS data (mx.test., signed): dane-ee / dane-ta / dane-bad / dane-pkix /
dane-none (TLSA at _10025._tcp.NAME: matching DANE-EE, matching DANE-TA on the
intermediate, two non-matching, PKIX-EE only, none), fan (3 MX x 127.0.0.1 and
::1, TLSA 3 1 1 on each), fanbad (one MX does not resolve), nullmx; and
dane.plain.test (unsigned zone, matching TLSA).
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
TLSD = "-H 127.0.0.1 --tls=implicit --cert-name mail.test" + CA + " -p "
FAN = "--mx fan.mx.test" + PF
FAULT = "-H 127.0.0.1 --cert-name mail.test" + CA + " -p "
DANE_OK = r"DANE: TLSA record 3 1 1 [0-9a-f]{32}\.\.\. at _10025\._tcp\.%s matches \(depth 0\)"

CASES = [
    # ---- DANE (RFC 7672) ------------------------------------------------------------
    Case("dane-ee-match", "-H dane-ee.mx.test --dane" + PF, 0, "OK", r"DANE verified",
         out=(DANE_OK % r"dane-ee\.mx\.test", r"\[OK\] verification: by DANE")),
    # DANE-EE binds the key: no trust store and no name needed
    Case("dane-ee-without-trust-store", "-H dane-ee.mx.test --dane -p 10025" + DNS, 0, "OK",
         r"DANE verified"),
    Case("dane-ta-match", "-H dane-ta.mx.test --dane=require -p 10025" + DNS, 0, "OK",
         r"DANE verified",
         out=(r"DANE: TLSA record 2 0 1 [0-9a-f]{32}\.\.\. at _10025\._tcp\.dane-ta\.mx\.test "
              r"matches \(depth 1\)",)),
    Case("dane-no-match", "-H dane-bad.mx.test --dane" + PF, 2, "CRITICAL",
         r"none of the 2 usable TLSA records at _10025\._tcp\.dane-bad\.mx\.test matches"),
    Case("dane-pkix-usage-only", "-H dane-pkix.mx.test --cert-name mail.test --dane" + PF, 1,
         "WARNING", r"no usable TLSA record .*RFC 7672 section 3\.1\.3",
         out=(r"\[OK\] verification: chain and name valid",)),
    Case("dane-no-tlsa", "-H dane-none.mx.test --cert-name mail.test --dane" + PF, 1, "WARNING",
         r"DANE: no TLSA records at _10025\._tcp\.dane-none\.mx\.test"),
    Case("dane-no-tlsa-require", "-H dane-none.mx.test --cert-name mail.test --dane=require" + PF,
         2, "CRITICAL", r"DANE: no TLSA records"),
    Case("dane-unsigned-zone", "-H dane.plain.test --cert-name mail.test --dane" + PF, 1,
         "WARNING", r"not DNSSEC-validated \(no AD from the resolver\): ignored"),
    Case("dane-unsigned-zone-require",
         "-H dane.plain.test --cert-name mail.test --dane=require" + PF, 2, "CRITICAL",
         r"not DNSSEC-validated"),
    # an authoritative server sets AA, never AD: its TLSA answer proves nothing
    Case("dane-authoritative-not-validating",
         "-H dane-ee.mx.test --cert-name mail.test --dane -p 10025 -s {auth}" + CA, 1, "WARNING",
         r"not DNSSEC-validated"),
    Case("dane-without-flag-ignores-tlsa", "-H dane-bad.mx.test --cert-name mail.test" + PF, 0,
         "OK", absent=(r"\] DANE:",)),

    # ---- MX fan-out ---------------------------------------------------------------------
    Case("mx-fan-out", FAN, 0, "OK", r"fan\.mx\.test MX 6 addresses of 3 MX hosts checked",
         out=(r"(?s)\[OK\] mxa\.fan\.mx\.test 127\.0\.0\.1: STARTTLS .*"
              r"\[OK\] mxa\.fan\.mx\.test ::1: .*\[OK\] mxb\.fan\.mx\.test 127\.0\.0\.1: .*"
              r"\[OK\] mxc\.fan\.mx\.test ::1: ",
              r"'?time_mxb\.fan\.mx\.test_--1'?=[0-9.]+s",
              r"'?cert_days_mxc\.fan\.mx\.test_127\.0\.0\.1'?=")),
    Case("mx-fan-out-detail-at-v", FAN + " -v", 0, "OK",
         out=(r"\n  \[OK\] handshake: TLSv1\.3",)),
    Case("mx-fan-out-no-detail", FAN, 0, "OK", absent=(r"\n  \[OK\]",)),
    Case("mx-fan-out-dane", FAN + " --dane=require", 0, "OK", r"6 addresses of 3 MX hosts",
         out=(r"(?s)(\n\[OK\] mx[abc]\.fan\.mx\.test \S+: STARTTLS .*, DANE verified){6}",)),
    Case("mx-fan-out-dane-detail", FAN + " --dane=require -v", 0, "OK",
         out=(DANE_OK % r"mxa\.fan\.mx\.test",)),
    Case("mx-dane-mx-not-validated", "--mx fan.mx.test --dane -p 10025 -s {auth}" + CA, 1,
         "WARNING", r"MX records of fan\.mx\.test are not DNSSEC-validated"),
    Case("mx-one-unresolvable", "--mx fanbad.mx.test" + PF, 2, "CRITICAL",
         r"gone\.fanbad\.mx\.test", out=(r"\[OK\] mxa\.fan\.mx\.test 127\.0\.0\.1: STARTTLS",)),
    Case("mx-null", "--mx nullmx.mx.test" + PF, 2, "CRITICAL", r"null MX \(RFC 7505\)"),
    Case("mx-nxdomain", "--mx nosuch.mx.test" + PF, 2, "CRITICAL", r"NXDOMAIN"),
    Case("mx-implicit", "--mx dane-none.mx.test --verify=chain" + PF, 1, "WARNING",
         r"no MX records: dane-none\.mx\.test itself is the implicit MX"),
    Case("mx-with-host", "--mx fan.mx.test -H 127.0.0.1" + PF, 3, "UNKNOWN",
         r"--mx cannot be combined with -H", mode="usage"),
    Case("mx-bad-domain", "--mx 'bad domain'" + PF, 3, "UNKNOWN", r"invalid --mx", mode="usage"),

    # ---- capabilities -----------------------------------------------------------------
    Case("caps-hidden-without-v", "-H 127.0.0.1 --cert-name mail.test" + PF, 0, "OK",
         r"'?size_limit'?=10240000B", absent=(r"\[OK\] ehlo",)),
    Case("caps-shown-at-v", "-H 127.0.0.1 --cert-name mail.test -v" + PF, 0, "OK",
         out=(r"\[OK\] ehlo: .*STARTTLS", r"\[OK\] ehlo after tls: .*PIPELINING")),
    Case("caps-required-present",
         "-H 127.0.0.1 --cert-name mail.test --require-capability PIPELINING "
         "--require-capability 8bitmime" + PF, 0, "OK",
         out=(r"\[OK\] capability PIPELINING advertised", r"\[OK\] capability 8bitmime")),
    Case("caps-required-missing",
         "-H 127.0.0.1 --cert-name mail.test --require-capability REQUIRETLS" + PF, 2, "CRITICAL",
         r"capability REQUIRETLS not advertised"),
    Case("caps-forbidden-present",
         "-H 127.0.0.1 --cert-name mail.test --forbid-capability PIPELINING" + PF, 2, "CRITICAL",
         r"capability PIPELINING advertised \(--forbid-capability\)"),
    Case("caps-forbidden-absent",
         "-H 127.0.0.1 --cert-name mail.test --forbid-capability STARTTLS" + PF, 0, "OK"),

    # ---- relay test ---------------------------------------------------------------------
    Case("relay-open", "-H 127.0.0.1 --cert-name mail.test --relay-test" + PF, 2, "CRITICAL",
         r"open relay: RCPT TO:<mailcheck-relay-test@example\.net> accepted: 250"),
    Case("relay-open-own-recipient",
         "-H 127.0.0.1 --cert-name mail.test --relay-test=someone@example.org" + PF, 2,
         "CRITICAL", r"open relay: RCPT TO:<someone@example\.org>"),
    Case("relay-refused", "-H 127.0.0.1 -p 10037 --cert-name mail.test --relay-test" + CA, 1,
         "WARNING", r"AUTH offered before STARTTLS",
         out=(r"\[OK\] relay test: RCPT TO:<mailcheck-relay-test@example\.net> refused: 554",)),
    Case("relay-with-user", SUB + MON + " --relay-test", 3, "UNKNOWN",
         r"--relay-test cannot be combined with -U", mode="usage"),
    Case("relay-bad-recipient", SUB + " --relay-test='a b@example.net'", 3, "UNKNOWN",
         r"invalid --relay-test recipient", mode="usage"),

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
    Case("relay-mail-from-refused", FAULT + "11034 --relay-test", 1, "WARNING",
         r"relay test inconclusive: MAIL FROM:<mailcheck-relay-probe@example\.com> refused: 550"),
    Case("authtype-without-user", SUB + " -A PLAIN", 3, "UNKNOWN", r"--authtype needs -U",
         mode="usage"),
    Case("authtype-unknown", SUB + MON + " -A GSSAPI", 3, "UNKNOWN", r"invalid --authtype",
         mode="usage"),

    # ---- OCSP stapling ------------------------------------------------------------------
    Case("ocsp-good", TLSD + "11301", 0, "OK", out=(r"\[OK\] OCSP staple: good",)),
    Case("ocsp-revoked", TLSD + "11302", 2, "CRITICAL", r"OCSP staple: revoked"),
    Case("ocsp-expired", TLSD + "11303", 1, "WARNING", r"OCSP staple: stale"),
    Case("ocsp-garbage", TLSD + "11304", 1, "WARNING", r"OCSP staple: "),
    Case("ocsp-none", TLSD + "11305", 0, "OK", out=(r"\[OK\] OCSP staple: none",)),
    Case("ocsp-none-require", TLSD + "11305 --ocsp=require", 2, "CRITICAL",
         r"OCSP staple missing \(--ocsp=require\)"),
    Case("ocsp-must-staple-missing", TLSD + "11306", 2, "CRITICAL",
         r"OCSP staple missing, and the certificate demands one \(must-staple"),
    Case("ocsp-must-staple-good", TLSD + "11307", 0, "OK", out=(r"\[OK\] OCSP staple: good",)),
    Case("ocsp-off-ignores-revoked", TLSD + "11302 --ocsp=off", 0, "OK", absent=(r"OCSP",)),
    Case("ocsp-bad-value", TLSD + "11301 --ocsp=maybe", 3, "UNKNOWN", r"invalid --ocsp",
         mode="usage"),

    # ---- protocol policy ---------------------------------------------------------------
    Case("old-tls-accepted", TLSD + "11308 --probe-old-tls", 1, "WARNING",
         r"protocol: TLS 1\.0 accepted", out=(r"\[WARNING\] protocol: TLS 1\.1 accepted",)),
    Case("old-tls-accepted-critical", TLSD + "11308 --probe-old-tls --old-tls-state=critical", 2,
         "CRITICAL", r"TLS 1\.0 accepted"),
    Case("old-tls-refused", TLSD + "11309 --probe-old-tls", 0, "OK",
         out=(r"\[OK\] protocol: TLS 1\.0 refused", r"\[OK\] protocol: TLS 1\.1 refused")),
    Case("old-tls-not-probed-by-default", TLSD + "11308", 0, "OK", absent=(r"TLS 1\.0",)),
    Case("old-tls-bad-state", TLSD + "11308 --old-tls-state=unknown", 3, "UNKNOWN",
         r"invalid --old-tls-state", mode="usage"),
    Case("key-rsa-2048", TLSD + "11310", 0, "OK", out=(r"\[OK\] key: RSA 2048 bits",)),
    Case("key-rsa-below-min", TLSD + "11310 --min-key-bits 3072", 1, "WARNING",
         r"key: RSA 2048 bits, below --min-key-bits 3072"),
    Case("key-rsa-1024", "-H 127.0.0.1 -p 10035 --cert-name mail.test" + CA, 2, "CRITICAL",
         out=(r"\[WARNING\] key: RSA 1024 bits, below --min-key-bits 2048",)),
    Case("sha1-signature", TLSD + "11311 --verify=none", 1, "WARNING",
         r"signature: \S*(sha1|SHA1)\S* on CN=mail\.test .*\(depth 0\) is forgeable"),
    # OpenSSL's security level refuses it in the chain too: both are said
    Case("sha1-signature-verified", TLSD + "11311", 2, "CRITICAL",
         r"CA signature digest algorithm too weak",
         out=(r"\[WARNING\] signature: \S*(sha1|SHA1)",)),
    Case("min-key-bits-bad", TLSD + "11310 --min-key-bits 12", 3, "UNKNOWN",
         r"invalid --min-key-bits", mode="usage"),
    Case("dane-address", "-H 127.0.0.1 --cert-name mail.test --dane" + PF, 3, "UNKNOWN",
         r"--dane needs a host name", mode="usage"),
    Case("dane-bad-value", "-H dane-ee.mx.test --dane=maybe" + PF, 3, "UNKNOWN",
         r"invalid --dane", mode="usage"),
]


@pytest.fixture(scope="module")
def values(stack, tmp_path_factory):
    v = {"dns": "127.0.0.1:10054", "auth": stack.dns, "ca": str(stack.ca)}
    v.update(write_secret_files(tmp_path_factory.mktemp("smtp-secrets"), USERS))
    return v


def test_case_table_is_sane():
    check_table(CASES, loopback_hosts=("127.0.0.1",))


@pytest.mark.parametrize("case", params(CASES))
def test_check_smtp_tls_depth(case, check_smtp_tls, values):
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
