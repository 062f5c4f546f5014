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

GOOD_SAN="DNS:mail.test,DNS:localhost"
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

# --- publish ---------------------------------------------------------------------
PUB=$W/pub
mkdir -p "$PUB"
cp "$W/ca.pem" "$W/intermediate.pem" "$W/rogue-ca.pem" "$PUB/"
for n in good expired notyet crit warn wrongname missing-intermediate \
         selfsigned untrusted weak mta-sts; do
    cp "$W/$n.key" "$W/$n.crt" "$W/$n.chain.pem" "$PUB/"
done
chmod 600 "$PUB"/*.key
chmod 644 "$PUB"/*.pem "$PUB"/*.crt
chmod 755 "$PUB"

rm -rf "$OUT.old"
if [ -e "$OUT" ]; then mv "$OUT" "$OUT.old"; fi
mv "$PUB" "$OUT"
rm -rf "$OUT.old"
