/*
 * attr.h - attribution: from observations to "who made this device".
 * attr_candidates() asks every knowledge source about one observation;
 * attr_fuse() combines one asset's candidates into an attribution that keeps
 * every piece of evidence and every conflict.  Fusion decides nothing about
 * policy: an OEM case (a Huawei OUI behind another brand's web page) is
 * reported as such, and the policy decides what it means.
 */
#ifndef TM_ATTR_H
#define TM_ATTR_H

#include "cand.h"
#include "../core/obs.h"

struct kb;
struct vreg;
struct attr_scratch;

enum attr_flag {
	ATTR_CONFLICT = 1 << 0,		/* non-weak evidence names another family too */
	ATTR_OEM = 1 << 1,		/* a MAC/OUI maker differs from the device maker: OEM or component */
	ATTR_WEAK_ONLY = 1 << 2,	/* only weak evidence: no vendor claimed (see hint_vendor) */
	ATTR_DECLARED_MISMATCH = 1 << 3, /* the inventory declares another vendor than observed */
	ATTR_DECLARED_ONLY = 1 << 4,	/* nothing observed: the vendor is the inventory's word */
	ATTR_RANDOM_MAC = 1 << 5,	/* a locally administered (randomised) MAC was seen */
	ATTR_AGENT_ONLY = 1 << 6,	/* only an agent/software maker is known (e.g. Net-SNMP) */
};

struct attribution {
	int vendor;	      /* registry index of the device maker, -1 unknown */
	int family;	      /* top of its corporate family today, -1 unknown */
	char product[64];
	char model[48];
	char version[48];
	char role[24];
	char os[48];
	float conf;	      /* 0..1 */
	unsigned flags;	      /* enum attr_flag */
	int declared_vendor;  /* what an inventory declared, -1 none */
	int component_vendor; /* maker of a part (OUI NIC, OEM base), -1 none */
	int hint_vendor;      /* best vendor from weak evidence only, -1 none */
	int best;	      /* index of the decisive candidate, -1 none */
};

/* Per-thread state for attr_candidates (regex scratch, buffers). */
struct attr_scratch *attr_scratch_new(const struct kb *kb);
void attr_scratch_free(struct attr_scratch *s);

/*
 * Candidates for one observation from every knowledge source, written to
 * out[0..max); each gets obs = obs_index.  Returns the count.
 */
int attr_candidates(const struct kb *kb, struct attr_scratch *s, const struct obs *o,
		    int obs_index, struct cand *out, int max);

/* Combines n candidates (reordered in place: strongest first) into *a. */
void attr_fuse(const struct vreg *vr, struct cand *c, int n, struct attribution *a);

/* Does candidate c support the attribution (same family), for evidence display? */
int attr_agrees(const struct vreg *vr, const struct attribution *a, const struct cand *c);

const char *attr_flag_names(unsigned flags, char *out, unsigned long outlen);

#endif
