"""check_smtp_tls --require-capability / --forbid-capability (the EHLO
keywords before and after TLS) and --relay-test (RCPT TO a foreign
recipient without AUTH: an open relay accepts it). The case table below IS
the spec; harness.py's run_case applies the assertions every case shares (exit code and
state word, first-line regexes, output size and shape, perfdata syntax, the
-t bound, RSS, and wrapper errors under valgrind/ASan).

Servers (stack.sh):
  Postfix  127.0.0.1:10025 relays for loopback clients (the open relay;
           nothing is ever delivered); 10037 refuses relaying without AUTH
           (and offers AUTH before STARTTLS); 10587 submission
  faultd   127.0.0.1:11034 refuses MAIL FROM
"""

import pytest

from harness import Case, check_table, params, run_case, write_secret_files

LABEL = "SMTP_TLS"
USERS = {"monitor": "Mon1tor-s3cret!"}

CA = " --ca-file {ca}"
DNS = " -s {dns}"
PF = " -p 10025" + CA + DNS
SUB = "-H 127.0.0.1 -p 10587 --cert-name mail.test" + CA
MON = " -U monitor --password-file {pwfile_monitor}"
FAULT = "-H 127.0.0.1 --cert-name mail.test" + CA + " -p "

CASES = [
    # ---- capabilities -----------------------------------------------------------------
    Case("caps-hidden-without-v", "-H 127.0.0.1 --cert-name mail.test" + PF, 0, "OK",
         r"'?size_limit'?=10240000B", absent=(r"\[OK\] ehlo",)),
    Case("caps-shown-at-v", "-H 127.0.0.1 --cert-name mail.test -v" + PF, 0, "OK",
         out=(r"\[OK\] ehlo: .*STARTTLS", r"\[OK\] ehlo after tls: .*PIPELINING")),
    Case("caps-required-present",
         "-H 127.0.0.1 --cert-name mail.test --require-capability PIPELINING "
         "--require-capability 8bitmime" + PF, 0, "OK",
         out=(r"\[OK\] capability PIPELINING advertised", r"\[OK\] capability 8bitmime")),
    Case("caps-required-missing",
         "-H 127.0.0.1 --cert-name mail.test --require-capability REQUIRETLS" + PF, 2, "CRITICAL",
         r"capability REQUIRETLS not advertised"),
    Case("caps-forbidden-present",
         "-H 127.0.0.1 --cert-name mail.test --forbid-capability PIPELINING" + PF, 2, "CRITICAL",
         r"capability PIPELINING advertised \(--forbid-capability\)"),
    Case("caps-forbidden-absent",
         "-H 127.0.0.1 --cert-name mail.test --forbid-capability STARTTLS" + PF, 0, "OK"),

    # ---- relay test ---------------------------------------------------------------------
    Case("relay-open", "-H 127.0.0.1 --cert-name mail.test --relay-test" + PF, 2, "CRITICAL",
         r"open relay: RCPT TO:<mailcheck-relay-test@example\.net> accepted: 250"),
    Case("relay-open-own-recipient",
         "-H 127.0.0.1 --cert-name mail.test --relay-test=someone@example.org" + PF, 2,
         "CRITICAL", r"open relay: RCPT TO:<someone@example\.org>"),
    Case("relay-refused", "-H 127.0.0.1 -p 10037 --cert-name mail.test --relay-test" + CA, 1,
         "WARNING", r"AUTH offered before STARTTLS",
         out=(r"\[OK\] relay test: RCPT TO:<mailcheck-relay-test@example\.net> refused: 554",)),
    Case("relay-with-user", SUB + MON + " --relay-test", 3, "UNKNOWN",
         r"--relay-test cannot be combined with -U", mode="usage"),
    Case("relay-bad-recipient", SUB + " --relay-test='a b@example.net'", 3, "UNKNOWN",
         r"invalid --relay-test recipient", mode="usage"),
    # fault server (faultd.py 11034)
    Case("relay-mail-from-refused", FAULT + "11034 --relay-test", 1, "WARNING",
         r"relay test inconclusive: MAIL FROM:<mailcheck-relay-probe@example\.com> refused: 550"),
]


@pytest.fixture(scope="module")
def values(stack, tmp_path_factory):
    v = {"dns": "127.0.0.1:10054", "ca": str(stack.ca)}
    v.update(write_secret_files(tmp_path_factory.mktemp("smtp-secrets"), USERS))
    return v


def test_case_table_is_sane():
    check_table(CASES, loopback_hosts=("127.0.0.1",))


@pytest.mark.parametrize("case", params(CASES))
def test_smtp_caps_relay(case, check_smtp_tls, values):
    run_case(check_smtp_tls, LABEL, case, values)
