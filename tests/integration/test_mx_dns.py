"""check_mx_dns against the stack's DNS: the case table below IS the spec.

The zones are stack.sh's (see its header and tests/README): mx.test is signed
by Knot and validated by Unbound (127.0.0.1:10054, trust anchor for mx.test
only); plain.test, lag.test, lame.test, deadns.test, onens.test and the
reverse zones are unsigned; dnsbl.test holds the fake blocklists (good: RFC
5782 test points and two listings; broken: no test point; limit: answers
127.255.255.254; outside: answers 10.0.0.2).  Nameservers answer on port
10053 (--ns-port 10053): Knot on 127.0.0.1 and 127.0.0.10, dnsfaultd roles on
127.0.0.5 (lagging serial), 127.0.0.6 (REFUSED), 127.0.0.11 (no AA), nothing
on 127.0.0.7.  stsd.py serves the MTA-STS policies on 127.0.0.9:10443 with a
test-CA certificate; Postfix answers SMTP on 127.0.0.1/::1 port 10025 and
bannerd.py on 127.0.0.8 (a banner naming elsewhere.example) and 127.0.0.12
(554).  The fault cases ask dnsfaultd.py (127.0.0.1:11053).

Every case runs through harness.run_case: exit code and state word, regexes
on the first line and the whole output, well-formed perfdata, output < 4 KiB,
the -t bound, peak RSS < 16 MiB, and a clean valgrind under
MC_PLUGIN_WRAPPER.
"""

import pathlib
import re

import pytest

from harness import Case, check_table, params, run_case
from conftest import plugin_path

LABEL = "MX_DNS"
RES = "-s {res} --ns-port 10053 -t 5"
KNOT = "-s {knot} --ns-port 10053 -t 5"
FAULT = "-s {fault} --ns-port 10053"
STS = RES + " --mta-sts --https-port 10443 --ca-file {ca}"


def ok(domain):
    return r"^MX_DNS OK - %s: " % re.escape(domain)


def line(state, text):
    """A subcheck line (any depth) with this state whose text matches."""
    return r"(?m)^ *\[%s\] .*%s" % (state, text)


CASES = [
    # ---- a domain that does everything right ---------------------------------------
    Case("good_domain", "-D good.mx.test " + RES, 0, "OK",
         ok("good.mx.test") + r"2 MX, 4 addresses, 2 nameservers agree \(serial 2026112301\)",
         out=(line("OK", r"MX: 10 mx1\.good\.mx\.test, 20 mx2\.good\.mx\.test "
                         r"\(DNSSEC validated\)"),
              line("OK", r"mx1\.good\.mx\.test: 192\.0\.2\.1 \(PTR mx1\.good\.mx\.test\), "
                         r"2001:db8::1 \(PTR mx1\.good\.mx\.test\)"),
              line("OK", r"nameservers of mx\.test: ns1\.mx\.test \(127\.0\.0\.1\) serial "
                         r"2026112301, ns2\.mx\.test \(127\.0\.0\.10\) serial 2026112301"),
              r"'mx_count'=2 'mx_addresses'=4", r"'time_mx'=[0-9.]+s", r"'time_ptr'=",
              r"'ns_count'=2")),
    # every check at once (no --smtp-probe: the good MX addresses are
    # documentation addresses, never connected to)
    Case("good_domain_every_check",
         "-D good.mx.test " + STS + " --dnssec --dnsbl good.dnsbl.test --dane --srv "
         "--min-mx 2 --expect-mx mx1.good.mx.test --expect-mx MX2.good.mx.test. "
         "--require-ipv6", 0, "OK",
         ok("good.mx.test") + r"2 MX, 4 addresses, 2 nameservers agree \(serial 2026112301\), "
         r"not listed in 1 of 1 blocklists, MTA-STS enforce, DANE \|",
         out=(line("OK", r"DNSSEC: the MX answer is validated"),
              line("OK", r"blocklists: 4 addresses not listed in 1 zone"),
              line("OK", r"MTA-STS: id 20261101T000000, mode enforce, max_age 604800, "
                         r"2 mx patterns"),
              line("OK", r"TLS-RPT: reports to mailto:tlsrpt@good\.mx\.test"),
              line("OK", r"DANE mx1\.good\.mx\.test: 1 TLSA record \(3 1 1\), validated"),
              line("OK", r"DANE mx2\.good\.mx\.test: 1 TLSA record"),
              line("OK", r"SRV: _submissions\._tcp 465 mail\.good\.mx\.test, _submission\._tcp "
                         r"587 mail\.good\.mx\.test, _imaps\._tcp 993 mail\.good\.mx\.test, "
                         r"_imap\._tcp not offered"),
              r"'dnsbl_listed'=0 'dnsbl_checked'=4", r"'time_mta_sts'=", r"'time_dnsbl'=")),
    Case("json_output", "-D good.mx.test --output-format json " + RES, 0, "OK", mode="json"),

    # ---- the MX set -------------------------------------------------------------------
    Case("no_such_domain", "-D nonexistent.mx.test " + RES, 2, "CRITICAL",
         r"nonexistent\.mx\.test: nonexistent\.mx\.test does not exist \(NXDOMAIN\)"),
    Case("no_mx", "-D nomx.mx.test " + RES, 2, "CRITICAL",
         r"nomx\.mx\.test has no MX record \(use --allow-implicit-mx"),
    Case("no_mx_implicit_allowed", "-D nomx.mx.test --allow-implicit-mx " + RES, 0, "OK",
         ok("nomx.mx.test") + r"1 MX, 1 address",
         out=(line("OK", r"MX: none; implicit MX"),
              line("OK", r"nomx\.mx\.test \(implicit MX\): 192\.0\.2\.4 \(PTR "
                         r"nomx\.mx\.test\)"))),
    Case("no_mx_no_address", "-D nothing.mx.test --allow-implicit-mx " + RES, 2, "CRITICAL",
         r"nothing\.mx\.test: no A and no AAAA record"),
    Case("null_mx", "-D nullmx.mx.test " + RES, 2, "CRITICAL",
         r"null MX, the domain accepts no mail \(RFC 7505\)"),
    Case("null_mx_expected", "-D nullmx.mx.test --expect-null-mx " + RES, 0, "OK",
         ok("nullmx.mx.test") + "null MX", out=(line("OK", "as expected"),)),
    Case("null_mx_expected_but_hosts", "-D good.mx.test --expect-null-mx " + RES, 2,
         "CRITICAL", r"expected a null MX, found MX hosts"),
    Case("mx_address_literal", "-D literal.mx.test " + RES, 1, "WARNING",
         r"MX 192\.0\.2\.5 is an address literal, not a host name"),
    Case("mx_is_cname", "-D cname.mx.test " + RES, 1, "WARNING",
         r"MX alias\.cname\.mx\.test is an alias \(CNAME to mx1\.good\.mx\.test\)"),
    Case("one_mx_unresolvable", "-D unres.mx.test " + RES, 2, "CRITICAL",
         r"gone\.unres\.mx\.test: no such host \(NXDOMAIN\)",
         out=(line("OK", r"mx1\.good\.mx\.test: 192\.0\.2\.1"),),
         absent=(r"no MX host has an address",)),
    Case("all_mx_unresolvable", "-D allunres.mx.test " + RES, 2, "CRITICAL",
         out=(line("CRITICAL", r"no MX host has an address: mail to allunres\.mx\.test "
                               r"cannot be delivered"),
              line("CRITICAL", r"gone1\.allunres\.mx\.test: no such host"),
              line("CRITICAL", r"gone2\.allunres\.mx\.test: no such host"))),
    Case("expect_mx_missing", "-D good.mx.test --expect-mx mx3.good.mx.test " + RES, 2,
         "CRITICAL", r"MX: expected mx3\.good\.mx\.test, not listed",
         out=(line("WARNING", r"MX: mx1\.good\.mx\.test is not an expected MX"),)),
    Case("expect_mx_extra", "-D good.mx.test --expect-mx mx1.good.mx.test " + RES, 1,
         "WARNING", r"MX: mx2\.good\.mx\.test is not an expected MX"),
    Case("min_mx", "-D good.mx.test --min-mx 3 " + RES, 1, "WARNING",
         r"MX: 2 MX hosts, fewer than --min-mx 3"),
    Case("ipv4_only_allowed", "-D v4only.mx.test " + RES, 0, "OK",
         ok("v4only.mx.test") + "1 MX, 1 address"),
    Case("ipv4_only_ipv6_required", "-D v4only.mx.test --require-ipv6 " + RES, 1, "WARNING",
         r"mx\.v4only\.mx\.test has no AAAA record \(--require-ipv6\)"),

    # ---- reverse DNS ------------------------------------------------------------------
    Case("no_ptr", "-D noptr.mx.test " + RES, 1, "WARNING", r"192\.0\.2\.7: no PTR record"),
    Case("ptr_not_confirmed", "-D badptr.mx.test " + RES, 1, "WARNING",
         r"192\.0\.2\.8: PTR other\.badptr\.mx\.test does not resolve back to 192\.0\.2\.8"),

    # ---- DNSSEC ----------------------------------------------------------------------
    Case("dnssec_validated", "-D good.mx.test --dnssec " + RES, 0, "OK"),
    Case("dnssec_unsigned_zone", "-D plain.test --dnssec " + RES, 2, "CRITICAL",
         r"DNSSEC: the MX answer is not validated \(no AD flag"),
    # an authoritative server is no validating resolver: no AD
    Case("dnssec_resolver_not_validating", "-D good.mx.test --dnssec " + KNOT, 2, "CRITICAL",
         r"not validated"),

    # ---- nameservers -----------------------------------------------------------------
    Case("one_nameserver", "-D onens.test " + RES, 1, "WARNING",
         r"only 1 nameserver for onens\.test"),
    Case("serials_differ", "-D lag.test " + RES, 1, "WARNING",
         r"SOA serials differ: ns1\.lag\.test \(127\.0\.0\.1\) serial 2026112301, "
         r"ns2\.lag\.test \(127\.0\.0\.5\) serial 2026112302"),
    Case("lame_nameservers", "-D lame.test " + RES, 1, "WARNING",
         out=(line("WARNING", r"ns2\.lame\.test \(127\.0\.0\.6\): .*REFUSED"),
              line("WARNING", r"ns3\.lame\.test \(127\.0\.0\.7\): unreachable, no answer"),
              line("WARNING", r"ns4\.lame\.test \(127\.0\.0\.11\): not authoritative for "
                              r"lame\.test"),
              # the line carries the worst state of its subchecks
              line("WARNING", r"nameservers of lame\.test: ns1\.lame\.test \(127\.0\.0\.1\) "
                              r"serial 2026112301$"))),
    Case("no_nameserver_answers", "-D deadns.test " + RES, 2, "CRITICAL",
         r"no nameserver of deadns\.test answers authoritatively"),

    # ---- blocklists ------------------------------------------------------------------
    Case("dnsbl_listed", "-D listed.mx.test --dnsbl good.dnsbl.test " + RES, 2, "CRITICAL",
         r"192\.0\.2\.11 \(mx\.listed\.mx\.test\) is listed in good\.dnsbl\.test "
         r"\(127\.0\.0\.2\): 192\.0\.2\.11 listed for testing",
         out=(line("CRITICAL", r"2001:db8::11 \(mx\.listed\.mx\.test\) is listed in "
                               r"good\.dnsbl\.test \(127\.0\.0\.4\): 2001:db8::11 listed"),
              r"'dnsbl_listed'=2 'dnsbl_checked'=2")),
    Case("dnsbl_self_test_fails", "-D good.mx.test --dnsbl broken.dnsbl.test " + RES, 3,
         "UNKNOWN", r"blocklist broken\.dnsbl\.test: self-test failed: 127\.0\.0\.2 is not "
         r"listed", out=(r"'dnsbl_listed'=0 'dnsbl_checked'=0",)),
    Case("dnsbl_rate_limited", "-D listed.mx.test --dnsbl limit.dnsbl.test " + RES, 3,
         "UNKNOWN", r"blocklist limit\.dnsbl\.test: answers 127\.255\.255\.254, a list error",
         absent=(r"is listed in",)),
    Case("dnsbl_outside_loopback", "-D listed.mx.test --dnsbl outside.dnsbl.test " + RES, 3,
         "UNKNOWN", r"blocklist outside\.dnsbl\.test: answers 10\.0\.0\.2, outside "
         r"127\.0\.0\.0/8", absent=(r"is listed in",)),
    # a listing in a trusted zone wins over a zone that cannot be trusted
    Case("dnsbl_listed_and_untrusted",
         "-D listed.mx.test --dnsbl limit.dnsbl.test --dnsbl good.dnsbl.test " + RES, 2,
         "CRITICAL", out=(line("UNKNOWN", r"limit\.dnsbl\.test"),
                          line("CRITICAL", r"is listed in good\.dnsbl\.test"))),
    # the public lists are refused by the test resolver: UNKNOWN each, at once
    Case("dnsbl_default_unreachable", "-D good.mx.test --dnsbl-default " + RES, 3, "UNKNOWN",
         out=(line("UNKNOWN", r"blocklist zen\.spamhaus\.org: self-test failed"),
              line("UNKNOWN", r"blocklist dnsbl\.dronebl\.org: self-test failed")),
         max_s=3),

    # ---- MTA-STS and TLS-RPT ---------------------------------------------------------
    Case("mta_sts_testing", "-D ststesting.mx.test " + STS, 1, "WARNING",
         r"mode testing: MTA-STS is not enforced"),
    Case("mta_sts_mx_not_covered", "-D stsmismatch.mx.test " + STS, 2, "CRITICAL",
         r"MX mx1\.good\.mx\.test matches no mx pattern of the policy"),
    Case("mta_sts_short_max_age", "-D stsshort.mx.test " + STS, 1, "WARNING",
         r"max_age 3600 s is under one day"),
    Case("mta_sts_redirect", "-D stsredirect.mx.test " + STS, 2, "CRITICAL",
         r"policy fetch answered HTTP 301 .*redirects are not followed.* to "
         r"https://elsewhere\.test/"),
    Case("mta_sts_policy_too_big", "-D stsbig.mx.test " + STS, 2, "CRITICAL",
         r"MTA-STS: policy fetch failed: .*65536"),
    Case("mta_sts_policy_missing", "-D stsmissing.mx.test " + STS, 2, "CRITICAL",
         r"policy fetch answered HTTP 404"),
    Case("mta_sts_chunked", "-D stschunked.mx.test " + STS, 0, "OK",
         out=(line("OK", r"MTA-STS: id 1, mode enforce"),)),
    Case("mta_sts_server_stalls", "-D stsstall.mx.test " + STS.replace("-t 5", "-t 2"), 2,
         "CRITICAL", r"MTA-STS: policy fetch from mta-sts\.stsstall\.mx\.test unfinished "
         r"before the deadline", max_s=2.5),
    Case("mta_sts_server_stalls_warning",
         "-D stsstall.mx.test " + STS.replace("-t 5", "-t 2:warning"), 1, "WARNING",
         r"unfinished before the deadline", max_s=2.5),
    Case("mta_sts_wrong_media_type", "-D stswrongtype.mx.test " + STS, 1, "WARNING",
         r"policy served as 'text/html', not text/plain"),
    Case("mta_sts_two_records", "-D ststwo.mx.test " + STS, 2, "CRITICAL",
         r"MTA-STS: 2 records at _mta-sts\.ststwo\.mx\.test"),
    Case("mta_sts_no_record", "-D stsnotxt.mx.test " + STS, 2, "CRITICAL",
         r"MTA-STS: no v=STSv1 record at _mta-sts\.stsnotxt\.mx\.test"),
    Case("mta_sts_untrusted_certificate",
         "-D good.mx.test " + RES + " --mta-sts --https-port 10443", 2, "CRITICAL",
         r"MTA-STS: policy fetch failed: .*(certificate|verif)"),
    Case("tls_rpt_missing", "-D stsnorpt.mx.test " + STS, 1, "WARNING",
         r"TLS-RPT: no record at _smtp\._tls\.stsnorpt\.mx\.test"),

    # ---- DANE ------------------------------------------------------------------------
    Case("dane_unsigned", "-D plain.test --dane " + RES, 2, "CRITICAL",
         r"DANE mx\.plain\.test: the TLSA records are not DNSSEC-validated"),
    Case("dane_missing", "-D danemissing.mx.test --dane " + RES, 2, "CRITICAL",
         r"DANE mx\.danemissing\.mx\.test: no TLSA record at "
         r"_25\._tcp\.mx\.danemissing\.mx\.test"),

    # ---- SRV -------------------------------------------------------------------------
    Case("srv_target_unresolvable", "-D srvbad.mx.test --srv " + RES, 2, "CRITICAL",
         r"SRV _submissions\._tcp: target gone\.srvbad\.mx\.test does not resolve"),
    Case("srv_none", "-D v4only.mx.test --srv " + RES, 0, "OK",
         out=(line("OK", r"SRV: no client SRV records"),)),

    # ---- SMTP banners ----------------------------------------------------------------
    Case("smtp_probe_ok", "-D probe.mx.test --smtp-probe --smtp-port 10025 " + RES, 0, "OK",
         out=(line("OK", r"SMTP: 2 addresses answer 220 with the MX or PTR name"),
              r"'time_smtp'=")),
    Case("smtp_probe_bad", "-D probebad.mx.test --smtp-probe --smtp-port 10025 " + RES, 2,
         "CRITICAL", r"SMTP 127\.0\.0\.12:10025 \(smtp2\.probebad\.mx\.test\): banner "
         r"refused: 554",
         out=(line("WARNING", r"SMTP 127\.0\.0\.8:10025 \(smtp\.probebad\.mx\.test\): the "
                              r"banner names elsewhere\.example"),)),

    # ---- resolver faults (dnsfaultd) -------------------------------------------------
    Case("resolver_silent", "-D noanswer.fault.test -t 2 " + FAULT, 2, "CRITICAL",
         r"MX noanswer\.fault\.test: no answer before the deadline", max_s=2.5),
    Case("resolver_silent_timeout_state", "-D noanswer.fault.test -t 2:warning " + FAULT, 1,
         "WARNING", r"no answer before the deadline", max_s=2.5),
    Case("resolver_servfail", "-D servfail.fault.test -t 3 " + FAULT, 2, "CRITICAL",
         r"MX servfail\.fault\.test: the server answered SERVFAIL"),
    Case("resolver_refused", "-D refused.fault.test -t 3 " + FAULT, 2, "CRITICAL",
         r"MX refused\.fault\.test: the server REFUSED the query"),
    Case("resolver_malformed", "-D malformed.fault.test -t 3 " + FAULT, 2, "CRITICAL",
         r"MX malformed\.fault\.test: malformed answer"),
    Case("resolver_bad_rdlength", "-D badrdlen.fault.test -t 3 " + FAULT, 2, "CRITICAL",
         r"badrdlen\.fault\.test"),
    # UDP says TC and carries nothing; the TCP answer (no MX) is the one used
    Case("resolver_truncates", "-D truncated.fault.test -t 3 " + FAULT, 2, "CRITICAL",
         r"truncated\.fault\.test has no MX record"),

    # a domain of 249 characters: "_mta-sts." makes a name DNS cannot carry
    Case("name_too_long_to_ask", "-D %s.%s.%s.%s.test --mta-sts " % (
        "a" * 63, "b" * 63, "c" * 63, "d" * 52) + RES, 2, "CRITICAL",
         out=(line("CRITICAL", r"MTA-STS: not asked: the name is longer than DNS allows"),
              line("CRITICAL", r"does not exist \(NXDOMAIN\)"))),

    # 253 characters written fully qualified (254 with the dot) is a valid -D
    Case("domain_253_with_dot", "-D %s.%s.%s.%s.test. " % (
        "a" * 63, "b" * 63, "c" * 63, "d" * 56) + RES, 2, "CRITICAL",
         r"does not exist \(NXDOMAIN\)"),

    # ---- usage -----------------------------------------------------------------------
    Case("usage_no_domain", RES, 3, "UNKNOWN", r"-D/--domain is required", mode="usage"),
    Case("usage_bad_domain", "-D 'bad..name' " + RES, 3, "UNKNOWN",
         r"invalid --domain 'bad\.\.name'", mode="usage"),
    Case("usage_bad_min_mx", "-D good.mx.test --min-mx 0 " + RES, 3, "UNKNOWN",
         r"invalid --min-mx '0'", mode="usage"),
    Case("usage_bad_ns_port", "-D good.mx.test --ns-port 70000 " + RES, 3, "UNKNOWN",
         r"invalid --ns-port '70000'", mode="usage"),
    Case("usage_bad_dnsbl", "-D good.mx.test --dnsbl 'a b' " + RES, 3, "UNKNOWN",
         r"invalid --dnsbl 'a b'", mode="usage"),
    Case("usage_contradiction", "-D good.mx.test --expect-null-mx --expect-mx a.test " + RES,
         3, "UNKNOWN", r"--expect-null-mx contradicts", mode="usage"),
    Case("usage_positional", "-D good.mx.test extra " + RES, 3, "UNKNOWN",
         r"unexpected argument 'extra'", mode="usage"),
]


@pytest.fixture(scope="module")
def check_mx_dns():
    return plugin_path("check_mx_dns")


@pytest.fixture(scope="module")
def values(stack):
    return {"res": "127.0.0.1:10054", "knot": stack.dns, "fault": "127.0.0.1:11053",
            "ca": str(stack.ca), "stackdir": str(stack.dir)}


def test_case_table_is_sane():
    check_table(CASES)
    for c in CASES:
        if c.mode != "usage":
            assert "-s {" in c.args, "%s asks the system resolver" % c.id


@pytest.mark.parametrize("case", params(CASES))
def test_check_mx_dns(case, check_mx_dns, values):
    run_case(check_mx_dns, LABEL, case, values)


def test_truncated_answer_retried_over_tcp(check_mx_dns, values):
    """The TC answer is asked again over TCP (dnsfaultd logs both)."""
    log = pathlib.Path(values["stackdir"]) / "dnsfaultd.log"
    before = log.read_text() if log.exists() else ""
    run_case(check_mx_dns, LABEL, CASES[[c.id for c in CASES].index("resolver_truncates")],
             values)
    new = log.read_text()[len(before):]
    assert re.search(r"udp \S+ id=\d+ truncated\.fault\.test\. MX", new), new
    assert re.search(r"tcp \S+ id=\d+ truncated\.fault\.test\. MX", new), new


def test_verbose_shows_every_question(check_mx_dns, values):
    """-vvv: each question with its outcome and latency, and the server of
    the questions asked directly, on stderr; stdout unchanged."""
    case = Case("vvv", "-D lag.test -vvv " + RES, 1, "WARNING", r"SOA serials differ")

    def check(p, out):
        err = p.stderr.decode()
        assert re.search(r"(?m)^DNS: MX lag\.test -> answer, 1 record, [0-9.]+ ms$", err), err
        assert re.search(r"(?m)^DNS @127\.0\.0\.5:10053: SOA lag\.test -> answer, AA, "
                         r"1 record", err), err
        assert re.search(r"(?m)^DNS: PTR 1\.0\.0\.127\.in-addr\.arpa -> answer", err), err
    run_case(check_mx_dns, LABEL, case, values, check)
