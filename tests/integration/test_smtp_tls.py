"""Integration tests for check_smtp_tls: the case table below IS the spec.

Each case runs the plugin once against the loopback stack (stack.sh):
  Postfix  127.0.0.1:10025.. (and [::1]:10025), one smtpd per certificate case
  Knot     127.0.0.1:10053, authoritative for test.
  faultd   127.0.0.1:11001..11029, scripted misbehaving SMTP servers:
           11001..11016 see faultd.py; 11017 TLS alert after STARTTLS;
           11018..11029 the hang-up matrix: reset (RST) / clean close (EOF) on
           connect, at STARTTLS, mid-handshake, at the EHLO after TLS, at a -C
           command and at QUIT (port map in faultd.py's docstring)
and asserts, for every case, what harness.py's run_case applies:
  - the exit code (a plugin killed by a signal fails with the signal's name),
    and that the first line starts with "SMTP_TLS <STATE> - ";
  - the regex(es) match the first line (case-insensitive);
  - 'out' regexes match the whole output (multi-line);
  - the whole output is < 4096 bytes;
  - '|' appears only once, in the first line, as the perfdata separator;
  - perfdata (if any) is well-formed: 'label'=value[UOM];warn;crit;min;max,
    plain decimal, UOM one of s B % c or none;
  - following lines (long output) are subcheck lines "[STATE] text"
    (indented by spaces when nested);
  - the run took no longer than the plugin's own deadline + 0.5 s: -t /
    --timeout SECONDS[:STATE] from the case's args, 10 s when absent; or
    max_s when that is given and tighter (timed by the reaper, see harness.py);
  - the plugin process's peak RSS (ru_maxrss) is below 16 MiB;
  - under MC_PLUGIN_WRAPPER: the wrapper reports no errors;
  - json mode: a JSON object whose "state" is the state word;
  - usage mode: exactly one line;
  - raw mode (-h, -V): only the exit code and a regex on the whole stdout.

How the plugin runs (a reaper process, so that ru_maxrss is the plugin's own)
is described in harness.py's docstring.

A case with xfail="reason" documents a known plugin bug; the mark is strict,
so the fix turns it into a failure (XPASS) until the mark is removed.

Environment (details in harness.py):
  MC_NO_RSS_CHECK=1     skip the RSS assertion (the ASan build: shadow memory)
  MC_PLUGIN_WRAPPER     shell words prepended to the plugin command, e.g.
                        "valgrind -q --error-exitcode=99 --leak-check=full
                        --errors-for-leak-kinds=definite": the RSS and time
                        bounds are then skipped and wrapper errors fail a case.

Perfdata labels may be quoted ('time'=...), so regexes accept both forms.
Placeholders in args and regexes: {dns} Knot's address (127.0.0.1:10053),
{ca} the test root CA file, {expired_not_after} / {notyet_not_before} the
YYYY-MM-DD dates of those certificates.  Every case that names a *.test host
passes "-s {dns}": the system resolver (non-loopback) must never be asked.
"""

import subprocess
from datetime import datetime

import pytest

from harness import DEFAULT_TIMEOUT, Case, check_table, params, parse_timeout, run_case

LABEL = "SMTP_TLS"


# common argument groups.  mail.test has A 127.0.0.1 and AAAA ::1, but only
# port 10025 listens on [::1]: the certificate matrix uses -4 so its results do
# not depend on the fallback from a refused ::1, which 10465/10587 exercise.
GOOD = "-H mail.test -s {dns} --ca-file {ca}"            # verified, by name
GOOD4 = GOOD + " -4"
ADDR = "-H 127.0.0.1 --cert-name mail.test --ca-file {ca}"  # by address (faultd)

CASES = [
    # ---- Postfix, good certificate -------------------------------------------------
    Case("starttls-good", GOOD + " -p 10025", 0, "OK",
         r"^SMTP_TLS OK - mail\.test:10025 STARTTLS TLSv1\.3 \S+, certificate valid (89|90)\.\d days \|"),
    Case("starttls-good-explicit-S", GOOD + " -p 10025 -S", 0, "OK", r"STARTTLS TLSv1\.3"),
    Case("starttls-good-tls-option", GOOD + " -p 10025 --tls=starttls", 0, "OK", r"STARTTLS TLSv1\.3"),
    Case("implicit-tls-good", GOOD + " -p 10465 --tls=implicit", 0, "OK",
         r"^(?!.*STARTTLS)SMTP_TLS OK - mail\.test:10465 TLSv1\.3 \S+, certificate valid"),
    # [::1]:10587 refuses: the plugin must fall back to 127.0.0.1 (also 10465)
    Case("submission-starttls-good", GOOD + " -p 10587", 0, "OK", r"mail\.test:10587 STARTTLS"),
    Case("perfdata-complete", GOOD + " -p 10025", 0, "OK",
         (r"\| (.* )?'?time'?=[0-9.]+s", r" '?time_connect'?=[0-9.]+s", r" '?time_banner'?=[0-9.]+s",
          r" '?time_ehlo'?=[0-9.]+s", r" '?time_starttls'?=[0-9.]+s", r" '?time_tls'?=[0-9.]+s",
          r" '?cert_days'?=[0-9.]+;14:;3:")),
    Case("json-output", GOOD + " -p 10025 --output-format=json", 0, "OK", mode="json"),
    # one subcheck line per phase, in dialogue order
    Case("long-output-every-phase", GOOD + " -p 10025 -v", 0, "OK",
         out=(r"(?s)\n\[OK\] connect: 127\.0\.0\.1:10025 .*\n\[OK\] banner: 220 mail\.test"
              r".*\n\[OK\] ehlo: .*STARTTLS.*\n\[OK\] starttls: 220 "
              r".*\n\[OK\] handshake: TLSv1\.3 .*\n\[OK\] verification: chain and name valid, "
              r"subject CN=mail\.test, issuer CN=.*\n\[OK\] validity: certificate valid "
              r".*\n\[OK\] ehlo after tls: ",)),
    Case("fqdn-option", GOOD + " -p 10025 -F probe.test", 0, "OK", r"STARTTLS"),
    Case("default-trust-store-rejects-test-ca", "-H mail.test -s {dns} -p 10025", 2, "CRITICAL",
         r"certificate verify failed"),

    # ---- Postfix, certificate matrix ------------------------------------------------
    Case("cert-expired", GOOD4 + " -p 10026", 2, "CRITICAL",
         (r"certificate has expired", r"{expired_not_after}")),
    Case("cert-not-yet-valid", GOOD4 + " -p 10027", 2, "CRITICAL",
         (r"certificate is not yet valid", r"{notyet_not_before}")),
    Case("cert-2-days-left", GOOD4 + " -p 10028", 2, "CRITICAL", r"certificate valid [12]\.\d days"),
    Case("cert-10-days-left", GOOD4 + " -p 10029", 1, "WARNING", r"certificate valid (9|10)\.\d days"),
    Case("cert-wrong-name", GOOD4 + " -p 10030", 2, "CRITICAL", (r"name mismatch", r"other\.test")),
    Case("cert-untrusted-root", GOOD4 + " -p 10031", 2, "CRITICAL", r"certificate verify failed"),
    Case("cert-missing-intermediate", GOOD4 + " -p 10032", 2, "CRITICAL",
         r"unable to get local issuer certificate"),
    Case("cert-self-signed", GOOD4 + " -p 10033", 2, "CRITICAL", r"self.signed"),
    # not in the brief (assumption): RSA-1024 leaf fails verification at
    # OpenSSL security level 2 ("EE certificate key too weak") or is flagged weak
    Case("cert-weak-rsa1024", GOOD4 + " -p 10035", 2, "CRITICAL", r"weak|too small|1024"),

    # ---- Postfix, TLS / SMTP options ------------------------------------------------
    Case("postfix-no-starttls", GOOD4 + " -p 10034", 2, "CRITICAL", r"STARTTLS not offered"),
    Case("tls12-only-server-default-min", GOOD4 + " -p 10036", 0, "OK", r"TLSv1\.2"),
    Case("tls12-only-server-min-tls13", GOOD4 + " -p 10036 --min-tls=1.3", 2, "CRITICAL", r"TLSv1\.2"),
    Case("min-tls13-ok", GOOD + " -p 10025 --min-tls=1.3", 0, "OK", r"TLSv1\.3"),
    Case("verify-none-untrusted", GOOD4 + " -p 10031 --verify=none", 0, "OK", r"not verified"),
    # nothing verified, but the remaining life is still measured against -D
    Case("verify-none-expired-still-critical", GOOD4 + " -p 10026 --verify=none", 2, "CRITICAL",
         r"certificate expired 10\.\d days ago"),
    Case("verify-chain-wrong-name", GOOD4 + " -p 10030 --verify=chain", 0, "OK", r""),
    Case("expect-221-gets-220", GOOD + " -p 10025 -e 221", 2, "CRITICAL", r"banner"),
    Case("command-noop-250", GOOD + " -p 10025 -C NOOP -R 250", 0, "OK", r""),
    Case("command-noop-unexpected", GOOD + " -p 10025 -C NOOP -R 999", 2, "CRITICAL", r"NOOP"),
    Case("critical-time", GOOD + " -p 10025 -c 0.000001", 2, "CRITICAL",
         r" '?time'?=[0-9.]+s;[^; ]*;0\.000001\b"),
    Case("warning-time", GOOD + " -p 10025 -w 0.000001", 1, "WARNING",
         r" '?time'?=[0-9.]+s;0\.000001\b"),
    Case("cert-days-critical", GOOD + " -p 10025 -D 100,95", 2, "CRITICAL",
         r" '?cert_days'?=[0-9.]+;100:;95:"),
    Case("cert-days-warning", GOOD + " -p 10025 -D 100,3", 1, "WARNING",
         r" '?cert_days'?=[0-9.]+;100:;3:"),

    # ---- addresses and names --------------------------------------------------------
    Case("localhost-via-etc-hosts", "-H localhost -p 10025 --cert-name mail.test --ca-file {ca}",
         0, "OK", r""),
    Case("ipv4-address-needs-cert-name", "-H 127.0.0.1 -p 10025 --ca-file {ca}", 3, "UNKNOWN",
         r"cert-name"),
    Case("ipv4-address-with-cert-name", ADDR + " -p 10025", 0, "OK", r""),
    Case("ipv6-address", "-H ::1 -6 -p 10025 --cert-name mail.test --ca-file {ca}", 0, "OK", r""),
    Case("name-force-ipv4", GOOD + " -p 10025 -4", 0, "OK", r""),
    Case("name-force-ipv6", GOOD + " -p 10025 -6", 0, "OK", r""),
    Case("all-addresses", GOOD + " -p 10025 --all-addresses", 0, "OK", r"2 addresses checked",
         out=(r"(?m)^\[OK\] .*\b127\.0\.0\.1\b", r"(?m)^\[OK\] .*::1\b",
              r"'?cert_days_--1'?=[0-9.]+;", r"'?time_127\.0\.0\.1'?=")),
    Case("all-addresses-one", GOOD4 + " -p 10025 --all-addresses", 0, "OK",
         r"mail\.test:10025 1 address checked \|"),
    # the implicit-TLS port in STARTTLS mode: the server waits for a ClientHello
    Case("implicit-port-in-starttls-mode", GOOD4 + " -p 10465 -t 1", 2, "CRITICAL",
         r"timeout after 1s in banner phase \(no greeting: if the port expects implicit TLS, "
         r"use --tls=implicit\)", max_s=1.5),
    # not in the brief: the v4only/v6only zone names
    Case("v6only-name", "-H v6only.test -s {dns} -p 10025 --cert-name mail.test --ca-file {ca}",
         0, "OK", r""),
    Case("v4only-name-forced-ipv6", "-H v4only.test -s {dns} -6 -p 10025 --cert-name mail.test --ca-file {ca}",
         2, "CRITICAL", r"resolve|address|AAAA"),
    Case("nxdomain", "-H nonexistent.test -s {dns} -p 10025 --ca-file {ca}", 2, "CRITICAL",
         r"cannot resolve"),
    Case("connection-refused", ADDR + " -p 11999", 2, "CRITICAL", r"connection refused"),

    # ---- faultd: scripted misbehaviour ----------------------------------------------
    Case("tarpit-timeout", ADDR + " -p 11001 -t 2", 2, "CRITICAL", (r"timeout", r"banner"), max_s=2.5),
    Case("tarpit-timeout-warning", ADDR + " -p 11001 -t 2:warning", 1, "WARNING", r"timeout", max_s=2.5),
    Case("drip-timeout", ADDR + " -p 11002 -t 2", 2, "CRITICAL", (r"timeout", r"banner"), max_s=2.5),
    Case("endless-line", ADDR + " -p 11003 -t 5", 2, "CRITICAL", (r"protocol error", r"too long"),
         max_s=1.5),
    Case("malformed-reply-code", ADDR + " -p 11004", 2, "CRITICAL", r"protocol error"),
    Case("multiline-codes-disagree", ADDR + " -p 11005", 2, "CRITICAL", r"protocol error"),
    Case("banner-421", ADDR + " -p 11006", 2, "CRITICAL", (r"banner", r"\b421\b")),
    Case("banner-554", ADDR + " -p 11007", 2, "CRITICAL", (r"banner", r"\b554\b")),
    Case("starttls-refused-454", ADDR + " -p 11008", 2, "CRITICAL", (r"STARTTLS refused", r"\b454\b")),
    Case("starttls-injection", ADDR + " -p 11009", 2, "CRITICAL", r"STARTTLS injection"),
    Case("tls-handshake-stall", ADDR + " -p 11010 -t 2", 2, "CRITICAL", r"timeout.*(tls|handshake)",
         max_s=2.5),
    Case("reset-after-banner", ADDR + " -p 11011", 2, "CRITICAL", r"reset|closed"),
    Case("close-after-banner", ADDR + " -p 11012", 2, "CRITICAL", r"closed"),
    Case("oversized-ehlo-reply", ADDR + " -p 11013", 2, "CRITICAL", r"protocol error"),
    Case("nul-in-banner", ADDR + " -p 11014", 2, "CRITICAL", r"protocol error"),
    Case("scripted-no-starttls", ADDR + " -p 11015", 2, "CRITICAL", r"STARTTLS not offered"),
    # LMTP server with real STARTTLS that refuses EHLO: -L says LHLO, twice
    Case("lmtp-lhlo-starttls", ADDR + " -p 11016 -L -C NOOP -R 250", 0, "OK",
         r"STARTTLS TLSv1\.[23] \S+, certificate valid"),
    Case("lmtp-server-refuses-ehlo", ADDR + " -p 11016", 2, "CRITICAL", r"EHLO refused: 500"),
    # a fatal handshake_failure alert answers the ClientHello
    Case("tls-alert", ADDR + " -p 11017", 2, "CRITICAL",
         (r"TLS handshake failed", r"alert", r"handshake failure")),

    # ---- faultd: hang-ups at every phase (reset = RST, close = EOF) ----------------
    # The RST follows the accept at once: whether the plugin sees it in connect
    # (pending SO_ERROR: "... on ADDR") or in the banner read is a race.
    Case("reset-on-connect", ADDR + " -p 11018", 2, "CRITICAL",
         r"connection reset by peer( \(in banner\)| on 127\.0\.0\.1:11018)"),
    Case("close-on-connect", ADDR + " -p 11019", 2, "CRITICAL",
         r"connection closed by server \(in banner\)"),
    Case("reset-at-starttls", ADDR + " -p 11020", 2, "CRITICAL",
         r"connection reset by peer \(in starttls\)"),
    Case("close-at-starttls", ADDR + " -p 11021", 2, "CRITICAL",
         r"connection closed by server \(in starttls\)"),
    Case("reset-in-handshake", ADDR + " -p 11022", 2, "CRITICAL",
         r"connection reset during TLS handshake"),
    Case("close-in-handshake", ADDR + " -p 11023", 2, "CRITICAL",
         r"connection closed during TLS handshake"),
    Case("reset-after-tls", ADDR + " -p 11024", 2, "CRITICAL",
         r"connection reset by peer \(in ehlo after tls\)"),
    Case("close-after-tls", ADDR + " -p 11025", 2, "CRITICAL",
         r"connection closed by server \(in ehlo after tls\)"),
    Case("reset-at-command", ADDR + " -p 11026 -C NOOP", 2, "CRITICAL",
         r"connection reset by peer \(in command\)"),
    Case("close-at-command", ADDR + " -p 11027 -C NOOP", 2, "CRITICAL",
         r"connection closed by server \(in command\)"),
    # failures during QUIT are ignored by design: the check already succeeded
    Case("reset-at-quit", ADDR + " -p 11028 -C NOOP -R 250", 0, "OK",
         r"STARTTLS TLSv1\.[23] \S+, certificate valid"),
    Case("close-at-quit", ADDR + " -p 11029 -C NOOP -R 250", 0, "OK",
         r"STARTTLS TLSv1\.[23] \S+, certificate valid"),

    # ---- usage errors: UNKNOWN, exactly one line -----------------------------------
    Case("usage-missing-hostname", "-p 10025", 3, "UNKNOWN", r"hostname|-H", mode="usage"),
    Case("usage-bad-range", GOOD + " -w abc", 3, "UNKNOWN", r"abc", mode="usage"),
    Case("usage-bad-port", GOOD + " -p 99999", 3, "UNKNOWN", r"99999|port", mode="usage"),
    Case("usage-bad-tls-mode", GOOD + " --tls=bogus", 3, "UNKNOWN", r"bogus|tls", mode="usage"),
    Case("usage-bad-cert-days", GOOD + " -D abc", 3, "UNKNOWN", r"abc", mode="usage"),
    Case("usage-bad-min-tls", GOOD + " --min-tls=1.1", 3, "UNKNOWN", r"1\.1|min-tls", mode="usage"),
    Case("usage-unknown-option", GOOD + " --bogus-option", 3, "UNKNOWN", r"bogus", mode="usage"),
    Case("usage-zero-timeout", GOOD + " -t 0", 3, "UNKNOWN", r"timeout|-t\b|\b0\b", mode="usage"),
    Case("help", "-h", 3, "UNKNOWN", r"--hostname", mode="raw"),
    Case("version", "-V", 3, "UNKNOWN", r"\S", mode="raw"),
]


# ---------------------------------------------------------------------------

def cert_date(path, which):
    """notBefore/notAfter of a PEM certificate as YYYY-MM-DD (UTC)."""
    out = subprocess.run(["openssl", "x509", "-noout", "-" + which.lower(), "-in", str(path)],
                         capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"}).stdout
    value = out.strip().split("=", 1)[1]           # e.g. "Nov 13 04:03:24 2026 GMT"
    return datetime.strptime(" ".join(value.split()), "%b %d %H:%M:%S %Y GMT").strftime("%Y-%m-%d")


@pytest.fixture(scope="module")
def placeholders(stack):
    return {
        "dns": stack.dns,
        "ca": str(stack.ca),
        "expired_not_after": cert_date(stack.certs / "expired.crt", "enddate"),
        "notyet_not_before": cert_date(stack.certs / "notyet.crt", "startdate"),
    }


# ---------------------------------------------------------------------------

def test_case_table_is_sane():
    """The table itself: unique ids, consistent states, loopback only, -s for *.test."""
    check_table(CASES, loopback_hosts=("localhost", "127.0.0.1", "::1"))


def test_parse_timeout():
    assert parse_timeout(["-H", "x"]) == DEFAULT_TIMEOUT
    assert parse_timeout(["-t", "2"]) == 2.0
    assert parse_timeout(["-t", "2:warning"]) == 2.0
    assert parse_timeout(["-t2.5"]) == 2.5
    assert parse_timeout(["--timeout", "3"]) == 3.0
    assert parse_timeout(["--timeout=4:critical"]) == 4.0
    assert parse_timeout(["-t", "abc"]) == DEFAULT_TIMEOUT
    assert parse_timeout(["-t", "1", "-t", "7"]) == 7.0      # the last one counts


@pytest.mark.parametrize("case", params(CASES))
def test_check_smtp_tls(case, check_smtp_tls, stack, placeholders):
    run_case(check_smtp_tls, LABEL, case, placeholders)
