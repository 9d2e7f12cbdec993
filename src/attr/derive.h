/*
 * derive.h - splitting a raw service response (OBS_SERVICE_RESPONSE) into
 * the typed observations our rules are written for (http_server,
 * http_realm, http_title, rtsp_server, ssh_banner, ftp/smtp/telnet banners).
 */
#ifndef TM_DERIVE_H
#define TM_DERIVE_H

#include "../core/obs.h"

/*
 * Writes at most max derived observations to out (copies of o with another
 * kind and a value pointing into o's bytes); returns how many.
 */
int attr_derive(const struct obs *o, struct obs *out, int max);

#endif
