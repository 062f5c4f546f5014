#!/bin/sh
# certs.sh OUTDIR -- generate the certificate matrix for the integration tests.
#
# Everything is regenerated on every run (dates are relative to "now"), into a
# scratch directory that replaces OUTDIR/ at the end, so the script is
# idempotent and never leaves a half-written matrix behind.
#
# Output (all PEM):
#   ca.pem                      test root CA (the only thing a test trusts)
#   intermediate.pem            intermediate CA, signed by the root
#   rogue-ca.pem                a second root, NOT in ca.pem
#   NAME.key, NAME.chain.pem    leaf key; leaf certificate followed by the chain
#   NAME.crt                    leaf certificate alone
# for NAME in: good expired notyet crit warn wrongname missing-intermediate
#              selfsigned untrusted weak mta-sts
# mta-sts is the certificate of stsd.py (the MTA-STS policy server): one name
# per policy case, mta-sts.<case>.mx.test (the list in stsd.py --list).
#
# Key types: EC P-256 everywhere (fast), except "weak" (RSA 1024).
#
# OCSP stapling and protocol policy (tlsd.py), all for mail.test, by the
# intermediate, same names as "good":
#   staple       EC leaf, the certificate of the stapling cases
#   muststaple   EC leaf with the TLS Feature status_request (RFC 7633)
#   rsa2048      RSA 2048 leaf (--min-key-bits)
#   sha1         EC leaf signed with ecdsa-with-SHA1 (OpenSSL 3 refuses to
#                verify it at security level 1 and up: that is the point)
#   cnonly       EC leaf, CN=mail.test and no subjectAltName at all (the
#                name matches only through the CN, RFC 9525)
#   nodigsig     EC leaf whose keyUsage is keyEncipherment alone (no
#                digitalSignature, which TLS 1.3 needs: RFC 8446 4.4.2.2)
#   ipdns        EC leaf, CN=127.0.0.1 and SAN DNS:127.0.0.1 (an address
#                written as a DNS name: it never matches the address)
# and the OCSP responses (DER, signed by the intermediate itself):
#   staple-good.ocsp       staple: good, valid 7 days
#   staple-revoked.ocsp    staple: revoked 2 days ago, keyCompromise
#   staple-expired.ocsp    staple: good, but nextUpdate 9 days ago (made
#                          10 days in the past with faketime)
#   muststaple-good.ocsp   muststaple: good, valid 7 days
set -eu

OUT=${1:?usage: certs.sh OUTDIR}
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
PARENT=$(dirname "$OUT")
mkdir -p "$PARENT"
WORK=$(mktemp -d "$PARENT/.certs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

OPENSSL=${OPENSSL:-openssl}
# No user or system openssl.cnf may change what we produce.
export OPENSSL_CONF=/dev/null
# ca.cnf reads the leaf's subjectAltName from the environment at parse time
MC_SAN=DNS:unused.invalid
export MC_SAN

# ASN.1 GeneralizedTime for "now + N days" (N may be negative).
when() {
    date -u -d "@$(( $(date -u +%s) + $1 * 86400 ))" +%Y%m%d%H%M%SZ
}

newkey_ec() {
    "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
        -out "$1" 2>/dev/null
}
newkey_rsa() { # file bits
    "$OPENSSL" genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" \
        -out "$1" 2>/dev/null
}

# Per-CA openssl-ca state and configuration.
# make_ca_db NAME -> $WORK/NAME.db/ca.cnf
make_ca_db() {
    d=$WORK/$1.db
    mkdir -p "$d/new"
    : >"$d/index.txt"
    # distinct serial ranges per CA keep issuer+serial unique across the matrix
    printf '%s\n' "$2" >"$d/serial"
    cat >"$d/ca.cnf" <<EOF
[ ca ]
default_ca = this_ca

[ this_ca ]
database        = $d/index.txt
new_certs_dir   = $d/new
serial          = $d/serial
default_md      = sha256
policy          = policy_any
unique_subject  = no
email_in_dn     = no
copy_extensions = none
preserve        = yes

[ policy_any ]
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied

[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = unused

[ ext_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ ext_intermediate ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ ext_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = \$ENV::MC_SAN

[ ext_selfsigned_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
subjectAltName         = \$ENV::MC_SAN

[ ext_leaf_nosan ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ ext_leaf_nodigsig ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = \$ENV::MC_SAN

[ ext_leaf_muststaple ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = \$ENV::MC_SAN
tlsfeature             = status_request
EOF
}

csr() { # key subject out
    "$OPENSSL" req -new -key "$1" -subj "$2" -out "$3" \
        -config "$WORK/root.db/ca.cnf"
}

# sign CA_NAME CA_CERT CA_KEY CSR OUT EXT START_DAYS END_DAYS [SAN]
sign() {
    MC_SAN=${9:-DNS:unused.invalid} "$OPENSSL" ca -batch -notext \
        -config "$WORK/$1.db/ca.cnf" -cert "$2" -keyfile "$3" \
        -in "$4" -out "$5" -extensions "$6" \
        -startdate "$(when "$7")" -enddate "$(when "$8")" 2>"$WORK/ca.err" ||
        { cat "$WORK/ca.err" >&2; exit 1; }
}

# selfsign CA_NAME KEY CSR OUT EXT START_DAYS END_DAYS [SAN]
selfsign() {
    MC_SAN=${8:-DNS:unused.invalid} "$OPENSSL" ca -batch -notext -selfsign \
        -config "$WORK/$1.db/ca.cnf" -keyfile "$2" \
        -in "$3" -out "$4" -extensions "$5" \
        -startdate "$(when "$6")" -enddate "$(when "$7")" 2>"$WORK/ca.err" ||
        { cat "$WORK/ca.err" >&2; exit 1; }
}

W=$WORK
make_ca_db root 1000
make_ca_db intermediate 2000
make_ca_db rogue 3000
make_ca_db self 4000
# the RSA 2048 key of tlsd.py's rsa2048 leaf takes longest (~0.2 s): made
# in the background while everything else is signed
newkey_rsa "$W/rsa2048.key" 2048 &
rsa_pid=$!

# --- roots and intermediate ---------------------------------------------------
newkey_ec "$W/ca.key"
csr "$W/ca.key" "/O=mailcheck-plugins tests/CN=mailcheck test root CA" "$W/ca.csr"
selfsign root "$W/ca.key" "$W/ca.csr" "$W/ca.pem" ext_root -365 3650

newkey_ec "$W/intermediate.key"
csr "$W/intermediate.key" "/O=mailcheck-plugins tests/CN=mailcheck test intermediate CA" "$W/intermediate.csr"
sign root "$W/ca.pem" "$W/ca.key" "$W/intermediate.csr" "$W/intermediate.pem" \
    ext_intermediate -365 3000

newkey_ec "$W/rogue-ca.key"
csr "$W/rogue-ca.key" "/O=rogue/CN=rogue CA" "$W/rogue-ca.csr"
selfsign rogue "$W/rogue-ca.key" "$W/rogue-ca.csr" "$W/rogue-ca.pem" ext_root -365 3650

# --- leaves signed by the intermediate ----------------------------------------
# leaf NAME KEYTYPE CN SAN START_DAYS END_DAYS
leaf() {
    case $2 in
        ec) newkey_ec "$W/$1.key" ;;
        rsa1024) newkey_rsa "$W/$1.key" 1024 ;;
    esac
    csr "$W/$1.key" "/CN=$3" "$W/$1.csr"
    sign intermediate "$W/intermediate.pem" "$W/intermediate.key" \
        "$W/$1.csr" "$W/$1.crt" ext_leaf "$5" "$6" "$4"
    cat "$W/$1.crt" "$W/intermediate.pem" >"$W/$1.chain.pem"
}

# *.fan.mx.test: the MX hosts of check_smtp_tls --mx; dane-ta.mx.test: the
# DANE-TA(2) case, whose name is checked
# xn--bcher-kva.mail.test: "bücher.mail.test", the Unicode --cert-name case
GOOD_SAN="DNS:mail.test,DNS:localhost,DNS:*.fan.mx.test,DNS:dane-ta.mx.test,DNS:xn--bcher-kva.mail.test"
leaf good      ec      mail.test  "$GOOD_SAN"  -1   90
leaf expired   ec      mail.test  "$GOOD_SAN" -100 -10
leaf notyet    ec      mail.test  "$GOOD_SAN"  10  100
leaf crit      ec      mail.test  "$GOOD_SAN" -30    2
leaf warn      ec      mail.test  "$GOOD_SAN" -30   10
leaf wrongname ec      other.test "DNS:other.test,DNS:www.other.test" -1 90
leaf weak      rsa1024 mail.test  "$GOOD_SAN"  -1   90
STS_SAN=
for c in good ststesting stsmismatch stsshort stsredirect stsbig stsmissing \
         stschunked stsstall stswrongtype ststwo stsnorpt stsnotxt; do
    STS_SAN="$STS_SAN${STS_SAN:+,}DNS:mta-sts.$c.mx.test"
done
leaf mta-sts   ec      mta-sts.good.mx.test "$STS_SAN" -1 90

# missing intermediate: the good leaf, served without its intermediate
cp "$W/good.key" "$W/missing-intermediate.key"
cp "$W/good.crt" "$W/missing-intermediate.crt"
cp "$W/good.crt" "$W/missing-intermediate.chain.pem"

# self-signed leaf for mail.test
newkey_ec "$W/selfsigned.key"
csr "$W/selfsigned.key" "/CN=mail.test" "$W/selfsigned.csr"
selfsign self "$W/selfsigned.key" "$W/selfsigned.csr" "$W/selfsigned.crt" \
    ext_selfsigned_leaf -1 90 "$GOOD_SAN"
cp "$W/selfsigned.crt" "$W/selfsigned.chain.pem"

# untrusted: mail.test issued by the rogue root; chain = leaf + rogue root
newkey_ec "$W/untrusted.key"
csr "$W/untrusted.key" "/CN=mail.test" "$W/untrusted.csr"
sign rogue "$W/rogue-ca.pem" "$W/rogue-ca.key" "$W/untrusted.csr" \
    "$W/untrusted.crt" ext_leaf -1 90 "$GOOD_SAN"
cat "$W/untrusted.crt" "$W/rogue-ca.pem" >"$W/untrusted.chain.pem"

# --- OCSP stapling and protocol policy leaves (tlsd.py) ------------------------
command -v faketime >/dev/null ||
    { echo "certs.sh: faketime is needed (apt-get install faketime)" >&2; exit 1; }
IDB=$W/intermediate.db

# key and request in one run (one process less per leaf)
keycsr_ec() { # name
    "$OPENSSL" req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc \
        -keyout "$W/$1.key" -subj "/CN=mail.test" -out "$W/$1.csr" \
        -config "$WORK/root.db/ca.cnf" 2>/dev/null
}

keycsr_ec staple
sign intermediate "$W/intermediate.pem" "$W/intermediate.key" "$W/staple.csr" \
    "$W/staple.crt" ext_leaf -1 90 "$GOOD_SAN"
staple_serial=$(cat "$IDB/serial.old")      # the serial openssl ca just used
cat "$W/staple.crt" "$W/intermediate.pem" >"$W/staple.chain.pem"

keycsr_ec muststaple
sign intermediate "$W/intermediate.pem" "$W/intermediate.key" "$W/muststaple.csr" \
    "$W/muststaple.crt" ext_leaf_muststaple -1 90 "$GOOD_SAN"
cat "$W/muststaple.crt" "$W/intermediate.pem" >"$W/muststaple.chain.pem"

keycsr_ec sha1
MC_SAN=$GOOD_SAN "$OPENSSL" ca -batch -notext -md sha1 -config "$IDB/ca.cnf" \
    -cert "$W/intermediate.pem" -keyfile "$W/intermediate.key" \
    -in "$W/sha1.csr" -out "$W/sha1.crt" -extensions ext_leaf \
    -startdate "$(when -1)" -enddate "$(when 90)" 2>"$W/ca.err" ||
    { cat "$W/ca.err" >&2; exit 1; }
cat "$W/sha1.crt" "$W/intermediate.pem" >"$W/sha1.chain.pem"

# the name cases: no SAN, no digitalSignature, an address as a DNS name
keycsr_ec cnonly
sign intermediate "$W/intermediate.pem" "$W/intermediate.key" "$W/cnonly.csr" \
    "$W/cnonly.crt" ext_leaf_nosan -1 90
keycsr_ec nodigsig
sign intermediate "$W/intermediate.pem" "$W/intermediate.key" "$W/nodigsig.csr" \
    "$W/nodigsig.crt" ext_leaf_nodigsig -1 90 "$GOOD_SAN"
"$OPENSSL" req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc \
    -keyout "$W/ipdns.key" -subj "/CN=127.0.0.1" -out "$W/ipdns.csr" \
    -config "$WORK/root.db/ca.cnf" 2>/dev/null
sign intermediate "$W/intermediate.pem" "$W/intermediate.key" "$W/ipdns.csr" \
    "$W/ipdns.crt" ext_leaf -1 90 "DNS:127.0.0.1"
for n in cnonly nodigsig ipdns; do
    cat "$W/$n.crt" "$W/intermediate.pem" >"$W/$n.chain.pem"
done

# OCSP responses from the intermediate's openssl-ca index (no nonce: a
# staple answers no particular request).  The revoked one reads a copy of
# the index in which the staple leaf is revoked (UTCTime, reason).
ocsp_resp() { # index cert out ndays [faketime offset]
    ${5:+faketime -f "$5"} "$OPENSSL" ocsp -no_nonce -index "$1" -CA "$W/intermediate.pem" \
        -rsigner "$W/intermediate.pem" -rkey "$W/intermediate.key" \
        -issuer "$W/intermediate.pem" -cert "$W/$2.crt" -respout "$W/$3" \
        -ndays "$4" >"$W/ocsp.err" 2>&1 || { cat "$W/ocsp.err" >&2; exit 1; }
}
awk -F '\t' -v OFS='\t' -v sn="$staple_serial" -v t="$(when -2 | cut -c3-),keyCompromise" \
    '$4 == sn { $1 = "R"; $3 = t } { print }' "$IDB/index.txt" >"$W/revoked-index.txt"
cp "$IDB/index.txt.attr" "$W/revoked-index.txt.attr"     # unique_subject = no
ocsp_resp "$IDB/index.txt" staple staple-good.ocsp 7
ocsp_resp "$W/revoked-index.txt" staple staple-revoked.ocsp 7
ocsp_resp "$IDB/index.txt" staple staple-expired.ocsp 1 -10d
ocsp_resp "$IDB/index.txt" muststaple muststaple-good.ocsp 7

wait "$rsa_pid" || { echo "certs.sh: RSA 2048 key generation failed" >&2; exit 1; }
csr "$W/rsa2048.key" "/CN=mail.test" "$W/rsa2048.csr"
sign intermediate "$W/intermediate.pem" "$W/intermediate.key" "$W/rsa2048.csr" \
    "$W/rsa2048.crt" ext_leaf -1 90 "$GOOD_SAN"
cat "$W/rsa2048.crt" "$W/intermediate.pem" >"$W/rsa2048.chain.pem"

# --- sanity check: every leaf verifies (or fails) as designed -----------------
check() { # name expected-substring [extra verify args]
    n=$1 want=$2
    shift 2
    got=$("$OPENSSL" verify -CAfile "$W/ca.pem" -untrusted "$W/intermediate.pem" \
        "$@" "$W/$n.crt" 2>&1 || true)
    case $got in
        *"$want"*) ;;
        *) echo "certs.sh: self-check failed for $n: wanted '$want', got: $got" >&2
           exit 1 ;;
    esac
}
check good ": OK"
check crit ": OK"
check warn ": OK"
check weak ": OK"
check wrongname ": OK"
check mta-sts ": OK"
check expired "certificate has expired"
check notyet "certificate is not yet valid"
check untrusted "unable to get local issuer certificate"
# the tlsd.py leaves, in one run: at security level 1 (80 bits) SHA-1 is too
# weak (OpenSSL 3), the others verify
got=$("$OPENSSL" verify -auth_level 1 -CAfile "$W/ca.pem" -untrusted "$W/intermediate.pem" \
    "$W/staple.crt" "$W/muststaple.crt" "$W/rsa2048.crt" "$W/sha1.crt" 2>&1 || true)
case $got in
    *"/staple.crt: OK"*"/muststaple.crt: OK"*"/rsa2048.crt: OK"*) ;;
    *) echo "certs.sh: self-check failed for staple, muststaple, rsa2048: $got" >&2; exit 1 ;;
esac
case $got in
    *"CA signature digest algorithm too weak"*"sha1.crt: verification failed"*) ;;
    *) echo "certs.sh: self-check failed for sha1: wanted 'too weak', got: $got" >&2; exit 1 ;;
esac
# the name cases verify as certificates (their names are the test's)
check cnonly ": OK"
check nodigsig ": OK"
check ipdns ": OK"
got=$("$OPENSSL" x509 -in "$W/cnonly.crt" -noout -ext subjectAltName 2>&1)$("$OPENSSL" x509 \
    -in "$W/nodigsig.crt" -noout -ext keyUsage 2>&1)
case $got in
    *"Subject Alternative Name"*) echo "certs.sh: cnonly has a subjectAltName" >&2; exit 1 ;;
    *"Key Encipherment"*) case $got in *"Digital Signature"*)
        echo "certs.sh: nodigsig has digitalSignature: $got" >&2; exit 1 ;; esac ;;
    *) echo "certs.sh: nodigsig has no keyUsage: $got" >&2; exit 1 ;;
esac
# facts: the SHA-1 signature, the TLS Feature, the RSA key size
got=$("$OPENSSL" x509 -in "$W/sha1.crt" -noout -text 2>&1)$("$OPENSSL" x509 -in "$W/muststaple.crt" \
    -noout -ext tlsfeature 2>&1)$("$OPENSSL" pkey -in "$W/rsa2048.key" -noout -text 2>&1 | head -n 1)
case $got in
    *"Signature Algorithm: ecdsa-with-SHA1"*"TLS Feature:"*"status_request"*"(2048 bit"*) ;;
    *) echo "certs.sh: self-check failed for sha1, muststaple or rsa2048: $got" >&2; exit 1 ;;
esac
# every OCSP response verifies and says what it should
check_ocsp() { # response cert expected-substring
    got=$("$OPENSSL" ocsp -no_nonce -respin "$W/$1" -CAfile "$W/ca.pem" \
        -issuer "$W/intermediate.pem" -cert "$W/$2.crt" 2>&1 || true)
    case $got in
        *"Response verify OK"*"$3"*) ;;
        *) echo "certs.sh: self-check failed for $1: wanted '$3', got: $got" >&2
           exit 1 ;;
    esac
}
check_ocsp staple-good.ocsp staple "staple.crt: good"
check_ocsp staple-revoked.ocsp staple "Reason: keyCompromise"
check_ocsp staple-expired.ocsp staple "staple.crt: WARNING: Status times invalid."
check_ocsp muststaple-good.ocsp muststaple "muststaple.crt: good"

# --- publish ---------------------------------------------------------------------
PUB=$W/pub
mkdir -p "$PUB"
cp "$W/ca.pem" "$W/intermediate.pem" "$W/rogue-ca.pem" "$PUB/"
for n in good expired notyet crit warn wrongname missing-intermediate \
         selfsigned untrusted weak mta-sts; do
    cp "$W/$n.key" "$W/$n.crt" "$W/$n.chain.pem" "$PUB/"
done
for n in staple muststaple rsa2048 sha1 cnonly nodigsig ipdns; do
    cp "$W/$n.key" "$W/$n.crt" "$W/$n.chain.pem" "$PUB/"
done
cp "$W"/*.ocsp "$PUB/"
chmod 644 "$PUB"/*.ocsp
chmod 600 "$PUB"/*.key
chmod 644 "$PUB"/*.pem "$PUB"/*.crt
chmod 755 "$PUB"

rm -rf "$OUT.old"
if [ -e "$OUT" ]; then mv "$OUT" "$OUT.old"; fi
mv "$PUB" "$OUT"
rm -rf "$OUT.old"
