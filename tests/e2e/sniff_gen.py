"""sniff_gen.py DIR - writes the captures tests/e2e/sniff.sh feeds to
`trustmap sniff`, each with known contents: link types (Ethernet, SLL, SLL2,
raw IP) in pcap and pcapng, VLAN stacks, 65,535 nested tags, broken files,
a capture with exact per-decoder counts, LLDP repeats (dedup and links),
and the many-tiny-flows captures for the memory check (DIR/flows_N.pcap,
written by `sniff_gen.py DIR flows N`).  Addresses are data, never dialled,
and from ranges that are never routed: IPv4 documentation (RFC 5737) and
benchmarking (RFC 2544, the tiny flows), IPv6 documentation (RFC 3849) and
link-local (a DHCPv6 client's source, as on the wire).
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapgen as g  # noqa: E402
import pcapgen_l2 as l2  # noqa: E402

BC = "ff:ff:ff:ff:ff:ff"
M1, M2, M3 = "02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"
SSDP_SERVER = "Linux/4.9 UPnP/1.0 TestCam/2.1"


def arp_req(mac, ip, tip="192.0.2.254"):
    return g.arp(1, mac, ip, "00:00:00:00:00:00", tip)


def ssdp_ip(src="192.0.2.9"):
    body = ("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\n"
            "NTS: ssdp:alive\r\nSERVER: %s\r\nUSN: uuid:1234::upnp:rootdevice\r\n"
            "LOCATION: http://%s:80/d.xml\r\n\r\n" % (SSDP_SERVER, src)).encode()
    return g.ipv4(src, "239.255.255.250", 17, g.udp(1900, 1900, body))


def linktypes(d):
    a = arp_req(M1, "192.0.2.1")
    eth = [(10.0, g.eth(BC, M1, 0x0806, a))]
    sll = [(10.0, g.sll(0x0806, a, src=M1))]
    sll2 = [(10.0, g.sll2(0x0806, a, src=M1))]
    raw = [(10.0, ssdp_ip())]
    for name, frames, lt in (("eth", eth, 1), ("sll", sll, 113), ("sll2", sll2, 276), ("raw", raw, 101)):
        g.write_pcap(os.path.join(d, name + ".pcap"), frames, linktype=lt)
        g.write_pcapng(os.path.join(d, name + ".pcapng"), frames, linktype=lt)
    g.write_pcap(os.path.join(d, "eth_nsec.pcap"), eth, nsec=True)
    g.write_pcap(os.path.join(d, "ipv4.pcap"), raw, linktype=228)


def vlans(d):
    a = lambda i: arp_req("02:00:00:00:01:%02x" % i, "198.51.100.%d" % i)  # noqa: E731
    fr = [
        (1.0, g.eth(BC, "02:00:00:00:01:01", 0x8100, g.vlan(0x8100, 10, 0x0806) + a(1))),
        (2.0, g.eth(BC, "02:00:00:00:01:02", 0x88a8,
                    g.vlan(0x88a8, 100, 0x8100) + g.vlan(0x8100, 20, 0x0806) + a(2))),
        (3.0, g.eth_vlan(BC, "02:00:00:00:01:03", [(0x8100, i) for i in range(1, 9)], 0x0806, a(3))),
        (4.0, g.eth_vlan(BC, "02:00:00:00:01:04", [(0x8100, i) for i in range(1, 10)], 0x0806, a(4))),
    ]
    g.write_pcap(os.path.join(d, "vlan.pcap"), fr)
    # 65,535 nested tags: cut at the snap length (262144) as a capture tool would cut it
    deep = g.eth_vlan(BC, "02:00:00:00:01:05", [(0x8100, 5)] * 65535, 0x0806, a(5))
    snap = 262144
    b = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snap, 1))
    b += struct.pack("<IIII", 5, 0, snap, len(deep)) + deep[:snap]
    after = g.eth(BC, "02:00:00:00:01:06", 0x0806, a(6))
    b += struct.pack("<IIII", 6, 0, len(after), len(after)) + after
    with open(os.path.join(d, "deep.pcap"), "wb") as fh:
        fh.write(bytes(b))


def broken(d):
    fr = [(float(i), g.eth(BC, "02:00:00:00:02:%02x" % i, 0x0806,
                           arp_req("02:00:00:00:02:%02x" % i, "203.0.113.%d" % i))) for i in range(1, 4)]
    g.write_truncated(os.path.join(d, "trunc.pcap"), fr, cut=10)
    g.write_wrong_magic(os.path.join(d, "magic.pcap"), fr)
    g.write_lying_length(os.path.join(d, "lying.pcap"), fr, bad_index=1)
    g.write_caplen_over_snaplen(os.path.join(d, "oversnap.pcap"), fr, bad_index=1, snaplen=64)
    with open(os.path.join(d, "empty.pcap"), "wb"):
        pass


def counts(d):
    """Exact counts: 3 ARP (one repeated), 1 LLDP, 2 DHCPv4, 1 IPv4 fragment, 1 IPv6 fragment,
    1 bad IPv4 header, 1 short frame, 1 bad UDP length, 1 TCP flow (8 segments, SSH banner)."""
    fr = []
    t = 100.0
    for mac, ip in ((M1, "192.0.2.1"), (M2, "192.0.2.2"), (M1, "192.0.2.1")):
        fr.append((t, g.eth(BC, mac, 0x0806, arp_req(mac, ip))))
        t += 1
    fr.append((t, l2.lldp_frame(M3, l2.lldp(chassis_mac=M3, port_id="Gi0/1", sysname="sw1",
                                            sysdesc="Test switch"))))
    disc = l2.dhcp4(mac="02:00:00:00:00:05", msg_type=1)
    fr.append((t, l2.dhcp4_frame("02:00:00:00:00:05", disc)))
    fr.append((t, l2.dhcp4_frame("02:00:00:00:00:05", disc)))
    fr.append((t, g.eth(M2, M1, 0x0800, g.ipv4("192.0.2.1", "192.0.2.2", 17, g.udp(5, 161, b"x" * 40), flags=1))))
    fr.append((t, g.eth(M2, M1, 0x86DD, g.ipv6("fe80::1", "fe80::2", 44,
                                               g.ipv6_frag(17, offset=8, more=0) + b"y" * 16))))
    bad4 = bytearray(g.ipv4("192.0.2.1", "192.0.2.2", 17, g.udp(5, 6, b"z")))
    bad4[0] = 0x4F  # header length 60 > what follows
    fr.append((t, g.eth(M2, M1, 0x0800, bytes(bad4))))
    fr.append((t, b"\x02\x00\x00\x00\x00\x01\x02"))  # 7 bytes: no Ethernet header
    badu = bytearray(g.udp(67, 68, b"q" * 8))
    badu[4:6] = b"\x00\x04"  # UDP length 4 < 8
    fr.append((t, g.eth(M2, M1, 0x0800, g.ipv4("192.0.2.1", "192.0.2.2", 17, bytes(badu)))))
    fr += g.tcp_flow("192.0.2.1", 40000, "192.0.2.2", 22, b"SSH-2.0-TestSSH_1.0\r\n", t0=t, cmac=M1, smac=M2)
    g.write_pcap(os.path.join(d, "counts.pcap"), fr)


def repeats(d):
    """LLDP from one switch every 30 s, 10 times; an ARP 5 times."""
    fr = []
    for i in range(10):
        fr.append((1000.0 + 30 * i, l2.lldp_frame(M3, l2.lldp(chassis_mac=M3, port_id="ge-0/0/7",
                                                                sysname="core1", sysdesc="Core switch"))))
    for i in range(5):
        fr.append((2000.0 + i, g.eth(BC, M1, 0x0806, arp_req(M1, "192.0.2.1"))))
    g.write_pcap(os.path.join(d, "repeats.pcap"), fr)
    half = len(fr) // 2
    g.write_pcap(os.path.join(d, "repeats_a.pcap"), fr[:half])
    g.write_pcap(os.path.join(d, "repeats_b.pcap"), fr[half:])


def flows(path, n):
    """n tiny TCP flows: the server's SYN-ACK and one segment with its banner
    (no FIN, no close: each stays open until the table makes room)."""
    banner = b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
    synack = bytearray(g.eth(M1, M2, 0x0800, g.ipv4("198.19.0.1", "198.18.0.0", 6,
                                                      g.tcp(22, 1, 1000, 1, g.SYN | g.ACK))))
    data = bytearray(g.eth(M1, M2, 0x0800, g.ipv4("198.19.0.1", "198.18.0.0", 6,
                                                    g.tcp(22, 1, 1001, 1, g.PSH | g.ACK, banner))))
    rs, rd = struct.pack("<IIII", 0, 0, len(synack), len(synack)), struct.pack("<IIII", 0, 0, len(data), len(data))
    with open(path, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        chunk = []
        for i in range(n):
            cport = 1024 + i % 60000
            host = i // 60000
            for rec, fr in ((rs, synack), (rd, data)):
                fr[14 + 16:14 + 20] = bytes((198, 18, host >> 8 & 255, host & 255))
                fr[14 + 22:14 + 24] = struct.pack(">H", cport)
                chunk.append(rec)
                chunk.append(bytes(fr))
            if len(chunk) >= 40000:
                fh.write(b"".join(chunk))
                chunk = []
        fh.write(b"".join(chunk))


def v6(d):
    """IPv6: a TCP flow with an SSH banner (reordered, one retransmission), SSDP
    behind a hop-by-hop header, a DHCPv6 Solicit with a vendor class; then a CDP frame (802.3, SNAP)."""
    fr = g.tcp_flow("2001:db8::1", 50000, "2001:db8::2", 22, b"SSH-2.0-V6Test_2.0\r\n" + b"x" * 3000,
                    mss=1000, reorder=True, retransmit=True, t0=50.0, cmac=M1, smac=M2)
    body = (b"NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
            b"SERVER: Linux/5 UPnP/1.0 V6Cam/1\r\nUSN: uuid:v6::upnp:rootdevice\r\n\r\n")
    fr.append((60.0, g.eth("33:33:00:00:00:0c", M3, 0x86DD,
                           g.ipv6("2001:db8::9", "ff02::c", 0, g.ipv6_ext(17) + g.udp(1900, 1900, body)))))
    sol = l2.dhcp6(duid_mac="02:00:00:00:00:07", vendor_class=(2011, ["huawei-test"]))
    fr.append((61.0, l2.dhcp6_frame("02:00:00:00:00:07", sol, "fe80::7")))
    cdp = l2.cdp(device_id="sw-cdp", platform="cisco WS-C2960X-48FPD-L", port_id="Gi0/5", addrs=("192.0.2.8",))
    fr.append((62.0, l2.cdp_frame("02:00:00:00:00:08", cdp)))
    g.write_pcapng(os.path.join(d, "v6.pcapng"), fr)


def many_bad(d):
    """30 frames too short for Ethernet, then one ARP: 20 messages, then only counts."""
    fr = [(float(i), b"\x01\x02\x03") for i in range(30)]
    fr.append((31.0, g.eth(BC, M1, 0x0806, arp_req(M1, "192.0.2.1"))))
    g.write_pcap(os.path.join(d, "many_bad.pcap"), fr)


def stream(d):
    """Two halves of one capture for the streaming check: header + one ARP, then one more."""
    a = g.pcap_bytes([(1.0, g.eth(BC, M1, 0x0806, arp_req(M1, "192.0.2.1")))])
    b = g.pcap_bytes([(2.0, g.eth(BC, M2, 0x0806, arp_req(M2, "192.0.2.2")))])[24:]
    with open(os.path.join(d, "stream_a.bin"), "wb") as fh:
        fh.write(a)
    with open(os.path.join(d, "stream_b.bin"), "wb") as fh:
        fh.write(b)


def main(argv):
    d = argv[1]
    if len(argv) > 2 and argv[2] == "flows":
        flows(os.path.join(d, "flows_%s.pcap" % argv[3]), int(argv[3]))
        return 0
    linktypes(d)
    vlans(d)
    broken(d)
    counts(d)
    repeats(d)
    many_bad(d)
    stream(d)
    v6(d)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
