"""pcapgen.py - writes pcap and pcapng captures for trustmap's sniff tests.

Pure python3 (struct only) so every test can make the exact bytes it wants to
feed `trustmap sniff`: frames are (time_float, bytes); builders for Ethernet,
802.1Q/802.1ad tags, IPv4, IPv6, UDP, TCP flows (handshake, data, FIN),
Linux cooked headers (SLL, SLL2); and writers of broken files (truncated,
wrong magic, caplen > snaplen, a record length that lies).
"""
import struct

DLT_EN10MB = 1
DLT_RAW = 101
DLT_LINUX_SLL = 113
DLT_IPV4 = 228
DLT_IPV6 = 229
DLT_LINUX_SLL2 = 276


def mac(s):
    """'aa:bb:cc:dd:ee:ff' (or 6 bytes) -> 6 bytes."""
    if isinstance(s, (bytes, bytearray)):
        return bytes(s)
    return bytes(int(x, 16) for x in s.split(":"))


def ip4(s):
    if isinstance(s, (bytes, bytearray)):
        return bytes(s)
    return bytes(int(x) for x in s.split("."))


def ip6(s):
    """Text IPv6 (with ::) -> 16 bytes, without the socket module."""
    if isinstance(s, (bytes, bytearray)):
        return bytes(s)
    if "::" in s:
        head, tail = s.split("::", 1)
        h = [x for x in head.split(":") if x]
        t = [x for x in tail.split(":") if x]
        words = h + ["0"] * (8 - len(h) - len(t)) + t
    else:
        words = s.split(":")
    return b"".join(struct.pack(">H", int(w, 16)) for w in words)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


# ---- link layer -------------------------------------------------------------

def eth(dst, src, ethertype, payload):
    return mac(dst) + mac(src) + struct.pack(">H", ethertype) + payload


def vlan(tpid, vid, inner_ethertype, prio=0):
    """What follows a tag's TPID: TCI and the inner ethertype.  Composes:
    eth(dst, src, 0x88a8, vlan(0x88a8, 10, 0x8100) + vlan(0x8100, 20, 0x0800) + ip).
    tpid is the tag's own TPID (the caller puts it in front), kept for clarity."""
    del tpid
    return struct.pack(">HH", (prio << 13) | (vid & 0xFFF), inner_ethertype)


def eth_vlan(dst, src, tags, ethertype, payload):
    """Ethernet with stacked tags: tags = [(tpid, vid), ...] outermost first."""
    b = mac(dst) + mac(src)
    for tpid, vid in tags:
        b += struct.pack(">HH", tpid, vid & 0xFFF)
    return b + struct.pack(">H", ethertype) + payload


def llc_snap(oui, pid, payload):
    """802.3 LLC/SNAP body (DSAP AA SSAP AA ctrl 03, OUI, PID)."""
    return b"\xaa\xaa\x03" + bytes(oui) + struct.pack(">H", pid) + payload


def eth_8023(dst, src, body):
    """IEEE 802.3 frame: length field instead of an ethertype."""
    return mac(dst) + mac(src) + struct.pack(">H", len(body)) + body


def cdp_frame(src, cdp_payload):
    return eth_8023("01:00:0c:cc:cc:cc", src, llc_snap(b"\x00\x00\x0c", 0x2000, cdp_payload))


def sll(proto, payload, src=b"\0" * 6, pkttype=0, arphrd=1):
    """Linux cooked v1 header (16 bytes)."""
    a = mac(src)
    return struct.pack(">HHH", pkttype, arphrd, len(a)) + a + b"\0" * (8 - len(a)) + \
        struct.pack(">H", proto) + payload


def sll2(proto, payload, src=b"\0" * 6, ifindex=1, pkttype=0, arphrd=1):
    """Linux cooked v2 header (20 bytes)."""
    a = mac(src)
    return struct.pack(">HHIHBB", proto, 0, ifindex, arphrd, pkttype, len(a)) + a + \
        b"\0" * (8 - len(a)) + payload


def arp(op, sha, spa, tha, tpa):
    return struct.pack(">HHBBH", 1, 0x0800, 6, 4, op) + mac(sha) + ip4(spa) + mac(tha) + ip4(tpa)


# ---- IP ------------------------------------------------------------------------

def ipv4(src, dst, proto, payload, ttl=64, ident=1, flags=0, frag=0, options=b""):
    """IPv4 header + payload; flags: 1 = MF, 2 = DF; frag in 8-byte units."""
    ihl = 5 + len(options) // 4
    h = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident,
                    (flags << 13) | frag, ttl, proto, 0, ip4(src), ip4(dst)) + options
    c = csum(h)
    return h[:10] + struct.pack(">H", c) + h[12:] + payload


def ipv6(src, dst, nxt, payload, hlim=64, ext=b""):
    """IPv6 header; ext = pre-built extension headers (nxt is then the first)."""
    return struct.pack(">IHBB", 6 << 28, len(ext) + len(payload), nxt, hlim) + \
        ip6(src) + ip6(dst) + ext + payload


def ipv6_ext(nxt, body=b"\0" * 6):
    """A hop-by-hop/destination/routing style extension: next, len, body (6+8k bytes)."""
    return struct.pack(">BB", nxt, (len(body) + 2) // 8 - 1) + body


def ipv6_frag(nxt, offset=0, more=1, ident=1):
    return struct.pack(">BBHI", nxt, 0, (offset << 3) | more, ident)


def udp(sport, dport, payload):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


SYN, ACK, FIN, RST, PSH = 0x02, 0x10, 0x01, 0x04, 0x08


def tcp(sport, dport, seq, ack, flags, payload=b"", win=65535):
    return struct.pack(">HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                       5 << 4, flags, win, 0, 0) + payload


def _is6(a):
    return ":" in a if isinstance(a, str) else len(a) == 16


def ip(src, dst, proto, payload):
    return ipv6(src, dst, proto, payload) if _is6(src) else ipv4(src, dst, proto, payload)


def tcp_flow(client, cport, server, sport, server_bytes, client_bytes=b"", mss=1460,
             reorder=False, retransmit=False, t0=1.0, cmac="02:00:00:00:00:01",
             smac="02:00:00:00:00:02", isn_c=1000, isn_s=500000, link=True):
    """Frames (time, bytes) of one full TCP connection: handshake, client data,
    server data in mss-sized segments, FIN both ways.  reorder swaps the first
    two server segments; retransmit sends the first server segment twice.
    link=False gives bare IP packets (for DLT_RAW)."""
    pk = []

    def add(frm_client, seq, ack, flags, data=b""):
        if frm_client:
            p = ip(client, server, 6, tcp(cport, sport, seq, ack, flags, data))
            f = eth(smac, cmac, 0x86DD if _is6(client) else 0x0800, p) if link else p
        else:
            p = ip(server, client, 6, tcp(sport, cport, seq, ack, flags, data))
            f = eth(cmac, smac, 0x86DD if _is6(client) else 0x0800, p) if link else p
        pk.append(f)

    cs, ss = isn_c, isn_s
    add(True, cs, 0, SYN)
    add(False, ss, cs + 1, SYN | ACK)
    cs += 1
    ss += 1
    add(True, cs, ss, ACK)
    if client_bytes:
        add(True, cs, ss, PSH | ACK, client_bytes)
        cs += len(client_bytes)
    segs = []
    off = 0
    while off < len(server_bytes):
        chunk = server_bytes[off:off + mss]
        segs.append((ss + off, chunk))
        off += len(chunk)
    order = list(range(len(segs)))
    if reorder and len(order) >= 2:
        order[0], order[1] = order[1], order[0]
    for k, i in enumerate(order):
        seq, chunk = segs[i]
        add(False, seq, cs, PSH | ACK, chunk)
        if retransmit and k == 0:
            add(False, seq, cs, PSH | ACK, chunk)
    ss += len(server_bytes)
    add(False, ss, cs, FIN | ACK)
    add(True, cs, ss + 1, FIN | ACK)
    add(False, ss + 1, cs + 1, ACK)
    return [(t0 + i * 0.001, f) for i, f in enumerate(pk)]


# ---- files -----------------------------------------------------------------------

def _norm(frames):
    out = []
    for fr in frames:
        if isinstance(fr, (bytes, bytearray)):
            out.append((0.0, bytes(fr)))
        else:
            out.append((float(fr[0]), bytes(fr[1])))
    return out


def pcap_bytes(frames, linktype=1, nsec=False, snaplen=262144):
    magic = 0xA1B23C4D if nsec else 0xA1B2C3D4
    b = bytearray(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
    div = 1000000000 if nsec else 1000000
    for t, f in _norm(frames):
        sec = int(t)
        frac = int(round((t - sec) * div))
        if frac >= div:
            sec, frac = sec + 1, frac - div
        b += struct.pack("<IIII", sec, frac, len(f), len(f)) + f
    return bytes(b)


def write_pcap(path, frames, linktype=1, nsec=False):
    _write(path, pcap_bytes(frames, linktype, nsec))


def _block(btype, body):
    body += b"\0" * ((4 - len(body) % 4) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng_bytes(frames, linktype=1):
    shb = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = _block(1, struct.pack("<HHI", linktype, 0, 262144))
    b = bytearray(shb + idb)
    for t, f in _norm(frames):
        ts = int(round(t * 1000000))
        b += _block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(f), len(f)) + f)
    return bytes(b)


def write_pcapng(path, frames, linktype=1):
    _write(path, pcapng_bytes(frames, linktype))


def _write(path, data):
    if path == "-" or path is None:
        import sys
        sys.stdout.buffer.write(data)
        return
    with open(path, "wb") as fh:
        fh.write(data)


# ---- broken files ------------------------------------------------------------------

def write_truncated(path, frames, cut=10, linktype=1):
    """A pcap whose last record stops `cut` bytes early."""
    _write(path, pcap_bytes(frames, linktype)[:-cut])


def write_wrong_magic(path, frames, linktype=1):
    b = pcap_bytes(frames, linktype)
    _write(path, b"\x01\x02\x03\x04" + b[4:])


def write_caplen_over_snaplen(path, frames, bad_index, snaplen=128, linktype=1):
    """Record bad_index (0-based) claims caplen > the header's snaplen (and carries
    those bytes); the others are normal and at most snaplen long."""
    b = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
    for i, (t, f) in enumerate(_norm(frames)):
        if i == bad_index:
            f = f + b"\0" * max(0, snaplen + 1 - len(f))
        b += struct.pack("<IIII", int(t), 0, len(f), len(f)) + f
    _write(path, bytes(b))


def write_lying_length(path, frames, bad_index, claim=0x7FFFFFF0, linktype=1):
    """Record bad_index (0-based) claims `claim` captured bytes it does not have."""
    b = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
    for i, (t, f) in enumerate(_norm(frames)):
        cl = claim if i == bad_index else len(f)
        b += struct.pack("<IIII", int(t), 0, cl, max(cl, len(f))) + f
    _write(path, bytes(b))
