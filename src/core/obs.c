/* obs.c - observation kind names (obs.h). */
#include "obs.h"
#include "str.h"

static const char *const names[OBS_KIND_COUNT] = {
	[OBS_NONE] = "none",
	[OBS_MAC] = "mac",
	[OBS_SNMP_SYSOBJECTID] = "snmp_sysobjectid",
	[OBS_SNMP_SYSDESCR] = "snmp_sysdescr",
	[OBS_SNMP_ENGINEID] = "snmp_engineid",
	[OBS_SSH_BANNER] = "ssh_banner",
	[OBS_TELNET_BANNER] = "telnet_banner",
	[OBS_FTP_BANNER] = "ftp_banner",
	[OBS_SMTP_BANNER] = "smtp_banner",
	[OBS_HTTP_SERVER] = "http_server",
	[OBS_HTTP_TITLE] = "http_title",
	[OBS_HTTP_REALM] = "http_realm",
	[OBS_TLS_SUBJECT] = "tls_subject",
	[OBS_TLS_ISSUER] = "tls_issuer",
	[OBS_LLDP_SYSDESC] = "lldp_sysdesc",
	[OBS_LLDP_CHASSIS] = "lldp_chassis",
	[OBS_CDP_PLATFORM] = "cdp_platform",
	[OBS_DHCP_VENDOR_CLASS] = "dhcp_vendor_class",
	[OBS_SSDP_SERVER] = "ssdp_server",
	[OBS_UPNP_MANUFACTURER] = "upnp_manufacturer",
	[OBS_UPNP_MODEL] = "upnp_model",
	[OBS_RTSP_SERVER] = "rtsp_server",
	[OBS_INVENTORY_VENDOR] = "inventory_vendor",
	[OBS_INVENTORY_MODEL] = "inventory_model",
	[OBS_INVENTORY_ROLE] = "inventory_role",
	[OBS_SERVICE_RESPONSE] = "service_response",
	[OBS_NMAP_SERVICE] = "nmap_service",
	[OBS_CPE] = "cpe",
	[OBS_HOSTNAME] = "hostname",
	[OBS_INVENTORY_SERIAL] = "inventory_serial",
	[OBS_TLS_SAN] = "tls_san",
	[OBS_TLS_SHA256] = "tls_sha256",
	[OBS_LLDP_SYSNAME] = "lldp_sysname",
	[OBS_LLDP_ORG] = "lldp_org",
	[OBS_CDP_DEVICE_ID] = "cdp_device_id",
	[OBS_CDP_VERSION] = "cdp_version",
	[OBS_DHCP_HOSTNAME] = "dhcp_hostname",
	[OBS_DHCP_PRL] = "dhcp_prl",
	[OBS_DHCP_ENTERPRISE] = "dhcp_enterprise",
	[OBS_DHCP_USER_CLASS] = "dhcp_user_class",
	[OBS_SSDP_USN] = "ssdp_usn",
	[OBS_INVENTORY_ASSET] = "inventory_asset",
};

const char *obs_kind_name(enum obs_kind k)
{
	if ((unsigned)k >= OBS_KIND_COUNT)
		return "none";
	return names[k];
}

enum obs_kind obs_kind_from_name(const char *s, size_t n)
{
	for (int k = 1; k < OBS_KIND_COUNT; k++)
		if (str_caseeq(s, n, names[k]))
			return (enum obs_kind)k;
	return OBS_NONE;
}

void obs_set_value(struct obs *o, const void *p, size_t n)
{
	if (n > OBS_VALUE_MAX) {
		n = OBS_VALUE_MAX;
		o->flags |= OBS_TRUNCATED;
	}
	o->value = p;
	o->len = n;
}
