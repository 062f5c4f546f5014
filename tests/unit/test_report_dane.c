/* Unit tests: the one DANE judgement (report/mc_report_dane, RFC 7672) in
 * both of its uses: the survey of published records (check_mx_dns --dane)
 * and the session (check_smtp_tls --dane, --mx). */
#include "report_facts.h"

#include "report/mc_report_dane.h"

/* A TLSA answer: records "usage selector mtype", validated or not. */
static mc_dns_answer_t *tlsa(bool ad, const char *recs)
{
	mc_dns_answer_t *a = fake(MC_DNS_ANSWER, NULL);
	const char *p;

	for (p = recs; *p; p += strspn(p, ", ")) {
		mc_dns_rr_t *rr = fake_rr(a, MC_DNS_T_TLSA, NULL);
		rr->usage = (uint8_t)(p[0] - '0');
		rr->selector = (uint8_t)(p[2] - '0');
		rr->mtype = (uint8_t)(p[4] - '0');
		p += 5;
	}
	a->ad = ad;
	return a;
}

static mc_report_dane_facts_t host(const char *name, const char *tlsa_name,
                                   const mc_dns_answer_t *a)
{
	mc_report_dane_facts_t f;

	memset(&f, 0, sizeof(f));
	f.host = name;
	f.tlsa_name = tlsa_name;
	f.tlsa = asked(a);
	return f;
}

static void test_survey(void **state)
{
	mc_report_dane_facts_t h[6];
	mc_report_opts_t o = {MC_STATE_UNKNOWN, 0};
	mc_report_okline_t ok = {""};
	mc_result_t *root = mc_result_new("T");

	(void)state;
	fake_reset();
	h[0] = host("mx1.t", "_25._tcp.mx1.t", tlsa(true, "3 1 1"));
	h[1] = host("mx2.t", "_25._tcp.mx2.t", tlsa(true, "3 1 1, 1 0 1"));
	mc_report_dane_survey(h, 2, &o, root, &ok);
	check_lines("validated records; PKIX usage warned", root,
	            "[OK] DANE mx1.t: 1 TLSA record (3 1 1), validated\n"
	            "[WARNING] DANE mx2.t: TLSA usage 1 (PKIX) is not for SMTP (RFC 7672 section "
	            "3.1.3)\n"
	            "[OK] DANE mx2.t: 2 TLSA records (3 1 1, 1 0 1), validated\n",
	            "");
	assert_string_equal(ok.text, "DANE");
	root = mc_result_new("T");
	ok.text[0] = '\0';
	h[0] = host("mx1.t", "_25._tcp.mx1.t", tlsa(false, "3 1 1"));
	h[1] = host("mx2.t", "_25._tcp.mx2.t", fake(MC_DNS_NXDOMAIN, ""));
	h[2] = host("mx3.t", "_25._tcp.mx3.t", fake(MC_DNS_SERVFAIL, "TLSA x: SERVFAIL"));
	h[3] = host("mx4.t", "_25._tcp.mx4.t", NULL);
	h[4] = host("mx5.t", "_25._tcp.mx5.t", NULL);
	h[4].tlsa.asked = false; /* an address literal */
	h[5] = host("mx6.t", "_25._tcp.mx6.t", tlsa(true, "2 0 1"));
	mc_report_dane_survey(h, 6, &o, root, &ok);
	check_lines("unvalidated, missing, failed, unanswered", root,
	            "[CRITICAL] DANE mx1.t: the TLSA records are not DNSSEC-validated (no AD), so "
	            "unusable (RFC 7672 section 2.2)\n"
	            "[CRITICAL] DANE mx2.t: no TLSA record at _25._tcp.mx2.t\n"
	            "[CRITICAL] DANE mx3.t: TLSA x: SERVFAIL\n"
	            "[UNKNOWN] DANE mx4.t: no answer before the deadline\n"
	            "[OK] DANE mx6.t: 1 TLSA record (2 0 1), validated\n",
	            "");
	assert_string_equal(ok.text, "");
}

typedef struct session_case {
	const char *name;
	mc_report_dane_facts_t f;
	int tlsa; /* 0 none (deadline), 1 valid 3 1 1, 2 unvalidated, 3 NODATA, 4 SERVFAIL,
	             5 only PKIX */
	bool require;
	const char *lines;
} session_case_t;

#define H                                                                                          \
	"mx.t", "_25._tcp.mx.t",                                                                   \
	{                                                                                          \
		true, false, NULL                                                                  \
	}

static const session_case_t session_cases[] = {
    {"matched",
     {H, NULL, false, true, 1, true, "3 1 1 8a3f", 0},
     1,
     false,
     "[OK] DANE: TLSA record 3 1 1 8a3f at _25._tcp.mx.t matches (depth 0)\n"},
    {"no record matches",
     {H, NULL, false, true, 2, false, NULL, -1},
     1,
     true,
     "[CRITICAL] DANE: none of the 2 usable TLSA records at _25._tcp.mx.t matches the "
     "certificate\n"},
    {"handshake not done: nothing yet", {H, NULL, false, false, 0, false, NULL, -1}, 1, false, ""},
    {"TLSA unanswered: the host's line says so",
     {H, NULL, false, false, 0, false, NULL, -1},
     0,
     false,
     ""},
    {"MX not validated",
     {H, "d.t", false, false, 0, false, NULL, -1},
     1,
     false,
     "[WARNING] DANE: the MX records of d.t are not DNSSEC-validated, so DANE does not apply "
     "(RFC 7672 section 2.2.1)\n"},
    {"MX validated",
     {H, "d.t", true, true, 1, true, "3 1 1 8a3f", 0},
     1,
     false,
     "[OK] DANE: TLSA record 3 1 1 8a3f at _25._tcp.mx.t matches (depth 0)\n"},
    {"no TLSA records",
     {H, NULL, false, false, 0, false, NULL, -1},
     3,
     false,
     "[WARNING] DANE: no TLSA records at _25._tcp.mx.t\n"},
    {"no TLSA records, require",
     {H, NULL, false, false, 0, false, NULL, -1},
     3,
     true,
     "[CRITICAL] DANE: no TLSA records at _25._tcp.mx.t\n"},
    {"TLSA lookup failed: senders defer",
     {H, NULL, false, false, 0, false, NULL, -1},
     4,
     false,
     "[CRITICAL] DANE: TLSA lookup failed, DANE senders will defer mail: TLSA x: SERVFAIL\n"},
    {"not validated",
     {H, NULL, false, false, 0, false, NULL, -1},
     2,
     false,
     "[WARNING] DANE: TLSA records at _25._tcp.mx.t are not DNSSEC-validated (no AD from the "
     "resolver): ignored\n"},
    {"only PKIX records",
     {H, NULL, false, false, 0, false, NULL, -1},
     5,
     true,
     "[CRITICAL] DANE: no usable TLSA record at _25._tcp.mx.t (only DANE-TA(2) and DANE-EE(3) "
     "count for SMTP, RFC 7672 section 3.1.3)\n"},
    {"cannot ask",
     {"mx.t", "_25._tcp.mx.t", {true, true, NULL}, NULL, false, false, 0, false, NULL, -1},
     0,
     false,
     "[UNKNOWN] DANE: cannot ask for _25._tcp.mx.t\n"},
};

static void test_session(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(session_cases) / sizeof(session_cases[0]); i++) {
		const session_case_t *c = &session_cases[i];
		mc_report_dane_facts_t f = c->f;
		mc_report_dane_opts_t d = {c->require};
		mc_result_t *root = mc_result_new("T");
		const mc_dns_answer_t *a[6];
		fake_reset();
		a[0] = NULL;
		a[1] = tlsa(true, "3 1 1");
		a[2] = tlsa(false, "3 1 1");
		a[3] = fake(MC_DNS_NODATA, "");
		a[4] = fake(MC_DNS_SERVFAIL, "TLSA x: SERVFAIL");
		a[5] = tlsa(true, "1 1 1");
		f.tlsa.ans = a[c->tlsa];
		mc_report_dane_session(&f, &d, root);
		check_lines(c->name, root, c->lines, "");
	}
	fake_reset();
	assert_int_equal(mc_report_dane_usable(tlsa(true, "3 1 1, 2 0 1, 1 1 1, 0 0 1")), 2);
	assert_int_equal(mc_report_dane_usable(fake(MC_DNS_NODATA, "")), 0);
	assert_int_equal(mc_report_dane_usable(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_survey),
	    cmocka_unit_test(test_session),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
