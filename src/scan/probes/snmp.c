/*
 * snmp.c - the SNMP probe: a GET of sysDescr.0, sysObjectID.0 and sysName.0
 * as v2c and as v1 (an agent silently drops a version it does not speak),
 * for each community in turn; encoded and decoded by src/proto/snmp.c.
 * The variants come one by one from start() and again() (v2c, v1, next
 * community...); the engine sends the two of a community together (group
 * 2), waits, retries both, and the first answer wins.  A reply
 * gives snmp_sysdescr, snmp_sysobjectid (dotted, no leading dot) and
 * hostname; a reply that does not decode is kept as service_response
 * "SNMPv1GetRequest" flagged malformed.  Communities are never emitted.
 */
#include "../../proto/snmp.h"
#include "../probe.h"

#include <string.h>

static const char *const oids[] = {"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"};
static const char *const public_only[] = {"public"};

#define REQID 0x2a5e0000

/* c->state: community index * 2, plus 1 for the v1 attempt. */
static int queue(struct probe_ctx *c)
{
	const char *const *cm = c->ncomms ? c->comms : public_only;
	int n = c->ncomms ? c->ncomms : 1;
	size_t len;

	c->outlen = 0;
	while (c->state < 2 * n) {
		int ver = c->state & 1 ? SNMP_V1 : SNMP_V2C;

		if (!snmp_encode_get(c->out, PROBE_OUT, &len, ver, cm[c->state / 2], REQID + c->state, oids, 3)) {
			c->outlen = len;
			return 1;
		}
		c->state = (c->state | 1) + 1; /* a community too long to encode: skip it */
	}
	return 0;
}

static void start(struct probe_ctx *c)
{
	c->state = 0;
	queue(c);
}

static int again(struct probe_ctx *c)
{
	c->state++;
	return queue(c);
}

static int input(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	probe_append(c, p, n);
	return PROBE_DONE; /* one datagram is the whole answer */
}

static void finish(struct probe_ctx *c, int why)
{
	struct snmp_msg m; /* on the stack: loops run in parallel threads */
	char oid[256];

	(void)why;
	if (!c->inlen)
		return;
	if (snmp_decode(c->in, c->inlen, &m) || m.pdu != SNMP_PDU_RESPONSE) {
		probe_emit(c, OBS_SERVICE_RESPONSE, "SNMPv1GetRequest", c->in, c->inlen, c->flags | OBS_MALFORMED);
		return;
	}
	for (int i = 0; i < m.nvb; i++) {
		const struct snmp_vb *vb = &m.vb[i];
		if (snmp_vb_is(vb, oids[0]) && vb->type == SNMP_T_OCTETS)
			probe_emit(c, OBS_SNMP_SYSDESCR, NULL, vb->val, vb->vlen, 0);
		else if (snmp_vb_is(vb, oids[1]) && vb->type == SNMP_T_OID &&
			 !snmp_oid_text(vb->val, vb->vlen, oid, sizeof(oid)))
			probe_emit(c, OBS_SNMP_SYSOBJECTID, NULL, oid, strlen(oid), 0);
		else if (snmp_vb_is(vb, oids[2]) && vb->type == SNMP_T_OCTETS && vb->vlen)
			probe_emit(c, OBS_HOSTNAME, NULL, vb->val, vb->vlen, 0);
	}
}

const struct probe_ops probe_snmp_ops = {"snmp", start, input, finish, again, 2};
