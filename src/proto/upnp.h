/*
 * upnp.h - the UPnP device description (UPnP Device Architecture 1.1 section
 * 2.3), the XML document an SSDP LOCATION points at: manufacturer, model
 * name and number, friendly name, description and serial of the first
 * <device>.  Parsed with expat under strict limits: a DOCTYPE (and so any
 * entity declaration) is refused, element depth, document size and every
 * field are bounded, and expat allocates through mem_*.
 */
#ifndef TM_UPNP_H
#define TM_UPNP_H

#include <stddef.h>
#include <stdint.h>

#define UPNP_DOC_MAX   (1u << 20) /* bytes of XML we agree to parse */
#define UPNP_DEPTH_MAX 32	  /* element nesting */

struct upnp_desc {
	char manufacturer[128];	     /* <manufacturer> */
	char model_name[128];	     /* <modelName> */
	char model_number[64];	     /* <modelNumber> */
	char friendly_name[128];     /* <friendlyName> */
	char model_description[256]; /* <modelDescription> */
	char serial[64];	     /* <serialNumber> */
	int truncated;		     /* a field was longer than its array and was cut */
};

/*
 * Parses xml[0..n) into d (cleared first): the direct children of the first
 * <device> element (embedded devices in its deviceList are ignored), text
 * with its ends trimmed.  Returns 0; TM_ENOTFOUND when the document has no
 * <device>; TM_EPROTO for malformed XML or a DOCTYPE; TM_ELIMIT for nesting
 * deeper than UPNP_DEPTH_MAX or more than UPNP_DOC_MAX bytes; TM_ENOMEM.  On
 * error d keeps what was read before it.
 */
int upnp_parse(const uint8_t *xml, size_t n, struct upnp_desc *d);

#endif
