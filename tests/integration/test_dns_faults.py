"""The DNS fault matrix for check_smtp_tls: the case table below IS the spec.

Every case resolves -H through dnsfaultd.py (127.0.0.1:11053, UDP and TCP,
started by stack.sh), whose behaviour is chosen by the query name (see its
docstring), and then, if the name resolved, talks to Postfix on
127.0.0.1:10025 with --cert-name mail.test.  Each DnsCase becomes a
harness.py Case (harness_case) and runs through harness.py's run_case, so
every case asserts:
  - the exit code (a plugin killed by a signal fails with the signal's name),
    and that the first line starts with "SMTP_TLS <STATE> - ";
  - the regex(es) match the first line (case-insensitive);
  - 'out' regexes match the whole output;
  - 'absent' regexes do NOT match the whole output (e.g. no connection was
    made to an address that answered for another name);
  - the whole output is < 4096 bytes;
  - '|' appears only once, in the first line, as the perfdata separator, and
    the perfdata is well-formed (as listed in harness.py);
  - following lines (long output) are subcheck lines "[STATE] text";
  - the run took no longer than the case's -t plus 0.5 s (timed by harness's
    reaper; skipped under MC_PLUGIN_WRAPPER);
  - the plugin process's peak RSS (ru_maxrss) is below 16 MiB (skipped with
    MC_NO_RSS_CHECK=1 or under MC_PLUGIN_WRAPPER);
  - under MC_PLUGIN_WRAPPER (e.g. valgrind): the wrapper reports no errors;
  - 'log' regexes match dnsfaultd's log (what the plugin actually asked).
MC_PLUGIN_WRAPPER and MC_NO_RSS_CHECK: see harness.py.

State mapping (design.md): name does not resolve -> CRITICAL "cannot resolve
NAME: reason"; no answer -> the timeout state ("timeout after Ns resolving");
a malformed or foreign answer is never used as an address.

Cases marked xfail(strict=True) are plugin defects found by this matrix; the
reason names the wanted behaviour.  Fix the plugin and the xfail turns into
an XPASS failure: then drop the mark.
"""

import re
import shlex
import socket
from dataclasses import dataclass

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

from harness import STATES, Case, params, run_case

DNSFAULT = "127.0.0.1:11053"
LABEL = "SMTP_TLS"


@dataclass(frozen=True)
class DnsCase:
    id: str                   # names the resolver behaviour provoked
    host: str                 # -H (a name under fault.test)
    exit: int
    state: str
    regex: object = ""        # str or tuple of str: must all match the first line
    t: float = 3              # -t SECONDS
    extra: str = ""           # more plugin arguments (e.g. "-6", a second -s)
    t_state: str = ""         # ":warning" etc. appended to -t
    out: tuple = ()           # regexes that must match the whole output
    absent: tuple = ()        # regexes that must NOT match the whole output
    log: tuple = ()           # regexes that must match dnsfaultd.log
    xfail: str = ""           # known plugin defect: reason (strict xfail)


CONNECTED = r"(?m)^\[OK\] connect: 127\.0\.0\.1:10025 "
NO_CONNECT = r"(?m)^\[\w+\] connect:"


def resolve_error(name, reason=""):
    return r"^SMTP_TLS CRITICAL - %s:10025 cannot resolve %s: %s" % (
        re.escape(name), re.escape(name), reason)


def resolve_timeout(name, t, state="CRITICAL"):
    return r"^SMTP_TLS %s - %s:10025 timeout after %gs resolving %s \|" % (
        state, re.escape(name), t, re.escape(name))


def ok_line(name):
    return r"^SMTP_TLS OK - %s:10025 STARTTLS TLSv1\.3 \S+, certificate valid" % re.escape(name)


CASES = [
    # ---- control: a plain, correct answer --------------------------------------------
    DnsCase("ok-control", "ok.fault.test", 0, "OK", ok_line("ok.fault.test"), out=(CONNECTED,),
            log=(r"udp \S+ id=\d+ ok\.fault\.test\. A -> ok",)),
    # AAAA is NOERROR/no data: with -6 there is no address at all
    DnsCase("ok-ipv6-nodata", "ok.fault.test", 2, "CRITICAL",
            resolve_error("ok.fault.test", "no address"), extra="-6", absent=(NO_CONNECT,)),

    # ---- negative answers ------------------------------------------------------------
    DnsCase("nxdomain", "nxdomain.fault.test", 2, "CRITICAL",
            resolve_error("nxdomain.fault.test", "no such name"), absent=(NO_CONNECT,)),
    DnsCase("unlisted-name-nxdomain", "nosuchbehaviour.fault.test", 2, "CRITICAL",
            resolve_error("nosuchbehaviour.fault.test", "no such name"), absent=(NO_CONNECT,)),
    # the resolver's own answer is the reason (not "could not contact")
    DnsCase("servfail", "servfail.fault.test", 2, "CRITICAL",
            resolve_error("servfail.fault.test", "the resolver answered SERVFAIL"),
            absent=(NO_CONNECT,)),
    DnsCase("refused", "refused.fault.test", 2, "CRITICAL",
            resolve_error("refused.fault.test", "the resolver REFUSED the query"),
            absent=(NO_CONNECT,)),
    # SERVFAIL is an answer, and final: the second resolver (Knot) is not asked
    DnsCase("servfail-is-final", "servfail.fault.test", 2, "CRITICAL",
            resolve_error("servfail.fault.test", "the resolver answered SERVFAIL"),
            extra="-s 127.0.0.1:10053"),

    # ---- silence ---------------------------------------------------------------------
    DnsCase("noanswer-timeout", "noanswer.fault.test", 2, "CRITICAL",
            resolve_timeout("noanswer.fault.test", 3), absent=(NO_CONNECT,)),
    DnsCase("noanswer-timeout-state-warning", "noanswer.fault.test", 1, "WARNING",
            resolve_timeout("noanswer.fault.test", 2, "WARNING"), t=2, t_state=":warning"),
    DnsCase("noanswer-fractional-timeout", "noanswer.fault.test", 2, "CRITICAL",
            resolve_timeout("noanswer.fault.test", 1.5), t=1.5),
    # a dead first resolver: the second one is asked in time (each server gets a
    # share of -t per try, not c-ares' 5 s)
    DnsCase("noanswer-then-next-server", "noanswer.fault.test", 2, "CRITICAL",
            resolve_error("noanswer.fault.test", "no such name"), t=3,
            extra="-s 127.0.0.1:10053"),
    # a reply with another query ID is not an answer: ignored, then the deadline
    DnsCase("wrong-id-ignored", "wrongid.fault.test", 2, "CRITICAL",
            resolve_timeout("wrongid.fault.test", 3), absent=(NO_CONNECT,)),

    # ---- truncation: retry over TCP --------------------------------------------------
    DnsCase("truncated-tcp-retry", "truncated.fault.test", 0, "OK", ok_line("truncated.fault.test"),
            out=(CONNECTED,),
            log=(r"udp \S+ id=\d+ truncated\.fault\.test\. A -> truncated",
                 r"tcp \S+ id=\d+ truncated\.fault\.test\. A -> truncated")),

    # ---- broken answers --------------------------------------------------------------
    DnsCase("malformed", "malformed.fault.test", 2, "CRITICAL",
            resolve_error("malformed.fault.test", "(misformatted|malformed)"), absent=(NO_CONNECT,)),
    DnsCase("a-rr-wrong-rdlength", "badrdlen.fault.test", 2, "CRITICAL",
            resolve_error("badrdlen.fault.test"), absent=(NO_CONNECT,)),
    DnsCase("cname-loop", "cnameloop.fault.test", 2, "CRITICAL",
            resolve_error("cnameloop.fault.test"), absent=(NO_CONNECT,)),
    DnsCase("cname-loop-other-end", "loop2.fault.test", 2, "CRITICAL",
            resolve_error("loop2.fault.test"), absent=(NO_CONNECT,)),
    # 12 names in one answer, the last with A 127.0.0.1: followed (a resolver's
    # answer may legitimately carry the whole chain)
    DnsCase("cname-chain-12", "cnamechain.fault.test", 0, "OK", ok_line("cnamechain.fault.test"),
            out=(CONNECTED,)),
    # question and answer for elsewhere.fault.test: not an answer to our query
    # (c-ares drops it and waits), never used as this name's address
    DnsCase("answer-for-other-question", "othername.fault.test", 2, "CRITICAL",
            r"^SMTP_TLS CRITICAL - othername\.fault\.test:10025 (cannot resolve|timeout after 3s "
            r"resolving) othername\.fault\.test", absent=(NO_CONNECT,)),
    # right question, but the A RR belongs to elsewhere.fault.test: not used
    DnsCase("answer-rr-for-other-name", "otherrr.fault.test", 2, "CRITICAL",
            resolve_error("otherrr.fault.test", "no address"), absent=(NO_CONNECT,)),
    DnsCase("ttl-2-to-the-32-minus-1", "hugettl.fault.test", 0, "OK", ok_line("hugettl.fault.test"),
            out=(CONNECTED,)),
]


def argv_of(case, ca):
    args = ["-H", case.host, "-p", "10025", "-s", DNSFAULT, "--cert-name", "mail.test",
            "--ca-file", str(ca), "-t", "%g%s" % (case.t, case.t_state)]
    return args + shlex.split(case.extra)


def harness_case(case, ca):
    """The harness.py Case that runs a DnsCase (no placeholders: args are final)."""
    return Case(case.id, shlex.join(argv_of(case, ca)), case.exit, case.state, case.regex,
                out=case.out, absent=case.absent)


def log_check(log, regexes):
    """A run_case check: every regex matches dnsfaultd's log."""
    def check(p, out):
        text = log.read_text(errors="replace") if log.exists() else ""
        for rx in regexes:
            assert re.search(rx, text), "dnsfaultd.log has no line matching /%s/" % rx
    return check if regexes else None


# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dnsfaultd(stack):
    """dnsfaultd's log file, once it has answered ok.fault.test over UDP."""
    q = dns.message.make_query("ok.fault.test.", "A")
    try:
        r = dns.query.udp(q, "127.0.0.1", port=11053, timeout=2)
    except Exception as e:
        pytest.fail("dnsfaultd does not answer on %s (%s: %s); is the stack from a stack.sh "
                    "that starts it?" % (DNSFAULT, type(e).__name__, e), pytrace=False)
    if r.rcode() != dns.rcode.NOERROR or not r.answer:
        pytest.fail("dnsfaultd gave a wrong answer for ok.fault.test: %s" % r, pytrace=False)
    return stack.dir / "dnsfaultd.log"


def test_case_table_is_sane():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    for c in CASES:
        assert STATES[c.exit] == c.state, c.id
        assert c.host.endswith(".fault.test"), c.id
        # only loopback resolvers, never the system's (non-loopback) one
        for w in re.findall(r"-s\s+(\S+)", c.extra):
            assert w.startswith("127.0.0.1:"), c.id
        # the deadline (and so the time bound) is the t field's
        assert not re.search(r"(^|\s)(-t|--timeout)", c.extra), c.id


def _query(name, rdtype, tcp):
    q = dns.message.make_query(name, rdtype)
    fn = dns.query.tcp if tcp else dns.query.udp
    return fn(q, "127.0.0.1", port=11053, timeout=2)


@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
def test_dnsfaultd_answers_as_designed(dnsfaultd, tcp):
    """The fault server itself (so a plugin result is not blamed on it)."""
    r = _query("ok.fault.test.", "A", tcp)
    assert [rr.to_text() for rrs in r.answer for rr in rrs] == ["127.0.0.1"]
    r = _query("ok.fault.test.", "AAAA", tcp)
    assert r.rcode() == dns.rcode.NOERROR and not r.answer
    for name, rcode in (("servfail", dns.rcode.SERVFAIL), ("refused", dns.rcode.REFUSED),
                        ("nxdomain", dns.rcode.NXDOMAIN), ("whatever", dns.rcode.NXDOMAIN)):
        assert _query(name + ".fault.test.", "A", tcp).rcode() == rcode, name
    r = _query("truncated.fault.test.", "A", tcp)
    if tcp:
        assert [rr.to_text() for rrs in r.answer for rr in rrs] == ["127.0.0.1"]
    else:
        assert r.flags & dns.flags.TC and not r.answer
    r = _query("cnamechain.fault.test.", "A", tcp)
    assert len(r.answer) == 12 and r.answer[-1].rdtype == dns.rdatatype.A
    r = _query("cnameloop.fault.test.", "A", tcp)
    assert [rrs.rdtype for rrs in r.answer] == [dns.rdatatype.CNAME] * 2
    with pytest.raises(dns.exception.DNSException):
        _query("malformed.fault.test.", "A", tcp)
    with pytest.raises(dns.exception.Timeout):
        _query("noanswer.fault.test.", "A", tcp)


def test_dnsfaultd_survives_garbage(dnsfaultd):
    """Unparseable queries get FORMERR (or nothing); the server keeps answering."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    try:
        for junk in (b"\x12", b"\x12\x34" + b"\xff" * 30, bytes(range(256)) * 4, b"\0" * 12):
            s.sendto(junk, ("127.0.0.1", 11053))
        s.sendto(b"\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03abc", ("127.0.0.1", 11053))
        reply = s.recv(512)
        while reply[:2] != b"\xab\xcd":          # skip the FORMERRs to the junk
            reply = s.recv(512)
        assert reply[3] & 0x0F == dns.rcode.FORMERR
    finally:
        s.close()
    with socket.create_connection(("127.0.0.1", 11053), timeout=2) as t:
        t.sendall(b"\x00\x05abcde")
    r = _query("ok.fault.test.", "A", False)
    assert r.rcode() == dns.rcode.NOERROR and r.answer


@pytest.mark.parametrize("case", params(CASES))
def test_dns_fault(case, check_smtp_tls, stack, dnsfaultd):
    run_case(check_smtp_tls, LABEL, harness_case(case, stack.ca), {},
             check=log_check(dnsfaultd, case.log))
