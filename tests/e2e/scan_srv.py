# scan_srv.py - device-like TCP services on loopback for tests/e2e/scan.sh:
# python3 scan_srv.py SSHPORT HTTPPORT [SNMPPORT SSDPPORT UPNPPORT [HTTPSPORT CERT KEY]]; prints
# "ready" once listening.  SNMP answers the community "s3cret" only.
import socket, sys, threading

def serve(addr, port, data, http=False):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    def loop():
        while True:
            c, _ = s.accept()
            try:
                if http:
                    c.settimeout(2)
                    c.recv(4096)
                c.sendall(data)
            except Exception:
                pass
            c.close()
    threading.Thread(target=loop, daemon=True).start()

ssh, http = int(sys.argv[1]), int(sys.argv[2])
serve("127.0.0.1", ssh, b"SSH-2.0-HUAWEI-1.5\r\n")
serve("127.0.0.1", http, b"HTTP/1.1 200 OK\r\nServer: Huawei Auth-Http Server 1.0\r\nContent-Length: 44\r\n\r\n<html><title>Huawei AR1220</title></html>\r\n", True)
serve("127.0.0.2", ssh, b"SSH-2.0-Cisco-1.25\r\n")
serve("127.0.0.2", http, b"HTTP/1.1 401 Unauthorized\r\nServer: cisco-IOS\r\nWWW-Authenticate: Basic realm=\"level_15_access\"\r\n\r\n", True)
serve("127.0.0.3", ssh, b"\x1b[2J\x1b]0;owned\x07SSH-2.0-<script>alert(1)</script>")

def tlv(t, v):
    n = len(v)
    if n < 128:
        return bytes([t, n]) + v
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([t, 0x80 | len(b)]) + b + v

def ber(p):  # list of (tag, value) at one level
    out, i = [], 0
    while i < len(p):
        t, n = p[i], p[i + 1]; i += 2
        if n & 0x80:
            k = n & 0x7f; n = int.from_bytes(p[i:i + k], "big"); i += k
        out.append((t, p[i:i + n])); i += n
    return out

def oid(s):
    a = [int(x) for x in s.split(".")]
    out = bytes([40 * a[0] + a[1]])
    for x in a[2:]:
        b = [x & 0x7f]; x >>= 7
        while x:
            b.insert(0, 0x80 | (x & 0x7f)); x >>= 7
        out += bytes(b)
    return out

def snmp(addr, port):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, port))
    vals = {"1.3.6.1.2.1.1.1.0": tlv(4, b"Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 (AR1220 V200R010C10SPC700)"),
            "1.3.6.1.2.1.1.2.0": tlv(6, oid("1.3.6.1.4.1.2011.2.224.67")),
            "1.3.6.1.2.1.1.5.0": tlv(4, b"ar-paris-01")}
    def loop():
        while True:
            d, peer = u.recvfrom(4096)
            try:
                (_, msg), = ber(d)
                ver, comm, pdu = ber(msg)
                if comm[1] != b"s3cret":
                    continue
                reqid = ber(pdu[1])[0][1]
                vbs = b"".join(tlv(0x30, tlv(6, oid(k)) + v) for k, v in vals.items())
                body = tlv(2, reqid) + tlv(2, b"\0") + tlv(2, b"\0") + tlv(0x30, vbs)
                u.sendto(tlv(0x30, tlv(2, b"\1") + tlv(4, comm[1]) + tlv(0xa2, body)), peer)
            except Exception:
                pass
    threading.Thread(target=loop, daemon=True).start()

def ssdp(addr, port, upnp):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, port))
    def loop():
        while True:
            d, peer = u.recvfrom(4096)
            if d.startswith(b"M-SEARCH"):
                u.sendto(b"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\n"
                         b"SERVER: Linux/3.0, UPnP/1.0, DH-IPC/1.0\r\nLOCATION: http://%s:%d/desc.xml\r\n\r\n"
                         % (addr.encode(), upnp), peer)
    threading.Thread(target=loop, daemon=True).start()

if len(sys.argv) > 5:
    snmp("127.0.0.1", int(sys.argv[3]))
    ssdp("127.0.0.4", int(sys.argv[4]), int(sys.argv[5]))
    desc = (b"<?xml version=\"1.0\"?><root><device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>"
            b"<manufacturer>Hikvision</manufacturer><modelName>DS-2CD2042WD-I</modelName>"
            b"<modelNumber>V5.4.5</modelNumber></device></root>")
    serve("127.0.0.4", int(sys.argv[5]), b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n" % len(desc) + desc, True)
if len(sys.argv) > 8:
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[7], sys.argv[8])
    ts = socket.socket()
    ts.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ts.bind(("127.0.0.5", int(sys.argv[6])))
    ts.listen(16)
    def tls_loop():
        while True:
            c, _ = ts.accept()
            try:
                c.settimeout(2)
                t = ctx.wrap_socket(c, server_side=True)
                t.recv(4096)
                t.sendall(b"HTTP/1.1 200 OK\r\nServer: ZTE web server 1.0 ZTE corp 2015.\r\n\r\n<title>F660</title>")
                t.close()
            except Exception:
                c.close()
    threading.Thread(target=tls_loop, daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
