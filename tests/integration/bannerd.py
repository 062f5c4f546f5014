#!/usr/bin/python3
"""bannerd.py -- SMTP banner responders for the check_mx_dns integration tests.

One process, two loopback listeners on the SMTP test port (standard library
only); each connection gets its own thread:

  127.0.0.8:10025   "220 elsewhere.example ESMTP" -- a mail server that names
                    another host than the MX record (smtp.probebad.mx.test).
                    QUIT: "221 bye", then close; any other line: "250 ok".
  127.0.0.12:10025  "554 5.7.1 no service here" -- a host that refuses mail
                    (smtp2.probebad.mx.test).  RFC 5321 section 3.1: after a
                    554 greeting the server waits for QUIT; other commands get
                    "503 5.5.1 no service here".  QUIT: "221 bye", then close;
                    the connection is closed after 5 s in any case.

    bannerd.py [--port 10025] [--pidfile FILE] [--log FILE]

Each connection is logged as: listener peer, every line received, and why it
ended.
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

IDLE_TIMEOUT = 30.0              # the 220 listener drops a silent client after this
REFUSE_HOLD = 5.0                # the 554 listener closes after this at the latest
MAX_LINE = 1000                  # RFC 5321 4.5.3.1.5, text line with CRLF

log = logging.getLogger("bannerd")

# name, address, greeting, reply to other commands, connection lifetime
LISTENERS = [
    ("elsewhere", "127.0.0.8", b"220 elsewhere.example ESMTP\r\n", b"250 ok\r\n",
     IDLE_TIMEOUT),
    ("noservice", "127.0.0.12", b"554 5.7.1 no service here\r\n",
     b"503 5.5.1 no service here\r\n", REFUSE_HOLD),
]


def serve(conn, peer, spec):
    name, _, greeting, other, lifetime = spec
    peer = "%s:%d" % peer[:2]
    deadline = time.monotonic() + lifetime
    why = "eof"
    buf = b""
    try:
        conn.sendall(greeting)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                why = "timeout"
                break
            conn.settimeout(left)
            try:
                chunk = conn.recv(4096)
            except socket.timeout:
                why = "timeout"
                break
            if not chunk:
                break
            buf += chunk
            done = False
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.rstrip(b"\r")
                log.info("%s %s <- %r", name, peer, line[:200])
                if line.strip().upper() == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    why = "quit"
                    done = True
                    break
                conn.sendall(other)
            if done:
                break
            if len(buf) > MAX_LINE:
                conn.sendall(b"500 5.5.2 line too long\r\n")
                why = "line too long"
                break
    except OSError as e:
        why = "error: %s" % e
    finally:
        try:
            conn.close()
        except OSError:
            pass
        log.info("%s %s closed (%s)", name, peer, why)


def main():
    ap = argparse.ArgumentParser(description="SMTP banner responders (check_mx_dns tests)")
    ap.add_argument("--port", type=int, default=10025)
    ap.add_argument("--pidfile")
    ap.add_argument("--log", help="log file (default: stderr)")
    a = ap.parse_args()

    logging.basicConfig(
        filename=a.log, level=logging.INFO,
        format="%(asctime)s.%(msecs)03d %(message)s", datefmt="%H:%M:%S")

    sel = selectors.DefaultSelector()
    for spec in LISTENERS:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((spec[1], a.port))
        except OSError as e:
            msg = "bannerd: cannot bind %s:%d: %s" % (spec[1], a.port, e)
            log.error(msg)
            print(msg, file=sys.stderr)
            return 1
        s.listen(64)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, spec)

    serve_forever_setup(a.pidfile, log)
    log.info("listening on %s port %d (pid %d)",
             " ".join(spec[1] for spec in LISTENERS), a.port, os.getpid())

    while True:
        for key, _ in sel.select():
            try:
                conn, peer = key.fileobj.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                continue
            except OSError as e:            # e.g. EMFILE: log, back off, go on
                log.error("accept: %s", e)
                time.sleep(0.1)
                continue
            conn.setblocking(True)
            threading.Thread(target=serve, args=(conn, peer, key.data), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
