#!/usr/bin/python3
"""The project's two lists, each kept in one place, and what keeps them so.

  plugins       libexec_PROGRAMS in Makefile.am (automake needs the names
                written there); `make -s print-plugins` prints them too.
  fuzz targets  FUZZ_TARGETS in tests/fuzz/Makefile.inc; `make -s
                fuzz-targets` prints them too.

Everything else reads them: the Makefiles derive the man pages, the replay
programs and the libFuzzer programs; man/gen-man.py, tests/docs,
tests/engines and tests/package/test-deb import or run this file.

Automake cannot loop, so the per-target lines of the fuzz programs are
written by this file into tests/fuzz/targets.mk (committed, included by
tests/fuzz/Makefile.inc). After changing FUZZ_TARGETS run

    tests/lists.py write            # rewrite tests/fuzz/targets.mk

and then autoreconf (or make, which reruns automake). Other commands:

    tests/lists.py                  # check (a make check test): exit 1 on drift
    tests/lists.py plugins          # print the plugins, one per line
    tests/lists.py fuzz-targets     # print the fuzz targets, one per line

The check fails when a list and the tree disagree: a plugins/check_*.c
that is not in libexec_PROGRAMS (or the reverse), a plugin without
man/NAME.1.in or missing from debian/control's description (when the
tree has debian/), a tests/fuzz/fuzz_*.c that is not in FUZZ_TARGETS (or
the reverse), a target without a corpus, or a stale tests/fuzz/targets.mk.
Standard library only.
"""
import glob
import os
import re
import sys

# The source tree: this file is tests/lists.py in it (also when make check
# runs it from a build directory).
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TARGETS_MK = os.path.join("tests", "fuzz", "targets.mk")


class ListError(Exception):
    pass


def make_variable(path, name):
    """The words of the one plain assignment `name = ...` in a Makefile
    fragment (backslash continuations joined). A second assignment or a
    `+=` is an error: the list must be written in one place."""
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"\\\n", " ", f.read())
    found = re.findall(r"^%s[ \t]*([+:]?=)(.*)$" % re.escape(name), text, re.M)
    if len(found) != 1 or found[0][0] != "=":
        raise ListError("%s: want exactly one `%s = ...`, found %d assignments"
                        % (path, name, len(found)))
    words = found[0][1].split()
    if not words:
        raise ListError("%s: %s is empty" % (path, name))
    return words


def plugins(top=TOP):
    """The plugins, in the order of libexec_PROGRAMS: ["check_smtp_tls", ...]."""
    path = os.path.join(top, "Makefile.am")
    names = []
    for w in make_variable(path, "libexec_PROGRAMS"):
        m = re.match(r"^plugins/(check_[a-z0-9_]+)$", w)
        if not m:
            raise ListError("%s: libexec_PROGRAMS: %s is not plugins/check_NAME" % (path, w))
        names.append(m.group(1))
    return names


def fuzz_targets(top=TOP):
    """The fuzz targets, in the order of FUZZ_TARGETS: ["range", ...]."""
    path = os.path.join(top, "tests", "fuzz", "Makefile.inc")
    names = make_variable(path, "FUZZ_TARGETS")
    for t in names:
        if not re.match(r"^[a-z0-9_]+$", t):
            raise ListError("%s: FUZZ_TARGETS: bad target name %r" % (path, t))
    return names


def targets_mk(targets):
    """tests/fuzz/targets.mk for these targets."""
    out = ["# tests/fuzz/targets.mk - written by tests/lists.py from FUZZ_TARGETS",
           "# (tests/fuzz/Makefile.inc): do not edit; run `tests/lists.py write`.",
           "# Automake needs every program and its variables spelled out.",
           "",
           "# make check: replay_<t> = replay.c + fuzz_<t>.c replays corpus/<t>.",
           "fuzz_replay_programs = \\"]
    out += ["\ttests/fuzz/replay_%s%s" % (t, " \\" if i < len(targets) - 1 else "")
            for i, t in enumerate(targets)]
    for t in targets:
        v = "tests_fuzz_replay_" + t
        out += ["%s_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_%s.c" % (v, t),
                "%s_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='\"%s\"'" % (v, t),
                "%s_LDADD = $(MC_LIBS)" % v]
    out += ["",
            "# ./configure --enable-fuzzing CC=clang: the libFuzzer binaries.",
            "if ENABLE_FUZZING",
            "fuzz_programs = \\"]
    out += ["\ttests/fuzz/fuzz_%s%s" % (t, " \\" if i < len(targets) - 1 else "")
            for i, t in enumerate(targets)]
    for t in targets:
        v = "tests_fuzz_fuzz_" + t
        out += ["%s_SOURCES = tests/fuzz/fuzz_%s.c" % (v, t),
                "%s_CFLAGS = $(FUZZ_MAIN_CFLAGS)" % v,
                "%s_LDADD = $(MC_LIBS)" % v]
    out += ["endif", ""]
    return "\n".join(out)


def problems(top=TOP):
    """Every way the lists and the tree disagree, as lines of text."""
    bad = []
    listed = plugins(top)
    files = sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(top, "plugins", "check_*.c")))
    for p in sorted(set(files) - set(listed)):
        bad.append("plugins/%s.c is not in libexec_PROGRAMS (Makefile.am)" % p)
    for p in listed:
        if p not in files:
            bad.append("libexec_PROGRAMS lists %s but there is no plugins/%s.c" % (p, p))
        if not os.path.isfile(os.path.join(top, "man", p + ".1.in")):
            bad.append("no man/%s.1.in for plugin %s" % (p, p))
    if len(set(listed)) != len(listed):
        bad.append("libexec_PROGRAMS names a plugin twice")
    # the package description lists the plugins it installs (prose, so
    # checked here rather than generated); debian/ is not in the release
    # tarball, so make distcheck has nothing to compare
    control = os.path.join(top, "debian", "control")
    described = set(listed)
    if os.path.isfile(control):
        with open(control, encoding="utf-8") as f:
            described = set(re.findall(r"^  \* (check_[a-z0-9_]+):", f.read(), re.M))
    for p in sorted(set(listed) - described):
        bad.append("debian/control's description does not list %s" % p)
    for p in sorted(described - set(listed)):
        bad.append("debian/control's description lists %s, which is not a plugin" % p)

    targets = fuzz_targets(top)
    files = sorted(os.path.basename(p)[5:-2] for p in glob.glob(os.path.join(top, "tests", "fuzz", "fuzz_*.c")))
    for t in sorted(set(files) - set(targets)):
        bad.append("tests/fuzz/fuzz_%s.c is not in FUZZ_TARGETS (tests/fuzz/Makefile.inc)" % t)
    for t in targets:
        if t not in files:
            bad.append("FUZZ_TARGETS lists %s but there is no tests/fuzz/fuzz_%s.c" % (t, t))
        if not os.path.isdir(os.path.join(top, "tests", "fuzz", "corpus", t)):
            bad.append("no corpus tests/fuzz/corpus/%s/ for fuzz target %s" % (t, t))
    if len(set(targets)) != len(targets):
        bad.append("FUZZ_TARGETS names a target twice")
    try:
        with open(os.path.join(top, TARGETS_MK), encoding="utf-8") as f:
            current = f.read()
    except FileNotFoundError:
        current = ""
    if current != targets_mk(targets):
        bad.append("%s is stale: run tests/lists.py write" % TARGETS_MK)
    return bad


def main(argv):
    cmd = argv[1] if len(argv) > 1 else "check"
    try:
        if cmd == "plugins":
            print("\n".join(plugins()))
        elif cmd == "fuzz-targets":
            print("\n".join(fuzz_targets()))
        elif cmd == "write":
            path = os.path.join(TOP, TARGETS_MK)
            with open(path, "w", encoding="utf-8") as f:
                f.write(targets_mk(fuzz_targets()))
            print("lists: wrote " + path)
        elif cmd == "check":
            bad = problems()
            for line in bad:
                print("lists: " + line)
            if bad:
                return 1
            print("lists: %d plugins and %d fuzz targets, each listed once and in step with the tree"
                  % (len(plugins()), len(fuzz_targets())))
        else:
            print("usage: tests/lists.py [check|write|plugins|fuzz-targets]", file=sys.stderr)
            return 2
    except (ListError, OSError) as e:
        print("lists: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
