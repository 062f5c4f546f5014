"""check_smtp_tls --dane (RFC 7672) and --mx (the MX fan-out): TLSA records
that match (DANE-EE, DANE-TA) or do not, usages that are not DANE, answers
that are not DNSSEC-validated, and every MX host and address of a domain
checked in one run (null MX, implicit MX, a host that does not resolve).
The case table below IS the spec; harness.py's run_case applies the assertions every case shares (exit code and
state word, first-line regexes, output size and shape, perfdata syntax, the
-t bound, RSS, and wrapper errors under valgrind/ASan).

Servers (stack.sh):
  Postfix  127.0.0.1:10025 (and [::1])
  Unbound  127.0.0.1:10054, validating (mx.test. signed): {dns} here, so that
           TLSA and MX answers carry AD; Knot 127.0.0.1:10053 ({auth}) answers
           without AD
DNS data (mx.test., signed): dane-ee / dane-ta / dane-bad / dane-pkix /
dane-none (TLSA at _10025._tcp.NAME: matching DANE-EE, matching DANE-TA on the
intermediate, two non-matching, PKIX-EE only, none), fan (3 MX x 127.0.0.1 and
::1, TLSA 3 1 1 on each), fanbad (one MX does not resolve), nullmx; and
dane.plain.test (unsigned zone, matching TLSA).
"""

import pytest

from harness import Case, check_table, params, run_case

LABEL = "SMTP_TLS"
CA = " --ca-file {ca}"
DNS = " -s {dns}"
PF = " -p 10025" + CA + DNS
FAN = "--mx fan.mx.test" + PF
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
    Case("dane-address", "-H 127.0.0.1 --cert-name mail.test --dane" + PF, 3, "UNKNOWN",
         r"--dane needs a host name", mode="usage"),
    Case("dane-bad-value", "-H dane-ee.mx.test --dane=maybe" + PF, 3, "UNKNOWN",
         r"invalid --dane", mode="usage"),

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
]


@pytest.fixture(scope="module")
def values(stack):
    return {"dns": "127.0.0.1:10054", "auth": stack.dns, "ca": str(stack.ca)}


def test_case_table_is_sane():
    check_table(CASES, loopback_hosts=("127.0.0.1",))


@pytest.mark.parametrize("case", params(CASES))
def test_smtp_dane_mx(case, check_smtp_tls, values):
    run_case(check_smtp_tls, LABEL, case, values)
