#!/bin/bash
# stack.sh start|stop|status [DIR]
#
# The loopback server stack for the integration tests:
#   - a private Postfix instance (one smtpd per certificate/TLS case),
#   - Knot DNS, authoritative for "test." and the check_mx_dns zones (mx.test.
#     DNSSEC-signed, plain.test., onens.test., lag.test., lame.test.,
#     deadns.test., dnsbl.test., four reverse zones) and the check_spf_dkim
#     zones (auth.test., rua.test., norua.test., nodmarc.test.; unsigned) on
#     127.0.0.1:10053 and 127.0.0.10:10053,
#   - Unbound, a validating resolver for those zones only (trust anchor:
#     mx.test.) and for fault.test. (a stub to dnsfaultd) on 127.0.0.1:10054,
#   - dnsfaultd.py --role lagging/refused/nonauth, the nameservers of lag.test.
#     and lame.test. that disagree with Knot, on 127.0.0.5/6/11:10053,
#   - stsd.py, the HTTPS MTA-STS policy server, on 127.0.0.9:10443,
#   - bannerd.py, two SMTP banner responders, on 127.0.0.8/12:10025,
#   - tlsd.py, SMTP over implicit TLS (pyOpenSSL) with OCSP staples and TLS
#     protocol policies, on 127.0.0.1:11301-11314 (certificates from certs.sh),
#   - faultd.py, scripted misbehaving SMTP servers on 127.0.0.1:11001-11029,
#   - dnsfaultd.py, a scripted misbehaving DNS server on 127.0.0.1:11053 UDP+TCP,
#   - a private Dovecot (IMAP, POP3) with tcprelay.py in front of its strict
#     STARTTLS listeners, and faultd.py's scripted IMAP/POP3 servers.
#
# Port map (TCP, loopback only):
#   127.0.0.1:10025..10037, 10465, 10587, [::1]:10025   Postfix (PF_SERVICES)
#     SMTP AUTH (SASL via Dovecot's auth service on 127.0.0.3:12345,
#     mechanisms PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256, Dovecot's users below):
#     10025  no AUTH; relays for 127.0.0.0/8 (mynetworks): the OPEN RELAY case
#            (RCPT TO:<probe@example.net> without AUTH -> 250)
#     10587  submission: TLS required, AUTH only after STARTTLS
#            (smtpd_tls_auth_only=yes)
#     10465  implicit TLS, AUTH
#     10037  STARTTLS optional, AUTH advertised before STARTTLS (the WARNING
#            case); relays only for authenticated clients: NOT AN OPEN RELAY
#            (RCPT TO:<probe@example.net> without AUTH -> 554 5.7.1)
#     the others: no AUTH.  Nothing is ever delivered (error: transports).
#   127.0.0.1:10053 UDP+TCP        Knot (every zone below)
#   127.0.0.10:10053 UDP+TCP       Knot again (ns2.mx.test., ns2.plain.test.,
#                                  ns2.auth.test., ns2.rua.test.)
#   127.0.0.1:10054 UDP+TCP        Unbound, validating; trust anchor mx.test.
#                                  only, REFUSED for every name outside the
#                                  zones below; fault.test. goes to dnsfaultd
#   127.0.0.5:10053 UDP+TCP        dnsfaultd --role lagging: lag.test. SOA
#                                  serial 2026112302 (Knot: 2026112301)
#   127.0.0.6:10053 UDP+TCP        dnsfaultd --role refused: REFUSED always
#   127.0.0.11:10053 UDP+TCP       dnsfaultd --role nonauth: answers, AA=0
#   127.0.0.7:10053                nothing (a dead nameserver)
#   127.0.0.9:10443                stsd.py, HTTPS, mta-sts.<case>.mx.test
#                                  (certificate mta-sts.*, test CA)
#   127.0.0.8:10025                bannerd: "220 elsewhere.example ESMTP"
#   127.0.0.12:10025               bannerd: "554 5.7.1 no service here"
#   127.0.0.1:11001..11034         faultd SMTP behaviours
#   127.0.0.1:11101..11110         faultd IMAP behaviours
#   127.0.0.1:11201..11207         faultd POP3 behaviours   (faultd.py --list)
#   127.0.0.1:11301..11314         tlsd roles, implicit TLS   (tlsd.py --list):
#                                  11301 staple-good, 11302 staple-revoked,
#                                  11303 staple-expired, 11304 staple-garbage,
#                                  11305 no-staple, 11306 muststaple-none,
#                                  11307 muststaple-good, 11308 old-tls (TLS 1.0-1.2),
#                                  11309 tls12-only, 11310 rsa2048, 11311 sha1,
#                                  11312 cn-only, 11313 no-digsig, 11314 ip-as-dns
#   127.0.0.1:11053 UDP+TCP        dnsfaultd
#   Dovecot, certificate good.chain.pem, disable_plaintext_auth = yes:
#   127.0.0.1:10143  IMAP  STARTTLS, LOGINDISABLED before TLS  (tcprelay.py ->
#   127.0.0.1:10110  POP3  STLS, no USER before TLS             127.0.0.3:same)
#   127.0.0.1:10993  IMAPS implicit TLS
#   127.0.0.1:10995  POP3S implicit TLS
#   127.0.0.2:10143  IMAP  STARTTLS, plaintext login allowed before TLS
#   127.0.0.2:10110  POP3  STLS, USER and AUTH PLAIN allowed before TLS
#   127.0.0.3:10143, 127.0.0.3:10110   Dovecot behind the relay (not for tests)
#   127.0.0.3:12345  Dovecot auth service for Postfix's SASL (not for tests)
#   Why the relay: Dovecot treats remote address == local address as secured
#   (no LOGINDISABLED for 127.0.0.1 -> 127.0.0.1); see tcprelay.py.
#   Users (passwd-file, {PLAIN} passwords, auth_mechanisms plain login
#   cram-md5 scram-sha-256, quota maildir; also Postfix's SMTP AUTH users):
#     monitor   / Mon1tor-s3cret!  INBOX 3 messages (1 unseen, 4500 octets),
#                                  Archive 5 messages (all seen), quota 10M
#     quotauser / Qu0ta-s3cret!    4 messages, 85 KiB of a 100K quota (85%)
#     fulluser  / Fu11-s3cret!     4 messages, 95 KiB of a 100K quota (95%)
#
# The DNS data (zone files written by write_knot_conf; serial 2026112301,
# TTL 300): see write_knot_conf and tests/README.  mx.test. is signed by
# Knot (ECDSA P-256, one combined signing key, NSEC); its DNSKEY becomes
# Unbound's trust anchor at every start, so nothing else validates (AD).
# TLSA records carry "3 1 1" + SHA-256 of the SubjectPublicKeyInfo of
# certs/good.key (the key of Postfix's good certificate).
# The check_spf_dkim zones (write_auth_zones; table in tests/README):
# auth.test. holds one name per SPF rule (good, softall, plusall, neutral,
# noall, twospf, nospf, long = 497 bytes in strings of 255 + 242, badcidr,
# badmech, dupredirect, ptr, toomany = 13 DNS-querying terms, loop, void =
# 3 void lookups, tempinc = include of servfail.fault.test, deep = the
# benchmark tree of 9 includes, macro, exp), one DKIM selector per rule under
# _domainkey.good.auth.test, and the DMARC records; rua.test. authorizes
# reports for ptr.auth.test, norua.test. for nobody, nodmarc.test. has no
# DMARC record up its tree.  The DKIM keys (RSA 2048, 1024, 512, Ed25519) are
# made at the first start and kept in DIR/dkim/ (NAME.key, NAME.p = the p=
# value), which no start wipes.
# tests/bench/dnsdelay.py (not started here) puts a fixed delay in front of
# Unbound for the benchmark (e.g. 127.0.0.1:10055 -> 127.0.0.1:10054).
#
# DIR defaults to $MC_STACK_DIR or /tmp/mailcheck-stack.  Everything (config,
# queue, certificates, logs, pid files) lives under DIR; nothing outside it is
# touched, in particular not /etc/postfix or a system Postfix/Knot.
#
#   start   stop any previous instance in DIR, wipe its state (not dkim/),
#           generate certificates (and DKIM keys missing from dkim/), start
#           everything, wait until every port answers as designed
#           (MC_STACK_TIMEOUT seconds, default 20), else fail loudly
#   stop    stop everything started from DIR (safe to run when nothing runs)
#   status  show processes and listening ports
#
# All servers bind loopback addresses only; nothing talks to other hosts.
set -euo pipefail
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
ACTION=${1:-}
DIR=${2:-${MC_STACK_DIR:-/tmp/mailcheck-stack}}
START_TIMEOUT=${MC_STACK_TIMEOUT:-20}

case $DIR in /*) ;; *) DIR=$(pwd)/$DIR ;; esac
DIR=${DIR%/}
case $DIR in
    "" | *[[:space:]]* | *,*) echo "stack.sh: DIR must be a non-empty path without spaces or commas: '$DIR'" >&2; exit 2 ;;
esac

# ---------------------------------------------------------------------------
# port map

DNS_PORT=10053
DNS_ADDRS="127.0.0.1 127.0.0.10"
DNSFAULT_PORT=11053
RESOLVER_PORT=10054
# dnsfaultd roles: role=address, each on $DNS_PORT
DNS_ROLES="lagging=127.0.0.5 refused=127.0.0.6 nonauth=127.0.0.11"
STS_ADDR=127.0.0.9
STS_PORT=10443
BANNER_PORT=10025                        # bannerd: 127.0.0.8 and 127.0.0.12
# the MTA-STS policy cases (stsd.py serves mta-sts.<case>.mx.test; certs.sh
# puts every one of these names into the mta-sts certificate)
STS_CASES="ststesting stsmismatch stsshort stsredirect stsbig stsmissing stschunked
    stsstall stswrongtype ststwo stsnorpt stsnotxt"
# Postfix services:  port  certificate  extra smtpd -o settings
PF_SERVICES=(
    "10025 good -"
    "10465 good smtpd_tls_wrappermode=yes smtpd_tls_security_level=encrypt smtpd_sasl_auth_enable=yes"
    "10587 good smtpd_tls_security_level=encrypt smtpd_sasl_auth_enable=yes smtpd_tls_auth_only=yes"
    "10026 expired -"
    "10027 notyet -"
    "10028 crit -"
    "10029 warn -"
    "10030 wrongname -"
    "10031 untrusted -"
    "10032 missing-intermediate -"
    "10033 selfsigned -"
    "10034 - smtpd_tls_security_level=none"
    "10035 weak -"
    "10036 good smtpd_tls_protocols=>=TLSv1,<=TLSv1.2 smtpd_tls_mandatory_protocols=>=TLSv1,<=TLSv1.2"
    "10037 good smtpd_tls_security_level=may smtpd_sasl_auth_enable=yes smtpd_tls_auth_only=no smtpd_relay_restrictions=permit_sasl_authenticated,reject_unauth_destination"
)
FAULT_PORTS="$(seq 11001 11034) $(seq 11101 11110) $(seq 11201 11207)"
# Dovecot: the strict STARTTLS listeners of 127.0.0.1 are tcprelay.py, which
# forwards to Dovecot on $DOVE_BACKEND (see the port map above)
DOVE_IMAP=10143
DOVE_IMAPS=10993
DOVE_POP3=10110
DOVE_POP3S=10995
DOVE_BACKEND=127.0.0.3
DOVE_PLAIN=127.0.0.2
# Dovecot's auth service for Postfix's SASL (smtpd_sasl_type = dovecot)
DOVE_AUTH_PORT=12345

PF_CONF=$DIR/postfix
PF_QUEUE=$DIR/postfix-queue
PF_DATA=$DIR/postfix-data
PF_LOG=$DIR/postfix.log
KNOT=$DIR/knot
KNOT_CONF=$KNOT/knot.conf
KNOT_PID=$KNOT/run/knot.pid
KNOT_LOG=$KNOT/knot.log
FAULT_PID=$DIR/faultd.pid
FAULT_LOG=$DIR/faultd.log
DNSFAULT_PID=$DIR/dnsfaultd.pid
DNSFAULT_LOG=$DIR/dnsfaultd.log
DOVE=$DIR/dovecot
DOVE_CONF=$DOVE/dovecot.conf
DOVE_RUN=$DOVE/run
DOVE_LOG=$DOVE/dovecot.log
DOVE_PID=$DOVE/dovecot.pid
RELAY_PID=$DIR/tcprelay.pid
RELAY_LOG=$DIR/tcprelay.log
UB=$DIR/unbound
UB_CONF=$UB/unbound.conf
UB_PID=$UB/unbound.pid
UB_LOG=$UB/unbound.log
UB_ANCHOR=$UB/mx.test.anchor
STS_PID=$DIR/stsd.pid
STS_LOG=$DIR/stsd.log
BANNER_PID=$DIR/bannerd.pid
BANNER_LOG=$DIR/bannerd.log
TLSD_PID=$DIR/tlsd.pid
TLSD_LOG=$DIR/tlsd.log
# dnsfaultd role ROLE: $DIR/dns-ROLE.pid, .log, .out

say() { printf 'stack.sh: %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------
# process helpers

# alive PID [cmdline-substring]: true if PID runs (zombies are dead) and, when
# given, its command line contains the substring (guards against pid reuse)
alive() {
    local pid=$1 want=${2:-} state cmd
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [ -r "/proc/$pid/stat" ] || return 1
    state=$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ "$state" != Z ] || return 1
    if [ -n "$want" ]; then
        cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
        [[ $cmd == *"$want"* ]] || return 1
    fi
}

pidof_file() { # file -> pid or empty
    [ -r "$1" ] && tr -cd '0-9' <"$1" || true
}

# Stopping is done in parallel: term_pid sends SIGTERM to each daemon and
# remembers it in STOPPING ("name|pid|match"); wait_stopped then waits for all
# of them together and SIGKILLs what is left after 10 s.  start_all records
# every daemon it launches in STARTED ("name|pid|match") at once, so a failed
# start also stops the daemons that have not written their pid file yet.
STOPPING=()
STARTED=()

# term_pid NAME PID MATCH: SIGTERM to PID if it is alive and its command line
# contains MATCH (guards against pid reuse)
term_pid() {
    [ -n "$2" ] && alive "$2" "$3" || return 0
    [[ " ${STOPPING[*]} " != *"|$2|"* ]] || return 0
    kill -TERM "$2" 2>/dev/null || true
    STOPPING+=("$1|$2|$3")
}

# term_pidfile NAME PIDFILE MATCH: term_pid for the pid in PIDFILE, which is
# removed
term_pidfile() {
    local pid
    pid=$(pidof_file "$2")
    rm -f "$2"
    term_pid "$1" "$pid" "$3"
}

# started NAME PID MATCH: remember a daemon just launched (see STARTED)
started() {
    STARTED+=("$1|$2|$3")
}

wait_stopped() {
    local i item name pid match left
    for ((i = 0; i < 200; i++)); do
        left=()
        for item in "${STOPPING[@]}"; do
            IFS='|' read -r name pid match <<<"$item"
            if alive "$pid" "$match"; then left+=("$item"); else say "stopped $name (pid $pid)"; fi
        done
        STOPPING=("${left[@]}")
        [ ${#STOPPING[@]} -gt 0 ] || return 0
        sleep 0.05
    done
    for item in "${STOPPING[@]}"; do
        IFS='|' read -r name pid match <<<"$item"
        if [ "$name" = "postfix master" ]; then
            # the master kills its process group on SIGTERM; it did not
            say "postfix master (pid $pid) still running, killing its process group"
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        else
            say "$name (pid $pid) ignored SIGTERM, killing"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    STOPPING=()
    sleep 0.2
}

# listeners on our ports (TCP and UDP), as printed by ss
our_listeners() {
    local re="127\.0\.0\.1:(100(2[5-9]|3[0-7]|53)|10465|10587|110(0[1-9]|[12][0-9]|3[0-4]))|\[::1\]:10025"
    re="$re|127\.0\.0\.1:$DNSFAULT_PORT"
    re="$re|127\.0\.0\.1:(111(0[1-9]|10)|1120[1-7])"
    re="$re|127\.0\.0\.[123]:($DOVE_IMAP|$DOVE_IMAPS|$DOVE_POP3|$DOVE_POP3S)"
    re="$re|${DOVE_BACKEND//./\\.}:$DOVE_AUTH_PORT"
    re="$re|127\.0\.0\.(5|6|7|10|11):$DNS_PORT|127\.0\.0\.1:$RESOLVER_PORT"
    re="$re|${STS_ADDR//./\\.}:$STS_PORT|127\.0\.0\.(8|12):$BANNER_PORT"
    re="$re|127\.0\.0\.1:(1130[1-9]|1131[01])"
    ss -Hltunp 2>/dev/null | grep -E "[[:space:]]($re)[[:space:]]" || true
}

# ---------------------------------------------------------------------------
# stop

stop_all() {
    local pid i rl role

    STOPPING=()
    term_pidfile faultd "$FAULT_PID" faultd.py
    term_pidfile dnsfaultd "$DNSFAULT_PID" dnsfaultd.py
    for rl in $DNS_ROLES; do
        role=${rl%%=*}
        term_pidfile "dnsfaultd --role $role" "$DIR/dns-$role.pid" "dnsfaultd.py --role $role"
    done
    term_pidfile stsd "$STS_PID" stsd.py
    term_pidfile bannerd "$BANNER_PID" bannerd.py
    term_pidfile tlsd "$TLSD_PID" tlsd.py
    term_pidfile unbound "$UB_PID" "$UB_CONF"
    # the dovecot master stops its children on SIGTERM
    term_pidfile tcprelay "$RELAY_PID" tcprelay.py
    term_pidfile dovecot "$DOVE_PID" "$DOVE_CONF"
    term_pidfile knotd "$KNOT_PID" knotd
    local item name match
    for item in "${STARTED[@]}"; do
        IFS='|' read -r name pid match <<<"$item"
        term_pid "$name" "$pid" "$match"
    done
    STARTED=()

    # postfix: the master kills its whole process group on SIGTERM (what
    # "postfix stop" does, minus its 1-second polling)
    pid=$(pidof_file "$PF_QUEUE/pid/master.pid")
    if [ -n "$pid" ] && alive "$pid" master; then
        kill -TERM "$pid" 2>/dev/null || true
        STOPPING+=("postfix master|$pid|master")
    fi
    wait_stopped

    # leftover smtpd children still holding a listener would block the next start
    for i in $(seq 30); do
        [ -n "$(our_listeners)" ] || break
        sleep 0.1
    done
}

# ---------------------------------------------------------------------------
# configuration writers

write_postfix_conf() {
    mkdir -p "$PF_CONF" "$PF_QUEUE" "$PF_DATA"
    chown root:root "$PF_QUEUE"
    chmod 755 "$PF_QUEUE"
    chown postfix "$PF_DATA"
    chmod 700 "$PF_DATA"
    : >"$PF_LOG"

    cat >"$PF_CONF/main.cf" <<EOF
# generated by stack.sh -- private Postfix instance for the integration tests
compatibility_level = 3.6
queue_directory = $PF_QUEUE
data_directory = $PF_DATA
maillog_file = $PF_LOG
maillog_file_prefixes = $DIR
myhostname = mail.test
mydomain = test
myorigin = \$myhostname
smtpd_banner = \$myhostname ESMTP \$mail_name
inet_interfaces = loopback-only
inet_protocols = all
mynetworks = 127.0.0.0/8 [::1]/128
mydestination =
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no

# never look anything up: no client name lookups, no DNS for delivery
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
smtp_host_lookup = native

# nothing ever leaves this instance
default_transport = error:5.7.1 test stack does not deliver mail
relay_transport = error:5.7.1 test stack does not deliver mail
local_transport = error:5.7.1 test stack does not deliver mail
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
# a recipient the relay restrictions let through gets 250 (the open relay
# case of 10025), not 550 for resolving to the error transport; a message
# sent anyway bounces inside this instance
smtpd_reject_unlisted_recipient = no

# SMTP AUTH, enabled per service in master.cf (10465, 10587, 10037): Dovecot
# checks the passwords; PLAIN and LOGIN are allowed (also before TLS where a
# service does not set smtpd_tls_auth_only), anonymous logins never
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:$DOVE_BACKEND:$DOVE_AUTH_PORT
smtpd_sasl_auth_enable = no
smtpd_sasl_security_options = noanonymous
smtpd_sasl_tls_security_options = noanonymous
# smtpd exits when Dovecot's auth service does not answer (it starts after
# Postfix); the master then pauses that service for this long, not 60 s
service_throttle_time = 1s

# TLS defaults (per-service overrides in master.cf)
smtpd_tls_security_level = may
smtpd_tls_chain_files = $DIR/certs/good.key, $DIR/certs/good.chain.pem
smtpd_tls_loglevel = 1
smtpd_tls_session_cache_database =
EOF

    {
        echo "# generated by stack.sh -- one smtpd per test case, loopback only"
        local line port cert opts o addr
        for line in "${PF_SERVICES[@]}"; do
            read -r port cert opts <<<"$line"
            opts=${opts#-}
            for addr in 127.0.0.1 $( [ "$port" = 10025 ] && echo "[::1]" ); do
                printf '%s:%s inet n - n - - smtpd\n' "$addr" "$port"
                printf '  -o syslog_name=postfix/p%s\n' "$port"
                if [ "$cert" != - ]; then
                    printf '  -o smtpd_tls_chain_files=%s,%s\n' \
                        "$DIR/certs/$cert.key" "$DIR/certs/$cert.chain.pem"
                fi
                for o in $opts; do printf '  -o %s\n' "$o"; done
            done
        done
        cat <<'EOF'
cleanup   unix  n  -  n  -     0  cleanup
qmgr      unix  n  -  n  300   1  qmgr
pickup    unix  n  -  n  60    1  pickup
tlsmgr    unix  -  -  n  1000? 1  tlsmgr
rewrite   unix  -  -  n  -     -  trivial-rewrite
bounce    unix  -  -  n  -     0  bounce
defer     unix  -  -  n  -     0  bounce
trace     unix  -  -  n  -     0  bounce
verify    unix  -  -  n  -     1  verify
flush     unix  n  -  n  1000? 0  flush
proxymap  unix  -  -  n  -     -  proxymap
showq     unix  n  -  n  -     -  showq
error     unix  -  -  n  -     -  error
retry     unix  -  -  n  -     -  error
discard   unix  -  -  n  -     -  discard
anvil     unix  -  -  n  -     1  anvil
scache    unix  -  -  n  -     1  scache
postlog   unix-dgram n - n - 1 postlogd
EOF
    } >"$PF_CONF/master.cf"
    # Postfix re-reads a config file until its mtime is in the past (it waits
    # out "file modified in this very second" races, ~2 s); backdate them.
    touch -d '-1 minute' "$PF_CONF/main.cf" "$PF_CONF/master.cf"
}

# create queue_directory and data_directory subtrees as listed in postfix-files
make_queue_tree() {
    local meta owner sgid name type uid gid mode flags path n=0
    { read -r meta; read -r owner; read -r sgid; } < <(postconf -c "$PF_CONF" -h \
        meta_directory mail_owner setgid_group 2>/dev/null) || return 1
    [ -r "$meta/postfix-files" ] || return 1
    while IFS=: read -r name type uid gid mode flags; do
        [ "$type" = d ] || continue
        case $name in
            '$queue_directory'*) path=$PF_QUEUE${name#'$queue_directory'} ;;
            '$data_directory'*) path=$PF_DATA${name#'$data_directory'} ;;
            *) continue ;;
        esac
        case $flags in *o*) continue ;; esac      # obsolete entries
        uid=${uid/'$mail_owner'/$owner}
        gid=${gid/'$setgid_group'/$sgid}
        [ "$gid" != - ] || gid=
        mkdir -p "$path" && chown "$uid${gid:+:$gid}" "$path" && chmod "$mode" "$path" || return 1
        n=$((n + 1))
    done <"$meta/postfix-files"
    [ "$n" -ge 10 ] && [ -d "$PF_QUEUE/pid" ] && [ -d "$PF_QUEUE/public" ]
}

# The check_mx_dns zones served by Knot besides test. (each its own zone)
MX_ZONES="mx.test. plain.test. onens.test. lag.test. lame.test. deadns.test. dnsbl.test.
    2.0.192.in-addr.arpa. 8.b.d.0.1.0.0.2.ip6.arpa. 0.0.127.in-addr.arpa.
    1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa."
# The check_spf_dkim zones (write_auth_zones), unsigned, served like MX_ZONES
AUTH_ZONES="auth.test. rua.test. norua.test. nodmarc.test."

# DKIM keys: made once per DIR and kept across starts (start wipes certs/,
# not dkim/), so only the first start pays for RSA key generation.
# dkim/NAME.key is the private key (PEM), dkim/NAME.p the p= value: base64 of
# the DER SubjectPublicKeyInfo for RSA, of the raw 32-byte key for Ed25519
# (RFC 8463: the last 32 bytes of its SPKI).  DKIM_KEYS: NAME:length of p=
DKIM_DIR=$DIR/dkim
DKIM_KEYS="rsa2048:392 rsa1024:216 rsa512:128 ed25519:44"

# make_dkim_key NAME LEN: reuse dkim/NAME.key + .p when both are there, else
# make both (written aside, then renamed)
make_dkim_key() {
    local n=$1 len=$2 k=$DKIM_DIR/$1.key p=$DKIM_DIR/$1.p t=$DKIM_DIR/.$1.$$ v
    if [ -s "$k" ] && [ -s "$p" ]; then return 0; fi
    rm -f "$k" "$p"
    case $n in
        rsa*) OPENSSL_CONF=/dev/null openssl genpkey -algorithm RSA \
                  -pkeyopt "rsa_keygen_bits:${n#rsa}" -out "$t.key" 2>/dev/null ;;
        ed25519) OPENSSL_CONF=/dev/null openssl genpkey -algorithm ED25519 -out "$t.key" ;;
    esac || { say "cannot generate DKIM key $n"; return 1; }
    v=$(OPENSSL_CONF=/dev/null openssl pkey -in "$t.key" -pubout -outform DER |
        if [ "$n" = ed25519 ]; then tail -c 32; else cat; fi | base64 -w0)
    [[ $v =~ ^[A-Za-z0-9+/]+=*$ ]] && [ ${#v} = "$len" ] ||
        { say "DKIM key $n: p= of ${#v} characters, wanted $len"; rm -f "$t.key"; return 1; }
    printf '%s\n' "$v" >"$t.p"
    mv "$t.key" "$k"
    mv "$t.p" "$p"
}

make_dkim_keys() {
    local kl pids=() pid rc=0
    mkdir -p "$DKIM_DIR"
    chmod 700 "$DKIM_DIR"
    for kl in $DKIM_KEYS; do
        make_dkim_key "${kl%%:*}" "${kl#*:}" &
        pids+=("$!")
    done
    for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
    return $rc
}

# dkim_p NAME: the p= value of dkim/NAME.key
dkim_p() {
    local v
    read -r v <"$DKIM_DIR/$1.p"
    printf '%s' "$v"
}

# zeros N: "0." N times (for the nibble names of IPv6 reverse and DNSBL names)
zeros() {
    local i out=
    for ((i = 0; i < $1; i++)); do out+=0.; done
    printf '%s' "$out"
}

# zone_head ZONE MNAME: $ORIGIN, $TTL and the SOA of a generated zone file
zone_head() {
    printf '; generated by stack.sh\n$ORIGIN %s\n$TTL 300\n' "$1"
    printf '@  SOA  %s hostmaster.%s 2026112301 3600 600 86400 300\n' "$2" "$1"
}

write_knot_conf() {
    local z tlsa c v6 listen=
    mkdir -p "$KNOT/run" "$KNOT/db" "$KNOT/zones"
    : >"$KNOT_LOG"
    for z in $DNS_ADDRS; do listen+="${listen:+, }$z@$DNS_PORT"; done
    cat >"$KNOT_CONF" <<EOF
# generated by stack.sh
server:
    rundir: "$KNOT/run"
    pidfile: "$KNOT_PID"
    listen: [ $listen ]

log:
  - target: "$KNOT_LOG"
    any: info

database:
    storage: "$KNOT/db"

control:
    listen: "$KNOT/run/knot.sock"

# mx.test.: automatic signing, keys made at the first load (a fresh KASP
# database every start), one combined signing key, ECDSA P-256 (alg. 13)
policy:
  - id: mctest
    algorithm: ecdsap256sha256
    single-type-signing: on
    nsec3: off

template:
  - id: default
    storage: "$KNOT/zones"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: on

zone:
  - domain: test.
    file: test.zone
EOF
    for z in $MX_ZONES $AUTH_ZONES; do
        printf '  - domain: %s\n    file: %szone\n' "$z" "$z"
        [ "$z" != mx.test. ] || printf '    dnssec-signing: on\n    dnssec-policy: mctest\n'
    done >>"$KNOT_CONF"

    cat >"$KNOT/zones/test.zone" <<'EOF'
; generated by stack.sh -- every other name under test. is NXDOMAIN
$ORIGIN test.
$TTL 300
@        SOA  mail.test. hostmaster.test. 1 3600 600 86400 300
@        NS   mail.test.
mail     A    127.0.0.1
mail     AAAA ::1
other    A    127.0.0.1
v4only   A    127.0.0.1
v6only   AAAA ::1
EOF

    # TLSA 3 1 1: SHA-256 of the SubjectPublicKeyInfo of the good key
    tlsa=$(openssl pkey -in "$DIR/certs/good.key" -pubout -outform DER |
        openssl dgst -sha256 -r | cut -d' ' -f1)
    [[ $tlsa =~ ^[0-9a-f]{64}$ ]] || { say "cannot hash certs/good.key"; return 1; }
    # TLSA 2 0 1: SHA-256 of the intermediate CA certificate (DANE-TA)
    tlsa_ta=$(openssl x509 -in "$DIR/certs/intermediate.pem" -outform DER |
        openssl dgst -sha256 -r | cut -d' ' -f1)
    [[ $tlsa_ta =~ ^[0-9a-f]{64}$ ]] || { say "cannot hash certs/intermediate.pem"; return 1; }

    { zone_head mx.test. ns1.mx.test.
      cat <<EOF
@                  NS    ns1
@                  NS    ns2
ns1                A     127.0.0.1
ns2                A     127.0.0.10
; good: everything right
good               MX    10 mx1.good
good               MX    20 mx2.good
mx1.good           A     192.0.2.1
mx1.good           AAAA  2001:db8::1
mx2.good           A     192.0.2.2
mx2.good           AAAA  2001:db8::2
mail.good          A     192.0.2.3
_mta-sts.good      TXT   "v=STSv1; id=20261101T000000;"
mta-sts.good       A     127.0.0.9
_smtp._tls.good    TXT   "v=TLSRPTv1; rua=mailto:tlsrpt@good.mx.test"
_25._tcp.mx1.good  TLSA  3 1 1 $tlsa
_25._tcp.mx2.good  TLSA  3 1 1 $tlsa
_submissions._tcp.good  SRV  0 1 465 mail.good.mx.test.
_submission._tcp.good   SRV  0 1 587 mail.good.mx.test.
_imaps._tcp.good        SRV  0 1 993 mail.good.mx.test.
_imap._tcp.good         SRV  0 0 0 .
; no MX / no mail / null MX (RFC 7505) / MX naming an address
nomx               A     192.0.2.4
nothing            TXT   "no mail here"
nullmx             MX    0 .
literal            MX    10 192.0.2.5.
; MX target is a CNAME
cname              MX    10 alias.cname
alias.cname        CNAME mx1.good.mx.test.
; targets that do not exist (gone*)
unres              MX    10 gone.unres
unres              MX    20 mx1.good.mx.test.
allunres           MX    10 gone1.allunres
allunres           MX    20 gone2.allunres
v4only             MX    10 mx.v4only
mx.v4only          A     192.0.2.6
; 192.0.2.7 has no PTR; 192.0.2.8 points back to other.badptr
noptr              MX    10 mx.noptr
mx.noptr           A     192.0.2.7
badptr             MX    10 mx.badptr
mx.badptr          A     192.0.2.8
other.badptr       A     192.0.2.99
; listed on good.dnsbl.test. (v4 and v6)
listed             MX    10 mx.listed
mx.listed          A     192.0.2.11
mx.listed          AAAA  2001:db8::11
; SMTP banners: mail.test = Postfix; 127.0.0.8/12 = bannerd
probe              MX    10 mail.test.
probebad           MX    10 smtp.probebad
probebad           MX    20 smtp2.probebad
smtp.probebad      A     127.0.0.8
smtp2.probebad     A     127.0.0.12
danemissing        MX    10 mx.danemissing
mx.danemissing     A     192.0.2.30
srvbad             MX    10 mx1.good.mx.test.
_submissions._tcp.srvbad  SRV  0 1 465 gone.srvbad.mx.test.
;
; check_smtp_tls --dane against Postfix on 127.0.0.1:10025 (_10025._tcp)
dane-ee            A     127.0.0.1
_10025._tcp.dane-ee TLSA 3 1 1 $tlsa
dane-ta            A     127.0.0.1
_10025._tcp.dane-ta TLSA 2 0 1 $tlsa_ta
dane-bad           A     127.0.0.1
_10025._tcp.dane-bad TLSA 3 1 1 $(printf '%064d' 0)
_10025._tcp.dane-bad TLSA 3 1 2 $(printf '%0128d' 0)
dane-pkix          A     127.0.0.1
_10025._tcp.dane-pkix TLSA 1 1 1 $tlsa
dane-none          A     127.0.0.1
; check_smtp_tls --mx: 3 MX x 2 addresses, all Postfix on port 10025
fan                MX    10 mxa.fan
fan                MX    20 mxb.fan
fan                MX    30 mxc.fan
mxa.fan            A     127.0.0.1
mxa.fan            AAAA  ::1
mxb.fan            A     127.0.0.1
mxb.fan            AAAA  ::1
mxc.fan            A     127.0.0.1
mxc.fan            AAAA  ::1
_10025._tcp.mxa.fan TLSA 3 1 1 $tlsa
_10025._tcp.mxb.fan TLSA 3 1 1 $tlsa
_10025._tcp.mxc.fan TLSA 3 1 1 $tlsa
fanbad             MX    10 mxa.fan
fanbad             MX    20 gone.fanbad
; MTA-STS cases (stsd.py serves mta-sts.<case>)
EOF
      for c in $STS_CASES; do
          printf '%-18s MX    10 mx1.good.mx.test.\n' "$c"
          printf '%-18s A     127.0.0.9\n' "mta-sts.$c"
          [ "$c" = stsnorpt ] ||
              printf '%-18s TXT   "v=TLSRPTv1; rua=mailto:tlsrpt@%s.mx.test"\n' "_smtp._tls.$c" "$c"
          [ "$c" = stsnotxt ] || printf '%-18s TXT   "v=STSv1; id=1;"\n' "_mta-sts.$c"
          [ "$c" != ststwo ] || printf '%-18s TXT   "v=STSv1; id=2;"\n' "_mta-sts.$c"
      done
    } >"$KNOT/zones/mx.test.zone"

    { zone_head plain.test. ns1.plain.test.
      cat <<EOF
@                  NS    ns1
@                  NS    ns2
ns1                A     127.0.0.1
ns2                A     127.0.0.10
@                  MX    10 mx.plain.test.
mx                 A     192.0.2.20
_25._tcp.mx        TLSA  3 1 1 $tlsa
; check_smtp_tls --dane: TLSA in an unsigned zone
dane               A     127.0.0.1
_10025._tcp.dane   TLSA  3 1 1 $tlsa
EOF
    } >"$KNOT/zones/plain.test.zone"

    # nameserver cases: one NS; a lagging secondary; lame delegations; all dead
    { zone_head onens.test. ns1.onens.test.
      printf '@ NS ns1\nns1 A 127.0.0.1\n@ MX 10 mail.test.\n'
    } >"$KNOT/zones/onens.test.zone"
    { zone_head lag.test. ns1.lag.test.
      printf '@ NS ns1\n@ NS ns2\nns1 A 127.0.0.1\nns2 A 127.0.0.5\n@ MX 10 mail.test.\n'
    } >"$KNOT/zones/lag.test.zone"
    { zone_head lame.test. ns1.lame.test.
      printf '@ NS ns%s\n' 1 2 3 4
      printf 'ns1 A 127.0.0.1\nns2 A 127.0.0.6\nns3 A 127.0.0.7\nns4 A 127.0.0.11\n'
      printf '@ MX 10 mail.test.\n'
    } >"$KNOT/zones/lame.test.zone"
    { zone_head deadns.test. ns1.deadns.test.
      printf '@ NS ns1\n@ NS ns2\nns1 A 127.0.0.6\nns2 A 127.0.0.7\n@ MX 10 mail.test.\n'
    } >"$KNOT/zones/deadns.test.zone"

    # reverse zones (no PTR for 192.0.2.7)
    { zone_head 2.0.192.in-addr.arpa. mail.test.
      cat <<'EOF'
@   NS   mail.test.
1   PTR  mx1.good.mx.test.
2   PTR  mx2.good.mx.test.
3   PTR  mail.good.mx.test.
4   PTR  nomx.mx.test.
6   PTR  mx.v4only.mx.test.
8   PTR  other.badptr.mx.test.
11  PTR  mx.listed.mx.test.
20  PTR  mx.plain.test.
30  PTR  mx.danemissing.mx.test.
EOF
    } >"$KNOT/zones/2.0.192.in-addr.arpa.zone"
    v6=8.b.d.0.1.0.0.2.ip6.arpa.
    { zone_head $v6 mail.test.
      printf '@ NS mail.test.\n'
      printf '%s PTR mx1.good.mx.test.\n' "1.$(zeros 23)$v6"             # 2001:db8::1
      printf '%s PTR mx2.good.mx.test.\n' "2.$(zeros 23)$v6"             # 2001:db8::2
      printf '%s PTR mx.listed.mx.test.\n' "1.1.$(zeros 22)$v6"          # 2001:db8::11
    } >"$KNOT/zones/$v6"zone
    { zone_head 0.0.127.in-addr.arpa. mail.test.
      printf '@ NS mail.test.\n1 PTR mail.test.\n8 PTR smtp.probebad.mx.test.\n'
    } >"$KNOT/zones/0.0.127.in-addr.arpa.zone"
    z=1.$(zeros 31)ip6.arpa.                                               # ::1
    { zone_head "$z" mail.test.
      printf '@ NS mail.test.\n@ PTR mail.test.\n'
    } >"$KNOT/zones/${z}zone"

    # DNSBLs (RFC 5782 section 5: 127.0.0.2 listed, 127.0.0.1 not)
    { zone_head dnsbl.test. mail.test.
      printf '@ NS mail.test.\n'
      cat <<'EOF'
; good: a working list
2.0.0.127.good     A    127.0.0.2
2.0.0.127.good     TXT  "test point"
11.2.0.192.good    A    127.0.0.2
11.2.0.192.good    TXT  "192.0.2.11 listed for testing"
EOF
      printf '%s A 127.0.0.4\n' "1.1.$(zeros 22)8.b.d.0.1.0.0.2.good"   # 2001:db8::11
      printf '%s TXT "2001:db8::11 listed for testing"\n' "1.1.$(zeros 22)8.b.d.0.1.0.0.2.good"
      cat <<'EOF'
; broken: lists nothing, not even its test point
broken             TXT  "this list is broken"
; limit: answers "rate limited" (127.255.255.254) for everything
*.limit            A    127.255.255.254
; outside: answers outside 127.0.0.0/8
*.outside          A    10.0.0.2
EOF
      for c in $(seq -w 1 20); do
          printf '2.0.0.127.b%s A 127.0.0.2\n2.0.0.127.b%s TXT "test point"\n' "$c" "$c"
      done
    } >"$KNOT/zones/dnsbl.test.zone"

    write_auth_zones
}

# txt OWNER VALUE: one TXT record, VALUE cut into strings of at most 255
# bytes (RFC 1035 3.3.14; SPF and DKIM join the strings without spaces).
# VALUE holds no '"' and no '\'.
txt() {
    local LC_ALL=C v=$2 out='' i
    for ((i = 0; i < ${#v}; i += 255)); do out+=" \"${v:i:255}\""; done
    printf '%-32s TXT   %s\n' "$1" "${out# }"
}

# The check_spf_dkim zones: one name per rule of check_spf_dkim (table in
# tests/README).  Unsigned; auth.test. and rua.test. have NS ns1 (127.0.0.1)
# and ns2 (127.0.0.10) of their own, norua.test. and nodmarc.test. borrow
# those of auth.test.
write_auth_zones() {
    local k2048 k1024 k512 ked ked31 long n
    k2048=$(dkim_p rsa2048)
    k1024=$(dkim_p rsa1024)
    k512=$(dkim_p rsa512)
    ked=$(dkim_p ed25519)
    # 31 bytes of the Ed25519 key: one short (the one 32-byte write of
    # base64 -d lands in the pipe before head closes it: no SIGPIPE)
    ked31=$(base64 -d <<<"$ked" | head -c 31 | base64 -w0)
    [ ${#ked31} = 44 ] || { say "cannot cut the Ed25519 key"; return 1; }
    # long: 497 bytes (ip4:192.0.2.1 .. ip4:192.0.2.33, -all): strings of
    # 255 + 242 bytes, the cut inside a term
    long="v=spf1"
    for ((n = 1; ${#long} < 492; n++)); do long+=" ip4:192.0.2.$n"; done
    long+=" -all"

    { zone_head auth.test. ns1.auth.test.
      cat <<'EOF'
@                  NS    ns1
@                  NS    ns2
ns1                A     127.0.0.1
ns2                A     127.0.0.10
; --- SPF (RFC 7208)
EOF
      txt good "v=spf1 ip4:192.0.2.0/25 include:_spf.good.auth.test -all"
      txt _spf.good "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:1::/48 -all"
      txt softall "v=spf1 ip4:192.0.2.0/25 ~all"
      txt plusall "v=spf1 +all"
      txt neutral "v=spf1 ip4:192.0.2.0/25 ?all"
      txt noall "v=spf1 ip4:192.0.2.0/25"
      txt twospf "v=spf1 -all"
      txt twospf "v=spf1 ip4:192.0.2.0/25 -all"
      txt nospf "not spf"
      printf '%-32s A     192.0.2.1\n' nospf
      txt long "$long"
      txt badcidr "v=spf1 ip4:192.0.2.0/33 -all"
      txt badmech "v=spf1 ip4:192.0.2.0/25 foo:bar -all"
      txt dupredirect "v=spf1 redirect=good.auth.test redirect=softall.auth.test"
      txt ptr "v=spf1 ptr -all"
      # toomany: 13 DNS-querying terms in the tree (limit 10): toomany's 2
      # includes; l1: a, mx, a:x1, a:x2, a:x3 (5); l2: a, mx, include (3);
      # l3: a, mx, a:x4 (3).  Evaluated for an address none of them has, the
      # 11th is l3's "a".
      txt toomany "v=spf1 include:l1.auth.test include:l2.auth.test -all"
      txt l1 "v=spf1 a mx a:x1.auth.test a:x2.auth.test a:x3.auth.test -all"
      txt l2 "v=spf1 a mx include:l3.auth.test -all"
      txt l3 "v=spf1 a mx a:x4.auth.test -all"
      for n in l1 l2 l3; do
          printf '%-32s A     192.0.2.51\n%-32s MX    10 x1.auth.test.\n' $n $n
      done
      for n in x1 x2 x3 x4; do printf '%-32s A     192.0.2.50\n' $n; done
      txt loop "v=spf1 include:loop2.auth.test -all"
      txt loop2 "v=spf1 include:loop.auth.test -all"
      # void: 3 void lookups (limit 2), nx1..nx3 do not exist
      txt void "v=spf1 a:nx1.auth.test a:nx2.auth.test a:nx3.auth.test ip4:192.0.2.0/25 -all"
      # tempinc: the include answers SERVFAIL (dnsfaultd, Unbound's fault.test. stub)
      txt tempinc "v=spf1 include:servfail.fault.test ip4:192.0.2.0/25 -all"
      # deep, the benchmark tree: 9 includes (9 DNS-querying terms), three
      # levels of records: deep -> d1 d2 d3 (3); d1 -> d11 d12, d2 -> d21 d22,
      # d3 -> d31 d32 (6); each leaf dNN passes 198.51.100.NN/32 only
      txt deep "v=spf1 include:d1.auth.test include:d2.auth.test include:d3.auth.test -all"
      txt d1 "v=spf1 include:d11.auth.test include:d12.auth.test -all"
      txt d2 "v=spf1 include:d21.auth.test include:d22.auth.test -all"
      txt d3 "v=spf1 include:d31.auth.test include:d32.auth.test -all"
      for n in 11 12 21 22 31 32; do txt d$n "v=spf1 ip4:198.51.100.$n/32 -all"; done
      # macro, for postmaster@macro.auth.test from 192.0.2.10 (RFC 7208 7.3):
      # %{ir} = 10.2.0.192; %{l1r+-} = postmaster (split on "+" and "-": one
      # part; reversed and cut to the rightmost 1: the same)
      txt macro "v=spf1 exists:%{ir}.%{l1r+-}._spf.auth.test -all"
      printf '%-32s A     127.0.0.2\n' 10.2.0.192.postmaster._spf
      txt exp "v=spf1 ip4:192.0.2.0/25 -all exp=explain.auth.test"
      txt explain "%{i} is not one of %{d}'s designated mail servers"

      printf '; --- DKIM (RFC 6376, 8301, 8463): SELECTOR._domainkey.good\n'
      txt sel2048._domainkey.good "v=DKIM1; k=rsa; p=$k2048"
      txt ed._domainkey.good "v=DKIM1; k=ed25519; p=$ked"
      txt sel1024._domainkey.good "v=DKIM1; k=rsa; p=$k1024"
      txt sel512._domainkey.good "v=DKIM1; k=rsa; p=$k512"
      txt revoked._domainkey.good "v=DKIM1; p="
      txt testing._domainkey.good "v=DKIM1; t=y; p=$k2048"
      txt sha1._domainkey.good "v=DKIM1; h=sha1; p=$k2048"
      txt badb64._domainkey.good "v=DKIM1; p=!!!notbase64"
      printf '%-32s CNAME sel2048._domainkey.good.auth.test.\n' cname._domainkey.good
      # two records: they must differ (identical data is one record)
      txt two._domainkey.good "v=DKIM1; k=rsa; p=$k2048"
      txt two._domainkey.good "v=DKIM1; p=$k2048"
      txt dsa._domainkey.good "v=DKIM1; k=dsa; p=$k2048"
      txt notfirst._domainkey.good "k=rsa; v=DKIM1; p=$k2048"
      txt dup._domainkey.good "v=DKIM1; p=$k2048; p=$k2048"
      txt tlsrpt._domainkey.good "v=DKIM1; s=tlsrpt; p=$k2048"
      txt edshort._domainkey.good "v=DKIM1; k=ed25519; p=$ked31"

      printf '; --- DMARC (RFC 7489); _dmarc (the apex) is the organizational\n'
      printf '; domain fallback for every name under auth.test. without its own\n'
      txt _dmarc.good "v=DMARC1; p=reject; rua=mailto:dmarc@good.auth.test"
      txt _dmarc "v=DMARC1; p=quarantine"
      txt _dmarc.softall "v=DMARC1; p=none"
      txt _dmarc.neutral "v=DMARC1; p=reject; pct=50"
      txt _dmarc.twospf "v=DMARC1; p=reject"
      txt _dmarc.twospf "v=DMARC1; p=none"
      txt _dmarc.noall "v=DMARC1; rua=mailto:x@auth.test"
      txt _dmarc.plusall "p=reject; v=DMARC1"
      # external report destinations: rua.test. authorizes ptr.auth.test,
      # norua.test. authorizes nobody
      txt _dmarc.ptr "v=DMARC1; p=reject; rua=mailto:reports@rua.test"
      txt _dmarc.long "v=DMARC1; p=reject; rua=mailto:reports@norua.test"
    } >"$KNOT/zones/auth.test.zone"

    { zone_head rua.test. ns1.rua.test.
      printf '@ NS ns1\n@ NS ns2\nns1 A 127.0.0.1\nns2 A 127.0.0.10\n'
      txt ptr.auth.test._report._dmarc "v=DMARC1"
    } >"$KNOT/zones/rua.test.zone"
    { zone_head norua.test. ns1.auth.test.
      printf '@ NS ns1.auth.test.\n@ NS ns2.auth.test.\n'
    } >"$KNOT/zones/norua.test.zone"
    # nodmarc.test.: no _dmarc anywhere up its tree (its own organizational domain)
    { zone_head nodmarc.test. ns1.auth.test.
      printf '@ NS ns1.auth.test.\n@ NS ns2.auth.test.\n'
      txt @ "v=spf1 -all"
    } >"$KNOT/zones/nodmarc.test.zone"
}

# wait_anchor: wait until Knot serves mx.test. signed, and write its key
# signing key(s) as Unbound's trust anchor
wait_anchor() {
    local i out
    for ((i = 0; i < START_TIMEOUT * 20; i++)); do
        out=$(kdig @127.0.0.1 -p "$DNS_PORT" +norec +time=1 +retry=0 +noall +answer \
            DNSKEY mx.test. 2>/dev/null | awk '$4 == "DNSKEY" && $5 == 257') || true
        if [ -n "$out" ]; then
            printf '; generated by stack.sh: the KSK of mx.test. as Knot signed it\n%s\n' \
                "$out" >"$UB_ANCHOR"
            return 0
        fi
        alive "$1" knotd || return 1
        ! grep -qF 'error: [mx.test.]' "$KNOT_LOG" || return 1     # e.g. a semantic check
        sleep 0.05
    done
    return 1
}

write_unbound_conf() {
    local z
    mkdir -p "$UB"
    : >"$UB_LOG"
    {
        cat <<EOF
# generated by stack.sh -- private validating resolver for the test zones;
# never /etc/unbound, no chroot, no privilege drop, no remote control.
server:
    verbosity: 1
    interface: 127.0.0.1@$RESOLVER_PORT
    port: $RESOLVER_PORT
    do-ip4: yes
    do-ip6: no
    do-udp: yes
    do-tcp: yes
    # never share the listening port with another instance
    so-reuseport: no
    # outgoing queries from 127.0.0.1 and the kernel's ephemeral range only:
    # a random source port must not take a port that a test server wants
    outgoing-interface: 127.0.0.1
    outgoing-port-avoid: 0-32767
    outgoing-port-avoid: 61000-65535
    num-threads: 1
    # answers in Knot's (canonical) order every time: reproducible test runs
    rrset-roundrobin: no
    username: ""
    chroot: ""
    directory: "$UB"
    # stack.sh writes the pid file (unbound runs in the foreground, -d)
    pidfile: ""
    logfile: "$UB_LOG"
    use-syslog: no
    log-time-ascii: yes
    log-servfail: yes
    val-log-level: 2
    access-control: 127.0.0.0/8 allow
    module-config: "validator iterator"
    # the only trust anchor: no root key, nothing else validates
    trust-anchor-file: "$UB_ANCHOR"
    trust-anchor-signaling: no
    root-key-sentinel: no
    do-not-query-localhost: no
    # every name outside the test zones: REFUSED at once, never the internet.
    # test. and the reverse zones are blocked by default (RFC 6761/6303
    # local zones); a zone of our own with the same name replaces the
    # default one, a more specific one (0.0.127) takes precedence over it.
    local-zone: "." refuse
EOF
        for z in test. 2.0.192.in-addr.arpa. 8.b.d.0.1.0.0.2.ip6.arpa. 0.0.127.in-addr.arpa. \
            "1.$(zeros 31)ip6.arpa."; do
            printf '    local-zone: "%s" transparent\n' "$z"
        done
        printf '\nremote-control:\n    control-enable: no\n'
        for z in test. $MX_ZONES $AUTH_ZONES; do
            printf '\nstub-zone:\n    name: "%s"\n    stub-addr: 127.0.0.1@%s\n' "$z" "$DNS_PORT"
        done
        # fault.test. (inside test.): dnsfaultd, e.g. the SERVFAIL include of
        # tempinc.auth.test
        printf '\nstub-zone:\n    name: "fault.test."\n    stub-addr: 127.0.0.1@%s\n' \
            "$DNSFAULT_PORT"
    } >"$UB_CONF"
}

# Dovecot: a private instance (own base_dir, state_dir, config, log, mail);
# never /etc/dovecot or the system service.  Mail runs as the "mail" user
# (uid 8 on every Debian; Dovecot refuses mail processes as root).
DOVE_USERS=(
    # user      password          quota_rule
    "monitor   Mon1tor-s3cret!   *:storage=10M"
    "quotauser Qu0ta-s3cret!     *:storage=100K"
    "fulluser  Fu11-s3cret!      *:storage=100K"
)

write_dovecot_conf() {
    local line user pw rule
    mkdir -p "$DOVE" "$DOVE_RUN" "$DOVE/state" "$DOVE/home"
    : >"$DOVE_LOG"
    for line in "${DOVE_USERS[@]}"; do
        read -r user pw rule <<<"$line"
        printf '%s:{PLAIN}%s:8:8::%s/home/%s::userdb_quota_rule=%s\n' \
            "$user" "$pw" "$DOVE" "$user" "$rule"
    done >"$DOVE/passwd"
    chown root:dovecot "$DOVE/passwd"
    chmod 640 "$DOVE/passwd"

    cat >"$DOVE_CONF" <<EOF
# generated by stack.sh -- private Dovecot instance for the integration tests
instance_name = mailcheck-test
base_dir = $DOVE_RUN
state_dir = $DOVE/state
log_path = $DOVE_LOG
info_log_path = $DOVE_LOG
debug_log_path = $DOVE_LOG
auth_verbose = yes
protocols = imap pop3
listen = $DOVE_BACKEND
shutdown_clients = yes
login_greeting = mail.test Dovecot ready.
login_trusted_networks =

ssl = yes
ssl_cert = <$DIR/certs/good.chain.pem
ssl_key = <$DIR/certs/good.key
ssl_min_protocol = TLSv1.2
# no plaintext login before TLS, except on the $DOVE_PLAIN listeners
disable_plaintext_auth = yes
local $DOVE_PLAIN {
  disable_plaintext_auth = no
}
# all of them need the password in clear text ({PLAIN} in the passwd file)
auth_mechanisms = plain login cram-md5 scram-sha-256
# a failed login answers at once (default 2 s): the tests stay fast
auth_failure_delay = 0

passdb {
  driver = passwd-file
  args = scheme=PLAIN $DOVE/passwd
}
userdb {
  driver = passwd-file
  args = $DOVE/passwd
}
first_valid_uid = 8
last_valid_uid = 8
first_valid_gid = 8
mail_location = maildir:~/Maildir
mail_plugins = quota
protocol imap {
  mail_plugins = \$mail_plugins imap_quota
}
plugin {
  quota = maildir:User quota
  quota_rule = *:storage=10M
}

service imap-login {
  inet_listener imap {
    address = $DOVE_BACKEND $DOVE_PLAIN
    port = $DOVE_IMAP
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DOVE_IMAPS
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = $DOVE_BACKEND $DOVE_PLAIN
    port = $DOVE_POP3
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $DOVE_POP3S
    ssl = yes
  }
}
# Postfix's SMTP AUTH (smtpd_sasl_type = dovecot): Dovecot's auth client
# protocol over loopback TCP, so smtpd (user postfix) needs no socket rights
service auth {
  inet_listener postfix {
    address = $DOVE_BACKEND
    port = $DOVE_AUTH_PORT
  }
}
# no authentication penalty: after failed logins from an IP (every test
# client is 127.0.0.1, and the wrong-password cases fail on purpose) Dovecot
# would delay that IP's next logins by 2, 4, 8, then 15 s, past the plugins'
# timeouts; its auth process cannot reach anvil-auth-penalty (mode 0)
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
}

# The mailboxes: Maildir++ files written directly, CRLF line ends, each
# message of an exact size (so physical = virtual size: POP3 STAT and the
# maildir quota count the same octets).  Seen messages go to cur/ with
# ":2,S", unseen ones to new/.
make_mailboxes() {
    "$PY" - "$DOVE/home" <<'PYEOF'
import os, sys
home = sys.argv[1]
t = 1700000000
n = 0

def msg(user, box, size, seen):
    global n
    n += 1
    head = ("From: sender%d@mail.test\r\nTo: %s@mail.test\r\nSubject: test message %d\r\n"
            "Date: Tue, 14 Nov 2023 22:13:%02d +0000\r\nMessage-ID: <%d.%s@mail.test>\r\n\r\n"
            % (n, user, n, n % 60, n, user))
    line = "x" * 70 + "\r\n"
    body = line * (size // len(line) + 1)
    data = (head + body[:size - len(head) - 2] + "\r\n").encode()
    assert len(data) == size, (len(data), size)
    md = os.path.join(home, user, "Maildir", "" if box == "INBOX" else "." + box)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(md, sub), exist_ok=True)
    if box != "INBOX":
        open(os.path.join(md, "maildirfolder"), "w").close()
    name = "%d.M%dP%d.mail.test,S=%d" % (t + n, n, 1000 + n, size)
    path = os.path.join(md, "cur", name + ":2,S") if seen else os.path.join(md, "new", name)
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (t + n, t + n))

# monitor: INBOX 3 messages (2 seen, 1 unseen), 4500 octets; Archive 5, all seen
msg("monitor", "INBOX", 1000, True)
msg("monitor", "INBOX", 1500, True)
msg("monitor", "INBOX", 2000, False)
for _ in range(5):
    msg("monitor", "Archive", 600, True)
# the 100K quotas: 85 KiB = 87040 octets (85%), 95 KiB = 97280 octets (95%)
for _ in range(4):
    msg("quotauser", "INBOX", 87040 // 4, True)
for _ in range(4):
    msg("fulluser", "INBOX", 97280 // 4, True)
with open(os.path.join(home, "monitor", "Maildir", "subscriptions"), "w") as f:
    f.write("Archive\n")
PYEOF
    chown -R mail:mail "$DOVE/home"
    chmod -R go-rwx "$DOVE/home"
}

# ---------------------------------------------------------------------------
# readiness probe: every port answers as designed

probe() { # watch-pids...
    MC_DIR=$DIR "$PY" - "$START_TIMEOUT" "$@" <<'PYEOF'
import os, socket, ssl, subprocess, sys, time

DIR = os.environ["MC_DIR"]
timeout = float(sys.argv[1])
watch = dict(a.split("=", 1) for a in sys.argv[2:])   # name=pid

def alive(pid):
    try:
        with open("/proc/%s/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False

def der(name):
    with open(os.path.join(DIR, "certs", name + ".crt")) as f:
        return ssl.PEM_cert_to_DER_cert(f.read())

def ctx():
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    c.minimum_version = ssl.TLSVersion.TLSv1_2
    c.set_ciphers("DEFAULT:@SECLEVEL=0")   # the weak-key case must handshake
    return c

def reply(f):
    lines = []
    while True:
        l = f.readline(1000)
        if not l:
            raise RuntimeError("closed after %r" % lines)
        lines.append(l)
        if l[3:4] != b"-":
            return b"".join(lines)

def has_auth(ehlo):
    return any(l[4:9] == b"AUTH " for l in ehlo.split(b"\r\n"))

def smtp(host, port, cert, mode):
    # MODE+auth: SMTP AUTH advertised after TLS only; MODE+authearly: before
    # STARTTLS too.  smtpd exits when Dovecot's auth service does not answer,
    # so this also waits for that.
    mode, _, auth = mode.partition("+")
    s = socket.create_connection((host, port), timeout=3)
    try:
        if mode == "implicit":
            s = ctx().wrap_socket(s)
        f = s.makefile("rb")
        b = reply(f)
        if not b.startswith(b"220 mail.test ESMTP"):
            raise RuntimeError("banner %r" % b)
        s.sendall(b"EHLO probe.test\r\n")
        e = reply(f)
        if mode == "plain":
            if b"STARTTLS" in e:
                raise RuntimeError("STARTTLS offered")
            return
        if mode == "implicit":
            t = s
        else:
            if b"STARTTLS" not in e:
                raise RuntimeError("STARTTLS not offered (cert not loaded?): %r" % e)
            if auth and has_auth(e) != (auth == "authearly"):
                raise RuntimeError("AUTH %s before STARTTLS: %r" % (
                    "not offered" if auth == "authearly" else "offered", e))
            s.sendall(b"STARTTLS\r\n")
            r = reply(f)
            if not r.startswith(b"220"):
                raise RuntimeError("STARTTLS -> %r" % r)
            t = ctx().wrap_socket(s)
        if t.getpeercert(binary_form=True) != der(cert):
            raise RuntimeError("served certificate is not %s.crt" % cert)
        want = "TLSv1.2" if mode == "tls12" else "TLSv1.3"
        if t.version() != want:
            raise RuntimeError("negotiated %s, wanted %s" % (t.version(), want))
        if auth:
            if mode != "implicit":
                t.sendall(b"EHLO probe.test\r\n")
                e = reply(t.makefile("rb"))
            if not has_auth(e):
                raise RuntimeError("AUTH not offered after TLS: %r" % e)
        t.sendall(b"QUIT\r\n")
        t.close()
    finally:
        s.close()

def tcp(host, port):
    socket.create_connection((host, port), timeout=2).close()

def dnsfault(tcp):
    cmd = ["kdig", "@127.0.0.1", "-p", "11053", "+time=1", "+retry=0", "ok.fault.test", "A"]
    out = subprocess.run(cmd + (["+tcp"] if tcp else []), capture_output=True, text=True,
                         timeout=5).stdout
    if "status: NOERROR" not in out or "127.0.0.1" not in out.split("ANSWER SECTION", 1)[-1]:
        raise RuntimeError("no answer for ok.fault.test A: %s" % out[-300:])

def dns():
    out = subprocess.run(
        ["kdig", "@127.0.0.1", "-p", "10053", "+time=1", "+retry=0",
         "mail.test", "A"], capture_output=True, text=True, timeout=5).stdout
    if "status: NOERROR" not in out or "127.0.0.1" not in out.split("ANSWER SECTION", 1)[-1]:
        raise RuntimeError("no answer for mail.test A: %s" % out[-300:])

def dove_tls(s):
    t = ctx().wrap_socket(s)
    if t.getpeercert(binary_form=True) != der("good"):
        raise RuntimeError("served certificate is not good.crt")
    return t, t.makefile("rb")

def imap_cmd(s, f, tag, cmd):
    s.sendall(b"%s %s\r\n" % (tag, cmd))
    lines = []
    while True:
        l = f.readline(2000)
        if not l:
            raise RuntimeError("closed after %r" % lines)
        lines.append(l)
        if l.startswith(tag + b" "):
            if not l.startswith(tag + b" OK"):
                raise RuntimeError("%s -> %r" % (cmd, lines))
            return b"".join(lines)

def pop3_cmd(s, f, cmd, multi=False):
    s.sendall(cmd + b"\r\n")
    l = f.readline(2000)
    if not l.startswith(b"+OK"):
        raise RuntimeError("%s -> %r" % (cmd, l))
    lines = [l]
    while multi:
        l = f.readline(2000)
        if not l:
            raise RuntimeError("closed after %r" % lines)
        if l == b".\r\n":
            break
        lines.append(l)
    return b"".join(lines)

def dove(host, port, proto, mode):
    """Greeting and capabilities as designed; TLS with the good certificate;
    on the implicit-TLS ports also a login and the INBOX of monitor."""
    s = socket.create_connection((host, port), timeout=3)
    try:
        if mode == "implicit":
            s, f = dove_tls(s)
        else:
            f = s.makefile("rb")
        g = f.readline(2000)
        if proto == "imap":
            if not g.startswith(b"* OK "):
                raise RuntimeError("greeting %r" % g)
            if mode != "implicit":
                caps = imap_cmd(s, f, b"p1", b"CAPABILITY")
                if b" STARTTLS" not in caps:
                    raise RuntimeError("no STARTTLS: %r" % caps)
                if (b"LOGINDISABLED" in caps) != (mode == "strict"):
                    raise RuntimeError("LOGINDISABLED %s: %r" % (
                        "missing" if mode == "strict" else "present", caps))
                imap_cmd(s, f, b"p2", b"STARTTLS")
                s, f = dove_tls(s)
            imap_cmd(s, f, b"p3", b"LOGIN monitor Mon1tor-s3cret!")
            st = imap_cmd(s, f, b"p4", b"STATUS INBOX (MESSAGES UNSEEN)")
            if b"(MESSAGES 3 UNSEEN 1)" not in st:
                raise RuntimeError("INBOX of monitor: %r" % st)
            imap_cmd(s, f, b"p5", b"LOGOUT")
        else:
            if not g.startswith(b"+OK "):
                raise RuntimeError("greeting %r" % g)
            if mode != "implicit":
                caps = pop3_cmd(s, f, b"CAPA", True)
                if b"\nSTLS\r\n" not in caps:
                    raise RuntimeError("no STLS: %r" % caps)
                if (b"\nUSER\r\n" in caps) == (mode == "strict"):
                    raise RuntimeError("USER %s before TLS: %r" % (
                        "offered" if mode == "strict" else "missing", caps))
                pop3_cmd(s, f, b"STLS")
                s, f = dove_tls(s)
            pop3_cmd(s, f, b"USER monitor")
            pop3_cmd(s, f, b"PASS Mon1tor-s3cret!")
            st = pop3_cmd(s, f, b"STAT")
            if not st.startswith(b"+OK 3 4500"):
                raise RuntimeError("STAT of monitor: %r" % st)
            pop3_cmd(s, f, b"QUIT")
    finally:
        s.close()

# --- the check_mx_dns servers (python3-dnspython, as dnsfaultd.py uses).
# Importing dnspython takes a few hundred ms: a thread does it while the
# first checks wait for their servers.

def import_dns():
    import dns.flags, dns.message, dns.query, dns.rcode, dns.rdatatype

import threading
threading.Thread(target=import_dns, daemon=True).start()

def dq(server, port, name, rdtype, tcp=False, dnssec=False, rd=True):
    import dns.flags, dns.message, dns.query
    q = dns.message.make_query(name, rdtype, want_dnssec=dnssec)
    q.flags |= dns.flags.AD             # RFC 6840 5.7: AD in the query asks for it
    if not rd:
        q.flags &= ~dns.flags.RD
    return (dns.query.tcp if tcp else dns.query.udp)(q, server, port=port, timeout=1)

def want(cond, what, r):
    if not cond:
        raise RuntimeError("%s: %s" % (what, str(r).replace("\n", " | ")[:400]))

def knot_zones(addr, zones):
    """Every zone loaded (AA SOA); mx.test. signed (RRSIG)."""
    import dns.flags, dns.rcode, dns.rdatatype
    for z in zones:
        r = dq(addr, 10053, z, "SOA", dnssec=(z == "mx.test."), rd=False)
        want(r.rcode() == dns.rcode.NOERROR and r.flags & dns.flags.AA and
             any(rr.rdtype == dns.rdatatype.SOA for rr in r.answer), "SOA %s" % z, r)
        if z == "mx.test.":
            want(any(rr.rdtype == dns.rdatatype.RRSIG for rr in r.answer),
                 "mx.test. not signed", r)

def resolver(tcp):
    import dns.flags, dns.rcode, dns.rdatatype
    r = dq("127.0.0.1", 10054, "good.mx.test.", "MX", tcp=tcp)
    want(r.rcode() == dns.rcode.NOERROR and r.flags & dns.flags.AD and
         sum(len(rr) for rr in r.answer if rr.rdtype == dns.rdatatype.MX) == 2,
         "MX good.mx.test. (2 MX, AD)", r)
    r = dq("127.0.0.1", 10054, "plain.test.", "MX", tcp=tcp)
    want(r.rcode() == dns.rcode.NOERROR and not r.flags & dns.flags.AD and r.answer,
         "MX plain.test. (answer, no AD)", r)
    r = dq("127.0.0.1", 10054, "nonexistent.example.", "A", tcp=tcp)
    want(r.rcode() == dns.rcode.REFUSED, "A nonexistent.example. (REFUSED)", r)
    # check_spf_dkim: a DKIM key of two strings (joined: 410 bytes)
    r = dq("127.0.0.1", 10054, "sel2048._domainkey.good.auth.test.", "TXT", tcp=tcp)
    want(r.rcode() == dns.rcode.NOERROR and
         [sum(len(x) for x in rd.strings) for rr in r.answer
          if rr.rdtype == dns.rdatatype.TXT for rd in rr] == [410],
         "TXT sel2048._domainkey.good.auth.test. (410 bytes)", r)

def faultstub():
    """Unbound's fault.test. stub reaches dnsfaultd."""
    import dns.rcode, dns.rdatatype
    r = dq("127.0.0.1", 10054, "ok.fault.test.", "A")
    want(r.rcode() == dns.rcode.NOERROR and
         [rd.address for rr in r.answer if rr.rdtype == dns.rdatatype.A for rd in rr]
         == ["127.0.0.1"], "A ok.fault.test. via unbound (127.0.0.1)", r)

def role(name, addr, tcp):
    import dns.flags, dns.rcode
    zone = "lag.test." if name == "lagging" else "lame.test."
    r = dq(addr, 10053, zone, "SOA", tcp=tcp, rd=False)
    aa = bool(r.flags & dns.flags.AA)
    if name == "lagging":
        want(r.rcode() == dns.rcode.NOERROR and aa and r.answer and
             r.answer[0][0].serial == 2026112302, "SOA lag.test. serial 2026112302 AA", r)
    elif name == "refused":
        want(r.rcode() == dns.rcode.REFUSED, "REFUSED", r)
    else:
        want(r.rcode() == dns.rcode.NOERROR and not aa and r.answer, "SOA, AA=0", r)

def sts(addr, port, cases):
    c = ssl.create_default_context(cafile=os.path.join(DIR, "certs", "ca.pem"))
    s = socket.create_connection((addr, port), timeout=3)
    try:
        t = c.wrap_socket(s, server_hostname="mta-sts.good.mx.test")
        names = {v for k, v in t.getpeercert().get("subjectAltName", ()) if k == "DNS"}
        missing = {"mta-sts.%s.mx.test" % x for x in ["good"] + cases} - names
        if missing:
            raise RuntimeError("certificate lacks " + " ".join(sorted(missing)))
        t.sendall(b"GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.good.mx.test"
                  b"\r\nConnection: close\r\n\r\n")
        got = b""
        while True:
            b = t.recv(65536)
            if not b:
                break
            got += b
        if not got.startswith(b"HTTP/1.1 200 ") or \
                not got.endswith(b"mx: *.good.mx.test\r\nmax_age: 604800\r\n"):
            raise RuntimeError("policy of good: %r" % got[-300:])
    finally:
        s.close()

def banner(addr, want_banner):
    s = socket.create_connection((addr, 10025), timeout=3)
    try:
        f = s.makefile("rb")
        g = f.readline(1000)
        if g != want_banner:
            raise RuntimeError("banner %r" % g)
        s.sendall(b"QUIT\r\n")
        g = f.readline(1000)
        if not g.startswith(b"221 "):
            raise RuntimeError("QUIT -> %r" % g)
    finally:
        s.close()

def tlsd(port, cert, versions):
    """tlsd.py: implicit TLS, the role's leaf, the newest version it allows,
    the greeting, QUIT."""
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    try:
        t = ctx().wrap_socket(s)
        f = t.makefile("rb")
        g = reply(f)
        if g != b"220 mail.test ESMTP tlsd\r\n":
            raise RuntimeError("greeting %r" % g)
        if t.getpeercert(binary_form=True) != der(cert):
            raise RuntimeError("served certificate is not %s.crt" % cert)
        want = "TLSv1.3" if versions.endswith("1.3") else "TLSv1.2"
        if t.version() != want:
            raise RuntimeError("negotiated %s, wanted %s" % (t.version(), want))
        t.sendall(b"QUIT\r\n")
        g = reply(f)
        if not g.startswith(b"221 "):
            raise RuntimeError("QUIT -> %r" % g)
    finally:
        s.close()

checks = {}
spec = os.environ.get("MC_PROBES", "")
for item in spec.split():
    kind, rest = item.split(":", 1)
    if kind == "pf":
        host, port, cert, mode = rest.split("/")
        checks["postfix %s:%s" % (host, port)] = (
            "postfix", lambda h=host, p=int(port), c=cert, m=mode: smtp(h, p, c, m))
    elif kind == "tcp":
        host, port = rest.split("/")
        checks["faultd %s:%s" % (host, port)] = (
            "faultd", lambda h=host, p=int(port): tcp(h, p))
    elif kind == "dns":
        checks["knot 127.0.0.1:10053"] = ("knot", dns)
    elif kind == "dove":
        host, port, proto, mode = rest.split("/")
        checks["dovecot %s %s:%s (%s)" % (proto, host, port, mode)] = (
            "dovecot tcprelay" if mode == "strict" else "dovecot",
            lambda h=host, p=int(port), pr=proto, m=mode: dove(h, p, pr, m))
    elif kind == "dnsfault":
        for tr in ("udp", "tcp"):
            checks["dnsfaultd 127.0.0.1:11053/%s" % tr] = (
                "dnsfaultd", lambda t=(tr == "tcp"): dnsfault(t))
    elif kind == "zones":
        addr, zones = rest.split("/")
        checks["knot %s:10053 zones" % addr] = (
            "knot", lambda a=addr, z=zones.split(","): knot_zones(a, z))
    elif kind == "resolver":
        for tr in ("udp", "tcp"):
            checks["unbound 127.0.0.1:10054/%s" % tr] = (
                "unbound knot", lambda t=(tr == "tcp"): resolver(t))
    elif kind == "faultstub":
        checks["unbound 127.0.0.1:10054 fault.test. stub"] = ("unbound dnsfaultd", faultstub)
    elif kind == "role":
        name, addr = rest.split("/")
        for tr in ("udp", "tcp"):
            checks["dnsfaultd --role %s %s:10053/%s" % (name, addr, tr)] = (
                "dns-" + name, lambda n=name, a=addr, t=(tr == "tcp"): role(n, a, t))
    elif kind == "sts":
        addr, port, cases = rest.split("/")
        checks["stsd %s:%s" % (addr, port)] = (
            "stsd", lambda a=addr, p=int(port), c=cases.split(","): sts(a, p, c))
    elif kind == "banner":
        checks["bannerd 127.0.0.8:10025"] = (
            "bannerd", lambda: banner("127.0.0.8", b"220 elsewhere.example ESMTP\r\n"))
        checks["bannerd 127.0.0.12:10025"] = (
            "bannerd", lambda: banner("127.0.0.12", b"554 5.7.1 no service here\r\n"))
    elif kind == "tlsd":
        port, tlsd_role, cert, versions = rest.split("/")   # not "role": a function
        checks["tlsd %s 127.0.0.1:%s" % (tlsd_role, port)] = (
            "tlsd", lambda p=int(port), c=cert, v=versions: tlsd(p, c, v))

pending = dict(checks)
errors = {}
deadline = time.monotonic() + timeout
while pending:
    for name, (comp, fn) in list(pending.items()):
        try:
            fn()
            del pending[name]
            errors.pop(name, None)
        except Exception as e:
            errors[name] = "%s: %s" % (type(e).__name__, e)
    dead = [n for n, p in watch.items() if not alive(p)]
    if pending and (dead or time.monotonic() > deadline):
        for n in dead:
            print("PROCESS DIED: %s (pid %s)" % (n, watch[n]))
        for name in sorted(pending):
            print("NOT READY: %s -- %s" % (name, errors.get(name, "?")))
        print("COMPONENTS: " + " ".join(sorted({c for n in pending for c in pending[n][0].split()}
                                               | set(dead))))
        sys.exit(1)
    if pending:
        time.sleep(0.1)
PYEOF
}

probe_spec() {
    local line port cert opts mode
    for line in "${PF_SERVICES[@]}"; do
        read -r port cert opts <<<"$line"
        case "$port" in
            10465) mode=implicit ;;
            10034) mode=plain; cert=none ;;
            10036) mode=tls12 ;;
            *) mode=starttls ;;
        esac
        if [[ " $opts " == *" smtpd_sasl_auth_enable=yes "* ]]; then
            if [[ " $opts " == *" smtpd_tls_auth_only=no "* ]]; then
                mode=$mode+authearly
            else
                mode=$mode+auth
            fi
        fi
        printf 'pf:127.0.0.1/%s/%s/%s\n' "$port" "$cert" "$mode"
    done
    printf 'pf:::1/10025/good/starttls\n'
    for port in $FAULT_PORTS; do printf 'tcp:127.0.0.1/%s\n' "$port"; done
    printf 'dns:\n'
    printf 'dnsfault:\n'
    # Dovecot: host/port/protocol/mode; "strict" = no plaintext login before TLS
    printf 'dove:127.0.0.1/%s/imap/strict\n' "$DOVE_IMAP"
    printf 'dove:127.0.0.1/%s/imap/implicit\n' "$DOVE_IMAPS"
    printf 'dove:%s/%s/imap/plain-ok\n' "$DOVE_PLAIN" "$DOVE_IMAP"
    printf 'dove:127.0.0.1/%s/pop3/strict\n' "$DOVE_POP3"
    printf 'dove:127.0.0.1/%s/pop3/implicit\n' "$DOVE_POP3S"
    printf 'dove:%s/%s/pop3/plain-ok\n' "$DOVE_PLAIN" "$DOVE_POP3"
    "$PY" "$HERE/tlsd.py" --list | while read -r port role cert versions _; do
        printf 'tlsd:%s/%s/%s/%s\n' "$port" "$role" "$cert" "$versions"
    done
    probe_spec_mx
}

# the check_mx_dns servers (also the health checks of "status")
probe_spec_mx() {
    local rl
    printf 'zones:127.0.0.1/test.'
    printf ',%s' $MX_ZONES $AUTH_ZONES
    printf '\nzones:127.0.0.10/mx.test.,plain.test.,auth.test.\n'
    printf 'resolver:\n'
    printf 'faultstub:\n'
    for rl in $DNS_ROLES; do printf 'role:%s/%s\n' "${rl%%=*}" "${rl#*=}"; done
    printf 'sts:%s/%s/%s\n' "$STS_ADDR" "$STS_PORT" "$(echo $STS_CASES | tr ' ' ,)"
    printf 'banner:\n'
}

show_file() { # title file lines [filter-regex]
    [ -s "$2" ] || return 0
    if [ -n "${4:-}" ]; then
        # distinct problems, first occurrence first (timestamps/pids stripped)
        grep -E "$4" "$2" | sed -E 's/^[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [^ ]+ //; s/\[[0-9]+\]:/:/' |
            awk '!seen[$0]++' | head -n "$3" | sed "s|^|[$1] |" || true
    else
        tail -n "$3" "$2" | sed "s|^|[$1] |"
    fi
}

tail_logs() { # components...
    local c bad='warning|fatal|panic|error|critical'
    for c in "$@"; do
        case $c in
            postfix)
                show_file "postfix.start.out" "$DIR/postfix.start.out" 20
                show_file "postfix.log problems" "$PF_LOG" 15 "$bad"
                show_file "postfix.log" "$PF_LOG" 15 ;;
            knot)
                show_file "knotd.out" "$KNOT/knotd.out" 20
                show_file "knot.log" "$KNOT_LOG" 25 ;;
            faultd)
                show_file "faultd.out" "$DIR/faultd.out" 20
                show_file "faultd.log" "$FAULT_LOG" 25 ;;
            dnsfaultd)
                show_file "dnsfaultd.out" "$DIR/dnsfaultd.out" 20
                show_file "dnsfaultd.log" "$DNSFAULT_LOG" 25 ;;
            dovecot)
                show_file "doveconf.out" "$DOVE/doveconf.out" 20
                show_file "dovecot.out" "$DOVE/dovecot.out" 20
                show_file "dovecot.log" "$DOVE_LOG" 25 ;;
            tcprelay)
                show_file "tcprelay.out" "$DIR/tcprelay.out" 20
                show_file "tcprelay.log" "$RELAY_LOG" 25 ;;
            unbound)
                show_file "unbound.out" "$UB/unbound.out" 20
                show_file "unbound.log" "$UB_LOG" 25
                show_file "mx.test.anchor" "$UB_ANCHOR" 5 ;;
            dns-*)
                show_file "$c.out" "$DIR/$c.out" 20
                show_file "$c.log" "$DIR/$c.log" 25 ;;
            stsd)
                show_file "stsd.out" "$DIR/stsd.out" 20
                show_file "stsd.log" "$STS_LOG" 25 ;;
            bannerd)
                show_file "bannerd.out" "$DIR/bannerd.out" 20
                show_file "bannerd.log" "$BANNER_LOG" 25 ;;
            tlsd)
                show_file "tlsd.out" "$DIR/tlsd.out" 20
                show_file "tlsd.log" "$TLSD_LOG" 25 ;;
        esac
    done
    return 0
}

# ---------------------------------------------------------------------------
# start

# the Python servers write their pid file after binding
pidfiles_written() {
    local f rl
    for f in "$FAULT_PID" "$DNSFAULT_PID" "$RELAY_PID" "$STS_PID" "$BANNER_PID" "$TLSD_PID"; do
        [ -s "$f" ] || return 1
    done
    for rl in $DNS_ROLES; do
        [ -s "$DIR/dns-${rl%%=*}.pid" ] || return 1
    done
}

start_all() {
    local t0 busy pf_pid knot_pid fd_pid dfd_pid dove_pid relay_pid i out comps
    local ub_pid sts_pid ban_pid rl role role_pids=() dkim_pid
    local tlsd_pid

    t0=$(date +%s%N)
    for tool in postfix postconf knotd knotc kdig openssl ss setsid dovecot doveconf \
        unbound faketime; do
        command -v "$tool" >/dev/null || { say "missing tool: $tool"; exit 1; }
    done
    [ -x "$PY" ] || { say "missing $PY"; exit 1; }
    "$PY" -c 'import importlib.util, sys; sys.exit(not importlib.util.find_spec("OpenSSL"))' ||
        { say "missing python3-openssl (tlsd.py)"; exit 1; }
    [ "$(id -u)" = 0 ] || { say "must run as root (Postfix master needs it)"; exit 1; }

    mkdir -p "$DIR"
    chmod 755 "$DIR"
    stop_all

    busy=$(our_listeners)
    if [ -n "$busy" ]; then
        say "ports still in use by something not started from $DIR:"
        echo "$busy" >&2
        say "stop that instance first (stack.sh stop OTHERDIR)"
        exit 1
    fi

    # fresh state every time: nothing leaks between runs
    rm -rf "$PF_CONF" "$PF_QUEUE" "$PF_DATA" "$KNOT" "$DIR/certs" \
        "$PF_LOG" "$FAULT_LOG" "$DIR/postfix.start.out" "$DIR/faultd.out" \
        "$DNSFAULT_LOG" "$DIR/dnsfaultd.out" "$DOVE" "$RELAY_LOG" "$DIR/tcprelay.out" \
        "$UB" "$STS_LOG" "$DIR/stsd.out" "$BANNER_LOG" "$DIR/bannerd.out"
    for rl in $DNS_ROLES; do rm -f "$DIR/dns-${rl%%=*}.log" "$DIR/dns-${rl%%=*}.out"; done
    rm -f "$TLSD_LOG" "$DIR/tlsd.out"

    # DKIM keys (cached in dkim/) while certs.sh runs
    make_dkim_keys >"$DIR/dkim.out" 2>&1 &
    dkim_pid=$!
    sh "$HERE/certs.sh" "$DIR/certs"
    if ! wait "$dkim_pid"; then
        say "DKIM key generation failed:"
        cat "$DIR/dkim.out" >&2
        exit 1
    fi

    # --- knot first: it signs mx.test. while the rest starts
    write_knot_conf
    if ! knotc -c "$KNOT_CONF" conf-check >"$KNOT/knotd.out" 2>&1; then
        say "knot configuration invalid"
        tail_logs knot >&2
        stop_all
        exit 1
    fi
    setsid knotd -c "$KNOT_CONF" </dev/null >>"$KNOT/knotd.out" 2>&1 &
    knot_pid=$!
    started knotd "$knot_pid" knotd

    # --- postfix
    write_postfix_conf
    : >"$DIR/postfix.start.out"
    # "postfix start" normally runs "postfix check" (post-install + finds over
    # the whole installation), which costs ~3 s.  We build the queue tree from
    # postfix-files ourselves and leave the quick-start marker that makes
    # postfix-script skip those checks; if that is not possible, the slow
    # standard path is taken.
    if make_queue_tree; then
        touch "$PF_QUEUE/quick-start"
    fi
    if ! postfix -c "$PF_CONF" start >>"$DIR/postfix.start.out" 2>&1 </dev/null; then
        say "postfix failed to start"
        tail_logs postfix >&2
        stop_all
        exit 1
    fi
    pf_pid=$(pidof_file "$PF_QUEUE/pid/master.pid")

    # --- dovecot (foreground master, its own session), and the relay in front
    write_dovecot_conf
    make_mailboxes
    if ! doveconf -c "$DOVE_CONF" -n >"$DOVE/doveconf.out" 2>&1; then
        say "dovecot configuration invalid"
        tail_logs dovecot >&2
        stop_all
        exit 1
    fi
    setsid dovecot -F -c "$DOVE_CONF" </dev/null >"$DOVE/dovecot.out" 2>&1 &
    dove_pid=$!
    started dovecot "$dove_pid" "$DOVE_CONF"
    echo "$dove_pid" >"$DOVE_PID"
    setsid "$PY" "$HERE/tcprelay.py" --pidfile "$RELAY_PID" --log "$RELAY_LOG" \
        --map "127.0.0.1:$DOVE_IMAP=$DOVE_BACKEND:$DOVE_IMAP" \
        --map "127.0.0.1:$DOVE_POP3=$DOVE_BACKEND:$DOVE_POP3" \
        </dev/null >"$DIR/tcprelay.out" 2>&1 &
    relay_pid=$!
    started tcprelay "$relay_pid" tcprelay.py

    # --- faultd
    setsid "$PY" "$HERE/faultd.py" --host 127.0.0.1 --pidfile "$FAULT_PID" --certs "$DIR/certs" \
        --log "$FAULT_LOG" </dev/null >"$DIR/faultd.out" 2>&1 &
    fd_pid=$!
    started faultd "$fd_pid" faultd.py

    # --- dnsfaultd
    setsid "$PY" "$HERE/dnsfaultd.py" --host 127.0.0.1 --port "$DNSFAULT_PORT" \
        --pidfile "$DNSFAULT_PID" --log "$DNSFAULT_LOG" </dev/null >"$DIR/dnsfaultd.out" 2>&1 &
    dfd_pid=$!
    started dnsfaultd "$dfd_pid" dnsfaultd.py
    for rl in $DNS_ROLES; do
        role=${rl%%=*}
        setsid "$PY" "$HERE/dnsfaultd.py" --role "$role" --host "${rl#*=}" --port "$DNS_PORT" \
            --pidfile "$DIR/dns-$role.pid" --log "$DIR/dns-$role.log" \
            </dev/null >"$DIR/dns-$role.out" 2>&1 &
        role_pids+=("dns-$role=$!")
        started "dnsfaultd --role $role" "$!" "dnsfaultd.py --role $role"
    done

    # --- stsd, bannerd
    setsid "$PY" "$HERE/stsd.py" --host "$STS_ADDR" --port "$STS_PORT" --certs "$DIR/certs" \
        --pidfile "$STS_PID" --log "$STS_LOG" </dev/null >"$DIR/stsd.out" 2>&1 &
    sts_pid=$!
    started stsd "$sts_pid" stsd.py
    setsid "$PY" "$HERE/bannerd.py" --port "$BANNER_PORT" --pidfile "$BANNER_PID" \
        --log "$BANNER_LOG" </dev/null >"$DIR/bannerd.out" 2>&1 &
    ban_pid=$!
    started bannerd "$ban_pid" bannerd.py

    # --- tlsd: OCSP stapling and TLS protocol policy roles (certs/ from certs.sh)
    setsid "$PY" "$HERE/tlsd.py" --certs "$DIR/certs" --pidfile "$TLSD_PID" \
        --log "$TLSD_LOG" </dev/null >"$DIR/tlsd.out" 2>&1 &
    tlsd_pid=$!
    started tlsd "$tlsd_pid" tlsd.py

    # --- unbound, once mx.test. is signed (its key is the trust anchor).  A
    # subshell waits for that while the probe below starts, then becomes
    # unbound (exec: same pid).  Unbound reports configuration errors on
    # stderr (unbound.out) and exits; the probe then shows that file.
    write_unbound_conf
    (
        if ! wait_anchor "$knot_pid"; then
            echo "stack.sh: knot did not serve a signed mx.test. (waited at most" \
                "${START_TIMEOUT}s); see knot.log" >"$UB/unbound.out"
            exit 1
        fi
        exec setsid unbound -d -c "$UB_CONF" </dev/null >"$UB/unbound.out" 2>&1
    ) &
    ub_pid=$!
    started unbound "$ub_pid" ""        # no command line check: may still be the subshell
    echo "$ub_pid" >"$UB_PID"

    # --- wait until every port answers as designed
    if ! out=$(MC_PROBES=$(probe_spec) probe "postfix=$pf_pid" "knot=$knot_pid" "faultd=$fd_pid" \
            "dnsfaultd=$dfd_pid" "dovecot=$dove_pid" "tcprelay=$relay_pid" "unbound=$ub_pid" \
            "${role_pids[@]}" "stsd=$sts_pid" "bannerd=$ban_pid" "tlsd=$tlsd_pid"); then
        say "stack did not come up within ${START_TIMEOUT}s:"
        echo "$out" >&2
        comps=$(sed -n 's/^COMPONENTS: //p' <<<"$out")
        tail_logs $comps >&2
        say "stopping what did start; logs stay in $DIR"
        stop_all
        exit 1
    fi
    # the Python servers write their pid files after binding; make sure they are there
    for i in $(seq 20); do
        pidfiles_written && break
        sleep 0.05
    done

    i=$(( ($(date +%s%N) - t0) / 1000000 ))
    printf 'stack.sh: started in %d.%03ds in %s (postfix master %s, knotd %s, faultd %s, dnsfaultd %s, dovecot %s, tcprelay %s, unbound %s, %s, stsd %s, bannerd %s, tlsd %s)\n' \
        $((i / 1000)) $((i % 1000)) "$DIR" \
        "$pf_pid" "$knot_pid" "$(pidof_file "$FAULT_PID")" "$(pidof_file "$DNSFAULT_PID")" \
        "$dove_pid" "$(pidof_file "$RELAY_PID")" "$ub_pid" "${role_pids[*]}" \
        "$(pidof_file "$STS_PID")" "$(pidof_file "$BANNER_PID")" "$(pidof_file "$TLSD_PID")" >&2
}

# ---------------------------------------------------------------------------
# status

status_all() {
    local pid rc=0
    pid=$(pidof_file "$PF_QUEUE/pid/master.pid")
    if [ -n "$pid" ] && alive "$pid" master; then echo "postfix: running (master pid $pid)"; else echo "postfix: not running"; rc=1; fi
    pid=$(pidof_file "$KNOT_PID")
    if [ -n "$pid" ] && alive "$pid" knotd; then echo "knotd:   running (pid $pid)"; else echo "knotd:   not running"; rc=1; fi
    pid=$(pidof_file "$FAULT_PID")
    if [ -n "$pid" ] && alive "$pid" faultd.py; then echo "faultd:  running (pid $pid)"; else echo "faultd:  not running"; rc=1; fi
    pid=$(pidof_file "$DNSFAULT_PID")
    if [ -n "$pid" ] && alive "$pid" dnsfaultd.py; then echo "dnsfaultd: running (pid $pid)"; else echo "dnsfaultd: not running"; rc=1; fi
    pid=$(pidof_file "$DOVE_PID")
    if [ -n "$pid" ] && alive "$pid" "$DOVE_CONF"; then echo "dovecot: running (master pid $pid)"; else echo "dovecot: not running"; rc=1; fi
    pid=$(pidof_file "$RELAY_PID")
    if [ -n "$pid" ] && alive "$pid" tcprelay.py; then echo "tcprelay: running (pid $pid)"; else echo "tcprelay: not running"; rc=1; fi
    pid=$(pidof_file "$UB_PID")
    if [ -n "$pid" ] && alive "$pid" "$UB_CONF"; then echo "unbound: running (pid $pid)"; else echo "unbound: not running"; rc=1; fi
    local rl role
    for rl in $DNS_ROLES; do
        role=${rl%%=*}
        pid=$(pidof_file "$DIR/dns-$role.pid")
        if [ -n "$pid" ] && alive "$pid" "dnsfaultd.py --role $role"; then
            echo "dnsfaultd --role $role: running (pid $pid)"
        else
            echo "dnsfaultd --role $role: not running"; rc=1
        fi
    done
    pid=$(pidof_file "$STS_PID")
    if [ -n "$pid" ] && alive "$pid" stsd.py; then echo "stsd:    running (pid $pid)"; else echo "stsd:    not running"; rc=1; fi
    pid=$(pidof_file "$BANNER_PID")
    if [ -n "$pid" ] && alive "$pid" bannerd.py; then echo "bannerd: running (pid $pid)"; else echo "bannerd: not running"; rc=1; fi
    pid=$(pidof_file "$TLSD_PID")
    if [ -n "$pid" ] && alive "$pid" tlsd.py; then echo "tlsd:    running (pid $pid)"; else echo "tlsd:    not running"; rc=1; fi
    echo "listening:"
    our_listeners | awk '{printf "  %-4s %-22s %s\n", $1, $5, $7}' | sort -k2
    # health of the check_mx_dns and check_spf_dkim servers: Knot's zones
    # (mx.test. signed), Unbound (AD on good.mx.test., a two-string DKIM key,
    # the fault.test. stub), the dnsfaultd roles, stsd, bannerd
    local out
    if out=$(MC_PROBES=$(probe_spec_mx) START_TIMEOUT=2 probe 2>&1); then
        echo "health (DNS zones, unbound, dnsfaultd roles, stsd, bannerd): ok"
    else
        echo "health (DNS zones, unbound, dnsfaultd roles, stsd, bannerd): FAILING"
        grep -v '^COMPONENTS: ' <<<"$out" | sed 's/^/  /'
        rc=1
    fi
    return $rc
}

case $ACTION in
    start) start_all ;;
    stop) stop_all ;;
    status) status_all ;;
    *) echo "usage: $0 start|stop|status [DIR]   (DIR default: \$MC_STACK_DIR or /tmp/mailcheck-stack)" >&2; exit 2 ;;
esac
