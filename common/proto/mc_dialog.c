#include "mc_dialog.h"

#include <stdio.h>
#include <string.h>

#include "util/mc_str.h"

void mc_dialog_init(mc_dialog_t *d, mc_dialog_parse_fn parse, void *reply, mc_dialog_cb cb,
                    void *arg, int verbose)
{
	memset(d, 0, sizeof(*d));
	d->parse = parse;
	d->reply = reply;
	d->cb = cb;
	d->arg = arg;
	d->verbose = verbose;
}

void mc_dialog_attach(mc_dialog_t *d, mc_stream_t *s)
{
	d->s = s;
}

static void transcript(const mc_dialog_t *d, const char *who, const char *p, size_t n)
{
	char line[256];

	if (d->verbose < 3)
		return;
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t ll = nl ? (size_t)(nl - p) + 1 : n;
		size_t shown = ll;
		while (shown && (p[shown - 1] == '\n' || p[shown - 1] == '\r'))
			shown--;
		mc_str_sanitize(line, sizeof(line), p, shown);
		fprintf(stderr, "%s %s\n", who, line);
		p += ll;
		n -= ll;
	}
}

mc_status_t mc_dialog_send(mc_dialog_t *d, const char *line, bool secret)
{
	size_t n = strlen(line);
	mc_status_t st;

	if (secret && d->verbose >= 3) {
		/* Only a leading tag or verb ("a4", "PASS") may show; a line
		 * that is all secret (a SASL response) shows nothing. */
		const char *sp = strchr(line, ' ');
		if (sp)
			fprintf(stderr, "C: %.*s ****\n", (int)(sp - line), line);
		else
			fprintf(stderr, "C: ****\n");
	} else {
		transcript(d, "C:", line, n);
	}
	/* One write for line and CRLF: two small segments would meet Nagle
	 * and delayed ACK and cost 40 ms. */
	{
		char buf[1024];
		if (n + 2 > sizeof(buf))
			return MC_E_LIMIT;
		memcpy(buf, line, n);
		memcpy(buf + n, "\r\n", 2);
		st = mc_stream_write(d->s, buf, n + 2);
	}
	return st;
}

/* Parse what is buffered; true if the wait ended (callback called). */
static bool try_parse(mc_dialog_t *d)
{
	mc_buf_t *b = mc_stream_rbuf(d->s);
	size_t used = 0;
	char err[256];
	mc_status_t st;

	if (!b->len)
		return false;
	err[0] = '\0';
	st = d->parse(d->reply, b->data, b->len, &used, err, sizeof(err));
	if (st == MC_E_AGAIN)
		return false;
	d->waiting = false;
	if (st == MC_OK) {
		transcript(d, "S:", b->data, used);
		mc_buf_consume(b, used);
	}
	d->cb(d->arg, st, err);
	return true;
}

void mc_dialog_expect(mc_dialog_t *d)
{
	/* Bytes already buffered come back as a stream event from the loop. */
	d->waiting = true;
	mc_stream_read(d->s, true);
}

void mc_dialog_event(mc_dialog_t *d, mc_stream_event_t ev)
{
	char err[300];

	if (!d->waiting)
		return;
	if (ev == MC_STREAM_DATA) {
		try_parse(d);
		return;
	}
	d->waiting = false;
	if (ev == MC_STREAM_EOF) {
		mc_buf_t *b = mc_stream_rbuf(d->s);
		if (d->parse_eof) {
			size_t used = 0;
			mc_status_t st;
			err[0] = '\0';
			st = d->parse_eof(d->reply, b->data ? b->data : "", b->len, &used, err,
			                  sizeof(err));
			if (st == MC_OK) {
				transcript(d, "S:", b->data, used);
				mc_buf_consume(b, used);
			} else if (st == MC_E_AGAIN || !err[0]) {
				st = MC_E_CLOSED;
				snprintf(err, sizeof(err), "connection closed by server");
			}
			d->cb(d->arg, st, err);
			return;
		}
		if (b->len)
			snprintf(err, sizeof(err),
			         "connection closed by server in the middle of a reply");
		else
			snprintf(err, sizeof(err), "connection closed by server");
		d->cb(d->arg, MC_E_CLOSED, err);
		return;
	}
	mc_strlcpy(err, mc_stream_error(d->s), sizeof(err));
	d->cb(d->arg, mc_stream_status(d->s) ? mc_stream_status(d->s) : MC_E_IO, err);
}
