"""The manual pages man/check_*.1 and each plugin's --help agree: the same
options with the same short form, argument and text; the committed pages are
what man/gen-man.py makes of the current --help; mandoc and groff find
nothing to complain about in them; PERFORMANCE DATA lists the labels the
plugin's sources emit."""
import importlib.util
import os
import re
import shutil
import subprocess
import sys

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("MC_BUILDDIR", TOP)
MAN = os.path.join(TOP, "man")
sys.path.insert(0, os.path.join(TOP, "tests"))
from lists import plugins  # noqa: E402  (libexec_PROGRAMS in Makefile.am)

PLUGINS = plugins()


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_man", os.path.join(MAN, "gen-man.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


GEN = load_generator()


def help_text(plugin):
    return GEN.run_help(BUILD, plugin)


def page_path(plugin):
    return os.path.join(MAN, plugin + ".1")


def need(tool, package):
    if not shutil.which(tool):
        pytest.fail("%s is not installed (apt-get install %s)" % (tool, package))


def rendered(plugin):
    """The page as mandoc renders it in plain text, overstrike removed."""
    need("mandoc", "mandoc")
    out = subprocess.run(["mandoc", "-T", "ascii", "-O", "width=100", page_path(plugin)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return re.sub(r".\x08", "", out.stdout).expandtabs()


def man_options(text):
    """{long: {"header": "-p, --port=PORT", "text": ...}} of the OPTIONS
    section of a rendered page: an item starts on a line indented by 5 with
    its option (and the start of its text when the option is short), its
    text goes on indented deeper."""
    lines = text.splitlines()
    start = lines.index("OPTIONS") + 1
    opts, current = {}, None
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break  # the next section
        # A short item has its text on the same line: "     --dane  Every MX ..."
        m = re.match(r"^ {5}((?:-\w, )?--([a-z0-9-]+)\S*)(?: {2,}(.*))?$", line)
        if m:
            current = m.group(2)
            assert current not in opts, "--%s twice in OPTIONS" % current
            opts[current] = {"header": m.group(1), "text": m.group(3) or ""}
        elif line.strip():
            assert current and line.startswith(" " * 6), "stray OPTIONS line: %r" % line
            opts[current]["text"] += " " + line.strip()
    for o in opts.values():
        o["text"] = " ".join(o["text"].split())
    return opts


@pytest.mark.parametrize("plugin", PLUGINS)
def test_options_match_help(plugin):
    """Every option of --help is in OPTIONS as --help prints it (short form,
    argument, text and default), and OPTIONS has no other."""
    helped = {o["long"]: o for o in GEN.parse_help(help_text(plugin))["options"]}
    documented = man_options(rendered(plugin))
    assert len(helped) > 10
    missing = sorted(set(helped) - set(documented))
    extra = sorted(set(documented) - set(helped))
    assert not missing, "in --help, not in the page: %s" % missing
    assert not extra, "in the page, not in --help: %s" % extra
    for name, o in helped.items():
        assert documented[name]["header"] == o["header"], name
        assert documented[name]["text"] == " ".join(o["text"].split()), name


@pytest.mark.parametrize("plugin", PLUGINS)
def test_page_names_only_options_of_the_plugin(plugin):
    """Every option the page mentions anywhere (description, examples, ...)
    is one of the plugin's."""
    helped = GEN.parse_help(help_text(plugin))["options"]
    longs = {o["long"] for o in helped}
    shorts = {o["short"] for o in helped if o["short"]}
    text = rendered(plugin)
    # "--key=value": how --extra-opts reads a line of its file, not an option.
    named_long = set(re.findall(r"(?<![\w-])--([a-z0-9][a-z0-9-]*)", text)) - {"key"}
    named_short = set(re.findall(r"(?<![\w-])-([A-Za-z0-9])\b", text))
    assert not named_long - longs, "unknown long options: %s" % sorted(named_long - longs)
    assert not named_short - shorts, "unknown short options: %s" % sorted(named_short - shorts)


@pytest.mark.parametrize("plugin", PLUGINS)
def test_committed_page_is_generated(plugin):
    """The committed page is what man/gen-man.py makes of --help now: after
    a change of --help or of man/*.in, run man/gen-man.py --builddir BUILD."""
    with open(page_path(plugin), encoding="utf-8") as f:
        committed = f.read()
    assert committed == GEN.render(plugin, help_text(plugin)), (
        "man/%s.1 is stale: run man/gen-man.py --builddir %s" % (plugin, BUILD))


@pytest.mark.parametrize("plugin", PLUGINS)
def test_mandoc_lint_is_silent(plugin):
    need("mandoc", "mandoc")
    out = subprocess.run(["mandoc", "-T", "lint", "-W", "warning", page_path(plugin)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and not out.stdout and not out.stderr, out.stdout + out.stderr


@pytest.mark.parametrize("plugin", PLUGINS)
def test_groff_is_silent(plugin):
    need("groff", "groff-base")
    out = subprocess.run(["groff", "-ww", "-z", "-mdoc", page_path(plugin)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and not out.stdout and not out.stderr, out.stdout + out.stderr


@pytest.mark.parametrize("plugin", PLUGINS)
def test_page_is_ascii_with_the_sections(plugin):
    with open(page_path(plugin), "rb") as f:
        raw = f.read()
    assert all(b < 128 for b in raw), "non-ASCII byte in the page"
    text = rendered(plugin)
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "OUTPUT",
                    "PERFORMANCE DATA", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES",
                    "SEE ALSO"):
        assert section in text.splitlines(), section
    for other in PLUGINS:
        if other != plugin:
            assert other + "(1)" in text, "SEE ALSO lacks " + other


# The sources whose perfdata labels a plugin emits. check_mx_dns and
# check_spf_dkim run their own work: of common/check only the total "time"
# (check_mx_dns: its phases come from the MX survey, ns_count and dnsbl_*
# from its judgements in common/report).
PERF_SOURCES = {
    "check_smtp_tls": ["plugins/check_smtp_tls.c", "common/check/mc_check.c",
                       "common/proto/mc_session.c", "common/proto/mc_smtp.c",
                       "common/report/mc_report_tls.c"],
    "check_imaps": ["plugins/check_imaps.c", "common/check/mc_check.c",
                    "common/proto/mc_session.c", "common/proto/mc_imap.c",
                    "common/report/mc_report_tls.c"],
    "check_pop3s": ["plugins/check_pop3s.c", "common/check/mc_check.c",
                    "common/proto/mc_session.c", "common/proto/mc_pop3.c",
                    "common/report/mc_report_tls.c"],
    "check_mx_dns": ["plugins/check_mx_dns.c", "common/check/mc_mx_survey.c",
                     "common/report/mc_report_ns.c", "common/report/mc_report_dnsbl.c"],
    "check_spf_dkim": ["plugins/check_spf_dkim.c", "common/report/mc_report_spf.c",
                       "common/report/mc_report_dkim.c"],
}


def source_labels(plugin):
    """Perfdata labels in the sources: the label literal of a perf call or
    of a label buffer, every "time_..." literal (the phases), and a
    "prefix_%s" label as "prefix_"."""
    labels = set() if PERF_SOURCES[plugin][0] in ("plugins/check_smtp_tls.c",
                                                   "plugins/check_imaps.c",
                                                   "plugins/check_pop3s.c") else {"time"}
    for path in PERF_SOURCES[plugin]:
        with open(os.path.join(TOP, path), encoding="utf-8") as f:
            src = f.read()
        labels |= set(re.findall(r'\bmc_(?:report|result)_perf(?:_mm)?\([^;"\n]*"([a-z][a-z_]*)"',
                                 src))
        labels |= set(re.findall(r'"(time_[a-z_]+)"', src))
        labels |= set(re.findall(r'mc_strlcpy\(label, "([a-z][a-z_]*)"', src))
        labels |= set(re.findall(r'"([a-z][a-z_]*_)%s"', src))
    # "quota_used_%s" is quota_used with the --all-addresses suffix.
    return {l for l in labels if not (l.endswith("_") and l[:-1] in labels)}


def documented_labels(plugin):
    """The items of the PERFORMANCE DATA section: "time_tls (s)", and
    "dkim_bits_SEL" as "dkim_bits_"."""
    lines = rendered(plugin).splitlines()
    start = lines.index("PERFORMANCE DATA") + 1
    labels = set()
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        m = re.match(r"^ {5}([a-z][a-z_]*?)([A-Z]+)?(?: \((?:s|B|%)\))?(?: {2,}.*)?$", line)
        if m:
            labels.add(m.group(1))
    return labels


@pytest.mark.parametrize("plugin", PLUGINS)
def test_perfdata_labels_documented(plugin):
    """Every perfdata label the sources emit is an item of PERFORMANCE DATA,
    and every item is a label the sources emit."""
    emitted = source_labels(plugin)
    documented = documented_labels(plugin)
    assert len(emitted) >= 5, emitted
    assert not emitted - documented, "not in PERFORMANCE DATA: %s" % sorted(emitted - documented)
    assert not documented - emitted, "not emitted: %s" % sorted(documented - emitted)
