"""check_spf_dkim against the stack's DNS: the case table below IS the spec.

The zones are stack.sh's (see tests/README): auth.test holds one name per
SPF, DKIM and DMARC rule (good, softall, plusall, ..., and the DKIM
selectors below good.auth.test); rua.test authorizes reports for
ptr.auth.test, norua.test does not; nodmarc.test has no DMARC record up its
tree. Unbound (127.0.0.1:10054) resolves them, and reaches dnsfaultd for
fault.test (include:servfail.fault.test gives a temperror).

Every case runs through harness.run_case: exit code and state word,
regexes on the first line and the whole output, well-formed perfdata,
output < 4 KiB, the -t bound, peak RSS < 16 MiB, and a clean valgrind under
MC_PLUGIN_WRAPPER.
"""


import pytest

from harness import Case, check_table, params, run_case
from conftest import plugin_path

LABEL = "SPF_DKIM"
RES = "-s {res} -t 5"
GOOD = "-D good.auth.test " + RES


def line(state, text):
    return r"(?m)^ *\[%s\] .*%s" % (state, text)


FORGER_ACCEPTED = r"forged mail from 192\.0\.2\.254 would be accepted"

CASES = [
    # ---- a domain that does everything right ---------------------------------------
    Case("good_domain", GOOD + " -k sel2048 -k ed --spf-pass 192.0.2.10 "
         "--spf-pass 198.51.100.7 --spf-pass 2001:db8:1::25", 0, "OK",
         r"^SPF_DKIM OK - good\.auth\.test: SPF, 2 DKIM selectors and DMARC sound",
         out=(line("OK", r"SPF: 1 DNS-querying term of 10, 0 void lookups"),
              line("OK", r"SPF for 192\.0\.2\.10: pass \(ip4:192\.0\.2\.0/25\)"),
              line("OK", r"SPF for 198\.51\.100\.7: pass \(ip4:198\.51\.100\.0/24 in "
                         r"include:_spf\.good\.auth\.test\)"),
              line("OK", r"SPF for 2001:db8:1::25: pass \(ip6:2001:db8:1::/48"),
              line("OK", r"SPF for 192\.0\.2\.254: fail \(-all\)"),
              line("OK", r"DKIM sel2048: rsa key, 2048 bits"),
              line("OK", r"DKIM ed: ed25519 key"),
              line("OK", r"DMARC: p=reject at _dmarc\.good\.auth\.test, 1 report address"),
              r"'spf_lookups'=1;8;10 'spf_void_lookups'=0 'spf_bytes'=\d+B 'spf_depth'=1",
              r"'dkim_bits_sel2048'=2048")),
    Case("json_output", GOOD + " --output-format json", 0, "OK", mode="json"),
    Case("own_sender_rejected", GOOD + " --spf-pass 203.0.113.9", 2, "CRITICAL",
         r"SPF for 203\.0\.113\.9: fail \(-all\), must be pass"),

    # ---- the SPF record ----------------------------------------------------------------
    Case("softfail_all", "-D softall.auth.test " + RES, 1, "WARNING",
         out=(line("WARNING", r"SPF for 192\.0\.2\.254: softfail \(~all\): forged mail is "
                              r"only marked"),
              line("WARNING", r"DMARC: p=none, weaker than --dmarc-min-policy quarantine"))),
    Case("softfail_all_policy_none_allowed",
         "-D softall.auth.test --dmarc-min-policy none " + RES, 1, "WARNING",
         absent=(r"weaker than",)),
    Case("plus_all", "-D plusall.auth.test " + RES, 2, "CRITICAL",
         out=(line("CRITICAL", r"SPF: \+all: any host may send as this domain"),
              line("CRITICAL", FORGER_ACCEPTED),
              # discarded by receivers: the organizational domain's applies
              line("CRITICAL", r"DMARC: invalid record at _dmarc\.plusall\.auth\.test, "
                               r"which receivers discard: v=DMARC1 must come first"),
              line("OK", r"DMARC: p=quarantine at _dmarc\.auth\.test"))),
    Case("neutral_all", "-D neutral.auth.test " + RES, 2, "CRITICAL",
         out=(line("WARNING", r"SPF: \?all"), line("CRITICAL", FORGER_ACCEPTED),
              line("WARNING", r"DMARC: pct=50"))),
    Case("no_all", "-D noall.auth.test " + RES, 2, "CRITICAL",
         out=(line("WARNING", r"SPF: no all and no redirect"),
              line("CRITICAL", r"DMARC: invalid record at _dmarc\.noall\.auth\.test: .*p="))),
    Case("two_spf_records", "-D twospf.auth.test " + RES, 2, "CRITICAL",
         r"SPF: 2 v=spf1 records at twospf\.auth\.test, a permerror",
         out=(line("CRITICAL", r"DMARC: 2 records at _dmarc\.twospf\.auth\.test"),)),
    Case("no_spf_record", "-D nospf.auth.test " + RES, 2, "CRITICAL",
         r"SPF: no v=spf1 record at nospf\.auth\.test"),
    Case("record_over_450_bytes", "-D long.auth.test " + RES, 1, "WARNING",
         out=(line("WARNING", r"SPF: the record is \d+ bytes, over 450"),)),
    Case("bad_cidr", "-D badcidr.auth.test " + RES, 2, "CRITICAL",
         r"SPF syntax: .*ip4:192\.0\.2\.0/33",
         out=(line("CRITICAL", r"SPF cannot be evaluated for 192\.0\.2\.254: permerror"),)),
    Case("unknown_mechanism", "-D badmech.auth.test " + RES, 2, "CRITICAL",
         r"SPF syntax: .*foo:bar"),
    Case("duplicate_redirect", "-D dupredirect.auth.test " + RES, 2, "CRITICAL",
         r"SPF syntax: .*redirect"),
    Case("ptr_deprecated", "-D ptr.auth.test " + RES, 1, "WARNING",
         r"SPF: ptr\.auth\.test > ptr uses ptr",
         absent=(r"does not authorize",)),

    # ---- the include tree --------------------------------------------------------------
    Case("too_many_lookups", "-D toomany.auth.test " + RES, 2, "CRITICAL",
         out=(line("CRITICAL", r"SPF: 13 DNS-querying terms, over the limit of 10 at "
                               r"toomany\.auth\.test > include:l2\.auth\.test > "
                               r"include:l3\.auth\.test > a"),
              line("CRITICAL", r"SPF cannot be evaluated for 192\.0\.2\.254: permerror"),
              r"'spf_lookups'=13;8;10", r"'spf_depth'=2")),
    Case("lookups_warning_range", "-D toomany.auth.test --spf-lookups-critical 20 "
         "--spf-lookups-warning 11 " + RES, 2, "CRITICAL",
         out=(r"'spf_lookups'=13;11;20",)),
    Case("include_loop", "-D loop.auth.test " + RES, 2, "CRITICAL",
         out=(line("CRITICAL", r"SPF: loop\.auth\.test > include:loop2\.auth\.test > "
                               r"include:loop\.auth\.test: a loop"),)),
    Case("void_lookups", "-D void.auth.test " + RES, 2, "CRITICAL",
         out=(line("CRITICAL", r"SPF: 3 void lookups, over the limit of 2 at "
                               r"void\.auth\.test > a:nx3\.auth\.test"),)),
    # SERVFAIL on an include: temperror, never a pass
    Case("include_servfail", "-D tempinc.auth.test --spf-pass 192.0.2.10 " + RES, 2,
         "CRITICAL", out=(line("CRITICAL", r"SPF cannot be evaluated for 192\.0\.2\.254: "
                                           r"temperror"),
                          line("CRITICAL", r"SERVFAIL")),
         absent=(r"\[OK\] SPF for 192\.0\.2\.10: pass",)),
    Case("macro_exists", "-D macro.auth.test --spf-pass 192.0.2.10 " + RES, 0, "OK",
         out=(line("OK", r"SPF for 192\.0\.2\.10: pass \(exists:"),)),
    Case("explanation", "-D exp.auth.test " + RES, 0, "OK",
         out=(line("OK", r"SPF for 192\.0\.2\.254: fail \(-all\), explained: 192\.0\.2\.254 "
                         r"is not one of exp\.auth\.test's designated mail servers"),)),

    # ---- DKIM --------------------------------------------------------------------------
    Case("dkim_1024_bits", GOOD + " -k sel1024", 1, "WARNING",
         r"DKIM sel1024: RSA key of 1024 bits, under 2048"),
    Case("dkim_1024_bits_allowed", GOOD + " -k sel1024 --dkim-min-bits 1024", 0, "OK"),
    # one selector, one line, one state: no "[OK] ... 512 bits" beside the CRITICAL
    Case("dkim_512_bits", GOOD + " -k sel512", 2, "CRITICAL",
         r"DKIM sel512: RSA key of 512 bits, under 1024",
         out=(line("CRITICAL", r"DKIM sel512: RSA key of 512 bits, under 1024 \(RFC 8301\)$"),),
         absent=(r"\[OK\] DKIM sel512",)),
    Case("dkim_1024_bits_one_line", GOOD + " -k sel1024", 1, "WARNING",
         r"DKIM sel1024: RSA key of 1024 bits", absent=(r"\[OK\] DKIM sel1024",)),
    Case("dkim_revoked", GOOD + " -k revoked", 2, "CRITICAL", r"DKIM revoked: key revoked"),
    Case("dkim_testing", GOOD + " -k testing", 1, "WARNING", r"DKIM testing: t=y"),
    Case("dkim_sha1_only", GOOD + " -k sha1", 2, "CRITICAL",
         r"DKIM sha1: h= allows only sha1"),
    Case("dkim_bad_base64", GOOD + " -k badb64", 2, "CRITICAL", r"DKIM badb64: "),
    Case("dkim_cname", GOOD + " -k cname", 0, "OK",
         out=(line("OK", r"DKIM cname: rsa key, 2048 bits"),)),
    Case("dkim_two_records", GOOD + " -k two", 2, "CRITICAL", r"DKIM two: 2 records"),
    Case("dkim_unknown_key_type", GOOD + " -k dsa", 2, "CRITICAL",
         r"DKIM dsa: key type k=dsa is not rsa or ed25519"),
    Case("dkim_version_not_first", GOOD + " -k notfirst", 2, "CRITICAL",
         r"DKIM notfirst: invalid key record"),
    Case("dkim_duplicate_tag", GOOD + " -k dup", 2, "CRITICAL", r"DKIM dup: invalid key record"),
    Case("dkim_not_for_email", GOOD + " -k tlsrpt", 2, "CRITICAL",
         r"DKIM tlsrpt: s=tlsrpt does not include email"),
    Case("dkim_ed25519_short", GOOD + " -k edshort", 2, "CRITICAL", r"DKIM edshort: "),
    Case("dkim_missing", GOOD + " -k nosuch", 2, "CRITICAL",
         r"DKIM nosuch: no key record at nosuch\._domainkey\.good\.auth\.test"),

    # ---- DMARC -------------------------------------------------------------------------
    Case("dmarc_org_fallback", "-D sub.good.auth.test " + RES, 2, "CRITICAL",
         out=(line("OK", r"DMARC: p=quarantine at _dmarc\.auth\.test"),)),
    Case("dmarc_missing", "-D nodmarc.test " + RES, 2, "CRITICAL",
         r"DMARC: no record at _dmarc\.nodmarc\.test"),
    Case("dmarc_missing_optional", "-D nodmarc.test --dmarc=optional " + RES, 1, "WARNING",
         r"DMARC: no record at _dmarc\.nodmarc\.test"),
    Case("dmarc_reports_unauthorized", "-D long.auth.test " + RES, 1, "WARNING",
         out=(line("WARNING", r"DMARC: reports go to norua\.test, outside auth\.test, which "
                              r"does not authorize them"),)),
    Case("dmarc_min_policy_reject", GOOD + " --dmarc-min-policy reject", 0, "OK"),

    # ---- resolver faults ---------------------------------------------------------------
    Case("resolver_silent", "-D noanswer.fault.test -s {fault} -t 2", 2, "CRITICAL",
         out=(line("CRITICAL", r"no answer before the deadline"),), max_s=2.5),
    Case("resolver_silent_warning",
         "-D noanswer.fault.test -s {fault} -t 2:warning --dmarc=optional", 1,
         "WARNING", max_s=2.5),
    Case("resolver_servfail", "-D servfail.fault.test -s {fault} -t 3", 2, "CRITICAL",
         r"SPF cannot be evaluated: TXT servfail\.fault\.test: the server answered SERVFAIL"),

    # ---- usage -------------------------------------------------------------------------
    Case("usage_no_domain", RES, 3, "UNKNOWN", r"-D/--domain is required", mode="usage"),
    Case("usage_bad_ip", GOOD + " --spf-pass 300.1.1.1", 3, "UNKNOWN",
         r"invalid --spf-pass '300\.1\.1\.1'", mode="usage"),
    Case("usage_bad_dmarc", GOOD + " --dmarc=maybe", 3, "UNKNOWN", r"invalid --dmarc 'maybe'",
         mode="usage"),
    Case("usage_bad_policy", GOOD + " --dmarc-min-policy strict", 3, "UNKNOWN",
         r"invalid --dmarc-min-policy 'strict'", mode="usage"),
    Case("usage_bad_bits", GOOD + " --dkim-min-bits 100", 3, "UNKNOWN",
         r"invalid --dkim-min-bits '100'", mode="usage"),
    Case("usage_bad_selector", GOOD + " -k 'a b'", 3, "UNKNOWN", r"invalid --selector 'a b'",
         mode="usage"),
]


@pytest.fixture(scope="module")
def check_spf_dkim():
    return plugin_path("check_spf_dkim")


@pytest.fixture(scope="module")
def values(stack):
    return {"res": "127.0.0.1:10054", "fault": "127.0.0.1:11053"}


def test_case_table_is_sane():
    check_table(CASES)
    for c in CASES:
        if c.mode != "usage":
            assert "-s {" in c.args, "%s asks the system resolver" % c.id


@pytest.mark.parametrize("case", params(CASES))
def test_check_spf_dkim(case, check_spf_dkim, values):
    run_case(check_spf_dkim, LABEL, case, values)
