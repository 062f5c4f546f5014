#include "mc_status.h"

const char *mc_status_str(mc_status_t st)
{
	switch (st) {
	case MC_OK: return "ok";
	case MC_E_USAGE: return "usage error";
	case MC_E_NOMEM: return "out of memory";
	case MC_E_INTERNAL: return "internal error";
	case MC_E_DNS_NOTFOUND: return "name not found";
	case MC_E_DNS_TRYAGAIN: return "DNS temporary failure";
	case MC_E_DNS_MALFORMED: return "malformed DNS answer";
	case MC_E_CONNECT: return "connection failed";
	case MC_E_CLOSED: return "connection closed";
	case MC_E_IO: return "I/O error";
	case MC_E_TLS: return "TLS handshake failed";
	case MC_E_VERIFY: return "certificate verification failed";
	case MC_E_PROTOCOL: return "protocol error";
	case MC_E_REFUSED: return "refused by server";
	case MC_E_TIMEOUT: return "timeout";
	case MC_E_LIMIT: return "size limit exceeded";
	case MC_E_AGAIN: return "more input needed";
	}
	return "unknown status";
}
