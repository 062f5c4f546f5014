"""The name a certificate is verified against: never empty, never a pattern.

OpenSSL reads an empty host name as "check no name" and a leading dot as "any
subdomain", so every way a user can hand the plugins a name (--cert-name, -H,
--sni, the = form, an --extra-opts file) is tried here with the values that
used to switch the name check off, against servers whose certificate is for
ANOTHER name: Postfix 127.0.0.1:10030 (other.test, www.other.test). A false
OK is the worst bug: each such case asserts the state and that the word
"valid" appears nowhere in the output.

Then what a correct name may look like (one trailing dot, Unicode as its
A-label), and what a certificate may carry (tlsd.py: 11312 CN=mail.test and no
subjectAltName, 11313 keyUsage without digitalSignature, 11314 CN and DNS SAN
"127.0.0.1"). The same validation runs in check_imaps and check_pop3s
(Dovecot 10993 and 10995, certificate mail.test).
"""

import pytest

from harness import Case, check_table, params, run_case

CA = " --ca-file {ca}"
WRONG = "-H 127.0.0.1 -p 10030" + CA          # the certificate is for other.test
TLSD = "-H 127.0.0.1 --tls=implicit" + CA + " -p "
NOT_VALID = (r"\bvalid\b",)                   # "chain and name valid" must never show

SMTP = [
    # ---- empty names, every spelling: UNKNOWN, never "chain and name valid" -----------
    Case("cert-name-empty-with-sni", WRONG + " --cert-name '' --sni mail.test", 3, "UNKNOWN",
         r"invalid --cert-name '': the name is empty", mode="usage", absent=NOT_VALID),
    Case("cert-name-empty-equals", WRONG + " --cert-name= --sni mail.test", 3, "UNKNOWN",
         r"invalid --cert-name ''", mode="usage", absent=NOT_VALID),
    Case("cert-name-empty-without-sni", WRONG + " --cert-name ''", 3, "UNKNOWN",
         r"invalid --cert-name ''", mode="usage", absent=NOT_VALID),
    Case("cert-name-empty-host-localhost", "-H localhost -p 10030 --cert-name ''" + CA, 3,
         "UNKNOWN", r"invalid --cert-name ''", mode="usage", absent=NOT_VALID),
    Case("cert-name-empty-in-extra-opts", WRONG + " --sni mail.test --extra-opts=empty@{ini}", 3,
         "UNKNOWN", r"invalid --cert-name ''", mode="usage", absent=NOT_VALID),
    Case("cert-name-quoted-empty-in-extra-opts",
         WRONG + " --sni mail.test --extra-opts=quoted@{ini}", 3, "UNKNOWN",
         r"invalid --cert-name ''", mode="usage", absent=NOT_VALID),
    # a bare key would have taken the next argument as its value
    Case("cert-name-without-value-in-extra-opts",
         WRONG + " --sni mail.test --extra-opts=bare@{ini}", 3, "UNKNOWN",
         r"option 'cert-name' needs a value \(cert-name=VALUE\)", mode="usage",
         absent=NOT_VALID),
    Case("sni-empty", WRONG + " --cert-name mail.test --sni ''", 3, "UNKNOWN",
         r"invalid --sni '': the name is empty", mode="usage", absent=NOT_VALID),
    Case("host-empty", "-H '' -p 10030" + CA, 3, "UNKNOWN", r"-H/--hostname .*is required",
         mode="usage", absent=NOT_VALID),
    # ---- patterns: a leading dot, a wildcard --------------------------------------------
    Case("cert-name-leading-dot-parent", WRONG + " --cert-name .test", 3, "UNKNOWN",
         r"invalid --cert-name '\.test': a leading dot makes it a pattern", mode="usage",
         absent=NOT_VALID),
    Case("cert-name-leading-dot-domain", WRONG + " --cert-name .other.test", 3, "UNKNOWN",
         r"leading dot", mode="usage", absent=NOT_VALID),
    Case("cert-name-wildcard", WRONG + " --cert-name '*.other.test'", 3, "UNKNOWN",
         r"invalid --cert-name '\*\.other\.test': a wildcard is a pattern", mode="usage",
         absent=NOT_VALID),
    Case("cert-name-leading-dot-in-extra-opts", WRONG + " --extra-opts=dot@{ini}", 3, "UNKNOWN",
         r"invalid --cert-name '\.test'", mode="usage", absent=NOT_VALID),
    Case("host-leading-dot", "-H .mail.test -s {dns} -p 10030" + CA, 3, "UNKNOWN",
         r"invalid -H/--hostname '\.mail\.test': a leading dot", mode="usage",
         absent=NOT_VALID),
    Case("sni-wildcard", WRONG + " --cert-name mail.test --sni '*.test'", 3, "UNKNOWN",
         r"invalid --sni '\*\.test': a wildcard", mode="usage", absent=NOT_VALID),
    Case("sni-address", WRONG + " --cert-name other.test --sni 127.0.0.1", 3, "UNKNOWN",
         r"SNI carries a host name, not an address", mode="usage"),
    Case("cert-name-underscore", WRONG + " --cert-name other_test", 3, "UNKNOWN",
         r"not a host name: '_' is not a letter", mode="usage", absent=NOT_VALID),
    Case("cert-name-address-with-dot", WRONG + " --cert-name 127.0.0.1.", 3, "UNKNOWN",
         r"neither an IP address nor a host name", mode="usage", absent=NOT_VALID),
    # ---- correct names written another way -----------------------------------------------
    Case("cert-name-trailing-dot-matches", "-H 127.0.0.1 -p 10025 --cert-name mail.test." + CA,
         0, "OK", r"STARTTLS TLSv1\.3", out=(r"\[OK\] verification: chain and name valid",)),
    Case("host-trailing-dot-matches", "-H mail.test. -s {dns} -4 -p 10025" + CA, 0, "OK",
         r"^SMTP_TLS OK - mail\.test:10025 STARTTLS"),
    Case("cert-name-trailing-dot-still-checked", WRONG + " --cert-name mail.test.", 2,
         "CRITICAL", r"name mismatch: mail\.test not in other\.test", absent=NOT_VALID),
    Case("cert-name-unicode-as-a-label", TLSD + "11305 --cert-name b\u00fccher.mail.test", 0, "OK",
         r"TLSv1\.3", out=(r"\[OK\] verification: chain and name valid",)),
    Case("cert-name-unicode-mismatch", WRONG + " --cert-name b\u00fccher.mail.test", 2,
         "CRITICAL", r"name mismatch: xn--bcher-kva\.mail\.test not in other\.test",
         absent=NOT_VALID),
    # ---- what the certificate carries ------------------------------------------------------
    Case("cn-only-certificate", TLSD + "11312 --cert-name mail.test", 1, "WARNING",
         r"name matched only through the subject CN: no DNS subjectAltName \(RFC 9525",
         out=(r"\[WARNING\] name matched only through the subject CN",)),
    Case("cn-only-certificate-other-name", TLSD + "11312 --cert-name other.test", 2, "CRITICAL",
         r"name mismatch: other\.test not in mail\.test", absent=NOT_VALID),
    Case("no-digital-signature", TLSD + "11313 --cert-name mail.test", 1, "WARNING",
         r"key usage: no digitalSignature, which a TLSv1\.3 handshake needs \(RFC 8446 section "
         r"4\.4\.2\.2"),
    Case("no-digital-signature-unverified", TLSD + "11313 --verify=none", 1, "WARNING",
         r"key usage: no digitalSignature",
         out=(r"\[OK\] verification: certificate not verified",)),
    Case("address-as-dns-name", TLSD + "11314 --cert-name 127.0.0.1", 2, "CRITICAL",
         r"the certificate carries 127\.0\.0\.1 as a DNS name or CN, not as an IP address "
         r"subjectAltName", absent=NOT_VALID),
    Case("address-as-dns-name-by-name", TLSD + "11314 --cert-name mail.test", 2, "CRITICAL",
         r"name mismatch: mail\.test not in 127\.0\.0\.1", absent=NOT_VALID),
    # --verify=chain says the name was not checked, and a CN-only name is no WARNING then
    Case("verify-chain-says-name-not-checked", TLSD + "11312 --verify=chain", 0, "OK",
         r"name not checked \(--verify=chain\)",
         out=(r"\[OK\] verification: chain valid, name not checked",),
         absent=(r"matched only through",)),
]

IMAPS = [
    Case("imaps-cert-name-empty", "-H 127.0.0.1 -p 10993 --tls=implicit --cert-name ''" + CA, 3, "UNKNOWN",
         r"invalid --cert-name ''", mode="usage", absent=NOT_VALID),
    Case("imaps-cert-name-leading-dot", "-H 127.0.0.1 -p 10993 --tls=implicit --cert-name .test" + CA, 3,
         "UNKNOWN", r"leading dot", mode="usage", absent=NOT_VALID),
    Case("imaps-cert-name-trailing-dot", "-H 127.0.0.1 -p 10993 --tls=implicit --cert-name mail.test." + CA, 0,
         "OK", r"TLSv1\.3", out=(r"\[OK\] verification: chain and name valid",)),
]

POP3S = [
    Case("pop3s-cert-name-empty-in-extra-opts",
         "-H 127.0.0.1 -p 10995 --tls=implicit --extra-opts=empty@{ini}" + CA, 3, "UNKNOWN",
         r"invalid --cert-name ''", mode="usage", absent=NOT_VALID),
    Case("pop3s-sni-wildcard", "-H 127.0.0.1 -p 10995 --tls=implicit --cert-name mail.test --sni '*.test'" + CA,
         3, "UNKNOWN", r"wildcard", mode="usage", absent=NOT_VALID),
    Case("pop3s-cert-name-unicode", "-H 127.0.0.1 -p 10995 --tls=implicit --cert-name B\u00dcCHER.mail.test" + CA,
         0, "OK", r"TLSv1\.3"),
]

# plugins.ini sections: an ini key left empty is a common template mistake
INI = """[empty]
cert-name=
[quoted]
cert-name = ""
[bare]
cert-name
[dot]
cert-name=.test
"""


@pytest.fixture(scope="module")
def values(stack, tmp_path_factory):
    ini = tmp_path_factory.mktemp("cert-names") / "plugins.ini"
    ini.write_text(INI)
    return {"dns": stack.dns, "ca": str(stack.ca), "ini": str(ini)}


def test_case_tables_are_sane():
    for table in (SMTP, IMAPS, POP3S):
        check_table(table, loopback_hosts=("127.0.0.1", "localhost", ""))


@pytest.mark.parametrize("case", params(SMTP))
def test_smtp_tls_names(case, check_smtp_tls, values):
    run_case(check_smtp_tls, "SMTP_TLS", case, values)


@pytest.mark.parametrize("case", params(IMAPS))
def test_imaps_names(case, check_imaps, values):
    run_case(check_imaps, "IMAPS", case, values)


@pytest.mark.parametrize("case", params(POP3S))
def test_pop3s_names(case, check_pop3s, values):
    run_case(check_pop3s, "POP3S", case, values)
