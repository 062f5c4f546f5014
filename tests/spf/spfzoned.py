#!/usr/bin/python3
"""spfzoned.py -- serve the zone data of the RFC 7208 SPF test suite over DNS.

The suite (rfc7208-tests.yml, the openspf.org suite, BSD licence in
rfc7208-tests.LICENSE) is a stream of YAML documents, one per scenario:
a description, test cases, and `zonedata`: owner name -> list of entries.
This server answers DNS questions from one scenario's zonedata, on one
loopback address and port, UDP and TCP. Standard library plus python3-yaml
and python3-dnspython.

    spfzoned.py [--host 127.0.0.1] [--port 0] [--scenario N] [--forever]
                [--log FILE] [--list] rfc7208-tests.yml

It prints the port it bound (first line of stdout, the number alone; useful
with --port 0), then reads commands on stdin, one per line: a scenario
number (0-based, as --list shows) or description switches the zone served
(answer: "scenario N: DESCRIPTION"); end of input stops the server. With
--forever it ignores stdin and serves until killed. tests/spf/run-suite
imports this file instead (load_suite, ZoneServer).

How the YAML becomes DNS (the suite's drivers define it, pyspf's
test/testspf.py being the reference one; the rules below are theirs):

  A, AAAA        one record per entry (text address)
  MX             [preference, exchange]
  PTR, CNAME     the target name (absolute whether or not it ends in ".")
  TXT, SPF       a string is a record of one character-string, a list a
                 record of that many strings ([] is a record with no string
                 at all: zero-length RDATA). Strings longer than 255 bytes
                 would be split; the suite has none. YAML "\\xNN" escapes are
                 bytes: text whose characters all fit in one byte is sent as
                 Latin-1, anything else as UTF-8. SPF entries are served as
                 type SPF (99).
  SPF -> TXT     RFC 7208 dropped type SPF, and the suite's header says its
                 drivers duplicate SPF entries as TXT records so that every
                 section but "Selecting records" means TXT: every SPF entry
                 of a name is also served as TXT, unless the name has a TXT
                 entry of its own ("TXT: NONE" included). Copies come after
                 all entries of the name, as in pyspf's driver.
  NONE           "TYPE: NONE" is no record (the suite uses "TXT: NONE" to
                 stop the SPF -> TXT copy).
  TIMEOUT        a bare "TIMEOUT" entry: a question of type T is answered
                 only if a record of type T comes before it in the list;
                 otherwise it gets no reply at all (the client times out).
                 Entries after TIMEOUT are never served. "TYPE: TIMEOUT"
                 (no reply to that type) is accepted too; the suite does
                 not use it.
  CNAME          followed by the server, as a recursive resolver would: the
                 answer is the chain plus the target's records, its rcode
                 the target's. A loop or a chain of more than 8 gets
                 SERVFAIL (RFC 1034 section 3.6.2: loops are errors).
  no such name   NXDOMAIN, unless the name is an ancestor of a name of the
                 zone (an empty non-terminal): NOERROR, no records, as for a
                 name that exists with records of other types only.
  names          case-insensitive (the suite mixes case on purpose); the
                 question is echoed as asked.

Answers have AA and RA set and TTL 0 (nothing is cached across scenarios).
A UDP answer larger than 512 bytes (or the EDNS size the client offers)
gets TC and no records, and the client is expected to retry over TCP.
"""

import argparse
import ipaddress
import socket
import socketserver
import struct
import sys
import threading

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.SPF
import dns.rdtypes.ANY.TXT
import dns.rrset
import yaml

TTL = 0
MAX_CHAIN = 8                     # CNAMEs followed before SERVFAIL
UDP_PLAIN_MAX = 512               # RFC 1035 section 4.2.1, without EDNS
TCP_IDLE = 30.0                   # a silent TCP client is dropped after this
TIMEOUT = "TIMEOUT"               # the no-reply marker, as the YAML spells it
NONE = "NONE"
TYPES = ("A", "AAAA", "MX", "PTR", "TXT", "SPF", "CNAME")


class ZoneError(Exception):
    """Zone data the server cannot represent."""


def _absolute(text):
    return text if text.endswith(".") else text + "."


def _owner(key):
    """A YAML owner name as a dns.name.Name (labels as given, no escapes)."""
    labels = [label.encode("utf-8") for label in key.rstrip(".").split(".")]
    try:
        return dns.name.Name(labels + [b""])
    except dns.exception.DNSException as e:
        raise ZoneError("owner %r: %s" % (key, e))


def _octets(text):
    """YAML text as DNS octets: "\\xNN" escapes in the YAML mean bytes."""
    if not isinstance(text, str):
        raise ZoneError("character-string %r is not text" % (text,))
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _strings(value):
    """The character-strings of one TXT/SPF record."""
    parts = [value] if isinstance(value, str) else list(value)
    out = []
    for part in parts:
        data = _octets(part)
        out.extend(data[i:i + 255] for i in range(0, len(data), 255))
        if not data:
            out.append(b"")
    return out


def _rdata(rtype, value):
    """One entry's value as dnspython rdata."""
    IN = dns.rdataclass.IN
    try:
        if rtype == "TXT":
            return dns.rdtypes.ANY.TXT.TXT(IN, dns.rdatatype.TXT, _strings(value))
        if rtype == "SPF":
            return dns.rdtypes.ANY.SPF.SPF(IN, dns.rdatatype.SPF, _strings(value))
        if rtype == "MX":
            pref, exchange = value
            return dns.rdata.from_text(IN, "MX", "%d %s" % (int(pref), _absolute(exchange)))
        if rtype in ("PTR", "CNAME"):
            return dns.rdata.from_text(IN, rtype, _absolute(value))
        return dns.rdata.from_text(IN, rtype, value)
    except (dns.exception.DNSException, ValueError, TypeError) as e:
        raise ZoneError("%s %r: %s" % (rtype, value, e))


class Zone:
    """One scenario's zonedata, ready to answer questions."""

    def __init__(self, zonedata):
        # owner (dns.name.Name, compares case-insensitively) -> list of
        # TIMEOUT or (rdtype, rdata) or (rdtype, TIMEOUT), in YAML order
        self.names = {}
        for key, entries in (zonedata or {}).items():
            owner = _owner(str(key))
            self.names.setdefault(owner, []).extend(self._entries(key, entries or []))
        self.ancestors = set()
        for owner in self.names:
            parent = owner
            while len(parent) > 1:
                parent = parent.parent()
                self.ancestors.add(parent)

    @staticmethod
    def _entries(key, entries):
        out = []
        copies = []               # SPF entries served as TXT too
        has_txt = False
        for entry in entries:
            if entry == TIMEOUT:
                out.append(TIMEOUT)
                continue
            if not isinstance(entry, dict):
                raise ZoneError("%s: unknown entry %r" % (key, entry))
            for rtype, value in entry.items():
                if rtype not in TYPES:
                    raise ZoneError("%s: unknown type %r" % (key, rtype))
                if rtype == "TXT":
                    has_txt = True
                if value == NONE:
                    continue
                code = dns.rdatatype.from_text(rtype)
                if value == TIMEOUT:
                    out.append((code, TIMEOUT))
                    continue
                out.append((code, _rdata(rtype, value)))
                if rtype == "SPF":
                    copies.append((dns.rdatatype.TXT, _rdata("TXT", value)))
        if not has_txt:
            out.extend(copies)
        return out

    def _select(self, entries, rdtype):
        """(records of rdtype, the CNAME rdata or None), or None: no reply."""
        found = []
        cname = None
        for entry in entries:
            if entry == TIMEOUT:
                if not found:
                    return None
                break
            code, rd = entry
            if code == rdtype:
                if rd == TIMEOUT:
                    return None
                found.append(rd)
            elif code == dns.rdatatype.CNAME and rd != TIMEOUT and cname is None:
                cname = rd
        return found, cname

    def resolve(self, qname, rdtype):
        """(rcode, [(owner, rdata)...]) for a question, or None: no reply."""
        records = []
        owner = qname
        seen = {qname}
        for _ in range(MAX_CHAIN + 1):
            entries = self.names.get(owner)
            if entries is None:
                if owner in self.ancestors:
                    return dns.rcode.NOERROR, records
                return dns.rcode.NXDOMAIN, records
            picked = self._select(entries, rdtype)
            if picked is None:
                return None
            found, cname = picked
            if found or cname is None:
                return dns.rcode.NOERROR, records + [(owner, rd) for rd in found]
            records.append((owner, cname))
            owner = cname.target
            if owner in seen:
                return dns.rcode.SERVFAIL, []
            seen.add(owner)
        return dns.rcode.SERVFAIL, []


class Scenario:
    def __init__(self, index, doc):
        self.index = index
        self.description = str(doc.get("description", "scenario %d" % index))
        self.zone = Zone(doc.get("zonedata"))
        self.tests = list((doc.get("tests") or {}).items())


def load_suite(path):
    """The scenarios of a test-suite YAML file, in file order."""
    with open(path, "rb") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    return [Scenario(i, d) for i, d in enumerate(docs)]


def answer(zone, data, limit):
    """Reply bytes for one query (wire format), or None for no reply."""
    try:
        q = dns.message.from_wire(data)
    except Exception:
        return None
    if q.flags & dns.flags.QR or q.opcode() != dns.opcode.QUERY or len(q.question) != 1:
        r = dns.message.make_response(q)
        r.set_rcode(dns.rcode.FORMERR if q.opcode() == dns.opcode.QUERY
                    else dns.rcode.NOTIMP)
        return r.to_wire()
    question = q.question[0]
    if zone is None:
        result = dns.rcode.REFUSED, []
    else:
        result = zone.resolve(question.name, question.rdtype)
    if result is None:
        return None
    rcode, records = result
    r = dns.message.make_response(q)
    r.flags |= dns.flags.AA | dns.flags.RA
    r.set_rcode(rcode)
    for owner, rd in records:
        # One RRset per record: dnspython would merge identical records,
        # and the suite serves some twice on purpose (multispf1).
        rrset = dns.rrset.RRset(question.name if owner == question.name else owner,
                                dns.rdataclass.IN, rd.rdtype)
        rrset.add(rd, TTL)
        r.answer.append(rrset)
    if limit is not None and q.edns >= 0:
        limit = max(UDP_PLAIN_MAX, min(q.payload, 65535))
    try:
        return r.to_wire(max_size=limit or 65535)
    except dns.exception.TooBig:
        r = dns.message.make_response(q)
        r.flags |= dns.flags.AA | dns.flags.RA | dns.flags.TC
        return r.to_wire()


def _describe(data):
    try:
        q = dns.message.from_wire(data)
        qs = q.question[0]
        return "%s %s" % (qs.name, dns.rdatatype.to_text(qs.rdtype))
    except Exception:
        return "(unparseable)"


class _UDPHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        owner = self.server.owner
        zone = owner.zone
        reply = answer(zone, data, UDP_PLAIN_MAX)
        owner.note("udp", zone, data, reply)
        if reply is not None:
            sock.sendto(reply, self.client_address)


class _TCPHandler(socketserver.BaseRequestHandler):
    def _read(self, count):
        buf = b""
        while len(buf) < count:
            chunk = self.request.recv(count - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def handle(self):
        self.request.settimeout(TCP_IDLE)
        owner = self.server.owner
        try:
            while True:
                head = self._read(2)
                if head is None:
                    return
                data = self._read(struct.unpack("!H", head)[0])
                if data is None:
                    return
                zone = owner.zone
                reply = answer(zone, data, None)
                owner.note("tcp", zone, data, reply)
                if reply is not None:
                    self.request.sendall(struct.pack("!H", len(reply)) + reply)
        except OSError:
            return


def _family(host):
    try:
        return 6 if ipaddress.ip_address(host).version == 6 else 4
    except ValueError:
        return 4


class ZoneServer:
    """A UDP+TCP DNS server on host:port (port 0: a free one) answering from
    self.zone, which may be replaced at any time to switch scenario."""

    def __init__(self, host="127.0.0.1", port=0, zone=None, log=None):
        self.zone = zone
        self.log = log
        self._lock = threading.Lock()
        self._threads = []
        fam = socket.AF_INET6 if _family(host) == 6 else socket.AF_INET

        class UDP(socketserver.UDPServer):
            address_family = fam
            max_packet_size = 65535

        class TCP(socketserver.ThreadingTCPServer):
            address_family = fam
            allow_reuse_address = True
            daemon_threads = True

        # An ephemeral UDP port may be taken for TCP: try a few.
        for attempt in range(20):
            udp = UDP((host, port), _UDPHandler)
            try:
                tcp = TCP((host, udp.server_address[1]), _TCPHandler)
                break
            except OSError:
                udp.server_close()
                if port != 0 or attempt == 19:
                    raise
        self.host = host
        self.port = udp.server_address[1]
        self._servers = (udp, tcp)
        for s in self._servers:
            s.owner = self

    def note(self, transport, zone, data, reply):
        if self.log is None:
            return
        if reply is None:
            what = "no reply"
        else:
            try:
                r = dns.message.from_wire(reply)
                what = "%s, %d records%s" % (dns.rcode.to_text(r.rcode()),
                                             sum(len(s) for s in r.answer),
                                             ", TC" if r.flags & dns.flags.TC else "")
            except Exception:
                what = "%d bytes" % len(reply)
        with self._lock:
            print("%s %s -> %s" % (transport, _describe(data), what),
                  file=self.log, flush=True)

    def start(self):
        for s in self._servers:
            t = threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1},
                                 daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def close(self):
        for s in self._servers:
            if self._threads:
                s.shutdown()
            s.server_close()
        self._threads = []


def close_all(servers):
    """Close several servers at once (each close waits for a poll interval)."""
    threads = [threading.Thread(target=s.close) for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _pick(scenarios, text):
    text = text.strip()
    if text.isdigit() and int(text) < len(scenarios):
        return scenarios[int(text)]
    for s in scenarios:
        if s.description.lower() == text.lower():
            return s
    return None


def main():
    ap = argparse.ArgumentParser(description="serve one scenario of an SPF test-suite YAML")
    ap.add_argument("yaml")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    ap.add_argument("--scenario", default="0", help="number or description (default 0)")
    ap.add_argument("--forever", action="store_true",
                    help="ignore stdin, serve until killed")
    ap.add_argument("--log", help="log every question to this file ('-': stderr)")
    ap.add_argument("--list", action="store_true", help="list the scenarios and exit")
    a = ap.parse_args()

    try:
        scenarios = load_suite(a.yaml)
    except (OSError, yaml.YAMLError, ZoneError) as e:
        print("spfzoned: %s: %s" % (a.yaml, e), file=sys.stderr)
        return 1
    if a.list:
        for s in scenarios:
            print("%d\t%s\t%d cases" % (s.index, s.description, len(s.tests)))
        return 0
    current = _pick(scenarios, a.scenario)
    if current is None:
        print("spfzoned: no scenario %r" % a.scenario, file=sys.stderr)
        return 2
    log = None
    if a.log == "-":
        log = sys.stderr
    elif a.log:
        log = open(a.log, "a")
    try:
        server = ZoneServer(a.host, a.port, current.zone, log).start()
    except OSError as e:
        print("spfzoned: cannot bind %s:%d: %s" % (a.host, a.port, e), file=sys.stderr)
        return 1
    print(server.port, flush=True)
    if a.forever:
        threading.Event().wait()
    for line in sys.stdin:
        if not line.strip():
            continue
        chosen = _pick(scenarios, line)
        if chosen is None:
            print("error: no scenario %r" % line.strip(), flush=True)
            continue
        server.zone = chosen.zone
        print("scenario %d: %s" % (chosen.index, chosen.description), flush=True)
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
