"""contrib/icinga2/mailcheck-plugins.conf stays in step with the plugins:
every long option each plugin's --help lists is an argument of its
CheckCommand and every argument is an option, mapped in ITL style (custom
variable <command>_<option>, set_if for flags, repeat_key for repeatable
options, the --help text as description). Icinga itself runs the file in
tests/engines/test_icinga2.py."""
import os
import re
import sys

import pytest

from test_help import help_options  # {long name: {"short", "kind", "text"}}

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONF = os.path.join(TOP, "contrib", "icinga2", "mailcheck-plugins.conf")
sys.path.insert(0, os.path.join(TOP, "tests"))
from lists import plugins  # noqa: E402  (libexec_PROGRAMS in Makefile.am)

PLUGINS = plugins()
# Not arguments: --help and --version make no check; the password goes to
# the plugin in MAILCHECK_PASSWORD (env), never on the command line.
NOT_MAPPED = {"help", "version", "password"}


def check_commands(text):
    """{command name: (body, {argument key: argument body})}"""
    cmds = {}
    for m in re.finditer(r'^object CheckCommand "(\w+)" \{\n(.*?)^\}$', text, re.M | re.S):
        body = m.group(2)
        args = dict(re.findall(r'^\t\t"(--[a-z0-9-]+)" = \{\n(.*?)^\t\t\}$', body, re.M | re.S))
        cmds[m.group(1)] = (body, args)
    return cmds


def attr(arg_body, name):
    m = re.search(r"^\t\t\t%s = (.*)$" % name, arg_body, re.M)
    return m.group(1) if m else None


def unquote(s):
    assert s.startswith('"') and s.endswith('"'), s
    return s[1:-1].replace('\\"', '"').replace("\\\\", "\\")


@pytest.fixture(scope="module")
def commands():
    return check_commands(open(CONF, encoding="utf-8").read())


def test_one_check_command_per_plugin(commands):
    assert sorted(commands) == sorted("mailcheck_" + p[len("check_"):] for p in PLUGINS)


@pytest.mark.parametrize("plugin", PLUGINS)
def test_arguments_are_the_options_of_help(plugin, commands):
    body, args = commands["mailcheck_" + plugin[len("check_"):]]
    assert 'command = [ PluginDir + "/%s" ]' % plugin in body
    helped = set(help_options(plugin)) - NOT_MAPPED
    mapped = {k[2:] for k in args}
    assert sorted(helped - mapped) == [], "options missing from the CheckCommand"
    assert sorted(mapped - helped) == [], "arguments that are not options"
    assert len(mapped) > 10


@pytest.mark.parametrize("plugin", PLUGINS)
def test_arguments_in_itl_style(plugin, commands):
    cmd = "mailcheck_" + plugin[len("check_"):]
    body, args = commands[cmd]
    opts = help_options(plugin)
    for name, o in opts.items():
        if name in NOT_MAPPED:
            continue
        a = args["--" + name]
        var = "$%s_%s$" % (cmd, name.replace("-", "_"))
        # Every macro the argument uses is a variable of this command's options.
        for used in re.findall(r"\$(\w+)\$", a):
            assert used.startswith(cmd + "_") and used[len(cmd) + 1:].replace("_", "-") in opts, used
        assert unquote(attr(a, "description")).startswith(o["text"].strip()), name
        if o["kind"] == "flag":
            assert attr(a, "set_if") == '"%s"' % var, name
            assert attr(a, "value") is None, name
        elif o["kind"] == "required":
            assert attr(a, "value") == '"%s"' % var, name
        else:
            # true gives the bare option, a string the option's value
            assert attr(a, "skip_key") == "true", name
            assert 'macro("%s")' % var in attr(a, "set_if"), name
            assert '"--%s=" + v' % name in attr(a, "value"), name
        repeatable = "repeatable" in o["text"]
        assert (attr(a, "repeat_key") == "true") == (repeatable and o["kind"] != "flag"), name


@pytest.mark.parametrize("plugin", PLUGINS)
def test_host_and_password_defaults(plugin, commands):
    cmd = "mailcheck_" + plugin[len("check_"):]
    body, args = commands[cmd]
    opts = help_options(plugin)
    if "hostname" in opts:
        assert '\timport "ipv4-or-ipv6"' in body
        assert '\tvars.%s_hostname = "$check_address$"' % cmd in body
        assert '\tvars.%s_ipv4 = "$check_ipv4$"' % cmd in body
        assert '\tvars.%s_ipv6 = "$check_ipv6$"' % cmd in body
    else:
        assert attr(args["--domain"], "required") == "true"
    has_env = '\tenv.MAILCHECK_PASSWORD = "$%s_password$"' % cmd in body
    assert has_env == ("password" in opts)
    assert "--password" not in args


def test_the_parser_sees_a_missing_option(commands):
    """The checks above can fail: a CheckCommand without --port is found."""
    text = open(CONF, encoding="utf-8").read()
    broken = re.sub(r'\t\t"--port" = \{\n.*?\n\t\t\}\n', "", text, count=1, flags=re.S)
    assert broken != text
    _, args = check_commands(broken)["mailcheck_smtp_tls"]
    assert "--port" not in args and "--port" in commands["mailcheck_smtp_tls"][1]
