#!/usr/bin/python3
"""stsd.py -- the HTTPS MTA-STS policy server for the check_mx_dns tests.

One threaded process on one loopback address (default 127.0.0.9:10443),
standard library only.  It serves GET /.well-known/mta-sts.txt (RFC 8461
section 3.2) with the certificate mta-sts.chain.pem / mta-sts.key from
--certs (certs.sh: a leaf of the test CA whose subjectAltName lists
mta-sts.<case>.mx.test for every case below).  The answer is chosen by the
Host header, mta-sts.<case>.mx.test (an optional :port is ignored):

  case          answer
  good          200 text/plain, "mx: mx1.good.mx.test", "mx: *.good.mx.test",
                mode enforce, max_age 604800
  ststesting    200, mode testing, mx1.good.mx.test, max_age 86400
  stsmismatch   200, enforce, "mx: *.elsewhere.test" (matches no MX)
  stsshort      200, enforce, mx1.good.mx.test, max_age 3600
  stsredirect   301 to https://elsewhere.test/ (RFC 8461 3.3: no redirects)
  stsbig        200, a valid policy of exactly 70000 bytes: the unknown
                extension keys that pad it sit between the mx and the
                max_age line, so a reader that stops at 64 KiB loses max_age
  stsmissing    404
  stschunked    200, the mx1 policy as Transfer-Encoding: chunked, four
                chunks sent 10 ms apart
  stsstall      reads the request, never answers; closes after 60 s or when
                the client does
  stswrongtype  200, the mx1 policy as Content-Type: text/html
  ststwo, stsnorpt, stsnotxt
                200, the mx1 policy (their DNS is what is wrong)
  anything else 404 (also any other path; other methods: 501)

"the mx1 policy" is: version STSv1, mode enforce, mx: mx1.good.mx.test,
max_age 604800.  Every answer but the chunked one has a Content-Length; every
connection is closed after one answer (Connection: close) with a TLS
close_notify.

    stsd.py --certs DIR [--host 127.0.0.9] [--port 10443] [--pidfile FILE] [--log FILE]
    stsd.py --list        print the host names (the certificate's SAN list)

Each request is logged as: peer method host path -> case status length.
"""

import argparse
import http.server
import logging
import os
import socketserver
import ssl
import sys
import time

from daemonize import serve_forever_setup

POLICY_PATH = "/.well-known/mta-sts.txt"
READ_TIMEOUT = 10.0              # for the handshake and the request
STALL_HOLD = 60.0                # stsstall keeps the connection this long at most
BIG_SIZE = 70000

log = logging.getLogger("stsd")


def policy(mode="enforce", mx=("mx1.good.mx.test",), max_age=604800, pad=0):
    """A policy text (RFC 8461 3.2), CRLF line ends; pad: total size wanted."""
    head = "version: STSv1\r\nmode: %s\r\n" % mode + "".join("mx: %s\r\n" % m for m in mx)
    tail = "max_age: %d\r\n" % max_age
    lines = []
    left = pad - len(head) - len(tail)
    i = 0
    while left > 0:
        size = 100 if left >= 200 else left        # the last line takes the rest
        key = "x-pad-%05d: " % i
        lines.append(key + "p" * (size - len(key) - 2) + "\r\n")
        left -= size
        i += 1
    text = (head + "".join(lines) + tail).encode()
    assert pad == 0 or len(text) == pad, (len(text), pad)
    return text


GOOD = policy(mx=("mx1.good.mx.test", "*.good.mx.test"))
MX1 = policy()


def send_body(h, status, body, ctype="text/plain", extra=()):
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in extra:
        h.send_header(k, v)
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(body)
    return status, len(body)


def ok(body, ctype="text/plain"):
    return lambda h: send_body(h, 200, body, ctype)


def a_redirect(h):
    return send_body(h, 301, b"moved\r\n", extra=(("Location", "https://elsewhere.test/"),))


def a_missing(h):
    return send_body(h, 404, b"not found\r\n")


def a_chunked(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.send_header("Transfer-Encoding", "chunked")
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.flush()
    step = len(MX1) // 4 + 1
    for i in range(0, len(MX1), step):
        part = MX1[i:i + step]
        h.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        h.wfile.flush()
        time.sleep(0.01)                          # separate segments
    h.wfile.write(b"0\r\n\r\n")
    return 200, len(MX1)


def a_stall(h):
    """Never answer; hold the connection until the client goes or 60 s pass."""
    end = time.monotonic() + STALL_HOLD
    try:
        while time.monotonic() < end:
            h.connection.settimeout(max(0.1, end - time.monotonic()))
            if not h.connection.recv(4096):
                break
    except (OSError, ValueError):
        pass
    h.close_connection = True
    return "stalled", 0


CASES = {
    "good": ok(GOOD),
    "ststesting": ok(policy(mode="testing", max_age=86400)),
    "stsmismatch": ok(policy(mx=("*.elsewhere.test",))),
    "stsshort": ok(policy(max_age=3600)),
    "stsredirect": a_redirect,
    "stsbig": ok(policy(pad=BIG_SIZE)),
    "stsmissing": a_missing,
    "stschunked": a_chunked,
    "stsstall": a_stall,
    "stswrongtype": ok(MX1, "text/html"),
    "ststwo": ok(MX1),
    "stsnorpt": ok(MX1),
    "stsnotxt": ok(MX1),
}


def host_name(case):
    return "mta-sts.%s.mx.test" % case


def case_of(host):
    """The case named by a Host header (mta-sts.<case>.mx.test[:port]), or None."""
    host = (host or "").strip().lower()
    if host.count(":") == 1:
        host = host.split(":")[0]
    labels = host.rstrip(".").split(".")
    if len(labels) == 4 and labels[0] == "mta-sts" and labels[2:] == ["mx", "test"]:
        return labels[1] if labels[1] in CASES else None
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = READ_TIMEOUT

    def version_string(self):
        return "stsd"

    def setup(self):
        # The handshake runs here, in the connection's own thread: a client
        # that stalls in it holds up nobody else.
        self.request.settimeout(READ_TIMEOUT)
        self.request = self.server.tls.wrap_socket(self.request, server_side=True)
        super().setup()

    def finish(self):
        try:
            super().finish()
        finally:
            try:
                self.connection.settimeout(1.0)
                self.connection.unwrap()              # close_notify
            except (OSError, ValueError):
                pass
            self.connection.close()

    def log_message(self, fmt, *args):
        log.info("%s %s", self.peer(), fmt % args)

    def peer(self):
        return "%s:%d" % self.client_address[:2]

    def do_GET(self):
        self.close_connection = True
        host = self.headers.get("Host", "")
        case = case_of(host)
        if case is None or self.path != POLICY_PATH:
            status, size = a_missing(self)
            case = "unknown"
        else:
            status, size = CASES[case](self)
        log.info("%s GET %s %s -> %s %s %d", self.peer(), host, self.path, case, status, size)


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    # socketserver.TCPServer, not http.server.HTTPServer: the latter looks up
    # the fully qualified name of the address (a resolver call) on bind.
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        log.info("%s:%d connection error: %s", client_address[0], client_address[1],
                 sys.exc_info()[1])


def main():
    ap = argparse.ArgumentParser(description="HTTPS MTA-STS policy server (check_mx_dns tests)")
    ap.add_argument("--host", default="127.0.0.9")
    ap.add_argument("--port", type=int, default=10443)
    ap.add_argument("--certs", help="directory with mta-sts.chain.pem and mta-sts.key")
    ap.add_argument("--pidfile")
    ap.add_argument("--log", help="log file (default: stderr)")
    ap.add_argument("--list", action="store_true", help="print the host names and exit")
    a = ap.parse_args()

    if a.list:
        for case in CASES:
            print(host_name(case))
        return 0
    if not a.certs:
        ap.error("--certs is required")

    logging.basicConfig(
        filename=a.log, level=logging.INFO,
        format="%(asctime)s.%(msecs)03d %(message)s", datefmt="%H:%M:%S")

    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.minimum_version = ssl.TLSVersion.TLSv1_2
    tls.load_cert_chain(os.path.join(a.certs, "mta-sts.chain.pem"),
                        os.path.join(a.certs, "mta-sts.key"))
    try:
        srv = Server((a.host, a.port), Handler)
    except OSError as e:
        msg = "stsd: cannot bind %s:%d: %s" % (a.host, a.port, e)
        log.error(msg)
        print(msg, file=sys.stderr)
        return 1
    srv.tls = tls

    serve_forever_setup(a.pidfile, log)
    log.info("listening on %s port %d (https, pid %d)", a.host, a.port, os.getpid())
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
