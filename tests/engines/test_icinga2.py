"""The shipped Icinga 2 CheckCommands, run by a real Icinga 2 daemon.

One icinga2 daemon (Debian's package) on loopback loads Debian's ITL
(<itl>, <plugins>, <plugins-contrib>) from a copy of its include directory in
which contrib/icinga2/mailcheck-plugins.conf sits where the package installs
it (plugins-contrib.d/), with PluginDir pointing at the build. Services for every plugin
run against the test stack (Postfix, Dovecot, Knot, Unbound). The results are
read back through the REST API: each service has the expected state, the
output Icinga shows is what the plugin prints for the same command line,
Icinga parsed every perfdata value (its GraphiteWriter sends each one to a
sink here, and its log has no "invalid perfdata"), and no password is on a
command line. Run with MC_STACK_RUNNING=1 MC_BUILDDIR=... MC_STACK_DIR=...
"""
import base64
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest

from engines import CA, PASSWORD, PLUGINS, TOP, Daemon, need_binary, need_stack

CONF = os.path.join(TOP, "contrib", "icinga2", "mailcheck-plugins.conf")
API_USER, API_PASSWORD = "mailcheck", "api-test-only"

TLS = {"cert_name": "mail.test", "ca_file": CA}
LOGIN = {"user": "monitor", "password": PASSWORD}
# name: (CheckCommand, custom variables, expected exit code, output pattern)
SERVICES = {
    "smtp": ("mailcheck_smtp_tls", dict(TLS, port=10025, dns_server=["127.0.0.1:10053"]), 0,
             r"^SMTP_TLS OK - 127\.0\.0\.1:10025 STARTTLS TLSv1\.3"),
    "smtp-10-days": ("mailcheck_smtp_tls", dict(TLS, port=10029), 1,
                     r"^SMTP_TLS WARNING - .*certificate valid 10\.0 days"),
    "smtp-expired": ("mailcheck_smtp_tls", dict(TLS, port=10026), 2,
                     r"^SMTP_TLS CRITICAL - .*certificate has expired"),
    "smtp-no-cert-name": ("mailcheck_smtp_tls", {"ca_file": CA, "port": 10025}, 3,
                          r"^SMTP_TLS UNKNOWN - -H is an address: full verification needs"),
    # a variable set to "" (a template mistake): never a check without a name
    "smtp-empty-cert-name": ("mailcheck_smtp_tls",
                             {"cert_name": "", "sni": "mail.test", "ca_file": CA, "port": 10030},
                             3, r"^SMTP_TLS UNKNOWN - invalid --cert-name '': the name is empty"),
    "submission-auth": ("mailcheck_smtp_tls", dict(TLS, **LOGIN, port=10587, authtype="PLAIN"), 0,
                        r"logged in as monitor \(AUTH PLAIN\)"),
    "smtp-relay-test": ("mailcheck_smtp_tls", dict(TLS, port=10025, relay_test=True), 2,
                        r"^SMTP_TLS CRITICAL - .*open relay: RCPT TO:<mailcheck-relay-test@"),
    "smtp-mx-dane": ("mailcheck_smtp_tls",
                     {"mx": "fan.mx.test", "port": 10025, "ca_file": CA, "dane": "require",
                      "dns_server": "127.0.0.1:10054", "require_capability": ["PIPELINING", "SIZE"]},
                     0, r"^SMTP_TLS OK - fan\.mx\.test MX 6 addresses of 3 MX hosts checked"),
    "imaps": ("mailcheck_imaps", dict(TLS, **LOGIN, port=10993, tls="implicit", mailbox="INBOX",
                                      quota=True, ipv4=True), 0, r"^IMAPS OK - .*monitor"),
    "imap-starttls": ("mailcheck_imaps", dict(TLS, port=10143), 0, r"^IMAPS OK - .*STARTTLS"),
    "pop3s": ("mailcheck_pop3s", dict(TLS, **LOGIN, port=10995, tls="implicit"), 0,
              r"^POP3S OK - .*monitor"),
    "mx-dns": ("mailcheck_mx_dns",
               {"domain": "good.mx.test", "dns_server": "127.0.0.1:10054", "ns_port": 10053,
                "dnssec": True, "dane": True, "dnsbl": "good.dnsbl.test"}, 0,
               r"^MX_DNS OK - good\.mx\.test: 2 MX"),
    "mx-dns-listed": ("mailcheck_mx_dns",
                      {"domain": "listed.mx.test", "dns_server": "127.0.0.1:10054",
                       "ns_port": 10053, "dnsbl": ["good.dnsbl.test"]}, 2,
                      r"^MX_DNS CRITICAL - .*is listed in good\.dnsbl\.test"),
    "spf-dkim": ("mailcheck_spf_dkim",
                 {"domain": "good.auth.test", "dns_server": "127.0.0.1:10054",
                  "selector": ["sel2048", "ed"], "spf_pass": ["192.0.2.10", "198.51.100.7"]}, 0,
                 r"^SPF_DKIM OK - good\.auth\.test: SPF, 2 DKIM selectors and DMARC sound"),
    "spf-over-limit": ("mailcheck_spf_dkim",
                       {"domain": "toomany.auth.test", "dns_server": "127.0.0.1:10054"}, 2,
                       r"^SPF_DKIM CRITICAL - .*over the limit of 10"),
}
STATE_NAMES = ["OK", "WARNING", "CRITICAL", "UNKNOWN"]


def literal(v):
    """A Python value as an Icinga 2 DSL literal; '$' doubled so it is no macro."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[ " + ", ".join(literal(x) for x in v) + " ]"
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("$", "$$") + '"'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GraphiteSink:
    """Collects the lines Icinga's GraphiteWriter sends."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.lines = []
        self.lock = threading.Lock()
        self.connected = threading.Event()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connected.set()
            threading.Thread(target=self.read, args=(conn,), daemon=True).start()

    def read(self, conn):
        buf = b""
        while True:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
            *done, buf = buf.split(b"\n")
            with self.lock:
                self.lines.extend(x.decode() for x in done)

    def close(self):
        self.sock.close()


class Icinga:
    def __init__(self, tmp, graphite_port):
        self.tmp = tmp
        self.port = free_port()
        dirs = {d: os.path.join(tmp, d) for d in ("data", "log", "cache", "spool", "run")}
        for d in dirs.values():
            os.makedirs(d)
        os.makedirs(os.path.join(dirs["data"], "certs"))
        self.env = dict(os.environ, ICINGA2_USER="root", ICINGA2_GROUP="root")
        # Debian's ITL with the shipped file installed as the package does.
        include = os.path.join(tmp, "include")
        shutil.copytree("/usr/share/icinga2/include", include)
        shutil.copy(CONF, os.path.join(include, "plugins-contrib.d", "mailcheck-plugins.conf"))
        self.defines = ["-DIncludeConfDir=" + include, "-DDataDir=" + dirs["data"], "-DLogDir=" + dirs["log"],
                        "-DCacheDir=" + dirs["cache"], "-DSpoolDir=" + dirs["spool"],
                        "-DInitRunDir=" + dirs["run"]]
        self.log = os.path.join(dirs["log"], "icinga2.log")
        certs = os.path.join(dirs["data"], "certs")
        subprocess.run(["icinga2", "pki", "new-cert", "--cn", "mailcheck-test",
                        "--key", certs + "/mailcheck-test.key",
                        "--cert", certs + "/mailcheck-test.crt"],
                       env=self.env, check=True, capture_output=True, timeout=60)
        shutil.copy(certs + "/mailcheck-test.crt", certs + "/ca.crt")
        self.conf = os.path.join(tmp, "icinga2.conf")
        with open(self.conf, "w") as f:
            f.write(self.config(graphite_port))

    def config(self, graphite_port):
        out = [
            'const PluginDir = %s' % literal(PLUGINS),
            'const PluginContribDir = PluginDir', 'const ManubulonPluginDir = PluginDir',
            'const NodeName = "mailcheck-test"',
            'const ZoneName = "mailcheck-test"',
            'include <itl>', 'include <plugins>', 'include <plugins-contrib>',
            'object IcingaApplication "app" { enable_notifications = false; '
            'enable_event_handlers = false; enable_flapping = false }',
            'object CheckerComponent "checker" { }',
            'object FileLogger "main" { path = LogDir + "/icinga2.log"; severity = "notice" }',
            'object Endpoint NodeName { }',
            'object Zone ZoneName { endpoints = [ NodeName ] }',
            'object ApiListener "api" { bind_host = "127.0.0.1"; bind_port = %d; '
            'ticket_salt = "" }' % self.port,
            'object ApiUser %s { password = %s; permissions = [ "*" ] }'
            % (literal(API_USER), literal(API_PASSWORD)),
            'object GraphiteWriter "graphite" { host = "127.0.0.1"; port = %d }' % graphite_port,
            'object Host "mail.test" { address = "127.0.0.1"; check_command = "dummy"; '
            'check_interval = 1h }',
        ]
        for name, (command, cvars, _, _) in SERVICES.items():
            prefix = command + "_"
            body = ['object Service %s {' % literal(name), '\thost_name = "mail.test"',
                    '\tcheck_command = %s' % literal(command),
                    '\tcheck_interval = 5s', '\tretry_interval = 5s', '\tmax_check_attempts = 1']
            body += ['\tvars.%s%s = %s' % (prefix, k, literal(v)) for k, v in cvars.items()]
            # Room for the slower checks under the default -t 10.
            body.append('\tvars.%stimeout = "8"' % prefix)
            out += body + ['}']
        return "\n".join(out) + "\n"

    def validate(self):
        return subprocess.run(["icinga2", "daemon", "-C", "-c", self.conf] + self.defines,
                              env=self.env, capture_output=True, text=True, timeout=120)

    def start(self):
        self.daemon = Daemon(["icinga2", "daemon", "-c", self.conf] + self.defines,
                             os.path.join(self.tmp, "stdout"), env=self.env)

    def stop(self):
        self.daemon.stop()

    def api(self, path):
        ctx = ssl.create_default_context(cafile=os.path.join(self.tmp, "data", "certs", "ca.crt"))
        ctx.check_hostname = False
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.port, path))
        token = base64.b64encode(("%s:%s" % (API_USER, API_PASSWORD)).encode()).decode()
        req.add_header("Authorization", "Basic " + token)
        req.add_header("Accept", "application/json")
        with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
            return json.load(r)


@pytest.fixture(scope="module")
def icinga():
    need_stack()
    need_binary("/usr/sbin/icinga2", "icinga2")
    tmp = tempfile.mkdtemp(prefix="mc-icinga2-")
    sink = GraphiteSink()
    ic = Icinga(tmp, sink.port)
    ic.sink = sink
    validated = ic.validate()
    assert validated.returncode == 0, validated.stdout[-3000:]
    ic.start()
    # The GraphiteWriter drops what it has before its first connection,
    # which its reconnect timer makes about 10 s after start: count only
    # the checks that end after it connected.
    assert sink.connected.wait(60), "the GraphiteWriter never connected"
    ic.results = {}
    started = time.time()
    deadline = started + 90
    while time.time() < deadline and len(ic.results) < len(SERVICES):
        assert ic.daemon.running(), open(os.path.join(tmp, "stdout")).read()[-3000:]
        try:
            data = ic.api("/v1/objects/services?attrs=last_check_result&attrs=state")
        except OSError:
            time.sleep(0.5)
            continue
        for r in data["results"]:
            cr = r["attrs"]["last_check_result"]
            if cr and cr.get("execution_end", 0) > started:
                ic.results[r["name"].split("!", 1)[1]] = dict(cr, service_state=r["attrs"]["state"])
        time.sleep(0.5)
    # The GraphiteWriter connects and sends on its own schedule: wait until
    # it has passed on the values of the very check results read above.
    want = {(n, int(cr["execution_end"])) for n, cr in ic.results.items() if cr["exit_status"] != 3}
    while time.time() < deadline:
        with sink.lock:
            seen = {(x.split(".")[3], int(x.rsplit(" ", 1)[1])) for x in sink.lines
                    if x.startswith("icinga2.mail_test.services.")}
        if seen >= want:
            break
        time.sleep(0.5)
    ic.stop()
    sink.close()
    yield ic
    if not os.environ.get("MC_KEEP_ICINGA"):
        shutil.rmtree(tmp, ignore_errors=True)


def test_the_configuration_validates_with_debian_itl(icinga):
    out = icinga.validate()
    assert out.returncode == 0
    assert "Finished validating the configuration" in out.stdout
    assert not re.search(r"warning/|critical/", out.stdout), out.stdout[-2000:]


def test_every_service_was_checked(icinga):
    assert sorted(icinga.results) == sorted(SERVICES)


def plugin_output(cr):
    """Run the command Icinga ran; return its text the way Icinga splits it."""
    env = dict(os.environ, MAILCHECK_PASSWORD=PASSWORD)
    out = subprocess.run(cr["command"], capture_output=True, text=True, timeout=30, env=env)
    first, _, rest = out.stdout.partition("\n")
    return out.returncode, (first.split("|", 1)[0].rstrip() + "\n" + rest).rstrip("\n")


def normal(text):
    """Numbers (times, days) differ from run to run; Icinga keeps the space
    before the '|' of the first line."""
    lines = re.sub(r"\d+(\.\d+)?", "#", text).rstrip("\n").split("\n")
    return [x.rstrip() for x in lines]


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_service_state_and_output(icinga, name):
    command, cvars, exit_code, pattern = SERVICES[name]
    cr = icinga.results.get(name)
    assert cr, "no check result for " + name
    assert cr["exit_status"] == exit_code, cr["output"]
    assert cr["state"] == exit_code and cr["service_state"] == exit_code
    assert re.search(pattern, cr["output"], re.M), cr["output"]
    assert cr["command"][0] == os.path.join(PLUGINS, "check_" + command[len("mailcheck_"):])
    rc, text = plugin_output(cr)
    assert rc == exit_code
    assert normal(cr["output"]) == normal(text)
    assert not any(PASSWORD in a for a in cr["command"]), "password on the command line"
    assert PASSWORD not in cr["output"]


def test_options_reach_the_plugin_as_mapped(icinga):
    cmds = {n: icinga.results[n]["command"][1:] for n in icinga.results}
    # repeat_key: one --dns-server per element
    assert cmds["smtp"].count("--dns-server") == 1
    assert cmds["spf-dkim"].count("--selector") == 2
    assert cmds["smtp-mx-dane"].count("--require-capability") == 2
    # optional values: true is the bare option, a string option=value
    assert "--relay-test" in cmds["smtp-relay-test"]
    assert "--dane=require" in cmds["smtp-mx-dane"]
    assert "--dane" in cmds["mx-dns"]
    # the host defaults to $check_address$, but not with --mx
    i = cmds["smtp"].index("--hostname")
    assert cmds["smtp"][i + 1] == "127.0.0.1"
    assert "--hostname" not in cmds["smtp-mx-dane"]
    # flags: set_if; ipv4 from the variable, not the ipv4-or-ipv6 default
    assert "--quota" in cmds["imaps"] and "--ipv4" in cmds["imaps"]
    assert "--ipv4" not in cmds["imap-starttls"] and "--ipv6" not in cmds["imap-starttls"]
    # Icinga passes a variable set to "" as an empty value: the plugin refuses it
    i = cmds["smtp-empty-cert-name"].index("--cert-name")
    assert cmds["smtp-empty-cert-name"][i + 1] == ""
    assert not re.search(r"\bvalid\b", icinga.results["smtp-empty-cert-name"]["output"])
    # the password is given in the environment, the user on the command line
    assert "--user" in cmds["submission-auth"] and "--password" not in cmds["submission-auth"]


def flat(label):
    return re.sub(r"[^a-zA-Z0-9]", "_", label)


def test_icinga_parsed_every_perfdata_value(icinga):
    log = open(icinga.log, encoding="utf-8", errors="replace").read()
    assert not re.search(r"invalid perfdata", log, re.I), \
        [x for x in log.splitlines() if re.search("invalid perfdata", x, re.I)][:5]
    with icinga.sink.lock:
        lines = list(icinga.sink.lines)
    assert lines, "the GraphiteWriter sent nothing"
    # "<prefix>.<service>.<command>.perfdata.<label>.value <value> <time>"
    sent = {}
    for x in lines:
        m = re.match(r"^icinga2\.mail_test\.services\.(.+?)\.(mailcheck_\w+)\.perfdata\.(.+)\.value "
                     r"(\S+) (\d+)$", x)
        if m:
            sent.setdefault((m.group(1), flat(m.group(3))), {})[int(m.group(5))] = float(m.group(4))
    checked = 0
    for name, cr in icinga.results.items():
        perf = cr.get("performance_data") or []
        if cr["exit_status"] != 3:
            assert perf, name + ": no perfdata"
        for item in perf:
            m = re.match(r"^'?(.+?)'?=([-0-9.]+)[a-zA-Z%]*(;|$)", item)
            assert m, name + ": perfdata not in Nagios syntax: " + item
            key = (name, flat(m.group(1)))
            assert key in sent, "Icinga did not pass on %s of %s" % (item, name)
            # the value Icinga parsed from this very check result
            value = sent[key].get(int(cr["execution_end"]))
            assert value is not None, "%s of %s: no value for this check" % (item, name)
            assert abs(value - float(m.group(2))) <= 1e-6 * max(1, abs(value)), item
            checked += 1
    assert checked > 50


def readme_icinga_examples():
    text = open(os.path.join(TOP, "README"), encoding="utf-8").read()
    section = text.split("\nIcinga 2\n--------\n", 1)[1].split("\n------", 1)[0]
    blocks = re.findall(r"^    apply Service .*?^    \}$", section, re.M | re.S)
    return [re.sub(r"^    ", "", b, flags=re.M) for b in blocks]


def test_readme_examples_validate(icinga):
    """The README's copy-paste Icinga 2 examples are valid configuration for
    the shipped CheckCommands and apply to the hosts they are meant for."""
    examples = readme_icinga_examples()
    assert len(examples) >= 5
    hosts = [
        'const MailMonitorPassword = "not-used"',
        'object Host "mx.example.org" { address = "192.0.2.25"; check_command = "dummy"; '
        'vars.roles = [ "mx", "submission", "imap" ]; vars.mail_domain = "example.org" }',
    ]
    conf = os.path.join(icinga.tmp, "readme.conf")
    with open(conf, "w") as f:
        f.write(icinga.config(1) + "\n".join(hosts + examples) + "\n")
    out = subprocess.run(["icinga2", "daemon", "-C", "-c", conf] + icinga.defines,
                         env=icinga.env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-3000:]
    applied = re.search(r"information/ConfigItem: Instantiated (\d+) Services?\.", out.stdout)
    assert applied and int(applied.group(1)) == len(SERVICES) + len(examples), out.stdout[-1500:]

