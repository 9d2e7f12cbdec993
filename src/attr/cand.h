/*
 * cand.h - a candidate: what one piece of evidence says about who made a
 * device.  Matchers (OUI, PEN, nmap probes, own rules, declared inventory)
 * each turn an observation into zero or more candidates; fusion (attr.h)
 * combines an asset's candidates into one attribution.
 */
#ifndef TM_CAND_H
#define TM_CAND_H

#include <stdint.h>

/* How much one piece of evidence says about the device's maker. */
enum ev_strength {
	EV_NONE = 0,
	EV_WEAK,   /* a generic string, a hostname, an eager nmap line: never decisive alone */
	EV_MEDIUM, /* an OUI (NIC maker, OEM relabel, randomised MAC), a declared vendor */
	EV_FAIR,   /* a vendor-specific banner, certificate subject, HTTP title */
	EV_STRONG, /* an enterprise sysObjectID, an LLDP/CDP description, a sysDescr naming the OS */
};

struct cand {
	int vendor;	     /* index in the vendor registry, -1 when the evidence names no known vendor */
	char vendor_raw[64]; /* the maker as the evidence spelled it (OUI org, CPE vendor, product) */
	char product[64];    /* e.g. "VRP", "IOS XE", "DS-2CD2143G0-I" family */
	char model[48];
	char version[48];
	char role[24];	     /* router, switch, firewall, camera, nvr, ont, ap, ran, phone, server ... */
	char os[48];
	uint8_t component;   /* 1: names a part or agent maker (NIC, chipset, SNMP agent), not the device's */
	uint8_t synthetic;   /* 1: matched on a response rebuilt from a single field (weaker) */
	enum ev_strength strength;
	float conf;	     /* 0..1: how sure this evidence alone is of the maker */
	char rule[64];	     /* what matched: "oui:MA-L:00E0FC", "pen:2011", "nmap:NULL:1234", "rule:<id>" */
	int obs;	     /* index of the observation in the caller's array, -1 if none */
};

/* Default confidence for a strength class. */
float cand_strength_conf(enum ev_strength s);
const char *cand_strength_name(enum ev_strength s);
enum ev_strength cand_strength_from_name(const char *s, unsigned long n);

#endif
