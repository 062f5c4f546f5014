#!/bin/bash
# stack.sh start|stop|status [DIR]
#
# The loopback server stack for the integration tests:
#   - a private Postfix instance (one smtpd per certificate/TLS case),
#   - Knot DNS, authoritative for "test." on 127.0.0.1:10053,
#   - faultd.py, scripted misbehaving SMTP servers on 127.0.0.1:11001-11029,
#   - dnsfaultd.py, a scripted misbehaving DNS server on 127.0.0.1:11053 UDP+TCP.
#
# DIR defaults to $MC_STACK_DIR or /tmp/mailcheck-stack.  Everything (config,
# queue, certificates, logs, pid files) lives under DIR; nothing outside it is
# touched, in particular not /etc/postfix or a system Postfix/Knot.
#
#   start   stop any previous instance in DIR, wipe its state, generate
#           certificates, start everything, wait until every port answers as
#           designed (MC_STACK_TIMEOUT seconds, default 20), else fail loudly
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
DNSFAULT_PORT=11053
# Postfix services:  port  certificate  extra smtpd -o settings
PF_SERVICES=(
    "10025 good -"
    "10465 good smtpd_tls_wrappermode=yes smtpd_tls_security_level=encrypt"
    "10587 good smtpd_tls_security_level=encrypt"
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
)
FAULT_PORTS=$(seq 11001 11029)

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
        cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
        [[ $cmd == *"$want"* ]] || return 1
    fi
}

pidof_file() { # file -> pid or empty
    [ -r "$1" ] && tr -cd '0-9' <"$1" || true
}

# stop_pid NAME PID MATCH: SIGTERM, wait up to 5 s, then SIGKILL
stop_pid() {
    local name=$1 pid=$2 match=$3 i
    alive "$pid" "$match" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do
        alive "$pid" "$match" || { say "stopped $name (pid $pid)"; return 0; }
        sleep 0.1
    done
    say "$name (pid $pid) ignored SIGTERM, killing"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
}

# listeners on our ports (TCP and UDP), as printed by ss
our_listeners() {
    local re="127\.0\.0\.1:(100(2[5-9]|3[0-6]|53)|10465|10587|110(0[1-9]|1[0-9]|2[0-9]))|\[::1\]:10025"
    re="$re|127\.0\.0\.1:$DNSFAULT_PORT"
    ss -Hltunp 2>/dev/null | grep -E "[[:space:]]($re)[[:space:]]" || true
}

# ---------------------------------------------------------------------------
# stop

stop_all() {
    local pid i

    # faultd
    pid=$(pidof_file "$FAULT_PID")
    [ -z "$pid" ] || stop_pid faultd "$pid" faultd.py
    rm -f "$FAULT_PID"

    # dnsfaultd
    pid=$(pidof_file "$DNSFAULT_PID")
    [ -z "$pid" ] || stop_pid dnsfaultd "$pid" dnsfaultd.py
    rm -f "$DNSFAULT_PID"

    # knot
    pid=$(pidof_file "$KNOT_PID")
    [ -z "$pid" ] || stop_pid knotd "$pid" knotd
    rm -f "$KNOT_PID"

    # postfix: master kills its whole process group on SIGTERM
    pid=$(pidof_file "$PF_QUEUE/pid/master.pid")
    if [ -n "$pid" ] && alive "$pid" master; then
        # what "postfix stop" does, minus its 1-second polling
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 100); do
            alive "$pid" master || break
            sleep 0.1
        done
        if alive "$pid" master; then
            say "postfix master (pid $pid) still running, killing its process group"
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
        else
            say "stopped postfix (master pid $pid)"
        fi
    fi
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

write_knot_conf() {
    mkdir -p "$KNOT/run" "$KNOT/db" "$KNOT/zones"
    : >"$KNOT_LOG"
    cat >"$KNOT_CONF" <<EOF
# generated by stack.sh
server:
    rundir: "$KNOT/run"
    pidfile: "$KNOT_PID"
    listen: 127.0.0.1@$DNS_PORT

log:
  - target: "$KNOT_LOG"
    any: info

database:
    storage: "$KNOT/db"

control:
    listen: "$KNOT/run/knot.sock"

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

def smtp(host, port, cert, mode):
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
    elif kind == "dnsfault":
        for tr in ("udp", "tcp"):
            checks["dnsfaultd 127.0.0.1:11053/%s" % tr] = (
                "dnsfaultd", lambda t=(tr == "tcp"): dnsfault(t))

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
        print("COMPONENTS: " + " ".join(sorted({pending[n][0] for n in pending} | set(dead))))
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
        printf 'pf:127.0.0.1/%s/%s/%s\n' "$port" "$cert" "$mode"
    done
    printf 'pf:::1/10025/good/starttls\n'
    for port in $FAULT_PORTS; do printf 'tcp:127.0.0.1/%s\n' "$port"; done
    printf 'dns:\n'
    printf 'dnsfault:\n'
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
        esac
    done
    return 0
}

# ---------------------------------------------------------------------------
# start

start_all() {
    local t0 busy pf_pid knot_pid fd_pid dfd_pid i out comps

    t0=$(date +%s%N)
    for tool in postfix postconf knotd knotc kdig openssl ss setsid; do
        command -v "$tool" >/dev/null || { say "missing tool: $tool"; exit 1; }
    done
    [ -x "$PY" ] || { say "missing $PY"; exit 1; }
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
        "$DNSFAULT_LOG" "$DIR/dnsfaultd.out"

    sh "$HERE/certs.sh" "$DIR/certs"

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

    # --- knot
    write_knot_conf
    if ! knotc -c "$KNOT_CONF" conf-check >"$KNOT/knotd.out" 2>&1; then
        say "knot configuration invalid"
        tail_logs knot >&2
        stop_all
        exit 1
    fi
    setsid knotd -c "$KNOT_CONF" </dev/null >>"$KNOT/knotd.out" 2>&1 &
    knot_pid=$!

    # --- faultd
    setsid "$PY" "$HERE/faultd.py" --host 127.0.0.1 --pidfile "$FAULT_PID" --certs "$DIR/certs" \
        --log "$FAULT_LOG" </dev/null >"$DIR/faultd.out" 2>&1 &
    fd_pid=$!

    # --- dnsfaultd
    setsid "$PY" "$HERE/dnsfaultd.py" --host 127.0.0.1 --port "$DNSFAULT_PORT" \
        --pidfile "$DNSFAULT_PID" --log "$DNSFAULT_LOG" </dev/null >"$DIR/dnsfaultd.out" 2>&1 &
    dfd_pid=$!

    # --- wait until every port answers as designed
    if ! out=$(MC_PROBES=$(probe_spec) probe "postfix=$pf_pid" "knot=$knot_pid" "faultd=$fd_pid" \
            "dnsfaultd=$dfd_pid"); then
        say "stack did not come up within ${START_TIMEOUT}s:"
        echo "$out" >&2
        comps=$(sed -n 's/^COMPONENTS: //p' <<<"$out")
        tail_logs $comps >&2
        say "stopping what did start; logs stay in $DIR"
        stop_all
        exit 1
    fi
    # faultd writes its pid file after binding; make sure it is there
    for i in $(seq 20); do [ -s "$FAULT_PID" ] && [ -s "$DNSFAULT_PID" ] && break; sleep 0.05; done

    i=$(( ($(date +%s%N) - t0) / 1000000 ))
    printf 'stack.sh: started in %d.%03ds in %s (postfix master %s, knotd %s, faultd %s, dnsfaultd %s)\n' \
        $((i / 1000)) $((i % 1000)) "$DIR" \
        "$pf_pid" "$knot_pid" "$(pidof_file "$FAULT_PID")" "$(pidof_file "$DNSFAULT_PID")" >&2
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
    echo "listening:"
    our_listeners | awk '{printf "  %-4s %-22s %s\n", $1, $5, $7}' | sort -k2
    return $rc
}

case $ACTION in
    start) start_all ;;
    stop) stop_all ;;
    status) status_all ;;
    *) echo "usage: $0 start|stop|status [DIR]   (DIR default: \$MC_STACK_DIR or /tmp/mailcheck-stack)" >&2; exit 2 ;;
esac
