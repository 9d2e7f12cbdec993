"""bench/sniff_mgmt.py - the management part of bench/sniff's realistic capture:
DEVICES devices of several vendors, each saying who it is the way it would on a
real network (LLDP, CDP, DHCP, ARP, SNMP responses, SSDP, TLS server flights
with a certificate, HTTP responses with a title, SSH and FTP banners), framed
by tests/pcapgen*.py.  bench/sniff_gen.c interleaves these frames with bulk TCP.
usage: python3 bench/sniff_mgmt.py OUT.pcap DEVICES CERTDIR
CERTDIR holds cert-<vendor>.der made by bench/sniff (openssl req).
Nothing is sent; the addresses are never routed all the same: the collector and
the gateway in 192.0.2.0/24 (RFC 5737, documentation), the devices in
198.18.0.0/15 (RFC 2544, benchmarking: a documentation /24 is too small for
thousands of devices; 240 x 250 addresses a /16, up to 120,000 devices).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
import pcapgen as pg  # noqa: E402
import pcapgen_app as ap  # noqa: E402
import pcapgen_l2 as g  # noqa: E402

VRP = ("Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 "
       "(S5720 V200R019C10SPC500)\r\nCopyright (C) 2000-2020 HUAWEI TECH Co., Ltd\r\nHUAWEI S5720-28X-SI-AC")
H3C = ("H3C Comware Platform Software, Software Version 7.1.064, Release 5208P03\r\n"
       "H3C S5130-28S-EI\r\nCopyright (c) 2004-2017 New H3C Technologies Co., Ltd. All rights reserved.")
ZXR = "ZTE ZXR10 5960-52TM-HE Software, Version V3.02.20.B10P05, Release software"
IOS = ("Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, "
       "RELEASE SOFTWARE (fc2)")
COLLECTOR, CMAC = "192.0.2.5", "02:00:00:00:00:05"


def dev_mac(oui, i):
    return "%s:%02x:%02x:%02x" % (oui, (i >> 16) & 255, (i >> 8) & 255, i & 255)


def dev_ip(i):
    assert i < 120000, "198.18.0.0/15 holds 120,000 devices here"
    return "198.%d.%d.%d" % (18 + i // 60000, (i // 250) % 240, 1 + i % 250)


def switch(i, vendor):
    oui = {"huawei": "00:e0:fc", "h3c": "50:98:b8", "zte": "08:60:83", "cisco": "00:1b:54"}[vendor]
    m, a = dev_mac(oui, i), dev_ip(i)
    port = dev_mac(oui, i + 0x800000)  # the port MAC its control frames leave from
    fr = []
    if vendor == "cisco":
        fr.append(g.cdp_frame(port, g.cdp(device_id="sw-%d" % i, platform="cisco WS-C2960X-48FPD-L",
                                          version=IOS, port_id="GigabitEthernet1/0/24", addrs=(a,))))
    else:
        desc = {"huawei": VRP, "h3c": H3C, "zte": ZXR}[vendor]
        fr.append(g.lldp_frame(port, g.lldp(chassis_mac=m, port_id="GE0/0/%d" % (1 + i % 48),
                                            sysname="sw-%d" % i, sysdesc=desc, mgmt=(a,))))
    desc = {"huawei": VRP, "h3c": H3C, "zte": ZXR, "cisco": IOS}[vendor]
    fr += [f for _, f in ap.udp_frames(a, 161, COLLECTOR, 40000 + i % 20000,
                                       ap.snmp_response(descr=desc, name="sw-%d" % i), smac=m, dmac=CMAC)]
    fr += [f for _, f in ap.tcp_frames(COLLECTOR, 30000 + i % 30000, a, 22,
                                       b"SSH-2.0-%s\r\n" % {"huawei": b"HUAWEI-1.5", "h3c": b"Comware-7.1.064",
                                                             "zte": b"ZTE_SSH.2.0", "cisco": b"Cisco-1.25"}[vendor],
                                       cmac=CMAC, smac=m)]
    return fr


def camera(i, vendor, certs):
    oui = {"hikvision": "bc:ad:28", "dahua": "3c:ef:8c"}[vendor]
    m, a = dev_mac(oui, i), dev_ip(i)
    fr = [g.arp_frame(m, g.arp(m, a, "192.0.2.1"))]
    fr.append(g.dhcp4_frame(m, g.dhcp4(mac=m, hostname="cam-%d" % i, prl=[1, 3, 6, 15],
                                       vendor_class={"hikvision": "HIKVISION", "dahua": "DAHUA"}[vendor],
                                       client_id_mac=m)))
    srv = {"hikvision": "App-webs/", "dahua": "Webs"}[vendor]
    title = {"hikvision": "Hikvision Web Client", "dahua": "WEB SERVICE"}[vendor]
    fr += [f for _, f in ap.tcp_frames(COLLECTOR, 31000 + i % 30000, a, 80,
                                       ap.http_response(server=srv, title=title),
                                       client_bytes=b"GET / HTTP/1.1\r\nHost: %s\r\n\r\n" % a.encode(),
                                       cmac=CMAC, smac=m)]
    fr += [f for _, f in ap.tcp_frames(COLLECTOR, 32000 + i % 30000, a, 443,
                                       ap.tls_server_flight(certs[vendor]), cmac=CMAC, smac=m)]
    return fr


def ont(i, vendor):
    oui = {"zte": "00:19:c6", "huawei": "48:7b:6b"}[vendor]
    m, a = dev_mac(oui, i), dev_ip(i)
    vc = {"zte": "ZTE-F670L", "huawei": "HG8245H"}[vendor]
    fr = [g.dhcp4_frame(m, g.dhcp4(mac=m, hostname="ont-%d" % i, prl=[1, 3, 6], vendor_class=vc,
                                   client_id_mac=m))]
    srv = {"zte": "ZTE UPnP/1.0 F670L", "huawei": "Linux UPnP/1.0 Huawei-ATP-IGD"}[vendor]
    fr += [f for _, f in ap.udp_frames(a, 1900, "239.255.255.250", 1900,
                                       ap.ssdp_notify(srv, "0f0e0d0c-0000-1000-8000-%012x" % i,
                                                      "http://%s:52869/desc.xml" % a),
                                       smac=m, dmac="01:00:5e:7f:ff:fa")]
    fr += [f for _, f in ap.tcp_frames(COLLECTOR, 33000 + i % 30000, a, 21,
                                       b"220 %s FTP server ready\r\n" % vc.encode(), cmac=CMAC, smac=m)]
    return fr


def main():
    out, n, cdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    certs = {v: open(os.path.join(cdir, "cert-%s.der" % v), "rb").read() for v in ("hikvision", "dahua")}
    kinds = [("sw", "huawei"), ("sw", "h3c"), ("sw", "zte"), ("sw", "cisco"), ("cam", "hikvision"),
             ("cam", "dahua"), ("ont", "zte"), ("ont", "huawei")]
    frames = []
    for i in range(n):
        k, v = kinds[i % len(kinds)]
        frames += switch(i, v) if k == "sw" else camera(i, v, certs) if k == "cam" else ont(i, v)
    pg.write_pcap(out, [(1700000000 + j * 0.001, f) for j, f in enumerate(frames)])


if __name__ == "__main__":
    main()
