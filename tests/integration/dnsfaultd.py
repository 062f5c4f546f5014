#!/usr/bin/python3
"""dnsfaultd.py -- a scripted, misbehaving DNS server for the integration tests.

One process answers on one loopback port (default 127.0.0.1:11053), UDP and
TCP.  Standard library plus python3-dnspython (to build and parse messages;
the broken answers are written byte by byte).

    dnsfaultd.py [--role ROLE] [--host 127.0.0.1] [--port 11053]
                 [--pidfile FILE] [--log FILE] [--list]

--role picks what the process is (stack.sh runs one process per role):

  fault (default)  the behaviour is chosen by the query name, under
                   fault.test. (table below)
  lagging          a secondary that is one serial ahead of Knot for lag.test.:
                   authoritative (AA) answers for lag.test. only, SOA serial
                   2026112302, NS ns1.lag.test. ns2.lag.test. (A 127.0.0.1 and
                   127.0.0.5), NXDOMAIN for other names in the zone, REFUSED
                   outside it
  refused          REFUSED (no AA, no records) for every query
  nonauth          NOERROR without the AA flag for every query: an SOA query
                   gets an SOA record owned by the name asked (serial
                   2026112301), any other type an empty answer

Role fault:

  name (under fault.test.)   behaviour
  ok                         A 127.0.0.1; other types (AAAA): NOERROR, no data
  servfail / refused / nxdomain   that rcode
  noanswer                   never answers (UDP: dropped; TCP: read, kept open)
  truncated                  UDP: TC=1, no records; TCP: the full answer (as ok)
  malformed                  right ID, header claims ANCOUNT=5, then one cut RR
  cnameloop / loop2          cnameloop CNAME loop2, loop2 CNAME cnameloop, no A
  cnamechain                 12 names: cnamechain -> c1.cnamechain -> ...
                             -> c11.cnamechain A 127.0.0.1
  othername                  question and answer for elsewhere.fault.test
                             (A 127.0.0.1) instead of the name asked
  otherrr                    right question, but the A RR (127.0.0.1) is
                             owned by elsewhere.fault.test
  wrongid                    the ok answer with the query ID inverted
  hugettl                    A 127.0.0.1 with TTL 2^32-1
  badrdlen                   an A RR whose RDLENGTH is 16 (an IPv6 address)
  anything else              NXDOMAIN

Each query is logged as: transport peer id name type -> behaviour/outcome.
A query that cannot be parsed gets FORMERR (header only) when it has a
12-byte header, and is dropped otherwise.
"""

import argparse
import logging
import os
import selectors
import socket
import struct
import sys
import threading
import time

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from daemonize import serve_forever_setup

ZONE = dns.name.from_text("fault.test.")
TTL = 60
LOOPBACK = "127.0.0.1"
CHAIN_LEN = 12                   # names in the cnamechain, the last has the A
IDLE_TIMEOUT = 30.0              # a silent TCP client is dropped after this
HOLD_TIMEOUT = 600.0             # noanswer over TCP: hold the socket at most this
MAX_TCP_QUERIES = 100            # per TCP connection

log = logging.getLogger("dnsfaultd")


def n(text):
    return dns.name.from_text(text, ZONE)


SOA = dns.rrset.from_text(ZONE, TTL, "IN", "SOA",
                          "ns.fault.test. hostmaster.fault.test. 1 3600 600 86400 60")
CHAIN = [n("cnamechain")] + [n("c%d.cnamechain" % i) for i in range(1, CHAIN_LEN)]
LOOP = [n("cnameloop"), n("loop2")]
ELSEWHERE = n("elsewhere")


# --------------------------------------------------------------------------
# answers.  Each behaviour gets (query message, transport) and returns the
# reply as bytes (without the TCP length prefix) or None to stay silent.

def response(q, rcode=dns.rcode.NOERROR):
    r = dns.message.make_response(q)
    r.flags |= dns.flags.AA
    r.set_rcode(rcode)
    return r


def qinfo(q):
    qs = q.question[0]
    return qs.name.canonicalize(), qs.rdtype


def address_answer(q, owner=None, ttl=TTL):
    """A 127.0.0.1 for A queries, NOERROR/no data (with SOA) for the rest."""
    r = response(q)
    name, rdtype = qinfo(q)
    if rdtype == dns.rdatatype.A:
        r.answer.append(dns.rrset.from_text(owner or name, ttl, "IN", "A", LOOPBACK))
    else:
        r.authority.append(SOA)
    return r


def b_ok(q, tr):
    return address_answer(q).to_wire()


def rcode_behaviour(rcode):
    def fn(q, tr):
        r = response(q, rcode)
        if rcode == dns.rcode.NXDOMAIN:
            r.authority.append(SOA)
        return r.to_wire()
    return fn


def b_noanswer(q, tr):
    return None


def b_truncated(q, tr):
    if tr == "tcp":
        return address_answer(q).to_wire()
    r = response(q)
    r.flags |= dns.flags.TC
    return r.to_wire()


def b_malformed(q, tr):
    """Right ID and question, header claims 5 answers, then one RR cut short."""
    wire = response(q).to_wire()
    hdr = bytearray(wire[:12])
    struct.pack_into("!HHHH", hdr, 4, 1, 5, 0, 0)     # QD=1 AN=5 NS=0 AR=0
    question = wire[12:]                               # the echoed question only
    rr = struct.pack("!HHHIH", 0xC00C, dns.rdatatype.A, dns.rdataclass.IN, TTL, 4) + b"\x7f\x00"
    return bytes(hdr) + question + rr


def b_cnameloop(q, tr):
    name, _ = qinfo(q)
    first = LOOP.index(name)
    r = response(q)
    for i in (first, 1 - first):
        r.answer.append(dns.rrset.from_text(LOOP[i], TTL, "IN", "CNAME",
                                            LOOP[1 - i].to_text()))
    return r.to_wire()


def b_cnamechain(q, tr):
    name, rdtype = qinfo(q)
    r = response(q)
    for i in range(CHAIN.index(name), CHAIN_LEN - 1):
        r.answer.append(dns.rrset.from_text(CHAIN[i], TTL, "IN", "CNAME",
                                            CHAIN[i + 1].to_text()))
    if rdtype == dns.rdatatype.A:
        r.answer.append(dns.rrset.from_text(CHAIN[-1], TTL, "IN", "A", LOOPBACK))
    else:
        r.authority.append(SOA)
    return r.to_wire()


def b_othername(q, tr):
    """An answer to a question nobody asked: elsewhere.fault.test."""
    _, rdtype = qinfo(q)
    other = dns.message.make_query(ELSEWHERE, rdtype)
    other.id = q.id
    other.flags = q.flags
    return address_answer(other).to_wire()


def b_otherrr(q, tr):
    return address_answer(q, owner=ELSEWHERE).to_wire()


def b_wrongid(q, tr):
    r = address_answer(q)
    r.id = q.id ^ 0xFFFF
    return r.to_wire()


def b_hugettl(q, tr):
    return address_answer(q, ttl=0xFFFFFFFF).to_wire()


def b_badrdlen(q, tr):
    """A RR with 16 bytes of RDATA (a well-formed message, a wrong-sized A)."""
    _, rdtype = qinfo(q)
    if rdtype != dns.rdatatype.A:
        return address_answer(q).to_wire()
    wire = bytearray(response(q).to_wire())
    struct.pack_into("!H", wire, 6, 1)                  # ANCOUNT=1
    rr = struct.pack("!HHHIH", 0xC00C, dns.rdatatype.A, dns.rdataclass.IN, TTL, 16)
    return bytes(wire) + rr + bytes([127, 0, 0, 1]) + bytes(12)


BEHAVIOURS = [
    (["ok"], "ok", b_ok),
    (["servfail"], "servfail", rcode_behaviour(dns.rcode.SERVFAIL)),
    (["refused"], "refused", rcode_behaviour(dns.rcode.REFUSED)),
    (["nxdomain"], "nxdomain", rcode_behaviour(dns.rcode.NXDOMAIN)),
    (["noanswer"], "noanswer", b_noanswer),
    (["truncated"], "truncated", b_truncated),
    (["malformed"], "malformed", b_malformed),
    ([l.relativize(ZONE).to_text() for l in LOOP], "cnameloop", b_cnameloop),
    ([c.relativize(ZONE).to_text() for c in CHAIN], "cnamechain", b_cnamechain),
    (["othername"], "othername", b_othername),
    (["otherrr"], "otherrr", b_otherrr),
    (["wrongid"], "wrongid", b_wrongid),
    (["hugettl"], "hugettl", b_hugettl),
    (["badrdlen"], "badrdlen", b_badrdlen),
]
BY_NAME = {n(label): (tag, fn) for labels, tag, fn in BEHAVIOURS for label in labels}
NXDOMAIN = ("nxdomain(unknown)", rcode_behaviour(dns.rcode.NXDOMAIN))


def role_fault(q, tr):
    name, _ = qinfo(q)
    tag, fn = BY_NAME.get(name, NXDOMAIN)
    return tag, fn(q, tr)


# --------------------------------------------------------------------------
# the other roles: nameservers of the check_mx_dns zones that disagree with
# Knot.  Each gets (query, transport) and returns (tag, reply bytes).

LAG_ZONE = dns.name.from_text("lag.test.")
LAG_SERIAL = 2026112302          # Knot serves lag.test. with 2026112301
ROLE_TTL = 300                   # as Knot's zones
LAG_NS = {dns.name.from_text("ns1.lag.test."): "127.0.0.1",
          dns.name.from_text("ns2.lag.test."): "127.0.0.5"}


def lag_soa():
    return dns.rrset.from_text(LAG_ZONE, ROLE_TTL, "IN", "SOA",
                               "ns1.lag.test. hostmaster.lag.test. %d 3600 600 86400 300"
                               % LAG_SERIAL)


def role_lagging(q, tr):
    name, rdtype = qinfo(q)
    if not name.is_subdomain(LAG_ZONE):
        r = dns.message.make_response(q)
        r.set_rcode(dns.rcode.REFUSED)
        return "refused(not lag.test)", r.to_wire()
    r = response(q)                                   # AA
    if name == LAG_ZONE and rdtype == dns.rdatatype.SOA:
        r.answer.append(lag_soa())
        tag = "soa(%d)" % LAG_SERIAL
    elif name == LAG_ZONE and rdtype == dns.rdatatype.NS:
        r.answer.append(dns.rrset.from_text(LAG_ZONE, ROLE_TTL, "IN", "NS",
                                            *[ns.to_text() for ns in LAG_NS]))
        tag = "ns"
    elif name in LAG_NS and rdtype == dns.rdatatype.A:
        r.answer.append(dns.rrset.from_text(name, ROLE_TTL, "IN", "A", LAG_NS[name]))
        tag = "a"
    elif name == LAG_ZONE or name in LAG_NS:
        r.authority.append(lag_soa())
        tag = "nodata"
    else:
        r.set_rcode(dns.rcode.NXDOMAIN)
        r.authority.append(lag_soa())
        tag = "nxdomain"
    return tag, r.to_wire()


def role_refused(q, tr):
    r = dns.message.make_response(q)
    r.set_rcode(dns.rcode.REFUSED)
    return "refused", r.to_wire()


def role_nonauth(q, tr):
    name, rdtype = qinfo(q)
    r = dns.message.make_response(q)                  # NOERROR, AA clear
    if rdtype == dns.rdatatype.SOA:
        r.answer.append(dns.rrset.from_text(
            name, ROLE_TTL, "IN", "SOA",
            "nonauth.invalid. hostmaster.invalid. 2026112301 3600 600 86400 300"))
        return "soa(not authoritative)", r.to_wire()
    return "empty(not authoritative)", r.to_wire()


ROLES = {"fault": role_fault, "lagging": role_lagging, "refused": role_refused,
         "nonauth": role_nonauth}


def formerr(data):
    """Header-only FORMERR for an unparseable query, or None (drop)."""
    if len(data) < 12 or data[2] & 0x80:              # too short, or a response
        return None
    flags = 0x8000 | (data[2] & 0x79) << 8 | dns.rcode.FORMERR   # QR, opcode, RD
    return data[:2] + struct.pack("!HHHHH", flags, 0, 0, 0, 0)


def handle(data, tr, peer, role):
    """One query in, (reply bytes or None) out; never raises."""
    try:
        try:
            q = dns.message.from_wire(data)
            if q.flags & dns.flags.QR or len(q.question) != 1 or \
                    q.opcode() != dns.opcode.QUERY:
                raise dns.exception.FormError("not a one-question query")
        except Exception as e:
            log.info("%s %s unparseable query (%d bytes: %s) -> %s", tr, peer, len(data), e,
                     "FORMERR" if formerr(data) else "dropped")
            return formerr(data)
        name, rdtype = qinfo(q)
        tag, reply = role(q, tr)
        log.info("%s %s id=%d %s %s -> %s%s", tr, peer, q.id, name,
                 dns.rdatatype.to_text(rdtype), tag,
                 "" if reply is not None else " (no reply)")
        return reply
    except Exception:
        log.exception("%s %s error handling a query", tr, peer)
        return None


# --------------------------------------------------------------------------
# transports

def serve_udp(sock, role):
    try:
        data, peer = sock.recvfrom(65535)
    except (BlockingIOError, InterruptedError):
        return
    except OSError as e:
        log.error("udp recv: %s", e)
        return
    reply = handle(data, "udp", "%s:%d" % peer[:2], role)
    if reply is not None:
        try:
            sock.sendto(reply, peer)
        except OSError as e:
            log.error("udp send to %s: %s", peer, e)


def recv_exact(sock, count, timeout):
    buf = b""
    sock.settimeout(timeout)
    while len(buf) < count:
        try:
            chunk = sock.recv(count - len(buf))
        except OSError:
            return None
        if not chunk:
            return None
        buf += chunk
    return buf


def serve_tcp(sock, peer, role):
    peer = "%s:%d" % peer[:2]
    why = "eof"
    try:
        for _ in range(MAX_TCP_QUERIES):
            head = recv_exact(sock, 2, IDLE_TIMEOUT)
            if head is None:
                break
            (length,) = struct.unpack("!H", head)
            data = recv_exact(sock, length, IDLE_TIMEOUT)
            if data is None:
                why = "eof inside a query"
                break
            reply = handle(data, "tcp", peer, role)
            if reply is None:
                # stay silent, but keep the connection until the client gives up
                sock.settimeout(HOLD_TIMEOUT)
                try:
                    while sock.recv(65536):
                        pass
                except OSError:
                    pass
                why = "held without answering"
                break
            sock.sendall(struct.pack("!H", len(reply)) + reply)
        else:
            why = "query limit"
    except Exception as e:            # never let one connection kill the daemon
        why = "error: %r" % (e,)
    finally:
        try:
            sock.close()
        except OSError:
            pass
        log.info("tcp %s closed (%s)", peer, why)


def main():
    ap = argparse.ArgumentParser(description="scripted misbehaving DNS server")
    ap.add_argument("--role", choices=sorted(ROLES), default="fault",
                    help="what to answer (default: fault, the scripted faults)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=11053)
    ap.add_argument("--pidfile")
    ap.add_argument("--log", help="log file (default: stderr)")
    ap.add_argument("--list", action="store_true", help="print the name map and exit")
    a = ap.parse_args()

    role = ROLES[a.role]
    if a.list:
        if a.role != "fault":
            print("role %s: no name map (see the module docstring)" % a.role)
            return 0
        for labels, tag, _ in BEHAVIOURS:
            print(tag, " ".join(n(l).to_text() for l in labels))
        return 0

    logging.basicConfig(
        filename=a.log, level=logging.INFO,
        format="%(asctime)s.%(msecs)03d %(message)s", datefmt="%H:%M:%S")

    sel = selectors.DefaultSelector()
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind((a.host, a.port))
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((a.host, a.port))
        t.listen(64)
    except OSError as e:
        msg = "dnsfaultd(%s): cannot bind %s:%d: %s" % (a.role, a.host, a.port, e)
        log.error(msg)
        print(msg, file=sys.stderr)
        return 1
    u.setblocking(False)
    t.setblocking(False)
    sel.register(u, selectors.EVENT_READ, "udp")
    sel.register(t, selectors.EVENT_READ, "tcp")

    serve_forever_setup(a.pidfile, log)
    log.info("role %s listening on %s port %d udp+tcp (pid %d)", a.role, a.host, a.port,
             os.getpid())

    while True:
        for key, _ in sel.select():
            if key.data == "udp":
                serve_udp(key.fileobj, role)
                continue
            try:
                conn, peer = key.fileobj.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                continue
            except OSError as e:            # e.g. EMFILE: log, back off, go on
                log.error("accept: %s", e)
                time.sleep(0.1)
                continue
            conn.setblocking(True)
            threading.Thread(target=serve_tcp, args=(conn, peer, role), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
