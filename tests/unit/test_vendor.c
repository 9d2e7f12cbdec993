/*
 * test_vendor.c - the vendor registry (src/kb/vendor*.c) on the shipped
 * rules/vendors.tm and rules/lists.tm: canonical ids, OUI organisation
 * strings and banners to vendors, look-alikes that must not match,
 * enterprise numbers, CPE names, dated families, list membership with roles
 * and dates; then the loader's errors on small files, partial results, and
 * every allocation failing in turn.  TM_RULES overrides the rules directory.
 */
#include "check.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"
#include "kb/vendor.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *rules_dir(void)
{
	const char *d = getenv("TM_RULES");

	return d && *d ? d : "rules";
}

static int64_t day(const char *s)
{
	int64_t d = -1;

	if (!str_to_date(s, strlen(s), &d))
		fprintf(stderr, "bad test date %s\n", s);
	return d;
}

/* The id of the vendor at idx, "-" for none. */
static const char *vid(const struct vreg *r, int idx)
{
	const struct vendor *v = vreg_get(r, idx);

	return v ? v->id : "-";
}

static const char *resolve(const struct vreg *r, const char *s)
{
	return vid(r, vreg_resolve(r, s, strlen(s)));
}

static int find(const struct vreg *r, const char *s)
{
	return vreg_find(r, s, strlen(s));
}

/* Every id agreed with the other modules (the canonical list) is defined under that id. */
static void test_ids(const struct vreg *r)
{
	static const char *ids[] = {"huawei",	   "hisilicon",
				    "honor",	   "zte",
				    "h3c",	   "hikvision",
				    "ezviz",	   "dahua",
				    "lorex",	   "hytera",
				    "uniview",	   "tiandy",
				    "fiberhome",   "ruijie",
				    "tp-link",	   "xiaomi",
				    "inspur",	   "lenovo",
				    "tenda",	   "quectel",
				    "fibocom",	   "mercusys",
				    "cisco",	   "juniper",
				    "nokia",	   "alcatel-lucent",
				    "ericsson",	   "samsung",
				    "arista",	   "mikrotik",
				    "ubiquiti",	   "fortinet",
				    "hpe",	   "aruba",
				    "hp",	   "dell",
				    "netgear",	   "d-link",
				    "zyxel",	   "paloalto",
				    "checkpoint",  "sophos",
				    "sonicwall",   "extreme",
				    "ruckus",	   "cambium",
				    "ciena",	   "adtran",
				    "calix",	   "axis",
				    "hanwha",	   "bosch",
				    "sony",	   "panasonic",
				    "mobotix",	   "motorola-solutions",
				    "avigilon",	   "polycom",
				    "avaya",	   "yealink",
				    "grandstream", "synology",
				    "qnap",	   "apple",
				    "microsoft",   "vmware",
				    "f5",	   "citrix",
				    "moxa",	   "siemens",
				    "schneider",   "allied-telesis",
				    "supermicro",  "ibm",
				    "asus",	   "linksys",
				    "draytek",	   "teltonika",
				    "edgecore",	   "nec",
				    "fujitsu",	   "brother",
				    "canon",	   "epson",
				    "xerox",	   "lexmark",
				    "ricoh",	   "kyocera",
				    "intel",	   "realtek",
				    "broadcom",	   "qualcomm",
				    "mediatek",	   "marvell",
				    "espressif",   "net-snmp",
				    "openssh",	   "dropbear",
				    "linux",	   "busybox",
				    "lighttpd",	   "nginx",
				    "apache",	   "goahead",
				    "boa",	   "allegro"};
	int missing = 0;

	CHECK(vreg_count(r) >= 120);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		int v = find(r, ids[i]);

		if (v < 0 || strcmp(vid(r, v), ids[i])) {
			fprintf(stderr, "canonical id %s missing\n", ids[i]);
			missing++;
		}
	}
	CHECK_INT(missing, 0);
	for (int i = 0; i < vreg_count(r); i++) {
		const struct vendor *v = vreg_get(r, i);

		CHECK(v && v->name && *v->name && v->country);
	}
	CHECK(vreg_get(r, -1) == NULL);
	CHECK(vreg_get(r, vreg_count(r)) == NULL);
	CHECK_STR(vreg_get(r, find(r, "hikvision"))->country, "CN");
	CHECK_STR(vreg_get(r, find(r, "axis"))->country, "SE");
	CHECK_INT(vreg_get(r, find(r, "hisilicon"))->kind, VENDOR_COMPONENT);
	CHECK_INT(vreg_get(r, find(r, "net-snmp"))->kind, VENDOR_SOFTWARE);
	CHECK_INT(vreg_get(r, find(r, "china-telecom-americas"))->kind, VENDOR_SERVICE);
	CHECK_STR(vreg_kind_name(VENDOR_SERVICE), "service");
}

/* Real organisation names from ieee-data's oui.csv / Wireshark's manuf, and the vendor each is. */
static void test_oui_names(const struct vreg *r)
{
	static const char *t[][2] = {
	    {"HUAWEI TECHNOLOGIES CO.,LTD", "huawei"},
	    {"Huawei Device Co., Ltd.", "huawei"},
	    {"Huawei Technologies Co., Ltd.", "huawei"},
	    {"Honor Device Co., Ltd.", "honor"},
	    {"zte corporation", "zte"},
	    {"ZHONGXING TELECOM LTD.", "zte"},
	    {"SHANGHAI ZTE TECHNOLOGIES CO.,LTD", "zte"},
	    {"Hangzhou Hikvision Digital Technology Co.,Ltd.", "hikvision"},
	    {"Hangzhou Ezviz Software Co.,Ltd.", "ezviz"},
	    {"Zhejiang Dahua Technology Co., Ltd.", "dahua"},
	    {"Zhejiang Dahua Technologyco.,Ltd", "dahua"},
	    {"Lorex Technology Inc.", "lorex"},
	    {"Hytera Communications Corporation Limited", "hytera"},
	    {"Zhejiang Uniview Technologies Co.,Ltd.", "uniview"},
	    {"Tiandy Technologies CO.,LTD", "tiandy"},
	    {"Fiberhome Telecommunication Technologies Co.,LTD", "fiberhome"},
	    {"Ruijie Networks Co.,LTD", "ruijie"},
	    {"TP-LINK TECHNOLOGIES CO.,LTD.", "tp-link"},
	    {"MERCUSYS TECHNOLOGIES CO., LTD.", "mercusys"},
	    {"New H3C Technologies Co., Ltd", "h3c"},
	    {"Hangzhou H3C Technologies Co., Limited", "h3c"},
	    {"Xiaomi Communications Co Ltd", "xiaomi"},
	    {"IEIT SYSTEMS Co., Ltd.", "inspur"}, /* Wireshark manuf, 2024 */
	    {"Quectel Wireless Solutions Co.,Ltd.", "quectel"},
	    {"Huawei Symantec Technologies Co.,Ltd.", "huawei-symantec"},
	    {"Cisco Systems, Inc", "cisco"},
	    {"Cisco-Linksys, LLC", "linksys"},
	    {"Juniper Networks", "juniper"},
	    {"Nokia Solutions and Networks GmbH & Co. KG", "nokia"},
	    {"Nokia Siemens Networks GmbH & Co. KG.", "nokia"},
	    {"Alcatel-Lucent Enterprise", "alcatel-lucent-enterprise"},
	    {"AVM Audiovisuelles Marketing und Computersysteme GmbH", "avm"},
	    {"LANCOM Systems GmbH", "lancom"},
	    {"Raspberry Pi Trading Ltd", "raspberry-pi"},
	    {"D-Link （Shanghai）Limited Corp.", "d-link"}, /* fullwidth brackets */
	    {"Alcatel-Lucent Shanghai Bell Co., Ltd", "alcatel-lucent"},
	    {"Routerboard.com", "mikrotik"},
	    {"Ubiquiti Networks Inc.", "ubiquiti"},
	    {"Aruba, a Hewlett Packard Enterprise Company", "aruba"},
	    {"Hewlett Packard Enterprise", "hpe"},
	    {"Hewlett Packard", "hp"},
	    {"ProCurve Networking by HP", "hpe"},
	    {"Motorola Mobility LLC, a Lenovo Company", "motorola-mobility"},
	    {"Motorola (Wuhan) Mobility Technologies Communication Co., Ltd.", "motorola-mobility"},
	    {"Motorola Solutions Inc.", "motorola-solutions"},
	    {"SAMSUNG TECHWIN CO.,LTD", "hanwha"},
	    {"Samsung Electronics Co.,Ltd", "samsung"},
	    {"Intel Corporate", "intel"},
	    {"Espressif Inc.", "espressif"},
	    {"Hon Hai Precision Ind. Co.,Ltd.", "foxconn"},
	    {"Fujitsu Siemens Computers", "fujitsu"},
	    {"Allied-telesisK.K.", "allied-telesis"},
	    {"Dell Inc.", "dell"},
	    {"Axis Communications AB", "axis"},
	    {"Check Point Software Technologies", "checkpoint"},
	    {"Brother industries, LTD.", "brother"},
	    {"China Mobile Group Device Co.,Ltd.", "china-mobile-device"},
	    {"China Mobile (Hangzhou) Information Technology Co., Ltd.", "china-mobile-device"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK_STR(resolve(r, t[i][0]), t[i][1]);
}

/* Look-alikes: real organisation names that hold a vendor's word but are other companies. */
static void test_lookalikes(const struct vreg *r)
{
	static const char *t[] = {
	    "SHENZHEN HONOR ELECTRONIC CO.,LTD",
	    "Wuxi Zhongxing Optoelectronics Technology Co.,Ltd.",
	    "ZTEC Instruments, Inc.",
	    "Aztech Electronics Pte Ltd",
	    "ANHUI WANZTEN P&T CO., LTD",
	    "Shanghai Dahua Scale Factory",
	    "Juniper Systems",
	    "Dell'Orto S.P.A.",
	    "Italdata Ingegneria dell'Idea S.p.A.",
	    "Liaoning IK'SONYA Science and Technology Co., Ltd.",
	    "Ace Axis Limited",
	    "Axis Electronics",
	    "ExtremeSpeed Inc.",
	    "Extreme Engineering Solutions",
	    "Checkpoint Systems, Inc.",
	    "Arista Corp",
	    "HP Tuners LLC",
	    "Changsha keruijie lnformation Technology Co.,Ltd",
	    "Linksys Telecom Shenzhen CO., LTD",
	    "Brother, Brother & Sons ApS",
	    "Uwe Schneider GmbH",
	    "Lucent Trans Electronics Co., Ltd",
	    "Calixto Systems Pvt Ltd",
	    "Adtranz Sweden",
	    "SUSE Linux GmbH",
	    "Apache Micro Peripherals, Inc.",
	    "Allegro Networks, Inc.",
	    "Teltronics, Inc.",
	    "Shenzhen DOOGEE Hengtong Technology CO., LTD",
	    "Hangzhou BroadLink Technology Co.,Ltd",
	    "Stendahls.net AB",
	    "Avm Electronics Pte Ltd",
	    "SONOS Co., Ltd.",
	    "Beijing L&S Lancom Platform Tech. Co., Ltd.",
	    "Teltronic AG",
	    "大华银行",		/* a bank, not Dahua */
	    "HONOR-Magic5 Pro", /* "Honor" names the maker only as the whole text */
	    "AXIS CORPORATION",
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK_STR(resolve(r, t[i]), "-");
	/* a joint venture named after Huawei resolves to itself, and its family is Huawei */
	CHECK(vreg_resolve(r, "Huawei Symantec", 15) != find(r, "huawei"));
	CHECK_INT(vreg_family(r, find(r, "huawei-symantec"), day("2010-01-01")), find(r, "huawei"));
	CHECK_STR(resolve(r, "Huawei Marine Networks Co., Ltd."), "hmn");
	CHECK_INT(vreg_family(r, find(r, "hmn"), day("2024-01-01")), find(r, "hengtong"));
}

/* Banners, product strings and certificate subjects. */
static void test_banners(const struct vreg *r)
{
	static const char *t[][2] = {
	    {"SSH-2.0-HUAWEI-1.5", "huawei"},
	    {"Server: Hikvision-Webs", "hikvision"},
	    {"Huawei Versatile Routing Platform Software VRP (R) software, Version 5.170",
	     "huawei"},
	    {"ZXHN F660 V6.0.10P2T6 Linux 2.6.36", "zte"}, /* a device maker beats the kernel */
	    {"MikroTik RouterOS 6.48.6", "mikrotik"},
	    {"Allegro-Software-RomPager/4.07 UPnP/1.0", "allegro"},
	    {"GoAhead-Webs", "goahead"},
	    {"Linux 4.4 Net-SNMP 5.7.3", "net-snmp"},
	    {"C=CN, O=Huawei, OU=Wireless Network Product Line, CN=Huawei Root CA", "huawei"},
	    {"FortiGate-60F v7.0.12", "fortinet"},
	    {"Juniper Networks, Inc. ex2300-24t Ethernet Switch, kernel JUNOS 20.4R3", "juniper"},
	    {"Cisco IOS Software, C2960X Software", "cisco"},
	    {"H3C Comware Platform Software", "h3c"},
	    {"华为技术有限公司", "huawei"}, /* each Chinese character is a word */
	    {"中兴通讯股份有限公司", "zte"},
	    {"杭州海康威视数字技术股份有限公司", "hikvision"},
	    {"新华三技术有限公司", "h3c"},
	    {"浙江大华技术股份有限公司", "dahua"},
	    {"海能达通信股份有限公司", "hytera"},
	    {"联想（北京）有限公司", "lenovo"},
	    {"荣耀", "honor"},
	    {"Honor", "honor"},
	    {"AXIS", "axis"},
	    {"UNV", "uniview"},
	    {"AVM Berlin", "avm"},
	    {"SSH-2.0-lancom", "lancom"},
	    {"SSH-2.0-Data ONTAP SSH 1.0", "netapp"},
	    {"Alcatel-Lucent OmniSwitch 6450", "alcatel-lucent-enterprise"},
	    {"\xe5\x8d\x8e\xff\xe4\xb8\xba", "huawei"}, /* an invalid byte separates like a space */
	    {"\xe5\x8d", "-"},				/* a cut character is a word of its own */
	    {"", "-"},
	    {"---- ,,, ''' ", "-"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK_STR(resolve(r, t[i][0]), t[i][1]);
	CHECK_INT(vreg_resolve(r, NULL, 0), -1);
	/* length, not NUL, bounds the text */
	CHECK_STR(vid(r, vreg_resolve(r, "ZTE", 2)), "-");
	CHECK_STR(vid(r, vreg_resolve(r, "ZTE\0Huawei", 10)), "huawei"); /* NUL separates words */

	int out[4], n;
	const char *s = "Huawei EchoLife HG8245 with a Broadcom chip, Linux and BusyBox v1.22";

	n = vreg_resolve_all(r, s, strlen(s), out, 4);
	CHECK_INT(n, 4);
	CHECK_STR(vid(r, out[0]), "huawei");
	CHECK_STR(vid(r, out[1]), "broadcom");
	CHECK_STR(vid(r, out[2]), "linux");
	CHECK_STR(vid(r, out[3]), "busybox");
	CHECK_INT(vreg_resolve_all(r, s, strlen(s), out, 2), 3); /* max + 1: there were more */
	CHECK_INT(vreg_resolve_all(r, "nothing here", 12, out, 4), 0);

	/* a name deep inside 16 KB of binary noise (a bulk flow's first bytes): the first-word filter lets it through */
	static char noise[16384];
	uint32_t x = 12345;

	for (size_t i = 0; i < sizeof(noise); i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (char)(x >> 16);
	}
	CHECK_STR(vid(r, vreg_resolve(r, noise, sizeof(noise))), "-");
	memcpy(noise + 12000, " HUAWEI.  ", 10); /* upper case as in text */
	CHECK_STR(vid(r, vreg_resolve(r, noise, sizeof(noise))), "huawei");
	memcpy(noise + 12000, " Zte      ", 10);
	CHECK_STR(vid(r, vreg_resolve(r, noise, sizeof(noise))), "zte");
}

static void test_exact(const struct vreg *r)
{
	int hw = find(r, "huawei");

	CHECK(hw >= 0);
	CHECK_INT(find(r, "HUAWEI"), hw);
	CHECK_INT(find(r, "  Huawei Technologies Co., Ltd. "), hw);
	CHECK_INT(find(r, "quidway"), hw);
	CHECK_INT(find(r, "华为"), hw);
	CHECK_STR(vid(r, find(r, "ale")), "alcatel-lucent-enterprise"); /* short name, exact only */
	CHECK_STR(resolve(r, "ALE International"), "alcatel-lucent-enterprise");
	CHECK_STR(resolve(r, "Pale Ale brewery"), "-");
	CHECK_INT(find(r, "huawei technologies co"), -1); /* exact, not words */
	CHECK_INT(find(r, ""), -1);
	CHECK_INT(vreg_find(r, "zte corporation", 15), find(r, "zte"));
	CHECK_INT(vreg_find(r, "zte corporation", 3), find(r, "zte"));

	static const struct {
		uint32_t pen;
		const char *id;
	} p[] = {{2011, "huawei"},
		 {3902, "zte"},
		 {9, "cisco"},
		 {25506, "h3c"},
		 {39165, "hikvision"},
		 {37496, "dahua"},
		 {40297, "hytera"},
		 {14988, "mikrotik"},
		 {41112, "ubiquiti"},
		 {12356, "fortinet"},
		 {30065, "arista"},
		 {8072, "net-snmp"},
		 {311, "microsoft"},
		 {2636, "juniper"},
		 {6527, "alcatel-lucent"},
		 {34774, "huawei-symantec"},
		 {14823, "aruba"},
		 {11, "hp"},
		 {29279, "-"},
		 {0, "-"},
		 {4294967295u, "-"}};

	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		CHECK_STR(vid(r, vreg_by_pen(r, p[i].pen)), p[i].id);

	CHECK_STR(vid(r, vreg_by_cpe(r, "tp-link", 7)), "tp-link");
	CHECK_STR(vid(r, vreg_by_cpe(r, "HIKVISION", 9)), "hikvision");
	CHECK_STR(vid(r, vreg_by_cpe(r, "igor_sysoev", 11)), "nginx");
	CHECK_STR(vid(r, vreg_by_cpe(r, "dlink", 5)), "d-link");
	CHECK_STR(vid(r, vreg_by_cpe(r, "d-link", 6)), "d-link");
	CHECK_STR(vid(r, vreg_by_cpe(r, "openbsd", 7)), "openssh");
	CHECK_STR(vid(r, vreg_by_cpe(r, "nosuchvendor", 12)), "-");
}

static void test_family(const struct vreg *r)
{
	int hw = find(r, "huawei"), honor = find(r, "honor"), h3c = find(r, "h3c");

	CHECK_INT(vreg_family(r, honor, day("2019-01-01")), hw);
	CHECK_INT(vreg_family(r, honor, day("2021-06-01")), honor);
	CHECK_INT(vreg_family(r, honor, day("2020-11-16")), hw); /* until is exclusive */
	CHECK_INT(vreg_family(r, honor, day("2020-11-17")), honor);
	CHECK_INT(vreg_family(r, honor, -1), honor); /* today */
	CHECK_INT(vreg_family(r, hw, -1), hw);
	CHECK_INT(vreg_family(r, -1, -1), -1);
	CHECK_INT(vreg_family(r, vreg_count(r), -1), -1);
	CHECK_INT(vreg_family(r, find(r, "ezviz"), -1), find(r, "hikvision"));
	CHECK_INT(vreg_family(r, find(r, "hisilicon"), day("2010-01-01")), hw);
	/* H3C: Huawei-3Com, then 3Com, HP, HPE, Unisplendour */
	CHECK_INT(vreg_family(r, h3c, day("2003-11-16")), h3c);
	CHECK_INT(vreg_family(r, h3c, day("2005-01-01")), hw);
	CHECK_INT(vreg_family(r, h3c, day("2008-01-01")), find(r, "3com"));
	CHECK_INT(vreg_parent(r, h3c, day("2012-01-01")), find(r, "hp"));
	CHECK_INT(vreg_family(r, h3c, day("2015-12-01")), find(r, "hpe"));
	CHECK_INT(vreg_family(r, h3c, day("2020-01-01")), find(r, "unisplendour"));
	CHECK_INT(vreg_parent(r, h3c, -1), find(r, "unisplendour"));
	/* a chain: Aruba -> HP before the split, -> HPE after; HPE -> HP before it */
	CHECK_INT(vreg_family(r, find(r, "aruba"), day("2014-01-01")), find(r, "aruba"));
	CHECK_INT(vreg_family(r, find(r, "aruba"), day("2015-06-01")), find(r, "hp"));
	CHECK_INT(vreg_family(r, find(r, "aruba"), day("2016-01-01")), find(r, "hpe"));
	CHECK_INT(vreg_family(r, find(r, "lorex"), day("2020-01-01")), find(r, "dahua"));
	CHECK_INT(vreg_family(r, find(r, "lorex"), day("2024-01-01")), find(r, "lorex"));
	CHECK_INT(vreg_family(r, find(r, "ruckus"), day("2021-01-01")), find(r, "commscope"));
	CHECK_INT(vreg_family(r, find(r, "vmware"), day("2022-06-01")), find(r, "vmware"));
	CHECK_INT(vreg_family(r, find(r, "vmware"), day("2024-06-01")), find(r, "broadcom"));
	CHECK_INT(vreg_family(r, find(r, "motorola-mobility"), day("2013-01-01")),
		  find(r, "google"));
}

static void test_lists(const struct vreg *r)
{
	int fcc = vreg_list_find(r, "fcc-covered"), hik = find(r, "hikvision");
	int64_t now = -1, d2023 = day("2023-06-01");

	CHECK_INT(vreg_list_count(r), 2);
	CHECK(fcc >= 0);
	CHECK_STR(vreg_list_name(r, fcc), "fcc-covered");
	CHECK_STR(vreg_list_title(r, fcc),
		  "FCC Covered List (communications equipment and services)");
	CHECK(strstr(vreg_list_source(r, fcc), "47 CFR 1.50002") != NULL);
	CHECK_INT(vreg_list_date(r, fcc), day("2021-03-12"));
	CHECK_INT(vreg_list_find(r, "FCC-Covered"), fcc);
	CHECK_INT(vreg_list_find(r, "nosuch"), -1);
	CHECK(vreg_list_name(r, 99) == NULL);

	CHECK(vreg_in_list(r, fcc, hik, "camera", now));
	CHECK(vreg_in_list(r, fcc, hik, "CAMERA", now));
	CHECK(vreg_in_list(r, fcc, hik, "nvr", now));
	CHECK(!vreg_in_list(r, fcc, hik, "router", now));
	CHECK(!vreg_in_list(r, fcc, hik, "cam", now)); /* whole role words */
	CHECK(vreg_in_list(r, fcc, hik, NULL, now));   /* unknown role must not hide it */
	CHECK(vreg_in_list(r, fcc, hik, "", now));
	CHECK(vreg_in_list(r, fcc, find(r, "ezviz"), "camera", now));
	CHECK_INT(vreg_list_match(r, fcc, find(r, "ezviz"), "camera", now), hik);
	CHECK(!vreg_in_list(r, fcc, find(r, "ezviz"), "router", now));
	CHECK(!vreg_in_list(r, fcc, find(r, "cisco"), NULL, now));
	CHECK(!vreg_in_list(r, fcc, find(r, "cisco"), "camera", now));
	CHECK(vreg_in_list(r, fcc, find(r, "huawei"), "router", now));
	CHECK(vreg_in_list(r, fcc, find(r, "huawei"), NULL, now));
	CHECK(vreg_in_list(r, fcc, find(r, "zte"), "ont", d2023));
	CHECK(vreg_in_list(r, fcc, find(r, "hisilicon"), NULL, now));
	CHECK(vreg_in_list(r, fcc, find(r, "dahua"), "dvr", now));
	CHECK(vreg_in_list(r, fcc, find(r, "hytera"), "radio", now));
	CHECK(!vreg_in_list(r, fcc, find(r, "hytera"), "router", now));
	CHECK(vreg_in_list(r, fcc, find(r, "sepura"), "radio", d2023)); /* a Hytera subsidiary */
	/* families move with time: Honor left Huawei, Lorex left Dahua */
	CHECK(vreg_in_list(r, fcc, find(r, "honor"), NULL, day("2020-11-16")) ==
	      false); /* before the list */
	CHECK(!vreg_in_list(r, fcc, find(r, "honor"), NULL, day("2022-01-01")));
	CHECK(vreg_in_list(r, fcc, find(r, "lorex"), "camera", day("2022-01-01")));
	CHECK(!vreg_in_list(r, fcc, find(r, "lorex"), "camera", day("2024-01-01")));
	/* the list says nothing about days before it took effect; later members from their own date
	 */
	CHECK(!vreg_in_list(r, fcc, find(r, "huawei"), NULL, day("2021-03-11")));
	CHECK(vreg_in_list(r, fcc, find(r, "huawei"), NULL, day("2021-03-12")));
	CHECK(!vreg_in_list(r, fcc, find(r, "kaspersky"), NULL, day("2022-03-24")));
	CHECK(vreg_in_list(r, fcc, find(r, "kaspersky"), NULL, day("2022-03-25")));
	CHECK(vreg_in_list(r, fcc, find(r, "comnet"), NULL, d2023));
	CHECK(!vreg_in_list(r, fcc, find(r, "comnet"), NULL, day("2022-09-19")));
	/* membership flows down a family, never up: China Mobile itself is not listed */
	CHECK(vreg_in_list(r, fcc, find(r, "china-mobile-usa"), NULL, d2023));
	CHECK(!vreg_in_list(r, fcc, find(r, "china-mobile"), NULL, d2023));
	CHECK(!vreg_in_list(r, fcc, find(r, "china-mobile-device"), NULL, d2023));
	/* H3C was Huawei's before the list existed and is not now */
	CHECK(!vreg_in_list(r, fcc, find(r, "h3c"), NULL, d2023));
	CHECK(!vreg_in_list(r, fcc, -1, NULL, now));
	CHECK(!vreg_in_list(r, -1, hik, NULL, now));
	CHECK(!vreg_in_list(r, 5, hik, NULL, now));

	int ndaa = vreg_list_find(r, "ndaa-889");

	CHECK(ndaa >= 0 && ndaa != fcc);
	CHECK(vreg_in_list(r, ndaa, find(r, "huawei"), NULL, day("2020-01-01")));
	CHECK(!vreg_in_list(r, fcc, find(r, "huawei"), NULL, day("2020-01-01")));
}

/* Parses text as file "t.tm" into a fresh registry; returns the code, message in eb. */
static int parse(struct vreg **r, const char *text, char *eb)
{
	*r = vreg_new();
	eb[0] = 0;
	return vreg_parse(*r, "t.tm", text, strlen(text), VREG_VENDORS | VREG_LISTS, eb, TM_ERRLEN);
}

static void expect_err(const char *text, const char *msg)
{
	char eb[TM_ERRLEN];
	struct vreg *r;
	int rc = parse(&r, text, eb);

	CHECK(rc < 0);
	CHECK_STR(eb, msg);
	vreg_free(r);
}

static void test_errors(void)
{
	expect_err("vendor a\n name A\n parent nosuch\n",
		   "t.tm:3: unknown parent 'nosuch' of vendor a");
	expect_err("vendor a\n name A\n parent b\n\nvendor b\n name B\n parent a\n",
		   "t.tm:3: parent 'b' of vendor a makes a cycle");
	expect_err("vendor a\n name A\n parent a\n", "t.tm:3: vendor 'a' is its own parent");
	expect_err("vendor a\n name A\n parent b from 2000-01-01\n\n"
		   "vendor b\n name B\n parent c from 2010-01-01 until 2020-01-01\n\n"
		   "vendor c\n name C\n parent a\n",
		   "t.tm:3: parent 'b' of vendor a makes a cycle");
	expect_err("vendor a\n name A\n\nvendor a\n name A2\n", "t.tm:4: duplicate vendor id 'a'");
	expect_err(
	    "vendor a\n name A\n\nvendor b\n name B\n parent a from 2021-02-30\n",
	    "t.tm:6: expected 'parent ID [from YYYY-MM-DD] [until YYYY-MM-DD]', from before until");
	expect_err(
	    "vendor a\n name A\n\nvendor b\n name B\n parent a from 2021-01-01 until 2020-01-01\n",
	    "t.tm:6: expected 'parent ID [from YYYY-MM-DD] [until YYYY-MM-DD]', from before until");
	expect_err("vendor a\n name A\n\nvendor b\n name B\n parent a until 2020-01-01\n parent a "
		   "from 2019-01-01\n",
		   "t.tm:7: parent overlaps line 6");
	expect_err("vendor A\n name A\n",
		   "t.tm:1: vendor id 'A': lower-case letters, digits and '-', at most 40");
	expect_err("vendor a\n country C\n", "t.tm:2: country is an ISO 3166 two-letter code");
	expect_err("vendor a\n name A\n colour red\n",
		   "t.tm:3: unknown field 'colour' in vendor a");
	expect_err("vendor a\n alias A\n", "t.tm:1: vendor a has no name");
	expect_err("vendor a\n name A\n kind hardware\n",
		   "t.tm:3: kind is equipment, component, software or service");
	expect_err("vendor a\n name A\n alias Acme\n\nvendor b\n name B\n alias ACME\n",
		   "t.tm:7: name 'acme' of vendor b already belongs to a");
	expect_err("vendor a\n name A\n alias Acme Corp\n\nvendor b\n name B\n alias Acme, Corp.\n",
		   "t.tm:7: phrase 'acme corp' of vendor b already belongs to a");
	expect_err("vendor a\n name A\n pen 9\n\nvendor b\n name B\n pen 9\n",
		   "t.tm:7: enterprise number '9' of vendor b already belongs to a");
	expect_err("vendor a\n name A\n pen 4294967296\n",
		   "t.tm:3: pen needs a number up to 4294967295");
	expect_err("vendor a\n name A\n alias Acme\n not Acme\n",
		   "t.tm:4: 'acme' is both a name and a 'not' phrase");
	expect_err("vendor a\n name A\n alias ,,,\n", "t.tm:3: ',,,' has no letters or digits");
	expect_err("vendor a\n name A\n alias \"Acme\n", "t.tm:3: bad quoted value");
	expect_err("list l\n member nobody\n", "t.tm:2: unknown vendor 'nobody'");
	expect_err("vendor a\n name A\n\nlist l\n member a roles cam,,nvr\n",
		   "t.tm:5: roles are words of letters, digits and '-' joined by ','");
	expect_err("vendor a\n name A\n\nlist l\n member a since 2020-01-01\n",
		   "t.tm:5: expected 'member VENDOR [roles a,b] [from YYYY-MM-DD] [until "
		   "YYYY-MM-DD]', from before until");
	expect_err("vendor a\n name A\n\nlist l\n date 2020-13-01\n", "t.tm:5: date is YYYY-MM-DD");
	expect_err("list l\n name L\n\nlist l\n name L2\n", "t.tm:4: duplicate list id 'l'");
	expect_err("rule x\n kind y\n", "t.tm:1: a 'rule' record does not belong in this file");
	expect_err("vendor a\n name A\n name B\n", "t.tm:3: second name");

	char eb[TM_ERRLEN];
	struct vreg *r = vreg_new();

	CHECK_INT(vreg_parse(r, "v.tm", "vendor a\n name A\n", 17, VREG_LISTS, eb, sizeof(eb)),
		  TM_EPROTO);
	CHECK_STR(eb, "v.tm:1: a 'vendor' record does not belong in this file");
	CHECK_INT(vreg_count(r), 0);
	vreg_free(r);
	vreg_free(NULL);
}

/* A bad record is left out whole, earlier ones stay, and the registry still answers. */
static void test_partial(void)
{
	char eb[TM_ERRLEN];
	struct vreg *r;
	const char *t = "vendor acme\n name Acme Networks\n alias Acme\n pen 77\n\n"
			"vendor sub\n name Sub Co\n parent acme from 2010-01-01\n\n"
			"vendor bad\n name Bad\n alias Badword\n pen 77\n\n"
			"vendor later\n name Later\n";

	CHECK_INT(parse(&r, t, eb), TM_EPROTO);
	CHECK_STR(eb, "t.tm:13: enterprise number '77' of vendor bad already belongs to acme");
	CHECK_INT(vreg_count(r), 2);
	CHECK_STR(resolve(r, "ACME networks inc"), "acme");
	CHECK_STR(resolve(r, "Badword"), "-"); /* nothing of the bad record is kept */
	CHECK_INT(find(r, "bad"), -1);
	CHECK_INT(vreg_family(r, find(r, "sub"), day("2011-01-01")), find(r, "acme"));
	CHECK_INT(vreg_family(r, find(r, "sub"), day("2009-01-01")), find(r, "sub"));
	CHECK_STR(vid(r, vreg_by_pen(r, 77)), "acme");

	/* a second file may refer to the first; a dated cycle across files is still found */
	t = "vendor x\n name X\n parent sub until 2015-01-01\n";
	CHECK_INT(vreg_parse(r, "u.tm", t, strlen(t), VREG_VENDORS, eb, sizeof(eb)), 0);
	CHECK_INT(vreg_family(r, find(r, "x"), day("2012-01-01")), find(r, "acme"));
	t = "vendor y\n name Y\n parent x\n\nvendor z\n name Z\n\n";
	CHECK_INT(vreg_parse(r, "w.tm", t, strlen(t), VREG_VENDORS, eb, sizeof(eb)), 0);
	t = "list mine\n date 2011-01-01\n member acme roles router\n member z until 2012-01-01\n";
	CHECK_INT(vreg_parse(r, "l.tm", t, strlen(t), VREG_LISTS, eb, sizeof(eb)), 0);
	int l = vreg_list_find(r, "mine");

	CHECK(vreg_in_list(r, l, find(r, "x"), "router", day("2012-01-01"))); /* x -> sub -> acme */
	CHECK(!vreg_in_list(r, l, find(r, "x"), "router", day("2016-01-01")));
	CHECK(vreg_in_list(r, l, find(r, "z"), "anything", day("2011-06-01")));
	CHECK(!vreg_in_list(r, l, find(r, "z"), NULL, day("2012-01-01")));
	CHECK(!vreg_in_list(r, l, find(r, "z"), NULL, day("2010-06-01")));
	CHECK_STR(vreg_list_title(r, l), "");
	vreg_free(r);

	/* ownership that swapped over time is no cycle: never both on one day */
	r = vreg_new();
	t = "vendor a\n name A\n parent b until 2000-01-01\n\nvendor b\n name B\n parent a from "
	    "2000-01-01\n";
	CHECK_INT(vreg_parse(r, "2.tm", t, strlen(t), VREG_VENDORS, eb, sizeof(eb)), 0);
	CHECK_INT(vreg_family(r, find(r, "a"), day("1999-01-01")), find(r, "b"));
	CHECK_INT(vreg_family(r, find(r, "a"), day("2001-01-01")), find(r, "a"));
	CHECK_INT(vreg_family(r, find(r, "b"), day("2001-01-01")), find(r, "a"));
	vreg_free(r);
	/* a cycle that exists only from 2010, when both dated edges hold */
	r = vreg_new();
	t = "vendor a\n name A\n parent b from 2000-01-01\n\nvendor b\n name B\n parent a from "
	    "2010-01-01\n";
	CHECK_INT(vreg_parse(r, "3.tm", t, strlen(t), VREG_VENDORS, eb, sizeof(eb)), TM_EPROTO);
	CHECK(strstr(eb, "makes a cycle") != NULL);
	CHECK(vreg_family(r, find(r, "a"), day("2015-01-01")) >= 0); /* no endless walk */
	vreg_free(r);
}

/* The shipped files, loaded with each allocation failing in turn: a clean TM_ENOMEM every time. */
static void test_nomem(void)
{
	char eb[TM_ERRLEN];
	struct vreg *r = NULL;
	int rc = -1, bad = 0;
	unsigned long n;

	for (n = 1; n < 100000; n++) {
		mem_fail_at(n);
		rc = vreg_load(&r, rules_dir(), eb, sizeof(eb));
		mem_fail_at(0);
		if (!rc)
			break;
		bad += rc != TM_ENOMEM || r != NULL;
	}
	CHECK_INT(rc, 0);
	CHECK_INT(bad, 0);
	CHECK(n > 5);
	vreg_free(r);
}

static void test_load_errors(void)
{
	char eb[TM_ERRLEN];
	struct vreg *r = (struct vreg *)1;

	CHECK(vreg_load(&r, "/nonexistent-dir", eb, sizeof(eb)) < 0);
	CHECK(r == NULL);
	CHECK(strstr(eb, "/nonexistent-dir/vendors.tm") != NULL);
}

int main(void)
{
	char eb[TM_ERRLEN];
	struct vreg *r = NULL;
	int rc = vreg_load(&r, rules_dir(), eb, sizeof(eb));

	CHECK_INT(rc, 0);
	if (rc) {
		fprintf(stderr, "%s\n", eb);
		return check_done("test_vendor");
	}
	test_ids(r);
	test_oui_names(r);
	test_lookalikes(r);
	test_banners(r);
	test_exact(r);
	test_family(r);
	test_lists(r);
	vreg_free(r);
	test_errors();
	test_partial();
	test_load_errors();
	test_nomem();
	return check_done("test_vendor");
}
