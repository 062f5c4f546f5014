# tests/fuzz/targets.mk - written by tests/lists.py from FUZZ_TARGETS
# (tests/fuzz/Makefile.inc): do not edit; run `tests/lists.py write`.
# Automake needs every program and its variables spelled out.

# make check: replay_<t> = replay.c + fuzz_<t>.c replays corpus/<t>.
fuzz_replay_programs = \
	tests/fuzz/replay_range \
	tests/fuzz/replay_perf_label \
	tests/fuzz/replay_ini \
	tests/fuzz/replay_smtp_reply \
	tests/fuzz/replay_dns_server \
	tests/fuzz/replay_cert_der \
	tests/fuzz/replay_optvalues \
	tests/fuzz/replay_imap_reply \
	tests/fuzz/replay_pop3_reply \
	tests/fuzz/replay_sasl \
	tests/fuzz/replay_scram \
	tests/fuzz/replay_dns_msg \
	tests/fuzz/replay_sts_record \
	tests/fuzz/replay_sts_policy \
	tests/fuzz/replay_tlsrpt \
	tests/fuzz/replay_http_reply \
	tests/fuzz/replay_dkim_record \
	tests/fuzz/replay_dmarc \
	tests/fuzz/replay_spf_record \
	tests/fuzz/replay_spf_macro \
	tests/fuzz/replay_taglist \
	tests/fuzz/replay_base64 \
	tests/fuzz/replay_spf_walk \
	tests/fuzz/replay_ocsp \
	tests/fuzz/replay_dnsbl \
	tests/fuzz/replay_mx_set
tests_fuzz_replay_range_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_range.c
tests_fuzz_replay_range_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"range"'
tests_fuzz_replay_range_LDADD = $(MC_LIBS)
tests_fuzz_replay_perf_label_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_perf_label.c
tests_fuzz_replay_perf_label_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"perf_label"'
tests_fuzz_replay_perf_label_LDADD = $(MC_LIBS)
tests_fuzz_replay_ini_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_ini.c
tests_fuzz_replay_ini_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"ini"'
tests_fuzz_replay_ini_LDADD = $(MC_LIBS)
tests_fuzz_replay_smtp_reply_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_smtp_reply.c
tests_fuzz_replay_smtp_reply_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"smtp_reply"'
tests_fuzz_replay_smtp_reply_LDADD = $(MC_LIBS)
tests_fuzz_replay_dns_server_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_dns_server.c
tests_fuzz_replay_dns_server_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"dns_server"'
tests_fuzz_replay_dns_server_LDADD = $(MC_LIBS)
tests_fuzz_replay_cert_der_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_cert_der.c
tests_fuzz_replay_cert_der_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"cert_der"'
tests_fuzz_replay_cert_der_LDADD = $(MC_LIBS)
tests_fuzz_replay_optvalues_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_optvalues.c
tests_fuzz_replay_optvalues_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"optvalues"'
tests_fuzz_replay_optvalues_LDADD = $(MC_LIBS)
tests_fuzz_replay_imap_reply_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_imap_reply.c
tests_fuzz_replay_imap_reply_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"imap_reply"'
tests_fuzz_replay_imap_reply_LDADD = $(MC_LIBS)
tests_fuzz_replay_pop3_reply_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_pop3_reply.c
tests_fuzz_replay_pop3_reply_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"pop3_reply"'
tests_fuzz_replay_pop3_reply_LDADD = $(MC_LIBS)
tests_fuzz_replay_sasl_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_sasl.c
tests_fuzz_replay_sasl_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"sasl"'
tests_fuzz_replay_sasl_LDADD = $(MC_LIBS)
tests_fuzz_replay_scram_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_scram.c
tests_fuzz_replay_scram_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"scram"'
tests_fuzz_replay_scram_LDADD = $(MC_LIBS)
tests_fuzz_replay_dns_msg_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_dns_msg.c
tests_fuzz_replay_dns_msg_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"dns_msg"'
tests_fuzz_replay_dns_msg_LDADD = $(MC_LIBS)
tests_fuzz_replay_sts_record_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_sts_record.c
tests_fuzz_replay_sts_record_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"sts_record"'
tests_fuzz_replay_sts_record_LDADD = $(MC_LIBS)
tests_fuzz_replay_sts_policy_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_sts_policy.c
tests_fuzz_replay_sts_policy_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"sts_policy"'
tests_fuzz_replay_sts_policy_LDADD = $(MC_LIBS)
tests_fuzz_replay_tlsrpt_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_tlsrpt.c
tests_fuzz_replay_tlsrpt_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"tlsrpt"'
tests_fuzz_replay_tlsrpt_LDADD = $(MC_LIBS)
tests_fuzz_replay_http_reply_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_http_reply.c
tests_fuzz_replay_http_reply_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"http_reply"'
tests_fuzz_replay_http_reply_LDADD = $(MC_LIBS)
tests_fuzz_replay_dkim_record_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_dkim_record.c
tests_fuzz_replay_dkim_record_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"dkim_record"'
tests_fuzz_replay_dkim_record_LDADD = $(MC_LIBS)
tests_fuzz_replay_dmarc_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_dmarc.c
tests_fuzz_replay_dmarc_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"dmarc"'
tests_fuzz_replay_dmarc_LDADD = $(MC_LIBS)
tests_fuzz_replay_spf_record_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_spf_record.c
tests_fuzz_replay_spf_record_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"spf_record"'
tests_fuzz_replay_spf_record_LDADD = $(MC_LIBS)
tests_fuzz_replay_spf_macro_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_spf_macro.c
tests_fuzz_replay_spf_macro_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"spf_macro"'
tests_fuzz_replay_spf_macro_LDADD = $(MC_LIBS)
tests_fuzz_replay_taglist_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_taglist.c
tests_fuzz_replay_taglist_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"taglist"'
tests_fuzz_replay_taglist_LDADD = $(MC_LIBS)
tests_fuzz_replay_base64_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_base64.c
tests_fuzz_replay_base64_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"base64"'
tests_fuzz_replay_base64_LDADD = $(MC_LIBS)
tests_fuzz_replay_spf_walk_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_spf_walk.c
tests_fuzz_replay_spf_walk_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"spf_walk"'
tests_fuzz_replay_spf_walk_LDADD = $(MC_LIBS)
tests_fuzz_replay_ocsp_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_ocsp.c
tests_fuzz_replay_ocsp_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"ocsp"'
tests_fuzz_replay_ocsp_LDADD = $(MC_LIBS)
tests_fuzz_replay_dnsbl_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_dnsbl.c
tests_fuzz_replay_dnsbl_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"dnsbl"'
tests_fuzz_replay_dnsbl_LDADD = $(MC_LIBS)
tests_fuzz_replay_mx_set_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_mx_set.c
tests_fuzz_replay_mx_set_CPPFLAGS = $(AM_CPPFLAGS) -DMC_FUZZ_TARGET='"mx_set"'
tests_fuzz_replay_mx_set_LDADD = $(MC_LIBS)

# ./configure --enable-fuzzing CC=clang: the libFuzzer binaries.
if ENABLE_FUZZING
fuzz_programs = \
	tests/fuzz/fuzz_range \
	tests/fuzz/fuzz_perf_label \
	tests/fuzz/fuzz_ini \
	tests/fuzz/fuzz_smtp_reply \
	tests/fuzz/fuzz_dns_server \
	tests/fuzz/fuzz_cert_der \
	tests/fuzz/fuzz_optvalues \
	tests/fuzz/fuzz_imap_reply \
	tests/fuzz/fuzz_pop3_reply \
	tests/fuzz/fuzz_sasl \
	tests/fuzz/fuzz_scram \
	tests/fuzz/fuzz_dns_msg \
	tests/fuzz/fuzz_sts_record \
	tests/fuzz/fuzz_sts_policy \
	tests/fuzz/fuzz_tlsrpt \
	tests/fuzz/fuzz_http_reply \
	tests/fuzz/fuzz_dkim_record \
	tests/fuzz/fuzz_dmarc \
	tests/fuzz/fuzz_spf_record \
	tests/fuzz/fuzz_spf_macro \
	tests/fuzz/fuzz_taglist \
	tests/fuzz/fuzz_base64 \
	tests/fuzz/fuzz_spf_walk \
	tests/fuzz/fuzz_ocsp \
	tests/fuzz/fuzz_dnsbl \
	tests/fuzz/fuzz_mx_set
tests_fuzz_fuzz_range_SOURCES = tests/fuzz/fuzz_range.c
tests_fuzz_fuzz_range_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_range_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_perf_label_SOURCES = tests/fuzz/fuzz_perf_label.c
tests_fuzz_fuzz_perf_label_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_perf_label_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_ini_SOURCES = tests/fuzz/fuzz_ini.c
tests_fuzz_fuzz_ini_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_ini_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_smtp_reply_SOURCES = tests/fuzz/fuzz_smtp_reply.c
tests_fuzz_fuzz_smtp_reply_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_smtp_reply_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_dns_server_SOURCES = tests/fuzz/fuzz_dns_server.c
tests_fuzz_fuzz_dns_server_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_dns_server_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_cert_der_SOURCES = tests/fuzz/fuzz_cert_der.c
tests_fuzz_fuzz_cert_der_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_cert_der_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_optvalues_SOURCES = tests/fuzz/fuzz_optvalues.c
tests_fuzz_fuzz_optvalues_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_optvalues_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_imap_reply_SOURCES = tests/fuzz/fuzz_imap_reply.c
tests_fuzz_fuzz_imap_reply_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_imap_reply_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_pop3_reply_SOURCES = tests/fuzz/fuzz_pop3_reply.c
tests_fuzz_fuzz_pop3_reply_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_pop3_reply_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_sasl_SOURCES = tests/fuzz/fuzz_sasl.c
tests_fuzz_fuzz_sasl_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_sasl_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_scram_SOURCES = tests/fuzz/fuzz_scram.c
tests_fuzz_fuzz_scram_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_scram_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_dns_msg_SOURCES = tests/fuzz/fuzz_dns_msg.c
tests_fuzz_fuzz_dns_msg_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_dns_msg_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_sts_record_SOURCES = tests/fuzz/fuzz_sts_record.c
tests_fuzz_fuzz_sts_record_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_sts_record_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_sts_policy_SOURCES = tests/fuzz/fuzz_sts_policy.c
tests_fuzz_fuzz_sts_policy_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_sts_policy_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_tlsrpt_SOURCES = tests/fuzz/fuzz_tlsrpt.c
tests_fuzz_fuzz_tlsrpt_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_tlsrpt_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_http_reply_SOURCES = tests/fuzz/fuzz_http_reply.c
tests_fuzz_fuzz_http_reply_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_http_reply_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_dkim_record_SOURCES = tests/fuzz/fuzz_dkim_record.c
tests_fuzz_fuzz_dkim_record_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_dkim_record_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_dmarc_SOURCES = tests/fuzz/fuzz_dmarc.c
tests_fuzz_fuzz_dmarc_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_dmarc_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_spf_record_SOURCES = tests/fuzz/fuzz_spf_record.c
tests_fuzz_fuzz_spf_record_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_spf_record_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_spf_macro_SOURCES = tests/fuzz/fuzz_spf_macro.c
tests_fuzz_fuzz_spf_macro_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_spf_macro_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_taglist_SOURCES = tests/fuzz/fuzz_taglist.c
tests_fuzz_fuzz_taglist_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_taglist_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_base64_SOURCES = tests/fuzz/fuzz_base64.c
tests_fuzz_fuzz_base64_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_base64_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_spf_walk_SOURCES = tests/fuzz/fuzz_spf_walk.c
tests_fuzz_fuzz_spf_walk_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_spf_walk_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_ocsp_SOURCES = tests/fuzz/fuzz_ocsp.c
tests_fuzz_fuzz_ocsp_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_ocsp_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_dnsbl_SOURCES = tests/fuzz/fuzz_dnsbl.c
tests_fuzz_fuzz_dnsbl_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_dnsbl_LDADD = $(MC_LIBS)
tests_fuzz_fuzz_mx_set_SOURCES = tests/fuzz/fuzz_mx_set.c
tests_fuzz_fuzz_mx_set_CFLAGS = $(FUZZ_MAIN_CFLAGS)
tests_fuzz_fuzz_mx_set_LDADD = $(MC_LIBS)
endif
