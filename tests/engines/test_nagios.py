"""The shipped Nagios command definitions, loaded and run by a real Nagios 4.

A minimal Nagios configuration in a temporary directory includes
contrib/nagios/mailcheck-plugins.cfg unchanged (cfg_file=), with $USER1$ the
build's plugins/ directory and a service for every command it defines.
`nagios4 -v` must accept it without errors or warnings. Then a Nagios daemon
runs every service once against the test stack (Postfix, Dovecot, Knot,
Unbound) and each must reach its expected state; each command line is also
expanded here the way Nagios does ($USER1$, $HOSTADDRESS$, $ARGn$, then shell
words) and run directly, with the same result.

The host is 127.0.0.77, where a relay in this test forwards the standard
ports the definitions name (25, 587, 465, 143, 993, 110, 995) to the stack's
(10025, ...): so the fixed ports and the TLS mode they imply are tested as
shipped. (Where a standard port is taken on this host, e.g. by a system
Dovecot on the wildcard address, its services add the stack's port to their
options instead, and pytest shows a warning.) Run inside the stack's network namespace, with
MC_STACK_RUNNING=1 MC_BUILDDIR=... MC_STACK_DIR=... (Debian: nagios4-core).
"""
import grp
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import warnings

import pytest

from engines import CA, PASSWORD, PLUGIN_NAMES, PLUGINS, TOP, Daemon, need_binary, need_stack

CFG = os.path.join(TOP, "contrib", "nagios", "mailcheck-plugins.cfg")
NAGIOS = "/usr/sbin/nagios4"

HOST = "127.0.0.77"
# Port on HOST -> the stack's port on 127.0.0.1: the standard ports, and the
# stack's own (for the commands that take a port, and as the fallback below).
STANDARD = {25: 10025, 587: 10587, 465: 10465, 143: 10143, 993: 10993, 110: 10110, 995: 10995}
IMPLICIT_TLS = {465, 993, 995}
RELAY = dict(STANDARD)
RELAY.update({p: p for p in (10025, 10026, 10029, 10030, 10587, 10465, 10143, 10993, 10110, 10995)})

TLS = "--cert-name mail.test --ca-file " + CA
DNS = "-s 127.0.0.1:10054 --ns-port 10053"
AUTH = "-s 127.0.0.1:10054"
PWFILE = "@PWFILE@"   # replaced by the password file written for the run
# service description: (command, [$ARG1$, ...], expected exit code, first line pattern)
SERVICES = {
    "smtp": ("mailcheck_smtp_tls", [TLS], 0,
             r"^SMTP_TLS OK - 127\.0\.0\.77:25 STARTTLS TLSv1\.3"),
    "submission": ("mailcheck_smtp_submission", [TLS], 0,
                   r"^SMTP_TLS OK - 127\.0\.0\.77:587 STARTTLS TLSv1\.3"),
    "smtps": ("mailcheck_smtps", [TLS], 0, r"^SMTP_TLS OK - 127\.0\.0\.77:465 TLSv1\.3"),
    "smtp-port": ("mailcheck_smtp_tls_port", ["10025", TLS + " -D 30,7"], 0,
                  r"^SMTP_TLS OK - 127\.0\.0\.77:10025 STARTTLS"),
    "smtp-port-10-days": ("mailcheck_smtp_tls_port", ["10029", TLS], 1,
                          r"^SMTP_TLS WARNING - .*certificate valid 10\.0 days"),
    "smtp-port-expired": ("mailcheck_smtp_tls_port", ["10026", TLS], 2,
                          r"^SMTP_TLS CRITICAL - .*certificate has expired"),
    "smtp-port-no-cert-name": ("mailcheck_smtp_tls_port", ["10025", "--ca-file " + CA], 3,
                               r"^SMTP_TLS UNKNOWN - -H is an address"),
    # an $ARGn$ whose certificate name is empty (port 10030 serves other.test)
    "smtp-port-empty-cert-name": ("mailcheck_smtp_tls_port",
                                  ["10030", "--cert-name= --sni mail.test --ca-file " + CA], 3,
                                  r"^SMTP_TLS UNKNOWN - invalid --cert-name '': the name is empty"),
    "submission-login": ("mailcheck_smtp_submission_login", ["monitor", PWFILE, TLS + " -A PLAIN"],
                         0, r"^SMTP_TLS OK - .*logged in as monitor"),
    "smtp-relay-test": ("mailcheck_smtp_relay_test", [TLS], 2,
                        r"^SMTP_TLS CRITICAL - .*open relay"),
    "smtp-mx": ("mailcheck_smtp_mx", ["fan.mx.test", "-p 10025 --dane=require --ca-file %s %s"
                                      % (CA, AUTH)], 0,
                r"^SMTP_TLS OK - fan\.mx\.test MX 6 addresses of 3 MX hosts"),
    "imaps": ("mailcheck_imaps", [TLS], 0, r"^IMAPS OK - 127\.0\.0\.77:993 TLSv1\.3"),
    "imap-starttls": ("mailcheck_imap_starttls", [TLS], 0,
                      r"^IMAPS OK - 127\.0\.0\.77:143 STARTTLS TLSv1\.3"),
    "imaps-login": ("mailcheck_imaps_login", ["monitor", PWFILE, TLS + " -m INBOX --quota"], 0,
                    r"^IMAPS OK - .*logged in as monitor, INBOX 3 messages, 1 unseen, quota"),
    "imaps-port": ("mailcheck_imaps_port", ["10993", TLS + " --tls=implicit"], 0,
                   r"^IMAPS OK - 127\.0\.0\.77:10993 TLSv1\.3"),
    "pop3s": ("mailcheck_pop3s", [TLS], 0, r"^POP3S OK - 127\.0\.0\.77:995 TLSv1\.3"),
    "pop3-starttls": ("mailcheck_pop3_starttls", [TLS], 0,
                      r"^POP3S OK - 127\.0\.0\.77:110 STLS TLSv1\.3"),
    "pop3s-login": ("mailcheck_pop3s_login", ["monitor", PWFILE, TLS], 0,
                    r"^POP3S OK - .*logged in as monitor, 3 messages"),
    "pop3s-port": ("mailcheck_pop3s_port", ["10110", TLS], 0,
                   r"^POP3S OK - 127\.0\.0\.77:10110 STLS"),
    "mx-dns": ("mailcheck_mx_dns", ["good.mx.test", DNS], 0,
               r"^MX_DNS OK - good\.mx\.test: 2 MX, 4 addresses, 2 nameservers agree"),
    "mx-dns-nomx": ("mailcheck_mx_dns", ["nomx.mx.test", DNS], 2, r"^MX_DNS CRITICAL - "),
    "mx-dns-dnssec": ("mailcheck_mx_dns_dnssec", ["good.mx.test", DNS], 0,
                      r"^MX_DNS OK - good\.mx\.test: 2 MX"),
    "mx-dns-dnssec-unsigned": ("mailcheck_mx_dns_dnssec", ["plain.test", DNS], 2,
                               r"^MX_DNS CRITICAL - "),
    "mx-dns-mta-sts": ("mailcheck_mx_dns_mta_sts",
                       ["good.mx.test", DNS + " --https-port 10443 --ca-file " + CA], 0,
                       r"^MX_DNS OK - good\.mx\.test: 2 MX"),
    "mx-dns-dnsbl": ("mailcheck_mx_dns_dnsbl", ["good.mx.test", "good.dnsbl.test", DNS], 0,
                     r"^MX_DNS OK - good\.mx\.test"),
    "mx-dns-dnsbl-listed": ("mailcheck_mx_dns_dnsbl", ["listed.mx.test", "good.dnsbl.test", DNS],
                            2, r"^MX_DNS CRITICAL - .*is listed in good\.dnsbl\.test"),
    "spf-dkim": ("mailcheck_spf_dkim", ["good.auth.test", AUTH + " --spf-pass 192.0.2.10"], 0,
                 r"^SPF_DKIM OK - good\.auth\.test: SPF.* and DMARC sound"),
    "spf-over-limit": ("mailcheck_spf_dkim", ["toomany.auth.test", AUTH], 2,
                       r"^SPF_DKIM CRITICAL - .*over the limit of 10"),
    "spf-dkim-selector": ("mailcheck_spf_dkim_selector", ["good.auth.test", "sel2048",
                                                          AUTH + " -k ed"], 0,
                          r"^SPF_DKIM OK - good\.auth\.test: SPF, 2 DKIM selectors and DMARC"),
    "spf-dkim-revoked": ("mailcheck_spf_dkim_selector", ["good.auth.test", "revoked", AUTH], 2,
                         r"^SPF_DKIM CRITICAL - "),
}


# --- helpers shared by the tests below ----------------------------------------

def parse_objects(text):
    """Nagios object definitions: [(type, {directive: value})], in order."""
    text = "\n".join(x for x in text.splitlines() if not x.lstrip().startswith(("#", ";")))
    out = []
    for m in re.finditer(r"define\s+(\w+)\s*\{(.*?)\}", text, re.S):
        attrs = {}
        for line in m.group(2).splitlines():
            line = line.strip()
            if line:
                k, _, v = line.replace("\t", " ").partition(" ")
                attrs[k] = v.strip()
        out.append((m.group(1), attrs))
    return out


def shipped_commands():
    with open(CFG) as f:
        objs = parse_objects(f.read())
    assert objs and all(t == "command" for t, _ in objs), "only command definitions expected"
    cmds = {}
    for _, a in objs:
        assert a["command_name"] not in cmds, "defined twice: " + a["command_name"]
        cmds[a["command_name"]] = a["command_line"]
    return cmds


def expand(command_line, macros):
    """A command line as Nagios runs it: macros substituted, then shell words.
    (Nagios 4 hands a command line with quotes to /bin/sh; shlex splits the
    way sh does for these lines, which hold no other shell syntax.)"""
    def sub(m):
        name = m.group(1)
        assert name in macros, "macro $%s$ has no value" % name
        return macros[name]
    return shlex.split(re.sub(r"\$([A-Z0-9_]+)\$", sub, command_line))


class Relay:
    """TCP forwarders HOST:port -> 127.0.0.1:RELAY[port], byte for byte.

    A standard port may be taken on this host (a system Dovecot or MTA on the
    wildcard address, outside a network namespace): it goes into .taken, and
    the services of that port then add the stack's port to their OPTIONS
    (effective()), with a warning in pytest's summary."""

    def __init__(self):
        self.socks = []
        self.taken = {}
        self.closing = False
        for port, target in RELAY.items():
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((HOST, port))
            except OSError as e:
                s.close()
                if port in STANDARD:
                    self.taken[port] = e.strerror
                    continue
                self.close()
                pytest.fail("cannot listen on %s:%d (%s)" % (HOST, port, e))
            s.listen(16)
            self.socks.append(s)
            threading.Thread(target=self.accept, args=(s, target), daemon=True).start()

    def accept(self, s, target):
        while not self.closing:
            try:
                conn, _ = s.accept()
            except OSError:
                return
            try:
                up = socket.create_connection(("127.0.0.1", target), timeout=5)
            except OSError:
                conn.close()
                continue
            up.settimeout(None)
            for a, b in ((conn, up), (up, conn)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    @staticmethod
    def pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s, how in ((dst, socket.SHUT_WR), (src, socket.SHUT_RD)):
            try:
                s.shutdown(how)
            except OSError:
                pass

    def close(self):
        self.closing = True
        for s in self.socks:
            s.close()


def effective(name, relay):
    """SERVICES[name], the stack's port added to OPTIONS when the command's
    standard port could not be relayed."""
    command, args, exit_code, pattern = SERVICES[name]
    m = re.search(r" -p (\d+) ", shipped_commands()[command])
    port = int(m.group(1)) if m else None
    if port in relay.taken:
        extra = "-p %d" % STANDARD[port] + (" --tls=implicit" if port in IMPLICIT_TLS else "")
        args = args[:-1] + [(args[-1] + " " + extra).strip()]
        pattern = pattern.replace("77:%d " % port, "77:%d " % STANDARD[port])
    return command, args, exit_code, pattern


def run_user():
    """Nagios drops root privileges to nagios_user: the Debian package's user."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    try:
        return pwd.getpwnam("nagios")
    except KeyError:
        pytest.fail("no user nagios: apt-get install nagios4-core (nagios4-common creates it)")


class Nagios:
    def __init__(self, tmp, user, relay):
        self.tmp = tmp
        self.user = user
        self.relay = relay
        self.pwfile = os.path.join(tmp, "monitor.pw")
        with open(self.pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        os.chmod(self.pwfile, 0o600)
        os.makedirs(os.path.join(tmp, "checkresults"))
        os.chmod(tmp, 0o755)
        self.cfg = os.path.join(tmp, "nagios.cfg")
        self.resource = os.path.join(tmp, "resource.cfg")
        self.objects = os.path.join(tmp, "objects.cfg")
        with open(self.resource, "w") as f:
            f.write("$USER1$=%s\n" % PLUGINS)
        with open(self.objects, "w") as f:
            f.write(self.object_config())
        with open(self.cfg, "w") as f:
            f.write(self.main_config())
        for dirpath, dirs, files in os.walk(tmp):
            for n in dirs + files:
                os.chown(os.path.join(dirpath, n), user.pw_uid, user.pw_gid)
        os.chown(tmp, user.pw_uid, user.pw_gid)

    def args(self, name):
        return [self.pwfile if a == PWFILE else a for a in effective(name, self.relay)[1]]

    def main_config(self):
        t = self.tmp
        return "\n".join([
            "log_file=%s/nagios.log" % t,
            "cfg_file=%s" % self.objects,
            "cfg_file=%s" % CFG,
            "resource_file=%s" % self.resource,
            "object_cache_file=%s/objects.cache" % t,
            "precached_object_file=%s/objects.precache" % t,
            "status_file=%s/status.dat" % t,
            "status_update_interval=1",
            "nagios_user=%s" % self.user.pw_name,
            "nagios_group=%s" % grp.getgrgid(self.user.pw_gid).gr_name,
            "check_external_commands=0",
            "command_file=%s/nagios.cmd" % t,
            "lock_file=%s/nagios.lock" % t,
            "temp_file=%s/nagios.tmp" % t,
            "temp_path=%s" % t,
            "check_result_path=%s/checkresults" % t,
            "query_socket=%s/nagios.qh" % t,
            "retain_state_information=0",
            "state_retention_file=%s/retention.dat" % t,
            "use_syslog=0",
            "enable_notifications=0",
            "enable_event_handlers=0",
            "enable_flap_detection=0",
            "execute_host_checks=0",
            "service_inter_check_delay_method=n",
            "host_inter_check_delay_method=n",
            "check_result_reaper_frequency=1",
            "service_check_timeout=30",
            "illegal_macro_output_chars=`~$&|'\"<>",
            "",
        ])

    def object_config(self):
        out = [
            "define timeperiod{\n\ttimeperiod_name\talways\n\talias\tAlways\n"
            "\tsunday\t00:00-24:00\n\tmonday\t00:00-24:00\n\ttuesday\t00:00-24:00\n"
            "\twednesday\t00:00-24:00\n\tthursday\t00:00-24:00\n\tfriday\t00:00-24:00\n"
            "\tsaturday\t00:00-24:00\n}",
            "define command{\n\tcommand_name\tnotify-nobody\n\tcommand_line\t/bin/true\n}",
            "define contact{\n\tcontact_name\tnobody\n\talias\tNobody\n"
            "\thost_notification_period\talways\n\tservice_notification_period\talways\n"
            "\thost_notification_options\tn\n\tservice_notification_options\tn\n"
            "\thost_notification_commands\tnotify-nobody\n"
            "\tservice_notification_commands\tnotify-nobody\n}",
            "define host{\n\thost_name\tmail.test\n\talias\tthe test stack\n\taddress\t%s\n"
            "\tmax_check_attempts\t1\n\tcheck_period\talways\n\tcontacts\tnobody\n"
            "\tnotification_period\talways\n}" % HOST,
        ]
        for name, (command, _, _, _) in SERVICES.items():
            check = "!".join([command] + self.args(name))
            out.append(
                "define service{\n\thost_name\tmail.test\n\tservice_description\t%s\n"
                "\tcheck_command\t%s\n\tmax_check_attempts\t1\n\tcheck_interval\t60\n"
                "\tretry_interval\t60\n\tcheck_period\talways\n\tcontacts\tnobody\n"
                "\tnotification_interval\t0\n\tnotification_period\talways\n}" % (name, check))
        return "\n\n".join(out) + "\n"

    def verify(self):
        return subprocess.run([NAGIOS, "-v", self.cfg], capture_output=True, text=True, timeout=60)

    def start(self):
        self.daemon = Daemon([NAGIOS, self.cfg], os.path.join(self.tmp, "stdout"))

    def stop(self):
        self.daemon.stop()

    def status(self):
        """{service description: {attribute: value}} from status.dat."""
        try:
            text = open(os.path.join(self.tmp, "status.dat"), errors="replace").read()
        except FileNotFoundError:
            return {}
        out = {}
        for m in re.finditer(r"^servicestatus \{\n(.*?)\n\t\}", text, re.S | re.M):
            attrs = dict(x.strip().split("=", 1) for x in m.group(1).splitlines() if "=" in x)
            out[attrs["service_description"]] = attrs
        return out


@pytest.fixture(scope="module")
def relay():
    need_stack()
    r = Relay()
    if r.taken:
        warnings.warn("ports taken on %s, their commands run with the stack's port in "
                      "OPTIONS instead: %s" % (HOST, ", ".join("%d (%s)" % x for x in
                                                               sorted(r.taken.items()))))
    yield r
    r.close()


@pytest.fixture(scope="module")
def nagios(relay):
    need_binary(NAGIOS, "nagios4-core")
    tmp = tempfile.mkdtemp(prefix="mc-nagios-")
    ng = Nagios(tmp, run_user(), relay)
    ng.verified = ng.verify()
    ng.results, ng.log = {}, ""
    if ng.verified.returncode == 0:
        ng.start()
        try:
            deadline = time.time() + 90
            while time.time() < deadline and len(ng.results) < len(SERVICES):
                assert ng.daemon.running(), open(os.path.join(tmp, "stdout")).read()[-3000:]
                ng.results = {n: a for n, a in ng.status().items()
                              if a.get("has_been_checked") == "1"}
                time.sleep(0.2)
        finally:
            ng.stop()
        ng.log = open(os.path.join(tmp, "nagios.log"), errors="replace").read()
    yield ng
    shutil.rmtree(tmp, ignore_errors=True)


# --- static checks of the shipped file ----------------------------------------

def test_every_command_is_a_mailcheck_plugin_in_user1():
    cmds = shipped_commands()
    plugins = set(PLUGIN_NAMES)
    used = set()
    for name, line in cmds.items():
        assert name.startswith("mailcheck_"), name
        m = re.match(r"^\$USER1\$/(check_\w+) ", line)
        assert m and m.group(1) in plugins, name + ": " + line
        used.add(m.group(1))
        # single values quoted, the OPTIONS argument (the last) left to the shell
        args = [int(x) for x in re.findall(r"\$ARG(\d+)\$", line)]
        assert args == list(range(1, len(args) + 1)), name + ": $ARGn$ out of order"
        for n in args[:-1]:
            assert "'$ARG%d$'" % n in line, name + ": $ARG%d$ unquoted" % n
        assert args and re.search(r" \$ARG%d\$$" % args[-1], line), \
            name + ": the last $ARGn$ should be the unquoted OPTIONS at the end"
        assert "$HOSTADDRESS$" not in line or "'$HOSTADDRESS$'" in line, name
        assert not re.search(r"-P\b|--password[ =]", line), name + ": password on the command line"
    assert used == plugins, "no command for " + ", ".join(sorted(plugins - used))


# The fixed ports (checked statically too, for the case the relay falls back).
PORTS = {"mailcheck_smtp_tls": 25, "mailcheck_smtp_submission": 587, "mailcheck_smtps": 465,
         "mailcheck_smtp_submission_login": 587, "mailcheck_smtp_relay_test": 25,
         "mailcheck_imaps": 993, "mailcheck_imap_starttls": 143, "mailcheck_imaps_login": 993,
         "mailcheck_pop3s": 995, "mailcheck_pop3_starttls": 110, "mailcheck_pop3s_login": 995}


def test_fixed_ports_are_the_standard_ones():
    for name, line in shipped_commands().items():
        m = re.search(r" -p (\S+) ", line)
        if name in PORTS:
            assert m and m.group(1) == str(PORTS[name]), name + ": " + line
        else:
            assert not m or m.group(1).startswith("'$ARG"), name + ": " + line


def test_every_command_has_a_service_with_its_arguments():
    cmds = shipped_commands()
    assert sorted(cmds) == sorted({c for c, _, _, _ in SERVICES.values()})
    for name, (command, args, _, _) in SERVICES.items():
        nargs = len(set(re.findall(r"\$ARG(\d+)\$", cmds[command])))
        assert len(args) == nargs, "%s: %s takes %d arguments" % (name, command, nargs)


# --- Nagios itself --------------------------------------------------------------

def test_nagios_verifies_the_configuration(nagios):
    out = nagios.verified.stdout + nagios.verified.stderr
    assert nagios.verified.returncode == 0, out[-3000:]
    assert re.search(r"^Total Warnings:\s+0$", out, re.M), out[-3000:]
    assert re.search(r"^Total Errors:\s+0$", out, re.M), out[-3000:]
    assert re.search(r"Checked %d commands\." % (len(shipped_commands()) + 1), out), out[-3000:]
    assert re.search(r"Checked %d services\." % len(SERVICES), out), out[-3000:]


def test_nagios_checked_every_service(nagios):
    assert sorted(nagios.results) == sorted(SERVICES)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_nagios_service_state(nagios, name):
    command, _, exit_code, pattern = effective(name, nagios.relay)
    st = nagios.results.get(name)
    assert st, "Nagios did not check " + name
    assert int(st["current_state"]) == exit_code, st["plugin_output"]
    assert re.search(pattern, st["plugin_output"]), st["plugin_output"]
    assert PASSWORD not in st["plugin_output"] + st.get("long_plugin_output", "")


def test_nagios_log_has_no_password_or_errors(nagios):
    assert PASSWORD not in nagios.log
    assert not re.search(r"Error|Warning: ", nagios.log), \
        [x for x in nagios.log.splitlines() if re.search(r"Error|Warning: ", x)][:5]


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_expanded_command_line(relay, name):
    need_stack()
    command, args, exit_code, pattern = effective(name, relay)
    tmp = tempfile.mkdtemp(prefix="mc-nagios-cmd-")
    try:
        pwfile = os.path.join(tmp, "monitor.pw")
        with open(pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        os.chmod(pwfile, 0o600)
        macros = {"USER1": PLUGINS, "HOSTADDRESS": HOST}
        for i, a in enumerate(args, 1):
            macros["ARG%d" % i] = pwfile if a == PWFILE else a
        argv = expand(shipped_commands()[command], macros)
        assert PASSWORD not in " ".join(argv)
        assert "" not in argv, "an empty argument: %r" % argv
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert out.returncode == exit_code, out.stdout + out.stderr
    assert re.search(pattern, out.stdout.split("\n", 1)[0]), out.stdout


def test_expansion_with_an_empty_options_argument(relay):
    """OPTIONS may be empty (a check_command without it): no empty word."""
    need_stack()
    line = shipped_commands()["mailcheck_mx_dns"]
    argv = expand(line, {"USER1": PLUGINS, "ARG1": "good.mx.test", "ARG2": ""})
    assert argv == [os.path.join(PLUGINS, "check_mx_dns"), "-D", "good.mx.test"]
