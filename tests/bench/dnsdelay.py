#!/usr/bin/python3
"""dnsdelay.py -- a DNS forwarder that adds a fixed delay to every answer.

For the check_mx_dns benchmark: the test resolver (Unbound, 127.0.0.1:10054)
answers from its cache in well under a millisecond, which hides whether a
plugin sends its queries one after the other or in parallel.  Behind this
proxy every answer costs at least --delay-ms, so N sequential queries take
N * delay and N parallel ones about one delay.

    dnsdelay.py --listen 127.0.0.1:10055 --upstream 127.0.0.1:10054 --delay-ms 20
                [--timeout 5] [--pidfile FILE] [--log FILE]

UDP and TCP on the same address.  Each query is forwarded on its own (UDP:
over one upstream socket with a message ID of its own; TCP: over its own
upstream connection, several queries on one client connection handled
concurrently and answered in the order they complete), and its answer goes
back to the client --delay-ms after it came from upstream.  Messages are never parsed; only the UDP message ID is
replaced on the way up and restored on the way back.  A query that gets no
upstream answer within --timeout seconds gets none from the proxy either.
Standard library only (asyncio).  Not started by stack.sh.
"""

import argparse
import asyncio
import logging
import os
import random
import signal
import struct
import sys

log = logging.getLogger("dnsdelay")


def hostport(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError("want HOST:PORT, got %r" % text)
    return host.strip("[]"), int(port)


class UdpProxy:
    """UDP: one upstream socket for all queries; each query gets a fresh
    message ID upstream (so answers cannot be confused), and its answer is
    sent back to the client, with the client's ID, --delay-ms after it came."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.listener = None          # transport towards the clients
        self.upstream = None          # transport towards the resolver
        self.pending = {}             # upstream id -> (client addr, client id, timer)
        self.next_id = random.randrange(65536)

    def from_client(self, data, addr):
        if len(data) < 12:
            return
        if len(self.pending) >= 65536:
            log.error("udp %s:%d: 65536 queries outstanding, dropped", addr[0], addr[1])
            return
        while self.next_id in self.pending:
            self.next_id = (self.next_id + 1) & 0xFFFF
        qid, self.next_id = self.next_id, (self.next_id + 1) & 0xFFFF
        timer = asyncio.get_running_loop().call_later(self.cfg.timeout, self.expire, qid)
        self.pending[qid] = (addr, data[:2], timer, len(data))
        self.upstream.sendto(struct.pack("!H", qid) + data[2:])

    def expire(self, qid):
        addr, _, _, size = self.pending.pop(qid)
        log.info("udp %s:%d %d bytes: no upstream answer", addr[0], addr[1], size)

    def from_upstream(self, data):
        if len(data) < 12:
            return
        entry = self.pending.pop(struct.unpack("!H", data[:2])[0], None)
        if entry is None:
            return                    # late (expired) or unknown: dropped
        addr, cid, timer, size = entry
        timer.cancel()
        asyncio.get_running_loop().call_later(self.cfg.delay, self.answer, addr, cid + data[2:],
                                              size)

    def answer(self, addr, reply, size):
        self.listener.sendto(reply, addr)
        log.info("udp %s:%d %d -> %d bytes", addr[0], addr[1], size, len(reply))


class Datagrams(asyncio.DatagramProtocol):
    def __init__(self, fn):
        self.fn = fn

    def datagram_received(self, data, addr):
        self.fn(data, addr)

    def error_received(self, exc):
        log.info("udp: %s", exc)      # e.g. ICMP port unreachable from upstream


async def tcp_query(cfg, data):
    """One query over its own upstream TCP connection; the answer or None."""
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection(*cfg.upstream), cfg.timeout)
    except (OSError, asyncio.TimeoutError):
        return None
    try:
        w.write(struct.pack("!H", len(data)) + data)
        head = await asyncio.wait_for(r.readexactly(2), cfg.timeout)
        return await asyncio.wait_for(r.readexactly(struct.unpack("!H", head)[0]),
                                      cfg.timeout)
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
        return None
    finally:
        w.close()


async def serve_tcp(cfg, reader, writer):
    peer = writer.get_extra_info("peername") or ("?", 0)
    pending = set()
    lock = asyncio.Lock()

    async def one(data):
        reply = await tcp_query(cfg, data)
        if reply is None:
            log.info("tcp %s:%d %d bytes: no upstream answer", peer[0], peer[1], len(data))
            return
        await asyncio.sleep(cfg.delay)
        async with lock:
            writer.write(struct.pack("!H", len(reply)) + reply)
            await writer.drain()
        log.info("tcp %s:%d %d -> %d bytes", peer[0], peer[1], len(data), len(reply))

    try:
        while True:
            try:
                head = await asyncio.wait_for(reader.readexactly(2), 30)
                data = await asyncio.wait_for(
                    reader.readexactly(struct.unpack("!H", head)[0]), 30)
            except (asyncio.IncompleteReadError, asyncio.TimeoutError, OSError):
                break
            t = asyncio.get_running_loop().create_task(one(data))
            pending.add(t)
            t.add_done_callback(pending.discard)
        # the client half-closed or went quiet: finish what was asked
        if pending:
            await asyncio.wait(pending, timeout=cfg.timeout + cfg.delay + 1)
    except Exception as e:              # never let one connection kill the proxy
        log.error("tcp %s:%d error: %r", peer[0], peer[1], e)
    finally:
        writer.close()


async def run(cfg):
    loop = asyncio.get_running_loop()
    udp = UdpProxy(cfg)
    udp.upstream, _ = await loop.create_datagram_endpoint(
        lambda: Datagrams(lambda data, addr: udp.from_upstream(data)),
        remote_addr=cfg.upstream)
    udp.listener, _ = await loop.create_datagram_endpoint(
        lambda: Datagrams(udp.from_client), local_addr=cfg.listen)
    server = await asyncio.start_server(lambda r, w: serve_tcp(cfg, r, w), *cfg.listen,
                                        reuse_address=True, backlog=128)
    if cfg.pidfile:
        with open(cfg.pidfile + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.replace(cfg.pidfile + ".tmp", cfg.pidfile)
    log.info("listening on %s:%d udp+tcp, upstream %s:%d, delay %d ms (pid %d)",
             cfg.listen[0], cfg.listen[1], cfg.upstream[0], cfg.upstream[1],
             round(cfg.delay * 1000), os.getpid())
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda s=sig: stop.done() or stop.set_result(s))
    sig = await stop
    log.info("signal %d, exiting", sig)
    server.close()
    if cfg.pidfile:
        try:
            os.unlink(cfg.pidfile)
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description="DNS forwarder adding a fixed delay to answers")
    ap.add_argument("--listen", type=hostport, default=("127.0.0.1", 10055))
    ap.add_argument("--upstream", type=hostport, default=("127.0.0.1", 10054))
    ap.add_argument("--delay-ms", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=5.0,
                    help="seconds to wait for upstream (default 5)")
    ap.add_argument("--pidfile")
    ap.add_argument("--log", help="log every query to this file (default: problems "
                    "only, to stderr)")
    cfg = ap.parse_args()
    if cfg.delay_ms < 0:
        ap.error("--delay-ms must be >= 0")
    cfg.delay = cfg.delay_ms / 1000.0

    # without --log only problems are reported (a benchmark wants quiet)
    logging.basicConfig(
        filename=cfg.log, level=logging.INFO if cfg.log else logging.WARNING,
        format="%(asctime)s.%(msecs)03d %(message)s", datefmt="%H:%M:%S")
    try:
        asyncio.run(run(cfg))
    except OSError as e:
        msg = "dnsdelay: cannot listen on %s:%d: %s" % (cfg.listen[0], cfg.listen[1], e)
        log.error(msg)
        print(msg, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
