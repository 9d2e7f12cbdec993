"""pcapgen_app.py - application payloads for trustmap's sniff tests, framed by
tests/pcapgen.py: a TLS 1.2 server flight around a certificate (ServerHello,
Certificate, ServerHelloDone; optionally split over records), HTTP and RTSP
responses, UPnP device descriptions, SNMP v1/v2c responses and v3 reports
(a small BER encoder), SSDP NOTIFY and search answers, and banners.
Pure python3 (struct only).  Each function returns bytes; udp_frames() and
tcp_frames() wrap them in Ethernet/IP frames with pcapgen.
"""
import struct

import pcapgen

# ---- TLS (RFC 5246 sections 6.2.1, 7.4) -------------------------------------------


def _u24(n):
    return struct.pack(">I", n)[1:]


def _hs(mtype, body):
    return bytes([mtype]) + _u24(len(body)) + body


def server_hello(tls13=False):
    body = b"\x03\x03" + bytes(range(32)) + b"\x00" + b"\xc0\x2f" + b"\x00"
    if tls13:
        ext = struct.pack(">HHH", 43, 2, 0x0304)
        body += struct.pack(">H", len(ext)) + ext
    return _hs(2, body)


def certificate_msg(chain):
    """Certificate message: chain = [der, ...], leaf first."""
    lst = b"".join(_u24(len(c)) + c for c in chain)
    return _hs(11, _u24(len(lst)) + lst)


def tls_records(hs_bytes, frag=16384, ctype=22):
    out = b""
    for off in range(0, len(hs_bytes), frag):
        chunk = hs_bytes[off:off + frag]
        out += struct.pack(">BBBH", ctype, 3, 3, len(chunk)) + chunk
    return out


def tls_server_flight(cert_der, frag=16384, chain=()):
    """What a TLS 1.2 server sends after a ClientHello: ServerHello,
    Certificate (cert_der first, then chain), ServerHelloDone, as records of
    at most frag handshake bytes."""
    hs = server_hello() + certificate_msg([cert_der] + list(chain)) + _hs(14, b"")
    return tls_records(hs, frag)


def tls13_server_flight():
    """A TLS 1.3 ServerHello then ChangeCipherSpec and encrypted data."""
    return (tls_records(server_hello(tls13=True)) + tls_records(b"\x01", ctype=20) +
            tls_records(b"\xde\xad\xbe\xef" * 8, ctype=23))


# ---- HTTP, RTSP, UPnP -------------------------------------------------------------


def http_response(status="200 OK", server=None, title=None, realm=None, body=None,
                  proto="HTTP/1.1", headers=()):
    h = ["%s %s" % (proto, status)]
    if server is not None:
        h.append("Server: %s" % server)
    if realm is not None:
        h.append('WWW-Authenticate: Digest realm="%s", nonce="0a1b2c"' % realm)
    h.extend(headers)
    if body is None:
        body = "<html><head><title>%s</title></head><body></body></html>" % title if title else ""
    if isinstance(body, str):
        body = body.encode()
    if proto.startswith("HTTP"):
        h.append("Content-Length: %d" % len(body))
    return ("\r\n".join(h) + "\r\n\r\n").encode() + body


def rtsp_response(server, realm=None):
    hdrs = ["CSeq: 1"]
    return http_response("401 Unauthorized" if realm else "200 OK", server=server, realm=realm,
                         proto="RTSP/1.0", headers=hdrs, body=b"")


def upnp_description(manufacturer, model_name, model_number="", friendly="device"):
    return ('<?xml version="1.0"?>\n<root xmlns="urn:schemas-upnp-org:device-1-0">'
            "<specVersion><major>1</major><minor>0</minor></specVersion><device>"
            "<deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>"
            "<friendlyName>%s</friendlyName><manufacturer>%s</manufacturer>"
            "<modelName>%s</modelName><modelNumber>%s</modelNumber>"
            "<UDN>uuid:0f0e0d0c-0000-1000-8000-000000000001</UDN></device></root>\n"
            % (friendly, manufacturer, model_name, model_number)).encode()


# ---- SNMP (RFC 1157, 3416; v3: RFC 3412, 3414) ---------------------------------------


def ber(tag, content):
    n = len(content)
    if n < 0x80:
        ln = bytes([n])
    elif n < 0x100:
        ln = b"\x81" + bytes([n])
    else:
        ln = b"\x82" + struct.pack(">H", n)
    return bytes([tag]) + ln + content


def ber_int(v, tag=0x02):
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True)
    return ber(tag, b)


def ber_oid(dotted):
    arcs = [int(x) for x in dotted.split(".")]
    out = bytes([arcs[0] * 40 + arcs[1]])
    for a in arcs[2:]:
        enc = [a & 0x7F]
        a >>= 7
        while a:
            enc.insert(0, 0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(enc)
    return ber(0x06, out)


SYSDESCR, SYSOBJECTID, SYSNAME = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"


def snmp_response(descr=None, objectid=None, name=None, community="public", version=1,
                  pdu=0xA2, reqid=0x2A5E0000):
    """A v1 (version=0) or v2c (version=1) message; pdu 0xa2 response, 0xa0 get."""
    vbs = b""
    if descr is not None:
        vbs += ber(0x30, ber_oid(SYSDESCR) + ber(0x04, descr.encode() if isinstance(descr, str) else descr))
    if objectid is not None:
        vbs += ber(0x30, ber_oid(SYSOBJECTID) + ber_oid(objectid))
    if name is not None:
        vbs += ber(0x30, ber_oid(SYSNAME) + ber(0x04, name.encode()))
    body = ber_int(reqid) + ber_int(0) + ber_int(0) + ber(0x30, vbs)
    return ber(0x30, ber_int(version) + ber(0x04, community.encode()) + ber(pdu, body))


def snmp_v3_report(engine_id, pdu=0xA8):
    """An SNMPv3 Report (noAuthNoPriv) carrying the agent's engine id (bytes)."""
    usm = ber(0x30, ber(0x04, engine_id) + ber_int(7) + ber_int(1234) + ber(0x04, b"") +
              ber(0x04, b"") + ber(0x04, b""))
    hdr = ber(0x30, ber_int(99) + ber_int(65507) + ber(0x04, b"\x00") + ber_int(3))
    vb = ber(0x30, ber(0x30, ber_oid("1.3.6.1.6.3.15.1.1.4.0") + ber_int(1, 0x41)))
    scoped = ber(0x30, ber(0x04, engine_id) + ber(0x04, b"") +
                 ber(pdu, ber_int(99) + ber_int(0) + ber_int(0) + vb))
    return ber(0x30, ber_int(3) + hdr + ber(0x04, usm) + scoped)


# ---- SSDP (UPnP Device Architecture 1.1 section 1) -----------------------------------


def ssdp_notify(server, usn_uuid, location, nt="upnp:rootdevice"):
    usn = "uuid:%s::%s" % (usn_uuid, nt) if nt != "uuid:" + usn_uuid else "uuid:" + usn_uuid
    return ("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
            "LOCATION: %s\r\nNT: %s\r\nNTS: ssdp:alive\r\nSERVER: %s\r\nUSN: %s\r\n\r\n"
            % (location, nt, server, usn)).encode()


def ssdp_answer(server, usn_uuid, location, st="upnp:rootdevice"):
    return ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: %s\r\n"
            "SERVER: %s\r\nST: %s\r\nUSN: uuid:%s::%s\r\n\r\n" % (location, server, st, usn_uuid, st)).encode()


def ssdp_msearch(st="ssdp:all"):
    return ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
            "MX: 1\r\nST: %s\r\n\r\n" % st).encode()


# ---- framing ----------------------------------------------------------------------


def udp_frames(src, sport, dst, dport, payload, t=1.0, smac="02:00:00:00:00:02",
               dmac="02:00:00:00:00:01"):
    """One datagram as an Ethernet frame list [(t, bytes)]."""
    p = pcapgen.ip(src, dst, 17, pcapgen.udp(sport, dport, payload))
    return [(t, pcapgen.eth(dmac, smac, 0x86DD if ":" in src else 0x0800, p))]


def tcp_frames(client, cport, server, sport, server_bytes, client_bytes=b"", t0=1.0, **kw):
    return pcapgen.tcp_flow(client, cport, server, sport, server_bytes, client_bytes, t0=t0, **kw)
