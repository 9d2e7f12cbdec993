#!/usr/bin/env python3
"""demo_data.py - writes the built-in demo network of a fictional operator
(Northwind Telecom): data/demo/inventory.csv (sites, declared equipment) and
data/demo/observations.jsonl (what a scan of it saw: MACs, banners, SNMP).

Deterministic (seeded).  Addresses are loopback (127.20.0.0/16): the demo
never dials anything, and the scanner demo of a later release will play
these devices on loopback.  MAC prefixes are real IEEE registrations of the
makers named; banners have the public shapes of those makers' products.
"""
import csv, json, random, sys, os

random.seed(20261129)
OUT = sys.argv[1] if len(sys.argv) > 1 else "data/demo"

SITES = [  # id, name, lat, lon, region
    ("CAP-001", "Capital core DC", 52.5200, 13.4050, "Capital"),
    ("CAP-002", "Government quarter POP", 52.5186, 13.3762, "Capital"),
    ("CAP-003", "Ministry campus", 52.5125, 13.3904, "Capital"),
    ("CAP-004", "Old town street cabinet", 52.5170, 13.4010, "Capital"),
    ("NOR-001", "North aggregation", 52.6100, 13.3500, "North"),
    ("NOR-002", "Airbase perimeter mast", 52.5597, 13.2877, "North"),
    ("NOR-003", "Suburb FTTH cabinet", 52.6300, 13.4900, "North"),
    ("HAR-001", "Harbour aggregation", 52.4500, 13.5600, "Harbour"),
    ("HAR-002", "Port authority", 52.4380, 13.5900, "Harbour"),
    ("HAR-003", "Container terminal mast", 52.4300, 13.6200, "Harbour"),
]

def mac(prefix):
    p = prefix.lower()
    return "%s:%s:%s:%02x:%02x:%02x" % (p[0:2], p[2:4], p[4:6], random.randrange(256),
                                        random.randrange(256), random.randrange(256))

# template: declared vendor, model, role, OUI prefix, observations [(kind, port, value)]
T = {
 "huawei-router": ("Huawei", "NE40E-X8A", "core-router", "30FBB8", [
    ("ssh_banner", 22, "SSH-2.0-HUAWEI-1.5"),
    ("snmp_sysobjectid", 161, "1.3.6.1.4.1.2011.2.62.2.3"),
    ("snmp_sysdescr", 161, "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (NE40E V800R011C10SPC100)\r\nCopyright (C) 2012-2019 Huawei Technologies Co., Ltd.\r\nHUAWEI NE40E-X8A\r\n")]),
 "huawei-bbu": ("Huawei", "BBU5900", "ran-baseband", "30FBB8", [
    ("http_title", 443, "Huawei Web LMT"),
    ("tls_subject", 443, "C=CN, O=Huawei, OU=Wireless Network Product Line, CN=BBU5900"),]),
 "huawei-ont": ("Huawei", "EchoLife HG8245H", "ont", "10327E", [
    ("http_title", 80, "HG8245H"),
    ("upnp_manufacturer", 1900, "Huawei Technologies Co., Ltd."),
    ("upnp_model", 1900, "HG8245H")]),
 "zte-ont": ("ZTE", "ZXHN F660", "ont", "086083", [
    ("http_title", 80, "F660"),
    ("upnp_manufacturer", 1900, "ZTE"),
    ("telnet_banner", 23, "\r\nF660\r\nLogin: ")]),
 "zte-switch": ("ZTE", "ZXR10 5960", "aggregation-switch", "E01954", [
    ("snmp_sysobjectid", 161, "1.3.6.1.4.1.3902.3.100.50"),
    ("snmp_sysdescr", 161, "ZXR10 ROS Version V4.08.23 ZXR10 5960-56TM Software, Version V3.02.01.B20P01, RELEASE SOFTWARE")]),
 "hikvision-camera": ("Hikvision", "DS-2CD2143G0-I", "camera", "4447CC", [
    ("http_server", 80, "App-webs/"),
    ("rtsp_server", 554, "HIKVISION-RTSP-Server"),
    ("upnp_manufacturer", 1900, "Hikvision")]),
 "dahua-nvr": ("Dahua", "DHI-NVR4108HS", "nvr", "08EDED", [
    ("rtsp_server", 554, "Dahua Rtsp Server/2.0"),
    ("http_title", 80, "WEB SERVICE")]),
 "h3c-switch": ("H3C", "S5130-28S-EI", "access-switch", "5098B8", [
    ("ssh_banner", 22, "SSH-2.0-Comware-7.1.064"),
    ("snmp_sysdescr", 161, "H3C Comware Platform Software, Software Version 7.1.064, Release 3208P16\r\nH3C S5130-28S-EI\r\nCopyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.")]),
 "cisco-router": ("Cisco", "ASR1001-X", "core-router", "F4BD9E", [
    ("ssh_banner", 22, "SSH-2.0-Cisco-1.25"),
    ("snmp_sysobjectid", 161, "1.3.6.1.4.1.9.1.1861"),
    ("snmp_sysdescr", 161, "Cisco IOS Software [Amsterdam], ASR1000 Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.4a, RELEASE SOFTWARE (fc3)")]),
 "cisco-switch": ("Cisco", "C9300-48P", "access-switch", "084FA9", [
    ("ssh_banner", 22, "SSH-2.0-Cisco-1.25"),
    ("snmp_sysdescr", 161, "Cisco IOS Software [Bengaluru], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.6.4, RELEASE SOFTWARE (fc1)")]),
 "juniper-router": ("Juniper", "MX480", "core-router", "94F7AD", [
    ("ssh_banner", 22, "SSH-2.0-OpenSSH_7.5"),
    ("snmp_sysobjectid", 161, "1.3.6.1.4.1.2636.1.1.1.2.25"),
    ("snmp_sysdescr", 161, "Juniper Networks, Inc. mx480 internet router, kernel JUNOS 21.4R3-S4.9, Build date: 2023-06-15 UTC")]),
 "nokia-router": ("Nokia", "7750 SR-7", "aggregation-router", "405582", [
    ("snmp_sysdescr", 161, "TiMOS-C-22.10.R1 cpm/hops64 Nokia 7750 SR Copyright (c) 2000-2022 Nokia.")]),
 "ericsson-bbu": ("Ericsson", "Baseband 6630", "ran-baseband", "549B72", [
    ("tls_subject", 443, "C=SE, O=Ericsson, CN=Baseband 6630")]),
 "arista-switch": ("Arista", "DCS-7280SR-48C6", "aggregation-switch", "C4CA2B", [
    ("snmp_sysobjectid", 161, "1.3.6.1.4.1.30065.1.3011.7280.1"),
    ("snmp_sysdescr", 161, "Arista Networks EOS version 4.28.3M running on an Arista Networks DCS-7280SR-48C6")]),
 "mikrotik": ("MikroTik", "CCR2004", "edge-router", "B869F4", [
    ("ssh_banner", 22, "SSH-2.0-ROSSSH"),
    ("snmp_sysdescr", 161, "RouterOS CCR2004-16G-2S+")]),
 "fortigate": ("Fortinet", "FortiGate 100F", "firewall", "AC712E", [
    ("tls_subject", 443, "C=US, ST=California, L=Sunnyvale, O=Fortinet, OU=FortiGate, CN=FG100FTK20012345"),]),
 "aruba-ap": ("Aruba", "AP-515", "access-point", "883A30", [
    ("snmp_sysdescr", 161, "ArubaOS (MODEL: 515), Version 8.10.0.6")]),
 "linux-server": ("Dell", "PowerEdge R650", "server", "98E743", [
    ("ssh_banner", 22, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3")]),
}

MIX = [  # (template, count, sites)
 ("cisco-router", 2, ["CAP-001", "HAR-001"]), ("juniper-router", 2, ["CAP-001", "NOR-001"]),
 ("huawei-router", 2, ["NOR-001", "HAR-001"]), ("nokia-router", 2, ["CAP-002", "NOR-001"]),
 ("arista-switch", 2, ["CAP-001"]), ("zte-switch", 1, ["HAR-001"]), ("h3c-switch", 2, ["CAP-004", "NOR-003"]),
 ("cisco-switch", 4, ["CAP-002", "CAP-003", "HAR-002"]), ("huawei-bbu", 3, ["NOR-002", "HAR-003", "CAP-004"]),
 ("ericsson-bbu", 3, ["CAP-003", "NOR-002", "HAR-003"]), ("huawei-ont", 4, ["NOR-003"]), ("zte-ont", 3, ["NOR-003"]),
 ("hikvision-camera", 4, ["CAP-002", "CAP-003", "HAR-002"]), ("dahua-nvr", 1, ["HAR-002"]),
 ("mikrotik", 2, ["NOR-003", "HAR-003"]), ("fortigate", 2, ["CAP-002", "HAR-002"]),
 ("aruba-ap", 4, ["CAP-003", "HAR-002"]), ("linux-server", 3, ["CAP-001"]),
]

def main():
    os.makedirs(OUT, exist_ok=True)
    inv, obs = [], []
    t0, n = 1796000000, 0
    site_index = {s[0]: i for i, s in enumerate(SITES)}
    for tname, count, sites in MIX:
        vendor, model, role, oui, tobs = T[tname]
        for i in range(count):
            n += 1
            site = sites[i % len(sites)]
            addr = "127.20.%d.%d" % (site_index[site] + 1, n)
            m = mac(oui)
            asset = "NW-%04d" % n
            declared = vendor
            if tname == "huawei-router" and i == 1:
                declared = "Cisco"   # an inventory that disagrees with what is seen
            inv.append([asset, site, declared, model, role, addr, m, "SN%08d" % random.randrange(10**8)])
            t = t0 + n * 37
            obs.append({"time": t, "source": "scan", "addr": addr, "mac": m, "kind": "mac", "value": m})
            for kind, port, value in tobs:
                o = {"time": t, "source": "scan", "addr": addr, "port": port,
                     "proto": "udp" if port in (161, 1900) else "tcp", "kind": kind, "value": value}
                obs.append(o)
    # devices the inventory does not know: an OEM case (a Huawei NIC behind another
    # brand's web UI), a bare banner nmap would call Huawei, and a hostile banner
    extra = [
        ("127.20.9.201", mac("10327E"), [("http_title", 80, "Linksys Smart Wi-Fi"), ("http_server", 80, "lighttpd/1.4.59")]),
        ("127.20.9.202", "", [("ssh_banner", 22, "SSH-2.0--")]),
        ("127.20.9.203", "", [("http_title", 80, "<script>alert('x')</script>\x1b[31mrouter")]),
    ]
    for addr, m, tobs in extra:
        t = t0 + 9999
        if m:
            obs.append({"time": t, "source": "scan", "addr": addr, "mac": m, "kind": "mac", "value": m})
        for kind, port, value in tobs:
            obs.append({"time": t, "source": "scan", "addr": addr, "port": port, "proto": "tcp",
                        "kind": kind, "value": value})
    with open(os.path.join(OUT, "inventory.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["asset_id", "site_id", "site_name", "latitude", "longitude", "operator", "region",
                    "vendor", "model", "role", "address", "mac", "serial"])
        for a in inv:
            s = SITES[site_index[a[1]]]
            w.writerow([a[0], s[0], s[1], s[2], s[3], "Northwind Telecom", s[4], a[2], a[3], a[4], a[5], a[6], a[7]])
    with open(os.path.join(OUT, "observations.jsonl"), "w") as f:
        for o in obs:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    print("%d inventory rows, %d observations" % (len(inv), len(obs)))

main()
