#!/usr/bin/python3
"""tcprelay.py -- a plain TCP relay in front of Dovecot's strict listeners.

    tcprelay.py --map 127.0.0.1:10143=127.0.0.3:10143 [--map ...]
                [--delay-ms MS] [--pidfile FILE] [--log FILE]

Why: Dovecot treats a connection whose remote address equals its local
address as secured ("localhost connections are always secured",
login-common/client-common.c), and that cannot be switched off.  A plugin
connecting to 127.0.0.1 from 127.0.0.1 would therefore never see
LOGINDISABLED (IMAP) or a CAPA without USER (POP3), and every STARTTLS check
of the strict listeners would look like "plaintext login accepted before
TLS".  So the strict STARTTLS listeners of 127.0.0.1 are this relay; it
connects on to Dovecot on 127.0.0.3 from 127.0.0.1, which Dovecot does not
trust.  (127.0.0.2, the listeners where plaintext login IS allowed, need no
relay: a connection to 127.0.0.2 comes from 127.0.0.1, the source address of
the loopback route.)

Bytes are copied unchanged in both directions (TLS included); a FIN is passed
on as a FIN (half-close), a reset or error closes both sides.  Standard
library only; one thread per direction per connection.

--delay-ms holds every chunk that long before passing it on (each way: a round
trip costs twice that), a network's latency for tests/bench/smtp-mx.  IPv6
listeners are written [::1]:PORT.
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

IDLE_TIMEOUT = 600.0      # a connection idle in both directions is dropped

log = logging.getLogger("tcprelay")


def pump(src, dst, name, done, delay):
    """Copy src -> dst until EOF (then half-close dst) or an error."""
    why = "eof"
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if delay:
                time.sleep(delay)
            dst.sendall(data)
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass
    except (OSError, socket.timeout) as e:
        why = "%s" % e
        for s in (src, dst):                 # tear down both directions
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    finally:
        log.info("%s %s", name, why)
        done.release()


def relay(client, peer, target, name, delay):
    try:
        upstream = socket.create_connection(target, timeout=5)
    except OSError as e:
        log.info("%s %s:%d upstream %s:%d: %s", name, peer[0], peer[1], target[0], target[1], e)
        client.close()
        return
    for s in (client, upstream):
        s.settimeout(IDLE_TIMEOUT)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tag = "%s %s:%d" % (name, peer[0], peer[1])
    log.info("%s connect via %s:%d", tag, *upstream.getsockname()[:2])
    done = threading.Semaphore(0)
    threads = [threading.Thread(target=pump, args=(client, upstream, tag + " c->s", done, delay),
                                daemon=True),
               threading.Thread(target=pump, args=(upstream, client, tag + " s->c", done, delay),
                                daemon=True)]
    for t in threads:
        t.start()
    done.acquire()
    done.acquire()
    client.close()
    upstream.close()


def addr(text):
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def main():
    ap = argparse.ArgumentParser(description="plain TCP relay (loopback only)")
    ap.add_argument("--map", action="append", required=True, metavar="LISTEN=TARGET",
                    help="HOST:PORT=HOST:PORT")
    ap.add_argument("--delay-ms", type=float, default=0, metavar="MS",
                    help="hold each chunk MS milliseconds, each way")
    ap.add_argument("--pidfile")
    ap.add_argument("--log", help="log file (default: stderr)")
    a = ap.parse_args()
    logging.basicConfig(
        filename=a.log, level=logging.INFO,
        format="%(asctime)s.%(msecs)03d %(message)s", datefmt="%H:%M:%S")

    sel = selectors.DefaultSelector()
    for m in a.map:
        listen, target = (addr(x) for x in m.split("=", 1))
        for h in (listen[0], target[0]):
            if not h.startswith("127.") and h != "::1":
                print("tcprelay: %s is not a loopback address" % h, file=sys.stderr)
                return 2
        s = socket.socket(socket.AF_INET6 if ":" in listen[0] else socket.AF_INET,
                          socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(listen)
        except OSError as e:
            msg = "tcprelay: cannot bind %s:%d: %s" % (listen[0], listen[1], e)
            log.error(msg)
            print(msg, file=sys.stderr)
            return 1
        s.listen(64)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, (target, "%s:%d" % listen))

    serve_forever_setup(a.pidfile, log)
    log.info("relaying %s (pid %d)", " ".join(a.map), os.getpid())

    while True:
        for key, _ in sel.select():
            try:
                conn, peer = key.fileobj.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                continue
            except OSError as e:
                log.error("accept: %s", e)
                time.sleep(0.1)
                continue
            conn.setblocking(True)
            target, name = key.data
            threading.Thread(target=relay, args=(conn, peer, target, name, a.delay_ms / 1000),
                             daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
