#!/usr/bin/python3
"""Write the section 1 manual pages man/check_*.1 (mdoc) of the plugins.

Each page is made of two parts:

  * the synopsis and the OPTIONS list, taken from the plugin's --help (the
    built binary), so that the page lists exactly the options, arguments,
    texts and defaults the plugin itself prints;
  * everything else, hand-written in man/check_NAME.1.in (mdoc), which may
    pull in shared text with a line `.\\" @include FILE` (a file of man/) and
    marks the generated parts with the lines @SYNOPSIS@ and @OPTIONS@.
    @LABEL@ (the output label, e.g. SMTP_TLS) and @NAME@ (the plugin) are
    replaced anywhere; lines starting with `.\\" ` are comments of the
    sources and are left out.

The pages are committed; after a change of --help or of a source, run

    man/gen-man.py --builddir BUILD            # rewrite man/check_*.1
    man/gen-man.py --builddir BUILD --check    # exit 1 if a page is stale

The header carries the package version from configure.ac and a fixed date,
so the output depends only on the sources and --help.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

MAN_DIR = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(MAN_DIR)

sys.path.insert(0, os.path.join(TOP, "tests"))
import lists  # noqa: E402  (the plugin list: libexec_PROGRAMS in Makefile.am)

PLUGINS = lists.plugins()


def label(plugin):
    """The label of the plugin's first output line: check_smtp_tls -> SMTP_TLS."""
    return plugin[len("check_"):].upper()

# Fixed, so that the same sources give the same page (mdoc wants a day).
DATE = "November 23, 2026"

OPTION_HEAD = re.compile(r"^ (?:-(\w), |    )--([a-z0-9-]+)(.*)$")


class HelpError(Exception):
    pass


def package_version(top=TOP):
    """The version of AC_INIT in configure.ac."""
    with open(os.path.join(top, "configure.ac"), encoding="utf-8") as f:
        m = re.search(r"AC_INIT\(\s*\[[^]]*\]\s*,\s*\[([^]]*)\]", f.read())
    if not m:
        raise HelpError("configure.ac: no AC_INIT version")
    return m.group(1)


def run_help(builddir, plugin):
    exe = os.path.join(builddir, "plugins", plugin)
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=30,
                         env=dict(os.environ, LC_ALL="C"))
    if out.returncode != 3:
        raise HelpError("%s --help exited %d, not 3 (UNKNOWN)" % (exe, out.returncode))
    return out.stdout


def parse_help(text):
    """--help as {"usage": str, "options": [{short, long, arg, header, text}]}.

    header is the option line as printed ("-p, --port=PORT"), arg what follows
    the long name ("=PORT", "[=require]" or ""), text the help text with its
    line breaks undone."""
    usage = []
    options = []
    section = None
    for line in text.splitlines():
        if line.startswith("Usage: "):
            section = "usage"
            usage.append(line[len("Usage: "):].strip())
            continue
        if line == "Options:":
            section = "options"
            continue
        if section == "usage":
            if line.startswith("    ") and line.strip():
                usage.append(line.strip())
            else:
                section = None
            continue
        if section != "options" or not line.strip():
            continue
        m = OPTION_HEAD.match(line)
        if m:
            options.append({"short": m.group(1), "long": m.group(2), "arg": m.group(3),
                            "header": line.strip(), "text": ""})
        elif line.startswith("    ") and options:
            o = options[-1]
            o["text"] = (o["text"] + " " + line.strip()).strip()
        else:
            raise HelpError("unexpected --help line: %r" % line)
    if not usage or not options:
        raise HelpError("--help has no Usage: line or no Options:")
    return {"usage": " ".join(usage), "options": options}


# ---- roff ----

def escape_word(w):
    """A word as an argument of an mdoc macro line."""
    w = w.replace("\\", "\\e").replace("-", "\\-")
    # A word that looks like a macro name or a delimiter would be taken as one.
    if re.fullmatch(r"[A-Z][a-z]{1,2}|[.,:;()\[\]|?!]+", w):
        w = "\\&" + w
    return w


def escape_text(s):
    """One line of running text: backslashes and hyphens escaped (a hyphen
    in an option, a path or an address must come out as the ASCII one),
    a leading control character neutralized."""
    s = s.replace("\\", "\\e").replace("-", "\\-")
    if s[:1] in (".", "'"):
        s = "\\&" + s
    return s


ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "cf.", "vs.")
PERIOD_END = re.compile(r"[.!?][)\"'\]]*$")


def text_lines(text, width=72):
    """Running text as source lines: each sentence starts a line (mandoc's
    "new sentence, new line"), long sentences are folded at about width
    characters. A line that ends in a period that does not end a sentence
    (an abbreviation, "password=...") gets \\& after it, so that roff does
    not take it for the end of a sentence and widen the space after it."""
    words = text.split()
    sentences, cur = [], []
    for i, w in enumerate(words):
        cur.append(w)
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if PERIOD_END.search(w) and w.lower() not in ABBREVIATIONS and (
                nxt[:1].isupper() or nxt[:1].isdigit()):
            sentences.append(cur)
            cur = []
    if cur:
        sentences.append(cur)
    out = []
    for sentence in sentences:
        lines, line = [], []
        for w in sentence:
            if line and len(" ".join(line)) + 1 + len(w) > width:
                lines.append(line)
                line = []
            line.append(w)
        lines.append(line)
        for k, line in enumerate(lines):
            t = escape_text(" ".join(line))
            if k < len(lines) - 1 and PERIOD_END.search(line[-1]):
                t += "\\&"
            out.append(t)
    return out


SYNTAX_TOKEN = re.compile(r"\s+|\.\.\.|[\[\]|=,:@]|[^\s\[\]|=,:@]+")


def syntax_items(s):
    """An option syntax ("-H HOST|--mx DOMAIN [-p PORT] [--dane[=require]]")
    as mdoc macro lines without the leading dot, one per item that stands
    apart in s. Brackets become Oo/Oc, options Fl, placeholders Ar, literal
    values (lower case, or alternatives) Cm; Ns joins what s writes together."""
    toks = SYNTAX_TOKEN.findall(s)
    words = [t for t in toks if not t.isspace()]

    def flag(t):
        return (t or "").startswith("-")

    # A bar between two values joins alternatives ("starttls|implicit"),
    # literal words; a bar next to an option separates alternative options.
    value_bar = set()
    for k, t in enumerate(words):
        if t == "|" and 0 < k < len(words) - 1 and not flag(words[k - 1]) \
                and not flag(words[k + 1]):
            value_bar.add(k)
    items, cur, depth = [], [], 0
    space = True         # blank since the previous word
    k = -1
    for t in toks:
        if t.isspace():
            space = True
            continue
        k += 1
        prev = words[k - 1] if k else None
        if space and depth == 0 and cur:
            items.append(" ".join(cur))
            cur = []
        joined = k in value_bar or (k - 1) in value_bar
        if not space and prev not in (None, "[") and t != "]" and not (
                t == "|" or prev == "|") or joined:
            cur.append("Ns")
        if t == "[":
            cur.append("Oo")
            depth += 1
        elif t == "]":
            cur.append("Oc")
            depth -= 1
        elif t == "|":
            cur.append("\\&|" if k in value_bar else "|")
        elif t in ("=", ",", ":", "@", "..."):
            cur.append("\\&" + t)
        elif flag(t):
            cur.extend(["Fl", escape_word(t[1:])])
        else:
            literal = (k + 1) in value_bar or (k - 1) in value_bar or t[:1].isdigit() or (
                prev == "=" and not t.isupper())
            cur.extend(["Cm" if literal else "Ar", escape_word(t)])
        space = False
    if depth != 0:
        raise HelpError("unbalanced brackets in %r" % s)
    if cur:
        items.append(" ".join(cur))
    return items


def synopsis(usage):
    words = usage.split(None, 1)
    out = [".Nm", ".Bk -words"]
    for it in syntax_items(words[1] if len(words) > 1 else ""):
        out.append("." + it)
    out.append(".Ek")
    return out


def options_list(options):
    out = [".Bl -tag -width Ds"]
    for o in options:
        out.append(".It " + " ".join(syntax_items(o["header"])))
        out.extend(text_lines(o["text"]))
    out.append(".El")
    return out


# ---- pages ----

def source_lines(name, plugin, label, seen=()):
    path = os.path.join(MAN_DIR, name)
    if name in seen:
        raise HelpError("%s includes itself" % name)
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            m = re.match(r'^\.\\" @include (\S+)$', line)
            if m:
                out.extend(source_lines(m.group(1), plugin, label, seen + (name,)))
            elif line.startswith('.\\" ') or line == '.\\"':
                continue
            else:
                out.append(line.replace("@LABEL@", label).replace("@NAME@", plugin))
    return out


def render(plugin, help_text, version=None):
    """The page of plugin, from its --help text and man/PLUGIN.1.in."""
    h = parse_help(help_text)
    version = version or package_version()
    out = [
        '.\\" Generated by man/gen-man.py from `%s --help` and man/%s.1.in:' % (plugin, plugin),
        '.\\" edit those and run man/gen-man.py --builddir BUILD, not this file.',
        ".Dd " + DATE,
        ".Dt %s 1" % plugin.upper(),
        ".Os mailcheck-plugins %s" % version,
    ]
    body = source_lines(plugin + ".1.in", plugin, label(plugin))
    for marker in ("@SYNOPSIS@", "@OPTIONS@"):
        if body.count(marker) != 1:
            raise HelpError("man/%s.1.in: %s must appear once" % (plugin, marker))
    for line in body:
        if line == "@SYNOPSIS@":
            out.extend(synopsis(h["usage"]))
        elif line == "@OPTIONS@":
            out.extend(options_list(h["options"]))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--builddir", default=os.environ.get("MC_BUILDDIR", TOP),
                    help="build directory whose plugins/ are run (default: $MC_BUILDDIR, "
                         "else the source tree)")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 and show the difference if a page is stale")
    ap.add_argument("--outdir", default=MAN_DIR, help="where to write (default: man/)")
    ap.add_argument("plugins", nargs="*", default=list(PLUGINS))
    a = ap.parse_args(argv)
    stale = 0
    for p in a.plugins:
        if p not in PLUGINS:
            ap.error("unknown plugin %s" % p)
        try:
            page = render(p, run_help(a.builddir, p))
        except (HelpError, OSError, subprocess.SubprocessError) as e:
            print("gen-man: %s: %s" % (p, e), file=sys.stderr)
            return 2
        path = os.path.join(a.outdir, p + ".1")
        try:
            with open(path, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            old = ""
        if a.check:
            if old != page:
                stale += 1
                sys.stdout.writelines(difflib.unified_diff(
                    old.splitlines(True), page.splitlines(True), path, "generated"))
        elif old != page:
            with open(path, "w", encoding="utf-8") as f:
                f.write(page)
            print("gen-man: wrote " + path)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
