"""check_smtp_tls on what the TLS layer offers: OCSP stapling (--ocsp: good,
revoked, stale, garbage, missing, must-staple), old protocol versions
(--probe-old-tls), key sizes (--min-key-bits) and SHA-1 signatures. The case
table below IS the spec; harness.py's run_case applies the assertions every case shares (exit code and
state word, first-line regexes, output size and shape, perfdata syntax, the
-t bound, RSS, and wrapper errors under valgrind/ASan).

Servers (stack.sh):
  tlsd.py  127.0.0.1:11301.. implicit-TLS SMTP: OCSP staples (good, revoked,
           expired, garbage, none, must-staple), TLS 1.0 accepted, TLS 1.2
           only, RSA 2048 and SHA-1 signed certificates (tlsd.py --list)
  Postfix  127.0.0.1:10035 RSA 1024 certificate
"""

import pytest

from harness import Case, check_table, params, run_case

LABEL = "SMTP_TLS"
CA = " --ca-file {ca}"
TLSD = "-H 127.0.0.1 --tls=implicit --cert-name mail.test" + CA + " -p "

CASES = [
    # ---- OCSP stapling ------------------------------------------------------------------
    Case("ocsp-good", TLSD + "11301", 0, "OK", out=(r"\[OK\] OCSP staple: good",)),
    Case("ocsp-revoked", TLSD + "11302", 2, "CRITICAL", r"OCSP staple: revoked"),
    Case("ocsp-expired", TLSD + "11303", 1, "WARNING", r"OCSP staple: stale"),
    Case("ocsp-garbage", TLSD + "11304", 1, "WARNING", r"OCSP staple: "),
    Case("ocsp-none", TLSD + "11305", 0, "OK", out=(r"\[OK\] OCSP staple: none",)),
    Case("ocsp-none-require", TLSD + "11305 --ocsp=require", 2, "CRITICAL",
         r"OCSP staple missing \(--ocsp=require\)"),
    Case("ocsp-must-staple-missing", TLSD + "11306", 2, "CRITICAL",
         r"OCSP staple missing, and the certificate demands one \(must-staple"),
    Case("ocsp-must-staple-good", TLSD + "11307", 0, "OK", out=(r"\[OK\] OCSP staple: good",)),
    Case("ocsp-off-ignores-revoked", TLSD + "11302 --ocsp=off", 0, "OK", absent=(r"OCSP",)),
    Case("ocsp-bad-value", TLSD + "11301 --ocsp=maybe", 3, "UNKNOWN", r"invalid --ocsp",
         mode="usage"),

    # ---- protocol policy ---------------------------------------------------------------
    Case("old-tls-accepted", TLSD + "11308 --probe-old-tls", 1, "WARNING",
         r"protocol: TLS 1\.0 accepted", out=(r"\[WARNING\] protocol: TLS 1\.1 accepted",)),
    Case("old-tls-accepted-critical", TLSD + "11308 --probe-old-tls --old-tls-state=critical", 2,
         "CRITICAL", r"TLS 1\.0 accepted"),
    Case("old-tls-refused", TLSD + "11309 --probe-old-tls", 0, "OK",
         out=(r"\[OK\] protocol: TLS 1\.0 refused", r"\[OK\] protocol: TLS 1\.1 refused")),
    Case("old-tls-not-probed-by-default", TLSD + "11308", 0, "OK", absent=(r"TLS 1\.0",)),
    Case("old-tls-bad-state", TLSD + "11308 --old-tls-state=unknown", 3, "UNKNOWN",
         r"invalid --old-tls-state", mode="usage"),
    Case("key-rsa-2048", TLSD + "11310", 0, "OK", out=(r"\[OK\] key: RSA 2048 bits",)),
    Case("key-rsa-below-min", TLSD + "11310 --min-key-bits 3072", 1, "WARNING",
         r"key: RSA 2048 bits, below --min-key-bits 3072"),
    Case("key-rsa-1024", "-H 127.0.0.1 -p 10035 --cert-name mail.test" + CA, 2, "CRITICAL",
         out=(r"\[WARNING\] key: RSA 1024 bits, below --min-key-bits 2048",)),
    Case("sha1-signature", TLSD + "11311 --verify=none", 1, "WARNING",
         r"signature: \S*(sha1|SHA1)\S* on CN=mail\.test .*\(depth 0\) is forgeable"),
    # OpenSSL's security level refuses it in the chain too: both are said
    Case("sha1-signature-verified", TLSD + "11311", 2, "CRITICAL",
         r"CA signature digest algorithm too weak",
         out=(r"\[WARNING\] signature: \S*(sha1|SHA1)",)),
    Case("min-key-bits-bad", TLSD + "11310 --min-key-bits 12", 3, "UNKNOWN",
         r"invalid --min-key-bits", mode="usage"),
]


@pytest.fixture(scope="module")
def values(stack):
    return {"ca": str(stack.ca)}


def test_case_table_is_sane():
    check_table(CASES, loopback_hosts=("127.0.0.1",))


@pytest.mark.parametrize("case", params(CASES))
def test_smtp_tls_policy(case, check_smtp_tls, values):
    run_case(check_smtp_tls, LABEL, case, values)
