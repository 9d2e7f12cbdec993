#!/usr/bin/env bash
# sniff_l2.sh - `trustmap sniff` on captures we write ourselves (tests/pcapgen_l2.py):
# LLDP, CDP, DHCPv4, DHCPv6 and ARP from known devices (Huawei, H3C and ZTE
# switches, a Cisco switch over CDP, ZTE and Huawei ONTs, a Hikvision camera, a
# Yealink phone over LLDP-MED), as pcap and pcapng.
# Checks every observation the L2/DHCP decoders report, the assets and vendors
# they lead to, the topology links stored, a malformed LLDP frame (message,
# count, partial result kept), and -- tshark as an oracle -- that the LLDP
# system descriptions, CDP platforms and DHCP vendor classes we extract equal
# what Wireshark's dissectors extract.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

if [ ! -x "$TM" ] || ! "$TM" sniff --help >/dev/null 2>&1; then
	skip "no trustmap sniff in $TM"
	finish sniff_l2
	exit $?
fi

# ---- the capture: who sends what ----
cat >"$tmp/gen.py" <<'EOF'
import sys
sys.path.insert(0, 'tests')
import pcapgen as pg
import pcapgen_l2 as g

VRP = ('Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 '
       '(S5720 V200R019C10SPC500)\r\nCopyright (C) 2000-2020 HUAWEI TECH Co., Ltd\r\n'
       'HUAWEI S5720-28X-SI-AC')
IOS = ('Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, '
       'RELEASE SOFTWARE (fc2)\nTechnical Support: http://www.cisco.com/techsupport')
frames = [
    # 1 a Huawei S5720 announces itself over LLDP on VLAN 10 (frame from its port MAC)
    g.lldp_frame('00:e0:fc:11:22:34', g.lldp(
        chassis_mac='00:e0:fc:11:22:33', port_id='GigabitEthernet0/0/1', port_desc='uplink',
        sysname='core-sw1', sysdesc=VRP, mgmt=('192.0.2.1', '2001:db8::1'),
        org=(('00:80:c2', 1, b'\x00\x0a'),)), vlan=10),
    # 2 a Cisco Catalyst 2960-X over CDP v2
    g.cdp_frame('00:1b:54:aa:bb:cc', g.cdp(
        device_id='sw-access-3', platform='cisco WS-C2960X-48FPD-L', version=IOS,
        port_id='GigabitEthernet1/0/24', addrs=('192.0.2.2',), native_vlan=10)),
    # 3 a ZTE ONT asks for an address
    g.dhcp4_frame('00:19:c6:12:34:56', g.dhcp4(
        mac='00:19:c6:12:34:56', hostname='ont-7', prl=[1, 3, 6, 15, 28, 42],
        vendor_class='ZTE-F670L', client_id_mac='00:19:c6:12:34:56', enterprises=(3902,))),
    # 4 the server's ACK binds 192.0.2.50 to it (the server: a locally administered MAC)
    g.dhcp4_frame('02:00:00:00:00:fe', g.dhcp4(
        op=2, mac='00:19:c6:12:34:56', msg_type=5, yiaddr='192.0.2.50', server_id='192.0.2.254'),
        src='192.0.2.254', dst='192.0.2.50', client=False, dst_mac='00:19:c6:12:34:56'),
    # 5 a Hikvision camera's ARP request
    g.arp_frame('bc:ad:28:01:02:03', g.arp('bc:ad:28:01:02:03', '192.0.2.64', '192.0.2.254')),
    # 6 a Huawei ONT's DHCPv6 Solicit (DUID-LL, vendor class of enterprise 2011)
    g.dhcp6_frame('48:7b:6b:01:02:03', g.dhcp6(
        duid_mac='48:7b:6b:01:02:03', duid_type=3, vendor_class=(2011, ['HuaweiONT']),
        fqdn='ont-8'), 'fe80::4a7b:6bff:fe01:203'),
    # 7 a Yealink phone over LLDP-MED
    g.lldp_frame('80:5e:c0:aa:bb:cc', g.lldp(
        chassis_mac='80:5e:c0:aa:bb:cc', port_id='WAN PORT', sysname='SIP-T46S',
        sysdesc='SIP-T46S 66.86.0.15', mgmt=('192.0.2.70',), med_mfr='Yealink',
        med_model='SIP-T46S')),
    # 8 an LLDPDU whose system description claims 300 bytes with 12 left
    g.lldp_frame('00:e0:fc:99:00:02', g.lldp(
        chassis_mac='00:e0:fc:99:00:01', port_id='GE0/0/2', sysname='edge-sw9', end=False)
        + b'\x0d\x2c' + b'Huawei Versa'),
    # 9 an H3C switch with its default system name
    g.lldp_frame('50:98:b8:01:02:04', g.lldp(
        chassis_mac='50:98:b8:01:02:03', port_id='GigabitEthernet1/0/1', sysname='H3C',
        sysdesc='H3C Comware Platform Software, Software Version 7.1.064, Release 5208P03\r\n'
        'H3C S5130-28S-EI\r\nCopyright (c) 2004-2017 New H3C Technologies Co., Ltd. All rights '
        'reserved.', mgmt=('192.0.2.80',))),
    # 10 a ZTE ZXR10 whose chassis id is a local name
    g.lldp_frame('08:60:83:00:00:01', g.lldp(
        chassis_id='ZXR10-5960', chassis_subtype=7, port_id='xgei-1/1/0/1',
        sysdesc='ZTE ZXR10 5960-52TM-HE Software, Version V3.02.20.B10P05, Release software',
        mgmt=('192.0.2.90',))),
]
t = [(1700000000 + i, f) for i, f in enumerate(frames)]
pg.write_pcap(sys.argv[1], t)
pg.write_pcapng(sys.argv[2], t)
EOF
ok "captures written" python3 "$tmp/gen.py" "$tmp/l2.pcap" "$tmp/l2.pcapng"

# What the L2/DHCP decoders must report (kind mac addr value), in order; bare
# frame MACs (the capture layer's, no address) are left out.
want_obs=$(cat <<'EOF'
lldp_chassis|00:e0:fc:11:22:33|192.0.2.1|00:e0:fc:11:22:33
lldp_sysname|00:e0:fc:11:22:33|192.0.2.1|core-sw1
lldp_sysdesc|00:e0:fc:11:22:33|192.0.2.1|Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 (S5720 V200R019C10SPC500)\r\nCopyright (C) 2000-2020 HUAWEI TECH Co., Ltd\r\nHUAWEI S5720-28X-SI-AC
lldp_org|00:e0:fc:11:22:33|192.0.2.1|00:80:c2/1
mac|00:e0:fc:11:22:33|192.0.2.1|00:e0:fc:11:22:33
mac|00:e0:fc:11:22:33|2001:db8::1|00:e0:fc:11:22:33
cdp_device_id|00:1b:54:aa:bb:cc|192.0.2.2|sw-access-3
cdp_platform|00:1b:54:aa:bb:cc|192.0.2.2|cisco WS-C2960X-48FPD-L
cdp_version|00:1b:54:aa:bb:cc|192.0.2.2|Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)\nTechnical Support: http://www.cisco.com/techsupport
mac|00:1b:54:aa:bb:cc|192.0.2.2|00:1b:54:aa:bb:cc
dhcp_hostname|00:19:c6:12:34:56||ont-7
dhcp_prl|00:19:c6:12:34:56||1,3,6,15,28,42
dhcp_vendor_class|00:19:c6:12:34:56||ZTE-F670L
dhcp_enterprise|00:19:c6:12:34:56||3902
mac|00:19:c6:12:34:56|192.0.2.50|00:19:c6:12:34:56
mac|bc:ad:28:01:02:03|192.0.2.64|bc:ad:28:01:02:03
mac|48:7b:6b:01:02:03|fe80::4a7b:6bff:fe01:203|48:7b:6b:01:02:03
dhcp_hostname|48:7b:6b:01:02:03|fe80::4a7b:6bff:fe01:203|ont-8
dhcp_vendor_class|48:7b:6b:01:02:03|fe80::4a7b:6bff:fe01:203|HuaweiONT
dhcp_enterprise|48:7b:6b:01:02:03|fe80::4a7b:6bff:fe01:203|2011
lldp_chassis|80:5e:c0:aa:bb:cc|192.0.2.70|80:5e:c0:aa:bb:cc
lldp_sysname|80:5e:c0:aa:bb:cc|192.0.2.70|SIP-T46S
lldp_sysdesc|80:5e:c0:aa:bb:cc|192.0.2.70|SIP-T46S 66.86.0.15
lldp_org|80:5e:c0:aa:bb:cc|192.0.2.70|00:12:bb/9=Yealink
lldp_org|80:5e:c0:aa:bb:cc|192.0.2.70|00:12:bb/10=SIP-T46S
mac|80:5e:c0:aa:bb:cc|192.0.2.70|80:5e:c0:aa:bb:cc
lldp_chassis|00:e0:fc:99:00:01||00:e0:fc:99:00:01
lldp_sysname|00:e0:fc:99:00:01||edge-sw9
lldp_chassis|50:98:b8:01:02:03|192.0.2.80|50:98:b8:01:02:03
lldp_sysname|50:98:b8:01:02:03|192.0.2.80|H3C
lldp_sysdesc|50:98:b8:01:02:03|192.0.2.80|H3C Comware Platform Software, Software Version 7.1.064, Release 5208P03\r\nH3C S5130-28S-EI\r\nCopyright (c) 2004-2017 New H3C Technologies Co., Ltd. All rights reserved.
mac|50:98:b8:01:02:03|192.0.2.80|50:98:b8:01:02:03
lldp_chassis|08:60:83:00:00:01|192.0.2.90|ZXR10-5960
lldp_sysdesc|08:60:83:00:00:01|192.0.2.90|ZTE ZXR10 5960-52TM-HE Software, Version V3.02.20.B10P05, Release software
mac|08:60:83:00:00:01|192.0.2.90|08:60:83:00:00:01
EOF
)

# Assets after the run: key addr vendor product model version role.  The
# port MACs LLDP frames 1, 8 and 9 were sent from (00:e0:fc:11:22:34,
# 00:e0:fc:99:00:02, 50:98:b8:01:02:04) are no assets of their own: frames to
# the link-local control groups give no frame-source mac.
want_assets=$(cat <<'EOF'
mac:00:19:c6:12:34:56|192.0.2.50|zte||F670L||ont
mac:00:1b:54:aa:bb:cc|192.0.2.2|cisco|IOS|WS-C2960X-48FPD-L|15.2(7)E4|switch
mac:00:e0:fc:11:22:33|192.0.2.1|huawei|VRP|S5720-28X-SI-AC|5.170 V200R019C10SPC500|switch
mac:00:e0:fc:99:00:01||huawei||||
mac:02:00:00:00:00:fe||||||
mac:08:60:83:00:00:01|192.0.2.90|zte|ZXR10|5960-52TM-HE|3.02.20.B10P05|switch
mac:48:7b:6b:01:02:03|fe80::4a7b:6bff:fe01:203|huawei||||
mac:50:98:b8:01:02:03|192.0.2.80|h3c|Comware|S5130-28S-EI|7.1.064 Release 5208P03|switch
mac:80:5e:c0:aa:bb:cc|192.0.2.70|yealink||SIP-T46S|66.86.0.15|phone
mac:bc:ad:28:01:02:03|192.0.2.64|hikvision||||
EOF
)

obs_rows() { # jsonl on stdin -> kind|mac|addr|value (value with \r \n spelled out)
	python3 -c '
import json, sys
mine = {"lldp_chassis", "lldp_sysname", "lldp_sysdesc", "lldp_org", "cdp_device_id",
        "cdp_platform", "cdp_version", "dhcp_hostname", "dhcp_prl", "dhcp_vendor_class",
        "dhcp_enterprise", "dhcp_user_class", "mac"}
for line in sys.stdin:
    r = json.loads(line)
    if r.get("kind") not in mine or (r["kind"] == "mac" and not r.get("addr")):
        continue
    v = r["value"].replace("\r", "\\r").replace("\n", "\\n")
    print("|".join([r["kind"], r.get("mac", ""), r.get("addr", ""), v]))'
}

asset_rows() {
	python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
for r in sorted(rows, key=lambda r: r["key"]):
    print("|".join([r[k] for k in ("key", "addr", "vendor", "product", "model", "version", "role")]))'
}

link_rows() { # DB -> a_key|a_port|b_key|b_port|source, sorted
	python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute("select a_key, a_port, b_key, b_port, source from links order by a_key"):
    print("|".join(r))' "$1"
}

for f in l2.pcap l2.pcapng; do
	db=$tmp/$f.db
	"$TM" sniff --db "$db" --format jsonl --stats "$tmp/$f" >"$tmp/$f.out" 2>"$tmp/$f.err"
	eq "$f: exit status" "$?" 0
	eq "$f: observations" "$(grep '"kind"' "$tmp/$f.out" | obs_rows)" "$want_obs"
	eq "$f: lldp counted" "$(rows 'str(r["count"]) + " " + str(r["malformed"])' 'r.get("counter") == "lldp"' <"$tmp/$f.out")" "5 1"
	eq "$f: cdp, arp, dhcp4, dhcp6 counted" \
		"$(rows 'r["counter"] + "=" + str(r["count"]) + "/" + str(r["malformed"])' \
			'r.get("counter") in ("cdp", "arp", "dhcp4", "dhcp6")' <"$tmp/$f.out")" \
		"arp=1/0 cdp=1/0 dhcp4=2/0 dhcp6=1/0"
	eq "$f: malformed message" "$(grep -c "$tmp/$f: packet 8: lldp: LLDP TLV type 6 claims 300 bytes, 12 left" "$tmp/$f.err")" 1
	eq "$f: assets" "$("$TM" assets --db "$db" --format jsonl | asset_rows)" "$want_assets"
	eq "$f: links" "$(link_rows "$db")" "$(printf '%s\n' \
		"mac:00:1b:54:aa:bb:cc|GigabitEthernet1/0/24|capture:$tmp/$f||cdp" \
		"mac:00:e0:fc:11:22:33|GigabitEthernet0/0/1|capture:$tmp/$f|vlan 10|lldp" \
		"mac:00:e0:fc:99:00:01|GE0/0/2|capture:$tmp/$f||lldp" \
		"mac:08:60:83:00:00:01|xgei-1/1/0/1|capture:$tmp/$f||lldp" \
		"mac:50:98:b8:01:02:03|GigabitEthernet1/0/1|capture:$tmp/$f||lldp" \
		"mac:80:5e:c0:aa:bb:cc|WAN PORT|capture:$tmp/$f||lldp")"
done
eq "pcap and pcapng agree" "$(grep '"kind"' "$tmp/l2.pcap.out" | obs_rows)" \
	"$(grep '"kind"' "$tmp/l2.pcapng.out" | obs_rows)"

# Evidence: the LLDP-MED manufacturer rule and the CDP version rule are used.
"$TM" show --db "$tmp/l2.pcap.db" --format jsonl mac:80:5e:c0:aa:bb:cc >"$tmp/show.yl" 2>&1
ok "Yealink phone: LLDP-MED manufacturer rule" grep -q 'rule:lldp-med-yealink' "$tmp/show.yl"
"$TM" show --db "$tmp/l2.pcap.db" --format jsonl mac:00:1b:54:aa:bb:cc >"$tmp/show.cs" 2>&1
ok "Cisco switch: CDP software version read by the IOS rule" grep -q 'rule:cisco-ios-switch' "$tmp/show.cs"

# ---- tshark as the oracle ----
if ! command -v tshark >/dev/null 2>&1; then
	skip "tshark not installed: no oracle comparison"
else
	for f in l2.pcap l2.pcapng; do
		# tshark prints \r and \n inside a string field as the two characters
		mine=$(grep '"kind"' "$tmp/$f.out" | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["kind"] in ("lldp_sysdesc", "cdp_platform") or (
            r["kind"] == "dhcp_vendor_class" and ":" not in r.get("addr", "")):
        print(r["kind"] + "|" + r["value"].replace("\r", "\\r").replace("\n", "\\n"))' | sort)
		theirs=$(tshark -r "$tmp/$f" -T fields -E separator='|' -e lldp.tlv.system.desc \
			-e cdp.platform -e dhcp.option.vendor_class_id 2>/dev/null | python3 -c '
import sys
for line in sys.stdin:
    d, p, v = (line.rstrip("\n").split("|") + ["", "", ""])[:3]
    for k, x in (("lldp_sysdesc", d), ("cdp_platform", p), ("dhcp_vendor_class", v)):
        if x:
            print(k + "|" + x)' | sort)
		eq "$f: tshark's LLDP descriptions, CDP platforms, DHCP vendor classes" "$mine" "$theirs"
		mine6=$(grep '"kind":"dhcp_vendor_class"' "$tmp/$f.out" | rows 'r["value"]' '":" in r.get("addr", "")')
		theirs6=$(tshark -r "$tmp/$f" -T fields -e dhcpv6.vendorclass.data 2>/dev/null | grep -v '^$')
		eq "$f: tshark's DHCPv6 vendor class data" "$mine6" "$theirs6"
		eq "$f: 4 system descriptions, a platform, a vendor class compared" "$(wc -l <<<"$mine")" 6
	done
fi

# ---- one LLDP switch, many port MACs: one asset ----
# A 4-port Huawei switch announces itself over LLDP from each port's own MAC
# and sends STP BPDUs (01:80:c2:00:00:00) and a PVST+ BPDU (01:00:0c:cc:cc:cd)
# from them too; a host's broadcast ARP still makes its MAC an asset.
cat >"$tmp/ports.py" <<'EOF'
import sys
sys.path.insert(0, 'tests')
import pcapgen as pg
import pcapgen_l2 as g

bpdu = bytes([0x42, 0x42, 0x03]) + bytes(35)
frames = []
for i in range(1, 5):
    port = '00:e0:fc:55:00:%02x' % i
    frames.append(g.lldp_frame(port, g.lldp(
        chassis_mac='00:e0:fc:55:00:00', port_id='GE0/0/%d' % i, sysname='acc-sw5',
        sysdesc='Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 '
        '(S5735 V200R021C00SPC100)\r\nHUAWEI S5735-L24T4S-A', mgmt=('192.0.2.150',))))
    frames.append(pg.eth('01:80:c2:00:00:00', port, len(bpdu), bpdu))
pvst = bytes([0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x01, 0x0b]) + bpdu[3:]
frames.append(pg.eth('01:00:0c:cc:cc:cd', '00:e0:fc:55:00:01', len(pvst), pvst))
frames.append(g.arp_frame('bc:ad:28:09:09:09', g.arp('bc:ad:28:09:09:09', '192.0.2.160', '192.0.2.254')))
pg.write_pcap(sys.argv[1], [(1700000100 + i, f) for i, f in enumerate(frames)])
EOF
ok "port-MAC capture written" python3 "$tmp/ports.py" "$tmp/ports.pcap"
"$TM" sniff --db "$tmp/ports.db" --format jsonl "$tmp/ports.pcap" >"$tmp/ports.out" 2>"$tmp/ports.err"
eq "ports: exit status" "$?" 0
eq "ports: no frame-source mac from a port MAC" \
	"$(grep '"kind":"mac"' "$tmp/ports.out" | rows 'r["mac"]' 'r["mac"].startswith("00:e0:fc:55:00:0") and r["mac"] != "00:e0:fc:55:00:00"')" ""
eq "ports: one switch, one camera" "$("$TM" assets --db "$tmp/ports.db" --format jsonl | asset_rows)" \
	"$(printf '%s\n' 'mac:00:e0:fc:55:00:00|192.0.2.150|huawei|VRP|S5735-L24T4S-A|5.170 V200R021C00SPC100|switch' \
		'mac:bc:ad:28:09:09:09|192.0.2.160|hikvision||||')"

finish sniff_l2
