/* fuzz_rules.c - the rule loader on arbitrary bytes; a set that loads is matched against a few observations and its own examples. */
#include "attr/cand.h"
#include "core/err.h"
#include "core/obs.h"
#include "kb/rules.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const struct {
	enum obs_kind kind;
	const char *value;
} probes[] = {
	{OBS_SNMP_SYSDESCR, "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (CE6850EI V200R005C10SPC800)\r\n"},
	{OBS_SNMP_SYSOBJECTID, "1.3.6.1.4.1.2011.2.23.96"},
	{OBS_SNMP_SYSOBJECTID, "SNMPv2-SMI::enterprises.9.1.1208"},
	{OBS_HTTP_TITLE, "DS-2CD2143G0-I"},
	{OBS_HTTP_REALM, "Login to 5J0B5A3PAZ1234567"},
	{OBS_SSH_BANNER, "SSH-2.0-HUAWEI-1.5"},
	{OBS_TLS_SUBJECT, "C = US, O = Fortinet, OU = FortiGate, CN = FGT60FTK2109XXXX"},
	{OBS_DHCP_VENDOR_CLASS, "MSFT 5.0"},
	{OBS_HTTP_SERVER, ""},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules *rs;
	struct cand c[8];
	char eb[TM_ERRLEN];
	int checked;

	if (rules_new(&rs, NULL))
		return 0;
	if (rules_parse(rs, "fuzz", (const char *)data, size, eb, sizeof(eb)) == 0 ||
	    rules_count(rs) > 0) {
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
			struct obs o = {.kind = probes[i].kind};

			obs_set_value(&o, probes[i].value, strlen(probes[i].value));
			rules_match(rs, &o, c, 8);
		}
		{ /* the input itself as a value of every kind */
			struct obs o = {0};

			obs_set_value(&o, data, size);
			for (int k = 1; k < OBS_KIND_COUNT; k++) {
				o.kind = (enum obs_kind)k;
				rules_match(rs, &o, c, 1);
			}
		}
		rules_selftest(rs, NULL, NULL, &checked);
	}
	rules_free(rs);
	return 0;
}
