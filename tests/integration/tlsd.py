#!/usr/bin/python3
"""tlsd.py -- SMTP over implicit TLS for the OCSP stapling and protocol
policy tests of check_smtp_tls.

One process, one loopback port per role (see ROLES below; tlsd.py --list
prints them); each connection gets its own thread.  pyOpenSSL (Debian
python3-openssl), because the standard ssl module cannot staple an OCSP
response.  Every role is implicit TLS: the handshake first, then

  greeting   220 mail.test ESMTP tlsd
  EHLO       250-mail.test / 250 SIZE 10240000
  QUIT       221 2.0.0 bye, then close_notify and close
  other      502 5.5.2 unknown command

A line over 1000 bytes is answered "500 5.5.2 line too long" and the
connection closed; a client silent for 30 s (also mid-handshake) is
dropped.  Every role serves its leaf followed by the intermediate
(NAME.chain.pem, NAME.key from --certs, made by certs.sh).

Stapling: when the client asks for it (status_request), the role's OCSP
response is stapled; a role with no response staples nothing (the
status_request extension is not acknowledged).

  port   role             leaf        TLS       staple
  11301  staple-good      staple      1.2-1.3   staple-good.ocsp
  11302  staple-revoked   staple      1.2-1.3   staple-revoked.ocsp (keyCompromise)
  11303  staple-expired   staple      1.2-1.3   staple-expired.ocsp (nextUpdate passed)
  11304  staple-garbage   staple      1.2-1.3   40 bytes of junk
  11305  no-staple        staple      1.2-1.3   -
  11306  muststaple-none  muststaple  1.2-1.3   - (the leaf demands one, RFC 7633)
  11307  muststaple-good  muststaple  1.2-1.3   muststaple-good.ocsp
  11308  old-tls          good        1.0-1.2   - (ciphers DEFAULT:@SECLEVEL=0)
  11309  tls12-only       good        1.2       - (refuses 1.0, 1.1 and 1.3)
  11310  rsa2048          rsa2048     1.2-1.3   -
  11311  sha1             sha1        1.2-1.3   - (SECLEVEL=0: OpenSSL 3 would
                                                 refuse to serve a SHA-1 leaf)
  11312  cn-only          cnonly      1.2-1.3   - (CN=mail.test, no subjectAltName)
  11313  no-digsig        nodigsig    1.2-1.3   - (keyUsage: keyEncipherment only)
  11314  ip-as-dns        ipdns       1.2-1.3   - (CN and DNS SAN "127.0.0.1")

    tlsd.py --certs DIR [--host 127.0.0.1] [--pidfile FILE] [--log FILE]
    tlsd.py --list      print "port role leaf versions staple" per role

Each connection is logged as: role, peer, the negotiated version and
whether a staple was asked for, every line received, and why it ended.
"""

import argparse
import logging
import os
import selectors
import socket
import sys
import threading
import time

from daemonize import serve_forever_setup

IDLE_TIMEOUT = 30.0
MAX_LINE = 1000                  # RFC 5321 4.5.3.1.5, command line with CRLF
GARBAGE = bytes(range(0x30, 0x58))   # 40 bytes that are no DER
assert len(GARBAGE) == 40

GREETING = b"220 mail.test ESMTP tlsd\r\n"
EHLO = b"250-mail.test\r\n250 SIZE 10240000\r\n"

# port: (role, leaf, versions, staple).  versions: "modern" = TLS 1.2-1.3,
# "old" = TLS 1.0-1.2 at security level 0, "tls12" = TLS 1.2 only.  staple:
# a file in --certs, GARBAGE, or None.
ROLES = {
    11301: ("staple-good", "staple", "modern", "staple-good.ocsp"),
    11302: ("staple-revoked", "staple", "modern", "staple-revoked.ocsp"),
    11303: ("staple-expired", "staple", "modern", "staple-expired.ocsp"),
    11304: ("staple-garbage", "staple", "modern", GARBAGE),
    11305: ("no-staple", "staple", "modern", None),
    11306: ("muststaple-none", "muststaple", "modern", None),
    11307: ("muststaple-good", "muststaple", "modern", "muststaple-good.ocsp"),
    11308: ("old-tls", "good", "old", None),
    11309: ("tls12-only", "good", "tls12", None),
    11310: ("rsa2048", "rsa2048", "modern", None),
    11311: ("sha1", "sha1", "modern", None),
    11312: ("cn-only", "cnonly", "modern", None),
    11313: ("no-digsig", "nodigsig", "modern", None),
    11314: ("ip-as-dns", "ipdns", "modern", None),
}
VERSIONS = {"modern": "1.2-1.3", "old": "1.0-1.2", "tls12": "1.2"}

log = logging.getLogger("tlsd")


class Closed(Exception):
    """The connection ends (EOF, reset, timeout, TLS error, QUIT)."""


def staple_desc(staple):
    if staple is None:
        return "-"
    if staple is GARBAGE:
        return "garbage(%d)" % len(GARBAGE)
    return staple


def make_context(SSL, certs, leaf, versions, staple):
    """The server context of one role."""
    ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    if versions == "old":
        ctx.set_min_proto_version(SSL.TLS1_VERSION)
        ctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    elif versions == "tls12":
        ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
        ctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    else:
        ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
        ctx.set_max_proto_version(SSL.TLS1_3_VERSION)
    if versions == "old" or leaf == "sha1":
        # TLS 1.0/1.1 (SHA-1 and MD5 in the handshake) and a SHA-1-signed
        # certificate are below OpenSSL 3's default security level 1
        ctx.set_cipher_list(b"DEFAULT:@SECLEVEL=0")
    ctx.use_certificate_chain_file(os.path.join(certs, leaf + ".chain.pem"))
    ctx.use_privatekey_file(os.path.join(certs, leaf + ".key"))
    ctx.check_privatekey()
    if staple is GARBAGE:
        data = GARBAGE
    elif staple is not None:
        with open(os.path.join(certs, staple), "rb") as f:
            data = f.read()
    else:
        data = b""

    def ocsp(conn, _):
        # called only when the client sent status_request; b"": no staple
        conn.get_app_data()["asked"] = True
        return data

    ctx.set_ocsp_server_callback(ocsp)
    return ctx


def wait_io(sock, events, deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise Closed("idle timeout")
    with selectors.DefaultSelector() as sel:
        sel.register(sock, events)
        if not sel.select(left):
            raise Closed("idle timeout")


def tls_call(SSL, sock, fn, *args):
    """fn(*args) on a non-blocking TLS connection, waiting for the socket
    as OpenSSL asks, at most IDLE_TIMEOUT."""
    deadline = time.monotonic() + IDLE_TIMEOUT
    while True:
        try:
            return fn(*args)
        except SSL.WantReadError:
            wait_io(sock, selectors.EVENT_READ, deadline)
        except SSL.WantWriteError:
            wait_io(sock, selectors.EVENT_WRITE, deadline)
        except SSL.ZeroReturnError:
            raise Closed("close_notify") from None
        except SSL.SysCallError as e:
            raise Closed("eof" if e.args and e.args[0] == -1 else "error: %s" % (e,)) from None
        except SSL.Error as e:
            raise Closed("TLS error: %s" % (e,)) from None


def send(SSL, sock, conn, data):
    while data:
        n = tls_call(SSL, sock, conn.send, data)
        data = data[n:]


def serve(SSL, ctx, sock, peer, port):
    role = ROLES[port][0]
    peer = "%s:%d" % peer[:2]
    state = {"asked": False}
    why = "eof"
    sock.setblocking(False)
    conn = SSL.Connection(ctx, sock)
    conn.set_app_data(state)
    conn.set_accept_state()
    try:
        tls_call(SSL, sock, conn.do_handshake)
        log.info("%s %s %s, staple %s", role, peer, conn.get_protocol_version_name(),
                 "asked" if state["asked"] else "not asked")
        send(SSL, sock, conn, GREETING)
        buf = b""
        while True:
            chunk = tls_call(SSL, sock, conn.recv, 4096)
            if not chunk:
                raise Closed("eof")
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.rstrip(b"\r")
                log.info("%s %s <- %r", role, peer, line[:200])
                verb = line.split(b" ", 1)[0].upper()
                if verb == b"EHLO":
                    send(SSL, sock, conn, EHLO)
                elif verb == b"QUIT":
                    send(SSL, sock, conn, b"221 2.0.0 bye\r\n")
                    try:
                        conn.shutdown()
                    except SSL.Error:
                        pass
                    raise Closed("quit")
                else:
                    send(SSL, sock, conn, b"502 5.5.2 unknown command\r\n")
            if len(buf) > MAX_LINE:
                send(SSL, sock, conn, b"500 5.5.2 line too long\r\n")
                raise Closed("line too long")
    except Closed as e:
        why = str(e)
    except Exception as e:          # never let one connection kill the daemon
        why = "error: %r" % (e,)
        log.exception("%s %s unexpected error", role, peer)
    finally:
        try:
            sock.close()
        except OSError:
            pass
        log.info("%s %s closed (%s)", role, peer, why)


def main():
    ap = argparse.ArgumentParser(description="SMTP over implicit TLS: OCSP stapling and "
                                 "protocol policy roles")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--certs", help="certificate directory (certs.sh output)")
    ap.add_argument("--pidfile")
    ap.add_argument("--log", help="log file (default: stderr)")
    ap.add_argument("--list", action="store_true", help="print the roles and exit")
    a = ap.parse_args()

    if a.list:
        for port, (role, leaf, versions, staple) in sorted(ROLES.items()):
            print(port, role, leaf, VERSIONS[versions], staple_desc(staple))
        return 0
    if not a.certs:
        ap.error("--certs is required")

    logging.basicConfig(
        filename=a.log, level=logging.INFO,
        format="%(asctime)s.%(msecs)03d %(message)s", datefmt="%H:%M:%S")

    from OpenSSL import SSL         # python3-openssl; slow to import, not needed for --list

    sel = selectors.DefaultSelector()
    for port, (role, leaf, versions, staple) in sorted(ROLES.items()):
        try:
            ctx = make_context(SSL, a.certs, leaf, versions, staple)
        except (OSError, SSL.Error) as e:
            msg = "tlsd: role %s: cannot load %s: %s" % (role, leaf, e)
            log.error(msg)
            print(msg, file=sys.stderr)
            return 1
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((a.host, port))
        except OSError as e:
            msg = "tlsd: cannot bind %s:%d: %s" % (a.host, port, e)
            log.error(msg)
            print(msg, file=sys.stderr)
            return 1
        s.listen(64)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, (port, ctx))

    serve_forever_setup(a.pidfile, log)
    log.info("listening on %s ports %d-%d (%d roles, pid %d)", a.host, min(ROLES), max(ROLES),
             len(ROLES), os.getpid())

    while True:
        for key, _ in sel.select():
            try:
                conn, peer = key.fileobj.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                continue
            except OSError as e:            # e.g. EMFILE: log, back off, go on
                log.error("accept on %d: %s", key.data[0], e)
                time.sleep(0.1)
                continue
            port, ctx = key.data
            threading.Thread(target=serve, args=(SSL, ctx, conn, peer, port),
                             daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
