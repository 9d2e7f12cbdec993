/*
 * obs.h - an observation: one fact seen once about one device, by one source.
 * Everything trustmap learns (scan, sniff, import, identify) becomes a struct
 * obs; attribution reads them, the store keeps them verbatim.  The value is
 * untrusted bytes: bounded by OBS_VALUE_MAX, kept as seen, escaped on output.
 */
#ifndef TM_OBS_H
#define TM_OBS_H

#include <stddef.h>
#include <stdint.h>

#define OBS_VALUE_MAX 16384 /* longer values are cut and flagged OBS_TRUNCATED */

enum obs_kind {
	OBS_NONE = 0,
	OBS_MAC,		   /* a MAC address "aa:bb:cc:dd:ee:ff" (value) */
	OBS_SNMP_SYSOBJECTID,	   /* dotted OID, e.g. 1.3.6.1.4.1.2011.2.23.96 */
	OBS_SNMP_SYSDESCR,	   /* SNMPv2-MIB::sysDescr.0 text */
	OBS_SNMP_ENGINEID,	   /* snmpEngineID as hex (its PEN says the agent's maker) */
	OBS_SSH_BANNER,		   /* the server's identification line "SSH-2.0-..." */
	OBS_TELNET_BANNER,	   /* text a Telnet server sends before/at login */
	OBS_FTP_BANNER,		   /* the FTP greeting, e.g. "220 ..." */
	OBS_SMTP_BANNER,	   /* the SMTP greeting */
	OBS_HTTP_SERVER,	   /* the Server: header value */
	OBS_HTTP_TITLE,		   /* the <title> of the page */
	OBS_HTTP_REALM,		   /* WWW-Authenticate realm */
	OBS_TLS_SUBJECT,	   /* certificate subject, OpenSSL one-line form */
	OBS_TLS_ISSUER,		   /* certificate issuer */
	OBS_LLDP_SYSDESC,	   /* LLDP system description TLV */
	OBS_LLDP_CHASSIS,	   /* LLDP chassis id (MAC as text when subtype 4) */
	OBS_CDP_PLATFORM,	   /* CDP platform TLV */
	OBS_DHCP_VENDOR_CLASS,	   /* DHCP option 60 (or DHCPv6 vendor class) */
	OBS_SSDP_SERVER,	   /* SSDP SERVER header */
	OBS_UPNP_MANUFACTURER,	   /* UPnP device description <manufacturer> */
	OBS_UPNP_MODEL,		   /* UPnP <modelName> (and number) */
	OBS_RTSP_SERVER,	   /* RTSP Server: header */
	OBS_INVENTORY_VENDOR,	   /* vendor declared by an operator's inventory */
	OBS_INVENTORY_MODEL,	   /* model declared by an inventory */
	OBS_INVENTORY_ROLE,	   /* role declared by an inventory (router, camera, ...) */
	OBS_SERVICE_RESPONSE,	   /* raw bytes a service sent in answer to an nmap probe (probe field) */
	OBS_NMAP_SERVICE,	   /* nmap -sV "product|version|extrainfo|devicetype|ostype|service" */
	OBS_CPE,		   /* a CPE 2.2 URI "cpe:/h:huawei:..." */
	OBS_HOSTNAME,		   /* a DNS or SNMP sysName, weak hint only */
	OBS_INVENTORY_SERIAL,	   /* serial number declared by an inventory */
	OBS_TLS_SAN,		   /* certificate subjectAltNames "DNS:a,IP:b" */
	OBS_TLS_SHA256,		   /* SHA-256 of the certificate's DER, lower-case hex */
	OBS_LLDP_SYSNAME,	   /* LLDP system name TLV */
	OBS_LLDP_ORG,		   /* LLDP organisation-specific TLV: "OUI/subtype", "00:e0:fc/1" */
	OBS_CDP_DEVICE_ID,	   /* CDP device id TLV */
	OBS_CDP_VERSION,	   /* CDP software version TLV */
	OBS_DHCP_HOSTNAME,	   /* DHCP option 12 (or DHCPv6 FQDN) */
	OBS_DHCP_PRL,		   /* DHCP option 55 parameter request list, "1,3,6,15" */
	OBS_DHCP_ENTERPRISE,	   /* enterprise number (decimal) from DHCP option 124/125 or DHCPv6 16/17 */
	OBS_DHCP_USER_CLASS,	   /* DHCP option 77 user class */
	OBS_SSDP_USN,		   /* SSDP USN (or NT) header */
	OBS_INVENTORY_ASSET,	   /* an inventory lists this asset (value: its asset id) and declares nothing else */
	OBS_KIND_COUNT
};

enum obs_flag {
	OBS_TRUNCATED = 1 << 0, /* the value was cut at a ceiling */
	OBS_MALFORMED = 1 << 1, /* the value came from a malformed exchange */
};

struct obs {
	int64_t time;	       /* seconds since the epoch when seen (0 unknown) */
	char source[16];       /* "scan", "sniff", "nmap", "masscan", "inventory", "jsonl", "cli" */
	char addr[46];	       /* IPv4/IPv6 address as text, "" if none */
	char scope[32];	       /* where addr is unique (VRF, site, capture point); "" global */
	char mac[18];	       /* "aa:bb:cc:dd:ee:ff" lower case, "" if none */
	char ref[64];	       /* inventory asset id, "" if none */
	char site[64];	       /* inventory site id, "" if none */
	uint16_t port;	       /* 0 when not tied to a port */
	uint8_t proto;	       /* 6 TCP, 17 UDP, 0 none */
	enum obs_kind kind;
	char probe[32];	       /* for OBS_SERVICE_RESPONSE: nmap probe name ("NULL", "GetRequest") */
	const uint8_t *value;  /* verbatim bytes, not owned, not NUL-terminated */
	size_t len;	       /* bytes in value, <= OBS_VALUE_MAX */
	unsigned flags;	       /* enum obs_flag */
};

/* Stable lower-case names used in files and the store ("ssh_banner"). */
const char *obs_kind_name(enum obs_kind k);
/* OBS_NONE when the name is unknown. */
enum obs_kind obs_kind_from_name(const char *s, size_t n);
/* Sets value/len, cutting at OBS_VALUE_MAX and flagging OBS_TRUNCATED. */
void obs_set_value(struct obs *o, const void *p, size_t n);

#endif
