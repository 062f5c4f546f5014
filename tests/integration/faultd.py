#!/usr/bin/python3
"""faultd.py -- scripted, misbehaving SMTP, IMAP and POP3 servers for the
integration tests.

One process listens on one loopback port per behaviour (see PORTS below) and
serves every connection in its own thread.  Standard library only.

    faultd.py [--host 127.0.0.1] [--pidfile FILE] [--log FILE] [--list]

The "normal" parts of the dialogue are always the same:
  banner     220 mail.test ESMTP faultd
  EHLO/LHLO  250-mail.test / 250-PIPELINING / 250-STARTTLS / 250 8BITMIME
             (STARTTLS omitted where the behaviour says so)
  HELO       250 mail.test
  NOOP/RSET  250 2.0.0 ok
  QUIT       221 bye, then close
  other      502 5.5.2 unknown

Port map (faultd.py --list prints it too):
  11001 tarpit               accept, never say anything
  11002 drip                 the banner one byte per second
  11003 endless-line         "220-" followed by an endless line
  11004 malformed-code       banner "22x bogus"
  11005 codes-disagree       multi-line banner "220-" then "250 "
  11006 banner-421           421 greeting, then close
  11007 banner-554           554 greeting, 503 for everything but QUIT
  11008 starttls-454         STARTTLS answered 454
  11009 starttls-injection   "220 ready" and "250 injected" in one segment
  11010 tls-stall            "220 ready", then never answers the ClientHello
  11011 reset-after-banner   banner, then RST when the EHLO arrives
  11012 close-after-banner   banner, then FIN (EOF for the client)
  11013 oversized-ehlo       ~70 KB EHLO reply
  11014 nul-in-banner        NUL byte in the banner
  11015 no-starttls          EHLO reply without STARTTLS
  11016 lmtp-starttls        LMTP (LHLO only) with real STARTTLS   [--certs]
  11017 tls-alert            "220 ready", reads the ClientHello and answers
                             with a fatal handshake_failure alert, then FIN
  The hang-up matrix, real STARTTLS [--certs]; "reset" = SO_LINGER 0 + close
  (the client sees RST), "close" = close_notify when in TLS, then FIN while
  still reading (the client sees EOF):
  11018 reset-on-connect     on connect, before the banner
  11019 close-on-connect
  11020 reset-at-starttls    after the EHLO reply, when STARTTLS arrives
  11021 close-at-starttls    (instead of answering it)
  11022 reset-in-handshake   after "220 ready", when the ClientHello arrives
  11023 close-in-handshake   (mid-handshake)
  11024 reset-after-tls      after a completed handshake, when the EHLO after
  11025 close-after-tls      TLS arrives
  11026 reset-at-command     in TLS, when NOOP or RSET arrives (-C NOOP)
  11027 close-at-command
  11028 reset-at-quit        when QUIT arrives (instead of 221)
  11029 close-at-quit
  SMTP AUTH and the relay test, real STARTTLS [--certs]; after TLS the EHLO
  reply offers "AUTH SCRAM-SHA-256 CRAM-MD5 LOGIN PLAIN":
  11030 auth-scram-bad-proof  SCRAM-SHA-256 carried through, but the
                             server-final message holds a wrong signature
                             (an impostor that does not know the password)
  11031 auth-scram-iterations the server-first message asks for 10^9
                             iterations of PBKDF2
  11032 auth-bad-challenge   every AUTH answered "334 !!not base64!!"
  11033 auth-stall           AUTH never answered
  11034 mail-from-refused    MAIL FROM answered 550 (the relay test cannot run)
Without --certs the TLS behaviours answer STARTTLS with 454.

IMAP (11101..11110).  The normal parts: greeting
"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] faultd ready", CAPABILITY
answered "* CAPABILITY ..." + "TAG OK", LOGOUT "* BYE" + "TAG OK", the
client's tag echoed; "TLS" = a real STARTTLS with the good certificate
[--certs]:
  11101 imap-tarpit          accept, never send the greeting
  11102 imap-bye-greeting    "* BYE going away" greeting, then FIN
  11103 imap-tag-mismatch    every command answered "zz OK done" (wrong tag)
  11104 imap-huge-literal    every command answered "* CAPABILITY {70000}"
                             + 70000 bytes + "TAG OK"
  11105 imap-bye-midsession  normal greeting; the first command is answered
                             "* BYE shutting down", then FIN
  11106 imap-starttls-injection  STARTTLS answered "TAG OK begin TLS" and
                             "* OK injected" in one segment
  11107 imap-login-stall     TLS, CAPABILITY after it (AUTH=PLAIN AUTH=LOGIN),
                             then LOGIN / AUTHENTICATE never answered
  11108 imap-long-line       every command answered by a 9000-byte
                             "* OK xxx..." line, then "TAG OK"
  11109 imap-no-quota        a working IMAP server with TLS that accepts any
                             LOGIN / AUTHENTICATE PLAIN / LOGIN and answers
                             STATUS (MESSAGES 3 UNSEEN 1), but has no QUOTA
                             capability (GETQUOTAROOT -> BAD)
  11110 imap-no-starttls     capabilities without STARTTLS (LOGINDISABLED kept)

POP3 (11201..11207).  The normal parts: greeting "+OK faultd ready", CAPA
"+OK" / "STLS" / "PIPELINING" / "." (after TLS: "USER", "SASL PLAIN LOGIN"
instead of "STLS"), QUIT "+OK bye":
  11201 pop3-tarpit          accept, never send the greeting
  11202 pop3-err-greeting    "-ERR go away" greeting, then FIN
  11203 pop3-stls-injection  STLS answered "+OK begin TLS" and "+OK injected"
                             in one segment
  11204 pop3-endless-capa    CAPA: "+OK", then one capability line every
                             0.2 s, forever (never the terminating ".")
  11205 pop3-login-stall     TLS, CAPA after it, then USER / AUTH never
                             answered
  11206 pop3-huge-multiline  CAPA: a ~70 KB multi-line reply (then ".")
  11207 pop3-no-stls         CAPA without STLS
"""

import argparse
import base64
import logging
import os
import selectors
import ssl
import socket
import struct
import sys
import threading
import time

from daemonize import serve_forever_setup

BANNER = b"220 mail.test ESMTP faultd\r\n"
EHLO_TLS = b"250-mail.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n"
EHLO_PLAIN = b"250-mail.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n"

MAX_LINE = 4096          # longest command line we accept from a client
IDLE_TIMEOUT = 120.0     # a silent client is dropped after this (bounds threads)
HOLD_TIMEOUT = 600.0     # tarpit / stall: how long we keep a socket open at most

log = logging.getLogger("faultd")


class Closed(Exception):
    """The client went away (EOF, reset, broken pipe, idle timeout)."""


class Conn:
    def __init__(self, sock, peer, name):
        self.sock = sock
        self.peer = peer
        self.name = name
        self.buf = b""
        sock.settimeout(IDLE_TIMEOUT)

    def send(self, data):
        try:
            self.sock.sendall(data)
        except (OSError, socket.timeout) as e:
            raise Closed("send: %s" % e) from None

    def recv_some(self, timeout=IDLE_TIMEOUT):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise Closed("idle timeout") from None
        except OSError as e:
            raise Closed("recv: %s" % e) from None
        if not data:
            raise Closed("eof")
        return data

    def readline(self):
        while b"\n" not in self.buf:
            if len(self.buf) > MAX_LINE:
                raise Closed("client line too long")
            self.buf += self.recv_some()
        line, _, self.buf = self.buf.partition(b"\n")
        return line.rstrip(b"\r")

    def drain(self, timeout=HOLD_TIMEOUT):
        """Read and discard until the client closes (or timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Closed("hold timeout")
            self.recv_some(left)

    def shutdown_write(self):
        """Send FIN but keep the socket open for reading."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError as e:
            raise Closed("shutdown: %s" % e) from None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# --------------------------------------------------------------------------
# the SMTP dialogue every behaviour falls back to

def dialogue(c, ehlo=EHLO_TLS, on_starttls=None, other=b"502 5.5.2 unknown\r\n"):
    """Serve commands until QUIT or disconnect.

    on_starttls(c) is called for STARTTLS (when given) and must either return
    True (keep talking) or False (stop; the caller closes/holds the socket).
    """
    while True:
        line = c.readline()
        log.info("%s %s < %r", c.name, c.peer, line[:200])
        verb = line.split(b" ", 1)[0].upper()
        if verb in (b"EHLO", b"LHLO"):
            c.send(ehlo)
        elif verb == b"HELO":
            c.send(b"250 mail.test\r\n")
        elif verb in (b"NOOP", b"RSET"):
            c.send(b"250 2.0.0 ok\r\n")
        elif verb == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        elif verb == b"STARTTLS" and on_starttls is not None:
            if not on_starttls(c):
                return
        else:
            c.send(other)


# --------------------------------------------------------------------------
# behaviours

def tarpit(c):
    c.drain()


def drip(c):
    for i in range(len(b"220 slow.test ESMTP\r\n")):
        c.send(b"220 slow.test ESMTP\r\n"[i:i + 1])
        time.sleep(1.0)
    dialogue(c)


def endless_line(c):
    c.send(b"220-")
    chunk = b"a" * 8192
    c.sock.settimeout(60.0)     # a client that stops reading frees us in 60 s
    while True:
        c.send(chunk)


def malformed_code(c):
    c.send(b"22x bogus\r\n")
    dialogue(c)


def codes_disagree(c):
    c.send(b"220-first\r\n250 second\r\n")
    dialogue(c)


def banner_421(c):
    c.send(b"421 4.3.2 mail.test service not available\r\n")
    c.shutdown_write()
    c.drain(30.0)


def banner_554(c):
    c.send(b"554 5.3.2 mail.test no service for you\r\n")
    # RFC 5321 3.1: after a 554 greeting the server waits for QUIT and
    # answers everything else with 503
    nope = b"503 5.5.1 no service\r\n"

    def refuse(c):
        c.send(nope)
        return True
    dialogue(c, ehlo=nope, on_starttls=refuse, other=nope)


def starttls_454(c):
    c.send(BANNER)

    def refuse(c):
        c.send(b"454 4.7.0 TLS not available due to local problem\r\n")
        return True
    dialogue(c, on_starttls=refuse)


def starttls_injection(c):
    c.send(BANNER)

    def inject(c):
        # reply and an injected extra line in ONE segment
        c.send(b"220 2.0.0 Ready to start TLS\r\n250 injected\r\n")
        return False
    dialogue(c, on_starttls=inject)
    c.drain()


def tls_stall(c):
    c.send(BANNER)

    def ready(c):
        c.send(b"220 ready\r\n")
        return False
    dialogue(c, on_starttls=ready)
    c.drain()    # swallow the ClientHello and never answer


def reset_after_banner(c):
    c.send(BANNER)
    c.recv_some()        # wait for the client's EHLO ...
    log.info("%s %s reset (SO_LINGER 0)", c.name, c.peer)
    # ... and answer it with a RST
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


def close_after_banner(c):
    c.send(BANNER)
    c.shutdown_write()   # FIN now; keep reading so no RST follows
    c.drain(30.0)


def oversized_ehlo(c):
    c.send(BANNER)
    line = b"250-" + b"X" * 94 + b"\r\n"          # 100 bytes
    big = b"250-mail.test\r\n" + line * 700 + b"250 END\r\n"   # ~70 KB
    assert len(big) > 65536
    dialogue(c, ehlo=big)


def nul_in_banner(c):
    c.send(b"220 mail\x00.test\r\n")
    dialogue(c)


def no_starttls(c):
    c.send(BANNER)
    dialogue(c, ehlo=EHLO_PLAIN)


LMTP_BANNER = b"220 mail.test LMTP faultd\r\n"
LHLO_TLS = b"250-mail.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 ENHANCEDSTATUSCODES\r\n"
LHLO_PLAIN = b"250-mail.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"
TLS_CONTEXT = None       # set in main() from --certs: the good certificate


def lmtp(c):
    """An LMTP server (RFC 2033) with real STARTTLS: LHLO only, EHLO refused."""
    c.send(LMTP_BANNER)
    tls = False
    while True:
        line = c.readline()
        log.info("%s %s < %r", c.name, c.peer, line[:200])
        verb = line.split(b" ", 1)[0].upper()
        if verb == b"LHLO":
            c.send(LHLO_PLAIN if tls else LHLO_TLS)
        elif verb in (b"EHLO", b"HELO"):
            c.send(b"500 5.5.1 this is LMTP: say LHLO\r\n")
        elif verb == b"STARTTLS" and not tls and TLS_CONTEXT is not None:
            c.send(b"220 2.0.0 ready\r\n")
            try:
                c.sock = TLS_CONTEXT.wrap_socket(c.sock, server_side=True)
            except (OSError, ssl.SSLError) as e:
                raise Closed("tls: %s" % e) from None
            tls = True
        elif verb == b"NOOP":
            c.send(b"250 2.0.0 ok\r\n")
        elif verb == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        else:
            c.send(b"502 5.5.2 unknown\r\n")


TLS_ALERT = b"\x15\x03\x03\x00\x02\x02\x28"   # alert record: fatal, handshake_failure(40)


def tls_alert(c):
    c.send(BANNER)

    def alert(c):
        c.send(b"220 2.0.0 ready\r\n")
        hello = c.recv_some()            # the ClientHello (or its first part)
        log.info("%s %s ClientHello %d bytes, answering with an alert", c.name, c.peer,
                 len(hello))
        c.send(TLS_ALERT)
        return False
    dialogue(c, on_starttls=alert)
    c.shutdown_write()
    c.drain(30.0)


def hang_up(c, how, where):
    """End the connection abruptly: how = "reset" (RST) or "close" (EOF)."""
    log.info("%s %s %s at %s", c.name, c.peer, how, where)
    if how == "reset":
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
        return
    if isinstance(c.sock, ssl.SSLSocket):
        # a clean TLS close: close_notify, without waiting for the client's
        try:
            c.sock.setblocking(False)
            c.sock = c.sock.unwrap()
        except (ssl.SSLError, OSError):
            pass
        c.sock.setblocking(True)
    c.shutdown_write()      # FIN now; keep reading so no RST follows
    c.drain(30.0)


PHASES = ("connect", "starttls", "handshake", "ehlo-tls", "command", "quit")


def hang_up_at(phase, how):
    """Behaviour: an SMTP server with real STARTTLS that hangs up at phase."""
    assert phase in PHASES and how in ("reset", "close")

    def behaviour(c):
        if phase == "connect":
            return hang_up(c, how, phase)
        c.send(BANNER)
        tls = False
        while True:
            line = c.readline()
            log.info("%s %s < %r", c.name, c.peer, line[:200])
            verb = line.split(b" ", 1)[0].upper()
            if verb in (b"EHLO", b"LHLO"):
                if tls and phase == "ehlo-tls":
                    return hang_up(c, how, phase)
                c.send(EHLO_PLAIN if tls else EHLO_TLS)
            elif verb == b"HELO":
                c.send(b"250 mail.test\r\n")
            elif verb == b"STARTTLS" and not tls:
                if TLS_CONTEXT is None:
                    c.send(b"454 4.7.0 faultd was started without --certs\r\n")
                    continue
                if phase == "starttls":
                    return hang_up(c, how, phase)
                c.send(b"220 2.0.0 ready\r\n")
                if phase == "handshake":
                    hello = c.recv_some()        # the ClientHello (or its first part)
                    log.info("%s %s ClientHello %d bytes", c.name, c.peer, len(hello))
                    return hang_up(c, how, phase)
                try:
                    c.sock = TLS_CONTEXT.wrap_socket(c.sock, server_side=True)
                except (OSError, ssl.SSLError) as e:
                    raise Closed("tls: %s" % e) from None
                tls = True
            elif verb in (b"NOOP", b"RSET"):
                if tls and phase == "command":
                    return hang_up(c, how, phase)
                c.send(b"250 2.0.0 ok\r\n")
            elif verb == b"QUIT":
                if phase == "quit":
                    return hang_up(c, how, phase)
                c.send(b"221 bye\r\n")
                return
            else:
                c.send(b"502 5.5.2 unknown\r\n")
    return behaviour


EHLO_AUTH = (b"250-mail.test\r\n250-PIPELINING\r\n"
             b"250-AUTH SCRAM-SHA-256 CRAM-MD5 LOGIN PLAIN\r\n250 8BITMIME\r\n")


def smtp_after_tls(on_command):
    """Behaviour: a STARTTLS server whose commands after TLS, other than
    EHLO/NOOP/RSET/QUIT, go to on_command(c, line)."""
    def behaviour(c):
        c.send(BANNER)
        tls = False
        while True:
            line = c.readline()
            log.info("%s %s < %r", c.name, c.peer, line[:200])
            verb = line.split(b" ", 1)[0].upper()
            if verb in (b"EHLO", b"LHLO"):
                c.send(EHLO_AUTH if tls else EHLO_TLS)
            elif verb == b"STARTTLS" and not tls:
                if TLS_CONTEXT is None:
                    c.send(b"454 4.7.0 faultd was started without --certs\r\n")
                    continue
                c.send(b"220 2.0.0 ready\r\n")
                try:
                    c.sock = TLS_CONTEXT.wrap_socket(c.sock, server_side=True)
                except (OSError, ssl.SSLError) as e:
                    raise Closed("tls: %s" % e) from None
                tls = True
            elif verb in (b"NOOP", b"RSET"):
                c.send(b"250 2.0.0 ok\r\n")
            elif verb == b"QUIT":
                c.send(b"221 bye\r\n")
                return
            elif tls:
                on_command(c, line)
            else:
                c.send(b"530 5.7.0 must issue STARTTLS first\r\n")
    return behaviour


def b64(data):
    return base64.b64encode(data)


def scram_bad_proof(c, line):
    """SCRAM-SHA-256 with a server-final signature that cannot be right."""
    if not line.upper().startswith(b"AUTH SCRAM-SHA-256 "):
        c.send(b"504 5.5.4 only SCRAM-SHA-256 here\r\n")
        return
    first = base64.b64decode(line.split(b" ", 2)[2])
    cnonce = first.split(b",r=", 1)[1].split(b",")[0]
    c.send(b"334 " + b64(b"r=" + cnonce + b"faultd,s=" + b64(b"salt-salt-salt") + b",i=4096")
           + b"\r\n")
    c.readline()                         # the client-final message, with its proof
    c.send(b"334 " + b64(b"v=" + b64(bytes(32))) + b"\r\n")
    line = c.readline()                  # "*" (cancel) or an empty line
    c.send(b"535 5.7.8 authentication failed\r\n" if line != b"" else b"235 2.7.0 ok\r\n")


def scram_iterations(c, line):
    if not line.upper().startswith(b"AUTH SCRAM-SHA-256 "):
        c.send(b"504 5.5.4 only SCRAM-SHA-256 here\r\n")
        return
    first = base64.b64decode(line.split(b" ", 2)[2])
    cnonce = first.split(b",r=", 1)[1].split(b",")[0]
    c.send(b"334 " + b64(b"r=" + cnonce + b"faultd,s=" + b64(b"salt-salt-salt") +
                         b",i=1000000000") + b"\r\n")
    c.readline()
    c.send(b"535 5.7.8 authentication failed\r\n")


def bad_challenge(c, line):
    if line.upper().startswith(b"AUTH"):
        c.send(b"334 !!not base64!!\r\n")
        c.readline()
        c.send(b"535 5.7.8 authentication failed\r\n")
    else:
        c.send(b"502 5.5.2 unknown\r\n")


def auth_stall(c, line):
    if line.upper().startswith(b"AUTH"):
        c.drain()
    c.send(b"502 5.5.2 unknown\r\n")


def mail_from_refused(c, line):
    verb = line.split(b" ", 1)[0].upper()
    c.send(b"550 5.7.1 no mail from you\r\n" if verb == b"MAIL" else b"503 5.5.1 no\r\n")


# --------------------------------------------------------------------------
# IMAP behaviours (RFC 9051 / 3501): the client's tag is echoed

IMAP_CAPS = b"IMAP4rev1 STARTTLS LOGINDISABLED"
IMAP_GREETING = b"* OK [CAPABILITY " + IMAP_CAPS + b"] faultd ready\r\n"
IMAP_CAPS_TLS = b"IMAP4rev1 AUTH=PLAIN AUTH=LOGIN"


def imap_command(c):
    """(tag, VERB, rest) of the next command line."""
    line = c.readline()
    log.info("%s %s < %r", c.name, c.peer, line[:200])
    parts = line.split(b" ", 2)
    tag = parts[0] or b"*"
    verb = parts[1].upper() if len(parts) > 1 else b""
    return tag, verb, parts[2] if len(parts) > 2 else b""


def start_tls(c):
    """Switch c to TLS as the server (the good certificate)."""
    try:
        c.sock = TLS_CONTEXT.wrap_socket(c.sock, server_side=True)
    except (OSError, ssl.SSLError) as e:
        raise Closed("tls: %s" % e) from None


def imap_dialogue(c, caps=IMAP_CAPS, on_command=None):
    """Serve IMAP commands until LOGOUT.  on_command(c, tag, verb, rest) is
    asked first and returns True when it handled the command."""
    while True:
        tag, verb, rest = imap_command(c)
        if on_command is not None and on_command(c, tag, verb, rest):
            continue
        if verb == b"CAPABILITY":
            c.send(b"* CAPABILITY " + caps + b"\r\n" + tag + b" OK done\r\n")
        elif verb == b"NOOP":
            c.send(tag + b" OK done\r\n")
        elif verb == b"LOGOUT":
            c.send(b"* BYE logging out\r\n" + tag + b" OK done\r\n")
            return
        else:
            c.send(tag + b" BAD unknown command\r\n")


def imap_bye_greeting(c):
    c.send(b"* BYE going away\r\n")
    c.shutdown_write()
    c.drain(30.0)


def imap_tag_mismatch(c):
    c.send(IMAP_GREETING)
    while True:
        tag, verb, _ = imap_command(c)
        if verb == b"CAPABILITY":
            c.send(b"* CAPABILITY " + IMAP_CAPS + b"\r\n")
        c.send(b"zz OK done\r\n")


def imap_huge_literal(c):
    c.send(IMAP_GREETING)
    while True:
        tag, _, _ = imap_command(c)
        c.send(b"* CAPABILITY {70000}\r\n" + b"A" * 70000 + b"\r\n" + tag + b" OK done\r\n")


def imap_bye_midsession(c):
    c.send(IMAP_GREETING)
    imap_command(c)
    c.send(b"* BYE shutting down\r\n")
    c.shutdown_write()
    c.drain(30.0)


def imap_starttls_injection(c):
    c.send(IMAP_GREETING)

    def inject(c, tag, verb, rest):
        if verb != b"STARTTLS":
            return False
        # the tagged reply and an injected untagged line in ONE segment
        c.send(tag + b" OK begin TLS\r\n* OK injected\r\n")
        c.drain()
        return True
    imap_dialogue(c, on_command=inject)


def imap_login_stall(c):
    c.send(IMAP_GREETING)
    tls = [False]

    def handle(c, tag, verb, rest):
        if verb == b"STARTTLS" and not tls[0]:
            if TLS_CONTEXT is None:
                c.send(tag + b" NO faultd was started without --certs\r\n")
                return True
            c.send(tag + b" OK begin TLS negotiation now\r\n")
            start_tls(c)
            tls[0] = True
            return True
        if verb == b"CAPABILITY" and tls[0]:
            c.send(b"* CAPABILITY " + IMAP_CAPS_TLS + b"\r\n" + tag + b" OK done\r\n")
            return True
        if verb in (b"LOGIN", b"AUTHENTICATE"):
            log.info("%s %s %s: never answered", c.name, c.peer, verb.decode())
            c.drain()
        return False
    imap_dialogue(c, on_command=handle)


def imap_long_line(c):
    c.send(IMAP_GREETING)
    while True:
        tag, _, _ = imap_command(c)
        c.send(b"* OK " + b"x" * 9000 + b"\r\n" + tag + b" OK done\r\n")


def imap_no_quota(c):
    """A small working IMAP server (TLS, login, STATUS) without QUOTA."""
    c.send(IMAP_GREETING)
    state = {"tls": False, "auth": False}

    def caps():
        if state["auth"]:
            return b"IMAP4rev1 LITERAL+ ID"
        return IMAP_CAPS_TLS if state["tls"] else IMAP_CAPS

    def handle(c, tag, verb, rest):
        if verb == b"CAPABILITY":
            c.send(b"* CAPABILITY " + caps() + b"\r\n" + tag + b" OK done\r\n")
        elif verb == b"STARTTLS" and not state["tls"] and TLS_CONTEXT is not None:
            c.send(tag + b" OK begin TLS negotiation now\r\n")
            start_tls(c)
            state["tls"] = True
        elif verb in (b"LOGIN", b"AUTHENTICATE") and not state["tls"]:
            c.send(tag + b" NO [PRIVACYREQUIRED] TLS first\r\n")
        elif verb == b"LOGIN" or verb == b"AUTHENTICATE":
            words = rest.split()
            if verb == b"AUTHENTICATE":
                mech = words[0].upper() if words else b""
                if mech == b"PLAIN" and len(words) < 2:
                    c.send(b"+ \r\n")
                    c.readline()                        # the credentials
                elif mech == b"LOGIN":
                    c.send(b"+ VXNlcm5hbWU6\r\n")        # "Username:"
                    c.readline()
                    c.send(b"+ UGFzc3dvcmQ6\r\n")        # "Password:"
                    c.readline()
                elif mech != b"PLAIN":
                    c.send(tag + b" NO unsupported mechanism\r\n")
                    return True
            state["auth"] = True
            c.send(tag + b" OK [CAPABILITY " + caps() + b"] logged in\r\n")
        elif verb == b"STATUS" and state["auth"]:
            box = rest.split(b" ", 1)[0]
            c.send(b"* STATUS " + box + b" (MESSAGES 3 UNSEEN 1)\r\n" + tag + b" OK done\r\n")
        else:
            return False
        return True
    imap_dialogue(c, on_command=handle)


def imap_no_starttls(c):
    c.send(b"* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] faultd ready\r\n")
    imap_dialogue(c, caps=b"IMAP4rev1 LOGINDISABLED")


# --------------------------------------------------------------------------
# POP3 behaviours (RFC 1939, 2449, 2595)

POP3_GREETING = b"+OK faultd ready\r\n"
POP3_CAPA = b"+OK capability list follows\r\nSTLS\r\nPIPELINING\r\n.\r\n"
POP3_CAPA_TLS = b"+OK capability list follows\r\nUSER\r\nSASL PLAIN LOGIN\r\nPIPELINING\r\n.\r\n"


def pop3_dialogue(c, capa=POP3_CAPA, on_command=None):
    """Serve POP3 commands until QUIT.  on_command(c, VERB, line) is asked
    first and returns True when it handled the command."""
    while True:
        line = c.readline()
        log.info("%s %s < %r", c.name, c.peer, line[:200])
        verb = line.split(b" ", 1)[0].upper()
        if on_command is not None and on_command(c, verb, line):
            continue
        if verb == b"CAPA":
            c.send(capa)
        elif verb == b"NOOP":
            c.send(b"+OK\r\n")
        elif verb == b"QUIT":
            c.send(b"+OK bye\r\n")
            return
        else:
            c.send(b"-ERR unknown command\r\n")


def pop3_err_greeting(c):
    c.send(b"-ERR go away\r\n")
    c.shutdown_write()
    c.drain(30.0)


def pop3_stls_injection(c):
    c.send(POP3_GREETING)

    def inject(c, verb, line):
        if verb != b"STLS":
            return False
        c.send(b"+OK begin TLS\r\n+OK injected\r\n")
        c.drain()
        return True
    pop3_dialogue(c, on_command=inject)


def pop3_endless_capa(c):
    c.send(POP3_GREETING)

    def endless(c, verb, line):
        if verb != b"CAPA":
            return False
        c.send(b"+OK capability list follows\r\n")
        c.sock.settimeout(30.0)     # a client that stops reading frees us
        n = 0
        while True:
            n += 1
            c.send(b"X-FAULTD-%d\r\n" % n)
            time.sleep(0.2)
    pop3_dialogue(c, on_command=endless)


def pop3_login_stall(c):
    c.send(POP3_GREETING)
    tls = [False]

    def handle(c, verb, line):
        if verb == b"STLS" and not tls[0]:
            if TLS_CONTEXT is None:
                c.send(b"-ERR faultd was started without --certs\r\n")
                return True
            c.send(b"+OK begin TLS negotiation\r\n")
            start_tls(c)
            tls[0] = True
            return True
        if verb == b"CAPA" and tls[0]:
            c.send(POP3_CAPA_TLS)
            return True
        if verb in (b"USER", b"PASS", b"AUTH", b"APOP"):
            log.info("%s %s %s: never answered", c.name, c.peer, verb.decode())
            c.drain()
        return False
    pop3_dialogue(c, on_command=handle)


def pop3_huge_multiline(c):
    c.send(POP3_GREETING)
    line = b"X-" + b"Y" * 96 + b"\r\n"                 # 100 bytes
    big = b"+OK capability list follows\r\nSTLS\r\n" + line * 700 + b".\r\n"   # ~70 KB
    assert len(big) > 65536
    pop3_dialogue(c, capa=big)


def pop3_no_stls(c):
    c.send(POP3_GREETING)
    pop3_dialogue(c, capa=b"+OK capability list follows\r\nPIPELINING\r\nUIDL\r\n.\r\n")


PORTS = {
    11001: ("tarpit", tarpit),
    11002: ("drip", drip),
    11003: ("endless-line", endless_line),
    11004: ("malformed-code", malformed_code),
    11005: ("codes-disagree", codes_disagree),
    11006: ("banner-421", banner_421),
    11007: ("banner-554", banner_554),
    11008: ("starttls-454", starttls_454),
    11009: ("starttls-injection", starttls_injection),
    11010: ("tls-stall", tls_stall),
    11011: ("reset-after-banner", reset_after_banner),
    11012: ("close-after-banner", close_after_banner),
    11013: ("oversized-ehlo", oversized_ehlo),
    11014: ("nul-in-banner", nul_in_banner),
    11015: ("no-starttls", no_starttls),
    11016: ("lmtp-starttls", lmtp),
    11017: ("tls-alert", tls_alert),
}
# 11018..11029: the hang-up matrix, reset then close for every phase
for _i, (_phase, _how) in enumerate((p, h) for p in PHASES for h in ("reset", "close")):
    PORTS[11018 + _i] = ("%s-%s" % (_how, {"connect": "on-connect",
                                           "starttls": "at-starttls",
                                           "handshake": "in-handshake",
                                           "ehlo-tls": "after-tls",
                                           "command": "at-command",
                                           "quit": "at-quit"}[_phase]),
                         hang_up_at(_phase, _how))
del _i, _phase, _how
PORTS.update({
    11030: ("auth-scram-bad-proof", smtp_after_tls(scram_bad_proof)),
    11031: ("auth-scram-iterations", smtp_after_tls(scram_iterations)),
    11032: ("auth-bad-challenge", smtp_after_tls(bad_challenge)),
    11033: ("auth-stall", smtp_after_tls(auth_stall)),
    11034: ("mail-from-refused", smtp_after_tls(mail_from_refused)),
    11101: ("imap-tarpit", tarpit),
    11102: ("imap-bye-greeting", imap_bye_greeting),
    11103: ("imap-tag-mismatch", imap_tag_mismatch),
    11104: ("imap-huge-literal", imap_huge_literal),
    11105: ("imap-bye-midsession", imap_bye_midsession),
    11106: ("imap-starttls-injection", imap_starttls_injection),
    11107: ("imap-login-stall", imap_login_stall),
    11108: ("imap-long-line", imap_long_line),
    11109: ("imap-no-quota", imap_no_quota),
    11110: ("imap-no-starttls", imap_no_starttls),
    11201: ("pop3-tarpit", tarpit),
    11202: ("pop3-err-greeting", pop3_err_greeting),
    11203: ("pop3-stls-injection", pop3_stls_injection),
    11204: ("pop3-endless-capa", pop3_endless_capa),
    11205: ("pop3-login-stall", pop3_login_stall),
    11206: ("pop3-huge-multiline", pop3_huge_multiline),
    11207: ("pop3-no-stls", pop3_no_stls),
})


# --------------------------------------------------------------------------
# server plumbing

def serve(sock, peer, port):
    name, fn = PORTS[port]
    c = Conn(sock, "%s:%d" % peer[:2], "%d/%s" % (port, name))
    log.info("%s %s connect", c.name, c.peer)
    why = "done"
    try:
        fn(c)
    except Closed as e:
        why = str(e)
    except Exception as e:          # never let one connection kill the daemon
        why = "error: %r" % (e,)
        log.exception("%s %s unexpected error", c.name, c.peer)
    finally:
        c.close()
        log.info("%s %s closed (%s)", c.name, c.peer, why)


def main():
    ap = argparse.ArgumentParser(description="scripted misbehaving SMTP, IMAP and POP3 servers")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--pidfile")
    ap.add_argument("--log", help="log file (default: stderr)")
    ap.add_argument("--list", action="store_true", help="print the port map and exit")
    ap.add_argument("--certs", help="certificate directory (good.key, good.chain.pem) for TLS")
    a = ap.parse_args()
    global TLS_CONTEXT
    if a.certs:
        TLS_CONTEXT = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        TLS_CONTEXT.load_cert_chain(os.path.join(a.certs, "good.chain.pem"),
                                    os.path.join(a.certs, "good.key"))

    if a.list:
        for port, (name, _) in sorted(PORTS.items()):
            print(port, name)
        return 0

    logging.basicConfig(
        filename=a.log, level=logging.INFO,
        format="%(asctime)s.%(msecs)03d %(message)s", datefmt="%H:%M:%S")

    sel = selectors.DefaultSelector()
    listeners = []
    for port in sorted(PORTS):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((a.host, port))
        except OSError as e:
            msg = "faultd: cannot bind %s:%d: %s" % (a.host, port, e)
            log.error(msg)
            print(msg, file=sys.stderr)
            return 1
        s.listen(64)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, port)
        listeners.append(s)

    serve_forever_setup(a.pidfile, log)
    log.info("listening on %s ports %d-%d (%d ports, pid %d)", a.host, min(PORTS), max(PORTS),
             len(PORTS), os.getpid())

    while True:
        for key, _ in sel.select():
            try:
                conn, peer = key.fileobj.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                continue
            except OSError as e:            # e.g. EMFILE: log, back off, go on
                log.error("accept on %d: %s", key.data, e)
                time.sleep(0.1)
                continue
            conn.setblocking(True)
            t = threading.Thread(target=serve, args=(conn, peer, key.data), daemon=True)
            t.start()


if __name__ == "__main__":
    sys.exit(main())
