"""The shipped Zabbix agent UserParameters and template.

contrib/zabbix/mailcheck-plugins.conf, with only its plugin directory
(/usr/lib/nagios/plugins) rewritten to the build's, is included in an agent
configuration that keeps the agent's defaults (Timeout=3,
UnsafeUserParameters=0); every key is asked of Debian's zabbix_agentd
(`zabbix_agentd -c CONF -t KEY`, as the zabbix user, as the daemon runs)
against the test stack (Postfix, Dovecot, Knot, Unbound), and must give the
expected state digit or a JSON result with the expected state. The options
beyond the key's parameters come from plugins.ini sections, as the conf
describes.

contrib/zabbix/template_mailcheck_plugins.yaml is checked statically (item
keys against the UserParameters, dependent items, trigger expressions,
uuids, macros, value maps), and every JSONPath of its dependent items is
evaluated against the JSON that the template's own agent keys give through
the agent against the stack.

Run inside the stack's network namespace with MC_STACK_RUNNING=1
MC_BUILDDIR=... MC_STACK_DIR=... (Debian: zabbix-agent, python3-yaml).
"""
import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time

import pytest

from engines import CA, PASSWORD, PLUGIN_NAMES, PLUGINS, TOP, need_stack

CONF = os.path.join(TOP, "contrib", "zabbix", "mailcheck-plugins.conf")
TEMPLATE = os.path.join(TOP, "contrib", "zabbix", "template_mailcheck_plugins.yaml")
INSTALLED_PLUGINS = "/usr/lib/nagios/plugins"
AGENT = "/usr/sbin/zabbix_agentd"
AGENT_TIMEOUT = 3          # zabbix_agentd's default Timeout, kept in the test configuration
STATES = ["OK", "WARNING", "CRITICAL", "UNKNOWN"]

# plugins.ini sections the keys name (@PWFILE@: the password file's name).
SECTIONS = {
    "zbx_tls": {"ca-file": CA, "dns-server": "127.0.0.1:10053"},
    "zbx_smtps": {"ca-file": CA, "dns-server": "127.0.0.1:10053", "tls": "implicit"},
    "zbx_imap_login": {"ca-file": CA, "tls": "implicit", "user": "monitor", "password-file": "@PWFILE@",
                       "mailbox": "INBOX", "quota": None},
    "zbx_pop3_login": {"ca-file": CA, "tls": "implicit", "user": "monitor", "password": PASSWORD},
    "zbx_mx": {"dns-server": "127.0.0.1:10054", "ns-port": "10053", "dnssec": None, "dane": None},
    "zbx_mx_dnsbl": {"dns-server": "127.0.0.1:10054", "ns-port": "10053",
                     "dnsbl": "good.dnsbl.test"},
    "zbx_auth": {"dns-server": "127.0.0.1:10054"},
    # an ini key left empty: a template mistake that must not switch the name check off
    "zbx_empty_cert_name": {"ca-file": CA, "cert-name": "", "sni": "mail.test"},
}

# id: (key, expected state, pattern the JSON summary must match or None)
# A .state key must give the digit; a .json key a JSON object of that state.
CASES = {
    "smtp-json-starttls": ("mailcheck.smtp_tls.json[127.0.0.1,10025,mail.test,zbx_tls]", 0,
                           r"^127\.0\.0\.1:10025 STARTTLS TLSv1\.3"),
    "smtp-json-host-name-default-port-option": (
        "mailcheck.smtp_tls.json[mail.test,10587,,zbx_tls,5]", 0, r"^mail\.test:10587 STARTTLS"),
    "smtp-json-implicit-tls-from-section": ("mailcheck.smtp_tls.json[mail.test,10465,,zbx_smtps]",
                                            0, r"^mail\.test:10465 TLSv1\.3"),
    "smtp-state-ok": ("mailcheck.smtp_tls.state[127.0.0.1,10025,mail.test,zbx_tls]", 0, None),
    "smtp-state-10-days-left": ("mailcheck.smtp_tls.state[127.0.0.1,10029,mail.test,zbx_tls]",
                                1, None),
    "smtp-json-10-days-left": ("mailcheck.smtp_tls.json[127.0.0.1,10029,mail.test,zbx_tls]", 1,
                               r"certificate valid 10\.0 days"),
    "smtp-state-expired": ("mailcheck.smtp_tls.state[mail.test,10026,,zbx_tls]", 2, None),
    "smtp-state-ip-without-cert-name": ("mailcheck.smtp_tls.state[127.0.0.1,10025,,zbx_tls]", 3,
                                        None),
    "smtp-state-empty-cert-name-in-section": (
        "mailcheck.smtp_tls.state[127.0.0.1,10030,,zbx_empty_cert_name]", 3, None),
    "smtp-state-no-such-section": ("mailcheck.smtp_tls.state[mail.test,10025,,no_such_section]",
                                   3, None),
    "smtp-state-tarpit-timeout-parameter": (
        "mailcheck.smtp_tls.state[127.0.0.1,11001,mail.test,zbx_tls,1]", 2, None),
    "smtp-json-tarpit-default-timeout": ("mailcheck.smtp_tls.json[127.0.0.1,11001,mail.test,zbx_tls]",
                                         2, r"timeout after 2s in banner phase"),
    "imaps-json-login-mailbox-quota": (
        "mailcheck.imaps.json[127.0.0.1,10993,mail.test,zbx_imap_login]", 0,
        r"logged in as monitor, INBOX 3 messages, 1 unseen, quota"),
    "imaps-state-starttls": ("mailcheck.imaps.state[127.0.0.1,10143,mail.test,zbx_tls]", 0, None),
    "imaps-state-10-days-left-on-smtp": (
        "mailcheck.imaps.state[127.0.0.1,10029,mail.test,zbx_tls]", 2, None),
    "pop3s-json-login": ("mailcheck.pop3s.json[127.0.0.1,10995,mail.test,zbx_pop3_login]", 0,
                         r"logged in as monitor, 3 messages"),
    "pop3s-state-stls": ("mailcheck.pop3s.state[127.0.0.1,10110,mail.test,zbx_tls]", 0, None),
    "mx-json-dnssec-dane": ("mailcheck.mx_dns.json[good.mx.test,zbx_mx]", 0,
                            r"^good\.mx\.test: 2 MX, 4 addresses, 2 nameservers agree"),
    "mx-state-listed": ("mailcheck.mx_dns.state[listed.mx.test,zbx_mx_dnsbl]", 2, None),
    "mx-state-nomx": ("mailcheck.mx_dns.state[nomx.mx.test,zbx_mx]", 2, None),
    "spf-json-two-selectors": ("mailcheck.spf_dkim.json[good.auth.test,sel2048 ed,zbx_auth]", 0,
                               r"^good\.auth\.test: SPF, 2 DKIM selectors and DMARC sound"),
    "spf-json-no-selector": ("mailcheck.spf_dkim.json[good.auth.test,,zbx_auth]", 0,
                             r"^good\.auth\.test: SPF.* and DMARC sound"),
    "spf-state-revoked-and-512-bit-keys": (
        "mailcheck.spf_dkim.state[good.auth.test,revoked sel512,zbx_auth]", 2, None),
    "spf-state-over-the-lookup-limit": ("mailcheck.spf_dkim.state[toomany.auth.test,,zbx_auth]", 2,
                                        None),
    "spf-state-softfail": ("mailcheck.spf_dkim.state[softall.auth.test,,zbx_auth]", 1, None),
}

# Keys the agent must refuse under UnsafeUserParameters=0.
UNSAFE = [
    "mailcheck.smtp_tls.state[127.0.0.1,10025,mail.test,zbx_tls;id]",
    "mailcheck.smtp_tls.json[127.0.0.1,10025,mail.test,$(id)]",
    "mailcheck.spf_dkim.state[good.auth.test,sel2048 `id`,zbx_auth]",
    "mailcheck.mx_dns.json[good.mx.test,zbx_mx@/etc/passwd]",
    "mailcheck.imaps.state[127.0.0.1,10993,mail.test,zbx_tls|id]",
]

# Values for the template's macros in the test (the rest keep their defaults).
TEMPLATE_MACROS = {
    "{HOST.CONN}": "127.0.0.1",
    "{$MAILCHECK.CERT.NAME}": "mail.test",
    "{$MAILCHECK.SMTP.PORT}": "10025", "{$MAILCHECK.SMTP.SECTION}": "zbx_tls",
    "{$MAILCHECK.SUBMISSION.PORT}": "10587", "{$MAILCHECK.SUBMISSION.SECTION}": "zbx_tls",
    "{$MAILCHECK.SMTPS.PORT}": "10465", "{$MAILCHECK.SMTPS.SECTION}": "zbx_smtps",
    "{$MAILCHECK.IMAP.PORT}": "10993", "{$MAILCHECK.IMAP.SECTION}": "zbx_imap_login",
    "{$MAILCHECK.POP3.PORT}": "10995", "{$MAILCHECK.POP3.SECTION}": "zbx_pop3_login",
    "{$MAILCHECK.MX.SECTION}": "zbx_mx", "{$MAILCHECK.SPF.SECTION}": "zbx_auth",
    "{$MAILCHECK.DKIM.SELECTORS}": "sel2048 ed",
}
# The stack's SPF/DKIM domain is not its MX domain.
TEMPLATE_DOMAIN = {"mailcheck.mx_dns.": "good.mx.test", "mailcheck.spf_dkim.": "good.auth.test"}


# --- helpers ---------------------------------------------------------------------

def need_yaml():
    try:
        import yaml
    except ImportError:
        pytest.fail("python3-yaml is missing: apt-get install python3-yaml")
    return yaml


def user_parameters(text):
    """{key name: (highest $N used, command)} of the UserParameter lines."""
    out = {}
    for line in text.splitlines():
        if not line.startswith("UserParameter="):
            continue
        m = re.match(r"^UserParameter=([\w.]+)(\[\*\])?,(.*)$", line)
        assert m, "malformed: " + line
        assert m.group(1) not in out, "defined twice: " + m.group(1)
        # $$ is a literal $; $1..$9 are parameters
        params = [int(x) for x in re.findall(r"(?<!\$)(?:\$\$)*\$([1-9])", m.group(3))]
        out[m.group(1)] = (max(params) if params else 0, m.group(3))
    return out


def key_name(key):
    return key.split("[", 1)[0]


def key_params(key):
    """The parameters of an item key (unquoted ones; what these keys use)."""
    if "[" not in key:
        return []
    assert key.endswith("]"), key
    inner = key[key.index("[") + 1:-1]
    assert '"' not in inner, "quoted parameters are not used here: " + key
    return inner.split(",")


class Agent:
    """zabbix_agentd -t with the shipped UserParameters, as the daemon runs them."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.user = self.run_user()
        os.chmod(tmp, 0o755)
        with open(CONF) as f:
            shipped = f.read()
        assert INSTALLED_PLUGINS + "/check_" in shipped
        self.conf = os.path.join(tmp, "mailcheck-plugins.conf")
        with open(self.conf, "w") as f:
            f.write(shipped.replace(INSTALLED_PLUGINS + "/", PLUGINS + "/"))
        self.pwfile = os.path.join(tmp, "monitor.pw")
        with open(self.pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        ini_dir = os.path.join(tmp, "ini")
        os.mkdir(ini_dir, 0o755)
        self.ini = os.path.join(ini_dir, "plugins.ini")
        with open(self.ini, "w") as f:
            for name, opts in SECTIONS.items():
                f.write("[%s]\n" % name)
                for k, v in opts.items():
                    v = self.pwfile if v == "@PWFILE@" else v
                    f.write("%s\n" % k if v is None else "%s=%s\n" % (k, v))
                f.write("\n")
        for p in (self.pwfile, self.ini):
            os.chmod(p, 0o600)
            os.chown(p, self.user.pw_uid, self.user.pw_gid)
        self.agent_conf = os.path.join(tmp, "zabbix_agentd.conf")
        with open(self.agent_conf, "w") as f:
            # Timeout and UnsafeUserParameters stay at the agent's defaults.
            f.write("LogType=console\nPidFile=%s/agent.pid\nUnsafeUserParameters=0\n"
                    "Include=%s\n" % (tmp, self.conf))
        self.env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "NAGIOS_CONFIG_PATH": ini_dir,
                    "LANG": "C"}

    @staticmethod
    def run_user():
        if os.geteuid() != 0:
            return pwd.getpwuid(os.geteuid())
        try:
            return pwd.getpwnam("zabbix")
        except KeyError:
            pytest.fail("no user zabbix: apt-get install zabbix-agent")

    def get(self, key):
        """(type letter, value) as `zabbix_agentd -t` prints it, and seconds taken."""
        kw = {}
        if os.geteuid() == 0:
            kw = dict(user=self.user.pw_uid, group=self.user.pw_gid, extra_groups=[])
        t0 = time.monotonic()
        out = subprocess.run([AGENT, "-c", self.agent_conf, "-t", key], capture_output=True,
                             text=True, timeout=30, env=self.env, cwd=self.tmp, **kw)
        took = time.monotonic() - t0
        assert out.returncode == 0, out.stderr
        m = re.match(r"^(.*?)\s+\[(\w)\|(.*)\]\s*$", out.stdout, re.S)
        assert m and m.group(1) == key, "unexpected agent output: %r %r" % (out.stdout, out.stderr)
        value = m.group(3)
        if m.group(2) == "m":     # "[m|ZBX_NOTSUPPORTED] [reason]"
            value, _, self.reason = value.partition("] [")
        return m.group(2), value, took


@pytest.fixture(scope="module")
def agent():
    need_stack()
    if not os.access(AGENT, os.X_OK):
        pytest.fail("%s is missing: apt-get install zabbix-agent" % AGENT)
    tmp = tempfile.mkdtemp(prefix="mc-zabbix-")
    yield Agent(tmp)
    shutil.rmtree(tmp, ignore_errors=True)


def jsonpath(doc, path):
    """The subset of Zabbix JSONPath the template uses: $, .name, [N],
    [?(@.name==LITERAL)] and a final .first(). A definite path gives the value,
    a filter a list; no match is an error, as in Zabbix."""
    assert path.startswith("$"), path
    cur, definite, i = [doc], True, 1
    name = re.compile(r"\.([A-Za-z_]\w*)(?!\()")
    index = re.compile(r"\[(\d+)\]")
    filt = re.compile(r"""\[\?\(@\.(\w+)\s*==\s*("[^"]*"|'[^']*'|-?\d+(?:\.\d+)?)\)\]""")
    while i < len(path):
        if path[i:] == ".first()":
            if not cur:
                raise LookupError("first() of an empty list: " + path)
            return cur[0]
        m = name.match(path, i)
        if m:
            cur = [x[m.group(1)] for x in cur if isinstance(x, dict) and m.group(1) in x]
        elif index.match(path, i):
            m = index.match(path, i)
            n = int(m.group(1))
            cur = [x[n] for x in cur if isinstance(x, list) and n < len(x)]
        elif filt.match(path, i):
            m = filt.match(path, i)
            want = json.loads(m.group(2)) if m.group(2)[0] != "'" else m.group(2)[1:-1]
            definite = False
            cur = [e for x in cur if isinstance(x, list) for e in x
                   if isinstance(e, dict) and e.get(m.group(1)) == want]
        else:
            raise ValueError("JSONPath outside the supported subset: %s at %d" % (path, i))
        i = m.end()
    if not cur:
        raise LookupError("no data matches " + path)
    return cur[0] if definite else cur


def load_template():
    yaml = need_yaml()
    with open(TEMPLATE) as f:
        return yaml.safe_load(f)


def templates():
    return load_template()["zabbix_export"]["templates"]


def resolve(key, macros):
    for m in re.findall(r"\{\$?[A-Z0-9_.]+\}", key):
        assert m in macros, "no value for %s in %s" % (m, key)
        key = key.replace(m, macros[m])
    return key


def macros_for(t, key):
    macros = {m["macro"]: str(m.get("value", "")) for m in t.get("macros", [])}
    macros.update(TEMPLATE_MACROS)
    for prefix, domain in TEMPLATE_DOMAIN.items():
        if key.startswith(prefix):
            macros["{$MAILCHECK.DOMAIN}"] = domain
    return macros


# --- the UserParameters ------------------------------------------------------------

def test_conf_has_only_user_parameters_and_comments():
    """Nothing that changes the agent's own settings (Timeout, UnsafeUserParameters)."""
    with open(CONF) as f:
        for line in f:
            line = line.rstrip("\n")
            assert not line or line.startswith("#") or line.startswith("UserParameter="), line


def test_conf_keeps_passwords_out_of_keys_and_command_lines():
    with open(CONF) as f:
        params = user_parameters(f.read())
    for name, (_, cmd) in params.items():
        assert not re.search(r"(^|\s)(-P|--password(=|\s))", cmd), name
        assert not re.search(r"--password-file", cmd), name + ": file names come from the ini section"


def test_every_key_has_json_and_state_and_a_case():
    with open(CONF) as f:
        params = user_parameters(f.read())
    plugins = {p[len("check_"):] for p in PLUGIN_NAMES}
    assert set(params) == {"mailcheck.%s.%s" % (p, k) for p in plugins for k in ("json", "state")}
    tested = {key_name(k) for k, _, _ in CASES.values()}
    assert tested == set(params), "no case for " + ", ".join(sorted(set(params) - tested))
    for key, _, _ in CASES.values():
        assert len(key_params(key)) <= params[key_name(key)][0], key
    # every plugin runs from the one directory the test rewrites
    for name, (_, cmd) in params.items():
        assert re.search(r"(^|\s)%s/check_%s " % (re.escape(INSTALLED_PLUGINS), name.split(".")[1]),
                         cmd), name


def test_plugin_timeout_default_is_below_the_agent_timeout():
    with open(CONF) as f:
        params = user_parameters(f.read())
    for name, (_, cmd) in params.items():
        m = re.search(r'-t "\$\$\{t:-(\d+(?:\.\d+)?)\}"', cmd)
        assert m, name + ": no -t with a default"
        assert float(m.group(1)) <= AGENT_TIMEOUT - 1, name


@pytest.mark.parametrize("case", sorted(CASES))
def test_agent_key(agent, case):
    key, state, pattern = CASES[case]
    kind, value, took = agent.get(key)
    assert kind == "t", value
    assert took < AGENT_TIMEOUT + 1, "%.1f s: longer than the agent's Timeout" % took
    assert PASSWORD not in value
    if key_name(key).endswith(".state"):
        assert value == str(state)
        return
    doc = json.loads(value)
    assert doc["exit_code"] == state and doc["state"] == STATES[state], doc.get("summary")
    assert doc["label"] == key_name(key).split(".")[1].upper()
    if pattern:
        assert re.search(pattern, doc["summary"]), doc["summary"]


def test_json_key_passes_a_usage_error_through_as_text(agent):
    """The one result that is not JSON: an UNKNOWN before the options are
    parsed. The template maps it to state 3 (its JSONPath error handler)."""
    kind, value, _ = agent.get("mailcheck.smtp_tls.json[127.0.0.1,10025,,zbx_tls]")
    assert kind == "t"
    assert value.startswith("SMTP_TLS UNKNOWN - -H is an address"), value


@pytest.mark.parametrize("key", UNSAFE)
def test_agent_refuses_shell_characters_in_parameters(agent, key):
    kind, value, _ = agent.get(key)
    assert kind == "m" and value == "ZBX_NOTSUPPORTED", value
    assert "are not allowed in the parameters" in agent.reason


# --- the template ---------------------------------------------------------------------

UUID = re.compile(r"^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$")


def walk_uuids(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "uuid":
                out.append(v)
            else:
                walk_uuids(v, out)
    elif isinstance(node, list):
        for v in node:
            walk_uuids(v, out)
    return out


def test_template_is_a_zabbix_6_0_export():
    doc = load_template()
    exp = doc["zabbix_export"]
    assert exp["version"] == "6.0"
    groups = {g["name"] for g in exp["groups"]}
    assert templates()
    names = set()
    for t in templates():
        assert t["template"] not in names
        names.add(t["template"])
        assert t["items"] and t["name"] and t["description"]
        assert {g["name"] for g in t["groups"]} <= groups


def test_template_uuids_are_unique_uuid4_hex():
    uuids = walk_uuids(load_template(), [])
    assert len(uuids) > 50
    bad = [u for u in uuids if not isinstance(u, str) or not UUID.match(u)]
    assert not bad, bad
    dup = sorted({u for u in uuids if uuids.count(u) > 1})
    assert not dup, dup


def test_template_agent_items_are_user_parameters():
    with open(CONF) as f:
        params = user_parameters(f.read())
    count = 0
    for t in templates():
        for it in t["items"]:
            if it["type"] in ("ZABBIX_PASSIVE", "ZABBIX_ACTIVE"):
                name = key_name(it["key"])
                assert name in params, "%s: no UserParameter %s" % (t["template"], name)
                assert len(key_params(it["key"])) <= params[name][0], it["key"]
                assert it["value_type"] == "TEXT", it["key"]
                count += 1
            else:
                assert it["type"] == "DEPENDENT", it["key"]
    assert count >= 7


def test_template_dependent_items_have_their_master():
    for t in templates():
        keys = [it["key"] for it in t["items"]]
        assert len(keys) == len(set(keys)), t["template"] + ": duplicate keys"
        for it in t["items"]:
            if it["type"] == "DEPENDENT":
                master = it["master_item"]["key"]
                assert master in keys, "%s: master %s missing" % (it["key"], master)
                m = next(x for x in t["items"] if x["key"] == master)
                assert m["type"] != "DEPENDENT"
                assert str(it["delay"]) == "0"
                assert it["preprocessing"] and it["preprocessing"][0]["type"] == "JSONPATH"


def trigger_refs(expression):
    """[(host, key)] of the /host/key references in a trigger expression."""
    out = []
    for m in re.finditer(r"\(/([^/]+)/", expression):
        i, depth = m.end(), 0
        while i < len(expression):
            c = expression[i]
            if c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
            elif depth == 0 and c in ",)":
                break
            i += 1
        out.append((m.group(1), expression[m.end():i]))
    return out


def all_triggers(t):
    for it in t["items"]:
        for tr in it.get("triggers", []):
            yield it, tr
    for tr in t.get("triggers", []):
        yield None, tr


def test_template_triggers_name_items_of_their_template():
    severities = set()
    for t in templates():
        keys = {it["key"] for it in t["items"]}
        for item, tr in all_triggers(t):
            refs = trigger_refs(tr["expression"])
            assert refs, tr["expression"]
            for host, key in refs:
                assert host == t["template"], tr["expression"]
                assert key in keys, tr["expression"]
                if item is not None:
                    assert key == item["key"], "a trigger under an item names another item"
            severities.add(tr["priority"])
    assert {"WARNING", "AVERAGE", "HIGH"} <= severities


def test_template_state_items_and_their_triggers():
    for t in templates():
        vmaps = {v["name"]: v for v in t.get("valuemaps", [])}
        states = [it for it in t["items"] if it["key"].endswith(".state")]
        assert states
        for it in states:
            assert it["valuemap"]["name"] in vmaps
            mapping = {int(m["value"]): m["newvalue"] for m in vmaps[it["valuemap"]["name"]]["mappings"]}
            assert mapping == dict(enumerate(STATES))
            step = it["preprocessing"][0]
            assert step["parameters"] == ["$.exit_code"]
            # not JSON (a usage error) is UNKNOWN, not an unsupported item
            assert step["error_handler"] == "CUSTOM_VALUE" and step["error_handler_params"] == "3"
            trs = sorted((tr["priority"], tr["expression"]) for _, tr in all_triggers(t)
                         if any(k == it["key"] for _, k in trigger_refs(tr["expression"])))
            ref = "(/%s/%s" % (t["template"], it["key"])
            assert ("WARNING", "last%s)=1" % ref) in trs, trs
            assert ("HIGH", "last%s)=2" % ref) in trs, trs
            assert ("AVERAGE", "last%s)>=3" % ref) in trs, trs
            assert ("AVERAGE", "nodata%s,{$MAILCHECK.NODATA})=1" % ref) in trs, trs


def test_template_macros_are_defined():
    for t in templates():
        defined = {m["macro"] for m in t.get("macros", [])}
        text = json.dumps(t["items"])
        used = set(re.findall(r"\{\$[A-Z0-9_.]+\}", text))
        assert used <= defined, sorted(used - defined)
        for m in t["macros"]:
            assert m["macro"].startswith("{$MAILCHECK."), m["macro"]
    for t in templates():
        for m in t["macros"]:
            assert not re.search(r"PASS|SECRET", m["macro"]), "a password in a macro: " + m["macro"]


def test_template_jsonpaths_resolve_in_real_plugin_output(agent):
    """Every master item key, its macros set for the stack, asked of the agent;
    every JSONPath of its dependent items must give a value of the item's type."""
    checked = 0
    for t in templates():
        by_master = {}
        for it in t["items"]:
            if it["type"] == "DEPENDENT":
                by_master.setdefault(it["master_item"]["key"], []).append(it)
        for master, deps in by_master.items():
            key = resolve(master, macros_for(t, master))
            kind, value, _ = agent.get(key)
            assert kind == "t", "%s: %s" % (key, value)
            doc = json.loads(value)
            assert doc["exit_code"] == 0, "%s: %s" % (key, doc["summary"])
            for it in deps:
                for step in it["preprocessing"]:
                    assert step["type"] == "JSONPATH"
                    (path,) = step["parameters"]
                    try:
                        v = jsonpath(doc, path)
                    except LookupError as e:
                        pytest.fail("%s: %s on %s: %s" % (t["template"], it["key"], key, e))
                    vt = it["value_type"]
                    if vt == "UNSIGNED":
                        assert isinstance(v, int) and not isinstance(v, bool) and v >= 0, (it["key"], v)
                    elif vt == "FLOAT":
                        assert isinstance(v, (int, float)) and not isinstance(v, bool), (it["key"], v)
                    else:
                        assert isinstance(v, str) and v, (it["key"], v)
                    if it["key"].endswith(".state"):
                        assert v == 0
                    checked += 1
    assert checked >= 30


def test_jsonpath_subset_fails_where_zabbix_fails():
    doc = {"exit_code": 2, "perfdata": [{"label": "time", "value": 0.5},
                                        {"label": "cert_days", "value": 10}]}
    assert jsonpath(doc, "$.exit_code") == 2
    assert jsonpath(doc, '$.perfdata[?(@.label=="cert_days")].value.first()') == 10
    assert jsonpath(doc, "$.perfdata[?(@.label=='time')].value") == [0.5]
    assert jsonpath(doc, "$.perfdata[1].label") == "cert_days"
    for bad in ("$.nothing", '$.perfdata[?(@.label=="nothing")].value.first()', "$.perfdata[5]"):
        with pytest.raises(LookupError):
            jsonpath(doc, bad)
    with pytest.raises(ValueError):
        jsonpath(doc, "$..value")
