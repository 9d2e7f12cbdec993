/*
 * oui.h - who registered a MAC address block: the IEEE registry (MA-L /24,
 * MA-M /28, MA-S /36 and the older IAB /36), loaded at run time from the CSV
 * files Debian's ieee-data installs, merged with Wireshark's manuf file
 * (libwireshark-data).  Lookups take the longest registered prefix: a /36 or
 * /28 inside a /24 that the IEEE Registration Authority holds for sub-
 * assignment names the real owner.  Three open-addressing hash tables keyed
 * by the 24-, 28- and 36-bit prefix, organisation names interned once in an
 * arena; a lookup is one probe for an ordinary /24 and at most three when
 * the /24 is subdivided.
 *
 * Which source wins.  Neither IEEE CSV carries a date, but Debian's
 * update-ieee-data writes the download time (epoch seconds) into
 * <dir>/.lastupdate, and the files' mtimes are the download time too.  The
 * manuf file is generated from the same IEEE CSVs and its header records each
 * one's "Last-Modified:" HTTP date.  So each source has a date: IEEE = the
 * .lastupdate value, else the newest mtime of the CSVs read; manuf = the
 * newest Last-Modified in its header, else the file's mtime (oui_load fills
 * these; oui_set_time overrides).  For a prefix registered in both, the
 * source with the later date wins (a tie, or two unknown dates, goes to the
 * IEEE files, the registry itself); a prefix in only one source is taken
 * from it.  On Debian 12 the manuf file (IEEE data of 2024-08-25) is newer
 * than ieee-data (2022-08-27), so overlapping prefixes read as Wireshark
 * spells them ("Huawei Technologies Co.,Ltd" rather than "HUAWEI
 * TECHNOLOGIES CO.,LTD").  The organisation is always the long name: the
 * IEEE "Organization Name", manuf's third column (its second, the 8-letter
 * short name, only when the third is missing).  Within one source the first
 * registration of a prefix wins (oui.csv lists 08:00:30 three times).
 */
#ifndef TM_OUI_H
#define TM_OUI_H

#include <stddef.h>
#include <stdint.h>

#define OUI_MAX_PREFIXES (1u << 22)  /* ceiling per prefix length (TM_ELIMIT beyond) */
#define OUI_FILE_MAX	 (64u << 20) /* largest registry file oui_load reads */
#define OUI_ORG_MAX	 512	     /* longest organisation name kept; longer lines are skipped */
#define OUI_REC_MAX	 8192	     /* longest CSV record or manuf line; longer ones are skipped */

struct oui_db;

struct oui_hit {
	const char *org;      /* organisation as registered, trimmed; owned by the db */
	const char *registry; /* "MA-L", "MA-M", "MA-S", "IAB" or "manuf" */
	int bits;	      /* prefix length matched: 24, 28 or 36 */
	char prefix[16];      /* e.g. "00E0FC" or "70B3D5F2F" (hex digits of the prefix) */
};

/* Locally administered (U/L bit) and group (I/G bit) of the first octet. */
enum oui_flags { OUI_LOCAL = 1, OUI_MULTICAST = 2 };

/* The two sources whose dates decide a prefix registered in both. */
enum oui_src { OUI_SRC_IEEE = 0, OUI_SRC_MANUF = 1 };

/* An empty db (free with oui_free).  0 or TM_ENOMEM. */
int oui_new(struct oui_db **out);

/*
 * Parses one IEEE CSV (oui.csv, mam.csv, oui36.csv or iab.csv: Registry,
 * Assignment,Organization Name,Organization Address; RFC 4180 quoting, quoted
 * fields may span up to 8 lines) of len bytes; file names the data in
 * messages.  A malformed record (wrong field count, unterminated quote, bad
 * registry or assignment, empty or over-long organisation, control bytes,
 * record over OUI_REC_MAX) is skipped and counted in oui_skipped(); eb then
 * holds "file:line: why" of the first one (else ""), and 0 is returned.
 * Returns TM_EPROTO when not one record parsed, TM_ENOMEM or TM_ELIMIT
 * (records before it stay in the db).
 */
int oui_parse_ieee_csv(struct oui_db *db, const char *file, const char *data, size_t len, char *eb,
		       size_t el);

/*
 * Parses Wireshark's manuf: "00:E0:FC<TAB>HuaweiTe<TAB>Huawei Technologies
 * Co.,Ltd" and "70:B3:D5:F2:F0:00/36<TAB>short<TAB>long"; '#' starts a
 * comment anywhere (as in Wireshark); octets may be separated by ':', '-' or
 * '.'.  Prefixes other than /24, /28 and /36 are skipped and counted.  The
 * newest "Last-Modified:" date in the comments becomes the manuf date when
 * later than the one set.  Errors and skips as for oui_parse_ieee_csv.
 */
int oui_parse_manuf(struct oui_db *db, const char *file, const char *data, size_t len, char *eb,
		    size_t el);

/*
 * Loads ieee_dir/{oui,mam,oui36,iab}.csv and manuf_path; either may be NULL
 * (both NULL gives an empty db).  A missing or unreadable file, or one that
 * fails to parse, is skipped with a log_warn; so are skipped lines (count and
 * first one).  Sets both source dates as described above.  Fails (TM_ENOTFOUND
 * or the first error) only when a source was named and nothing loaded, or on
 * TM_ENOMEM.  *out is NULL on failure; free with oui_free.
 */
int oui_load(struct oui_db **out, const char *ieee_dir, const char *manuf_path, char *eb,
	     size_t el);
void oui_free(struct oui_db *db);

/* Sets or reads a source's date (seconds since the epoch; 0 = unknown, oldest). */
void oui_set_time(struct oui_db *db, enum oui_src src, int64_t t);
int64_t oui_time(const struct oui_db *db, enum oui_src src);

/*
 * Longest prefix wins (36, then 28, then 24 bits).  Sets *flags from the
 * address bits always (flags may be NULL).  Returns 1 and fills hit when
 * found, 0 when not (hit untouched).  A locally administered address is never
 * looked up (returns 0, OUI_LOCAL set).  A group address (OUI_MULTICAST) is
 * looked up as it is (manuf lists a few, "01:0E:CF PROFINET Multicast"),
 * then under its OUI with the group bit cleared (01:00:0C:CC:CC:CC finds
 * Cisco, who defined it): the answer names who defined the address, not the
 * device that sent it.  Read-only: safe from many threads.
 */
int oui_lookup(const struct oui_db *db, const uint8_t mac[6], struct oui_hit *hit, unsigned *flags);

/* Distinct (prefix length, prefix) registrations held. */
size_t oui_count(const struct oui_db *db);
/* Malformed or unsupported lines skipped so far, over all files parsed. */
size_t oui_skipped(const struct oui_db *db);

#endif
