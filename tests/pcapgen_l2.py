#!/usr/bin/env python3
"""pcapgen_l2.py - payload builders for the link-layer and DHCP decoders of
`trustmap sniff`: ARP, LLDP, CDP, DHCPv4 and DHCPv6 as bytes, written from the
standards (IEEE 802.1AB-2016, ANSI/TIA-1057, RFC 826, 2131/2132, 3004, 3925,
8415, 4704; CDP as its TLV layout is publicly documented).

Each builder returns the payload a decoder sees: ARP, LLDP and CDP what
follows the Ethernet header (CDP what follows LLC/SNAP), DHCP the UDP payload.
Framing helpers (lldp_frame, cdp_frame, arp_frame, dhcp4_frame, dhcp6_frame)
wrap them with tests/pcapgen.py's eth/vlan/ipv4/ipv6/udp builders; its
write_pcap / write_pcapng write the files.

Used by tests/e2e/sniff_l2.sh and to write the fuzz seed corpora:
    python3 tests/pcapgen_l2.py seeds tests/fuzz/corpus
"""
import ipaddress
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcapgen  # noqa: E402  the capture writer and frame builders


def mac_bytes(m):
    return bytes(int(x, 16) for x in m.split(':'))


def ip_bytes(a):
    return ipaddress.ip_address(a).packed


# ---------------------------------------------------------------- ARP (RFC 826)
def arp(sender_mac, sender_ip, target_ip, op=1, target_mac='00:00:00:00:00:00'):
    """Ethernet/IPv4 ARP, 28 bytes."""
    return (struct.pack('>HHBBH', 1, 0x0800, 6, 4, op) + mac_bytes(sender_mac) +
            ip_bytes(sender_ip) + mac_bytes(target_mac) + ip_bytes(target_ip))


# ------------------------------------------------------- LLDP (IEEE 802.1AB-2016)
def lldp_tlv(t, v):
    if len(v) > 511:
        raise ValueError('LLDP TLV value over 511 bytes')
    return struct.pack('>H', t << 9 | len(v)) + v


def lldp_mgmt(addr, ifnum=1):
    """Management address TLV value: IPv4 (family 1) or IPv6 (2)."""
    a = ip_bytes(addr)
    fam = 1 if len(a) == 4 else 2
    return bytes([len(a) + 1, fam]) + a + struct.pack('>BIB', 2, ifnum, 0)


def lldp(chassis_mac=None, chassis_id=None, chassis_subtype=7, port_id='', port_subtype=5,
         port_desc=None, sysname=None, sysdesc=None, caps=(0x0014, 0x0004), mgmt=(),
         org=(), med_mfr=None, med_model=None, ttl=120, end=True):
    """An LLDPDU.  chassis_mac gives subtype 4; else chassis_id (text) with
    chassis_subtype.  org: (oui 'xx:xx:xx', subtype, value bytes) tuples.
    med_mfr / med_model: TIA LLDP-MED inventory TLVs 9 and 10."""
    if chassis_mac:
        ch = bytes([4]) + mac_bytes(chassis_mac)
    else:
        ch = bytes([chassis_subtype]) + chassis_id.encode()
    p = lldp_tlv(1, ch)
    p += lldp_tlv(2, bytes([port_subtype]) + (port_id if isinstance(port_id, bytes)
                                              else port_id.encode()))
    p += lldp_tlv(3, struct.pack('>H', ttl))
    if port_desc is not None:
        p += lldp_tlv(4, port_desc.encode())
    if sysname is not None:
        p += lldp_tlv(5, sysname.encode())
    if sysdesc is not None:
        p += lldp_tlv(6, sysdesc.encode())
    if caps:
        p += lldp_tlv(7, struct.pack('>HH', *caps))
    for a in mgmt:
        p += lldp_tlv(8, lldp_mgmt(a))
    for oui, sub, val in org:
        p += lldp_tlv(127, mac_bytes(oui) + bytes([sub]) + val)
    if med_mfr is not None:
        p += lldp_tlv(127, b'\x00\x12\xbb\x09' + med_mfr.encode())
    if med_model is not None:
        p += lldp_tlv(127, b'\x00\x12\xbb\x0a' + med_model.encode())
    if end:
        p += lldp_tlv(0, b'')
    return p


# ---------------------------------------------------------------------- CDP
def _cdp_checksum(b):
    """The Internet checksum over the CDP packet, an odd last byte padded with zero
    (decoders do not check it; lengths are what matter)."""
    if len(b) % 2:
        b += b'\x00'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def cdp_tlv(t, v):
    return struct.pack('>HH', t, len(v) + 4) + v


def cdp_addrs(addrs):
    out = struct.pack('>I', len(addrs))
    for a in addrs:
        b = ip_bytes(a)
        if len(b) == 4:
            out += bytes([1, 1, 0xcc]) + struct.pack('>H', 4) + b
        else:
            out += bytes([2, 8]) + b'\xaa\xaa\x03\x00\x00\x00\x86\xdd' + struct.pack('>H', 16) + b
    return out


def cdp(device_id=None, platform=None, version=None, port_id=None, addrs=(), mgmt_addrs=(),
        caps=0x28, native_vlan=None, ver=2, ttl=180, checksum=True):
    """A CDP packet (what follows LLC/SNAP 00:00:0c 0x2000)."""
    body = b''
    if device_id is not None:
        body += cdp_tlv(1, device_id.encode())
    if addrs:
        body += cdp_tlv(2, cdp_addrs(addrs))
    if port_id is not None:
        body += cdp_tlv(3, port_id.encode())
    if caps is not None:
        body += cdp_tlv(4, struct.pack('>I', caps))
    if version is not None:
        body += cdp_tlv(5, version.encode())
    if platform is not None:
        body += cdp_tlv(6, platform.encode())
    if native_vlan is not None:
        body += cdp_tlv(0x0a, struct.pack('>H', native_vlan))
    if mgmt_addrs:
        body += cdp_tlv(0x16, cdp_addrs(mgmt_addrs))
    p = bytes([ver, ttl]) + b'\x00\x00' + body
    if checksum:
        p = p[:2] + struct.pack('>H', _cdp_checksum(p)) + p[4:]
    return p


# ------------------------------------------------------ DHCPv4 (RFC 2131/2132)
def dhcp_opt(code, v):
    return bytes([code, len(v)]) + v


def dhcp4(op=1, mac='00:00:00:00:00:00', msg_type=1, ciaddr='0.0.0.0', yiaddr='0.0.0.0',
          giaddr='0.0.0.0', hostname=None, prl=None, vendor_class=None, client_id_mac=None,
          user_class=None, requested=None, server_id=None, enterprises=(), extra=(),
          xid=0x3903f326):
    """A DHCPv4 message.  user_class: list of strings (RFC 3004 form) or bytes
    (raw); enterprises: option 125 enterprise numbers; extra: (code, bytes)."""
    p = struct.pack('>BBBBIHH', op, 1, 6, 0, xid, 0, 0x8000)
    p += ip_bytes(ciaddr) + ip_bytes(yiaddr) + bytes(4) + ip_bytes(giaddr)
    p += mac_bytes(mac) + bytes(10) + bytes(64) + bytes(128)
    p += bytes([99, 130, 83, 99])
    if msg_type:
        p += dhcp_opt(53, bytes([msg_type]))
    if client_id_mac:
        p += dhcp_opt(61, b'\x01' + mac_bytes(client_id_mac))
    if requested:
        p += dhcp_opt(50, ip_bytes(requested))
    if server_id:
        p += dhcp_opt(54, ip_bytes(server_id))
    if hostname is not None:
        p += dhcp_opt(12, hostname.encode())
    if prl is not None:
        p += dhcp_opt(55, bytes(prl))
    if vendor_class is not None:
        p += dhcp_opt(60, vendor_class.encode())
    if user_class is not None:
        if isinstance(user_class, bytes):
            p += dhcp_opt(77, user_class)
        else:
            p += dhcp_opt(77, b''.join(bytes([len(u)]) + u.encode() for u in user_class))
    if enterprises:
        p += dhcp_opt(125, b''.join(struct.pack('>IB', e, 0) for e in enterprises))
    for code, v in extra:
        p += dhcp_opt(code, v)
    p += b'\xff'
    return p


# ------------------------------------------------------------ DHCPv6 (RFC 8415)
def dhcp6_opt(code, v):
    return struct.pack('>HH', code, len(v)) + v


def dhcp6(msg_type=1, duid_mac=None, duid_type=1, vendor_class=None, vendor_opts=None,
          fqdn=None, user_class=(), xid=0xabcdef, extra=()):
    """A DHCPv6 client message.  vendor_class: (enterprise, [strings]);
    vendor_opts: enterprise number; fqdn: dotted name (RFC 4704 wire form)."""
    p = bytes([msg_type]) + xid.to_bytes(3, 'big')
    if duid_mac:
        if duid_type == 1:
            duid = struct.pack('>HHI', 1, 1, 0x2a3b4c5d) + mac_bytes(duid_mac)
        else:
            duid = struct.pack('>HH', 3, 1) + mac_bytes(duid_mac)
        p += dhcp6_opt(1, duid)
    p += dhcp6_opt(8, b'\x00\x00')
    if vendor_class:
        e, strs = vendor_class
        p += dhcp6_opt(16, struct.pack('>I', e) +
                       b''.join(struct.pack('>H', len(s)) + s.encode() for s in strs))
    if vendor_opts is not None:
        p += dhcp6_opt(17, struct.pack('>I', vendor_opts) + struct.pack('>HH', 1, 0))
    if fqdn:
        wire = b''.join(bytes([len(lab)]) + lab.encode() for lab in fqdn.split('.')) + b'\x00'
        p += dhcp6_opt(39, b'\x01' + wire)
    if user_class:
        p += dhcp6_opt(15, b''.join(struct.pack('>H', len(u)) + u.encode() for u in user_class))
    for code, v in extra:
        p += dhcp6_opt(code, v)
    return p


def dhcp6_relay(inner, peer, link='::', hops=0):
    """A Relay-forward message wrapping inner."""
    return bytes([12, hops]) + ip_bytes(link) + ip_bytes(peer) + dhcp6_opt(9, inner)


# -------------------------------------------------------------------- framing
# through tests/pcapgen.py (frames are bytes; write with pcapgen.write_pcap/_pcapng)
LLDP_MCAST = '01:80:c2:00:00:0e'


def _eth(dst, src, etype, payload, vlan=None):
    if vlan:
        return pcapgen.eth_vlan(dst, src, [(0x8100, vlan)], etype, payload)
    return pcapgen.eth(dst, src, etype, payload)


def lldp_frame(src, payload, vlan=None):
    return _eth(LLDP_MCAST, src, 0x88cc, payload, vlan)


def arp_frame(src, payload, dst='ff:ff:ff:ff:ff:ff', vlan=None):
    return _eth(dst, src, 0x0806, payload, vlan)


def cdp_frame(src, payload):
    return pcapgen.cdp_frame(src, payload)


def dhcp4_frame(src_mac, payload, src='0.0.0.0', dst='255.255.255.255', client=True,
                dst_mac='ff:ff:ff:ff:ff:ff', vlan=None):
    sport, dport = (68, 67) if client else (67, 68)
    return _eth(dst_mac, src_mac, 0x0800,
                pcapgen.ipv4(src, dst, 17, pcapgen.udp(sport, dport, payload)), vlan)


def dhcp6_frame(src_mac, payload, src, dst='ff02::1:2', sport=546, dport=547,
                dst_mac='33:33:00:01:00:02', vlan=None):
    return _eth(dst_mac, src_mac, 0x86dd,
                pcapgen.ipv6(src, dst, 17, pcapgen.udp(sport, dport, payload)), vlan)


# ----------------------------------------------------------------- fuzz seeds
def seeds():
    """name -> {file: bytes} for the fuzz corpora (tests/fuzz/corpus/<name>/)."""
    huawei = lldp(chassis_mac='00:e0:fc:11:22:33', port_id='GigabitEthernet0/0/1',
                  port_desc='uplink', sysname='core-sw1',
                  sysdesc='Huawei Versatile Routing Platform Software\r\nVRP (R) software, '
                  'Version 5.170 (S5720 V200R019C10SPC500)',
                  mgmt=('192.0.2.1', '2001:db8::1'),
                  org=(('00:80:c2', 1, b'\x00\x0a'), ('00:12:0f', 1, b'\x03\x6c\x00\x00\x10')),
                  med_mfr='Huawei', med_model='S5720')
    phone = lldp(chassis_id='SEP001122334455', port_id=mac_bytes('00:11:22:33:44:55'),
                 port_subtype=3, port_desc='Port 1', sysname='SEP001122334455',
                 sysdesc='Cisco IP Phone 8845', med_mfr='Cisco Systems, Inc.',
                 med_model='CP-8845')
    cisco = cdp(device_id='sw-access-3', platform='cisco WS-C2960X-48FPD-L',
                version='Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), '
                'Version 15.2(7)E4, RELEASE SOFTWARE (fc2)', port_id='GigabitEthernet1/0/24',
                addrs=('10.0.0.1', '2001:db8::2'), native_vlan=10, mgmt_addrs=('10.0.0.1',))
    zte = dhcp4(mac='00:19:c6:12:34:56', hostname='ZXHN-F670L', prl=[1, 3, 6, 15, 43, 60],
                vendor_class='ZTE-F670L', client_id_mac='00:19:c6:12:34:56',
                user_class=['ipv6', 'ont'], enterprises=(3902,))
    req = dhcp4(mac='00:19:c6:12:34:56', msg_type=3, requested='192.168.1.50')
    ack = dhcp4(op=2, mac='00:19:c6:12:34:56', msg_type=5, yiaddr='192.168.1.50',
                server_id='192.168.1.1', vendor_class='HUAWEI AR2220')
    sol = dhcp6(duid_mac='00:19:c6:12:34:56', vendor_class=(2011, ['HuaweiONT', 'EG8M']),
                vendor_opts=3902, fqdn='ont-01.example.net', user_class=('abc',))
    rel = dhcp6_relay(dhcp6_relay(dhcp6(duid_mac='48:7b:6b:01:02:03', duid_type=3,
                                        fqdn='cam-1'), 'fe80::9'), 'fe80::1', hops=1)
    return {
        'sniff_lldp': {'huawei': huawei, 'phone': phone,
                       'lying': huawei[:40] + b'\x0d\x2c' + b'Huawei Versa'},
        'sniff_cdp': {'cisco': cisco, 'phone': cdp(device_id='SEP001122334455', ver=1,
                                                   platform='Cisco IP Phone 8845',
                                                   port_id='Port 1')},
        'sniff_arp': {'request': arp('bc:ad:28:01:02:03', '192.168.1.64', '192.168.1.1'),
                      'reply': arp('bc:ad:28:01:02:03', '192.168.1.64', '192.168.1.1', op=2,
                                   target_mac='00:1b:54:aa:bb:cc')},
        'sniff_dhcp': {'v4-discover': b'\x00' + zte, 'v4-request': b'\x00' + req,
                       'v4-ack': b'\x00' + ack, 'v6-solicit': b'\x01' + sol,
                       'v6-relay': b'\x01' + rel},
    }


def main(argv):
    if len(argv) == 3 and argv[1] == 'seeds':
        for name, files in seeds().items():
            d = os.path.join(argv[2], name)
            os.makedirs(d, exist_ok=True)
            for fn, b in files.items():
                with open(os.path.join(d, fn), 'wb') as f:
                    f.write(b)
        return 0
    sys.stderr.write('usage: pcapgen_l2.py seeds DIR\n')
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
