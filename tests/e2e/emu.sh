#!/usr/bin/env bash
# emu.sh - the device emulator (trustmap-emu) end to end, talking to it with
# python3 sockets only: exact banners chosen by the address dialled, HTTP,
# RTSP, TLS certificate fields, SNMP GET (v2c and v1, reply from the dialled
# address), SSDP -> LOCATION -> UPnP description, every hostile persona
# behaving as promised in bounded memory, the manifest (exact counts per
# vendor, the same layout for the same seed), the connection log, and a
# clean stop by pid.  Only 127.0.0.0/8 is used.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
export LC_ALL=C
EMU=${EMU:-$PWD/${TM_BUILD:-build}/trustmap-emu}
if [ ! -x "$EMU" ]; then
	echo "FAIL: $EMU not built" >&2
	echo "emu: 0 passed, 1 failed"
	exit 1
fi

not() { ! "$@"; }

# an offset whose 14 ports are all free (TCP and UDP)
free_offset() {
	python3 - "$1" <<'EOF'
import socket, sys
ports = [21, 22, 23, 25, 80, 443, 554, 830, 8000, 8080, 8443, 37777]
start = int(sys.argv[1])
for off in range(start, 27000, 131):
    ok = True
    for p in ports + [161, 1900]:
        for kind in ((socket.SOCK_STREAM,) if p not in (161, 1900) else (socket.SOCK_DGRAM,)):
            s = socket.socket(socket.AF_INET, kind)
            try:
                s.bind(("0.0.0.0", off + p))
            except OSError:
                ok = False
            s.close()
    if ok:
        print(off)
        break
EOF
}

# starts the emulator in the background: start NAME ARGS...; sets pid_NAME
start() {
	local name=$1; shift
	"$EMU" "$@" --pidfile "$tmp/$name.pid" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	local p=$!
	eval "pid_$name=$p"
	cleanup_hooks+=("kill $p 2>/dev/null; wait $p 2>/dev/null")
	for _ in $(seq 100); do
		grep -q '^ready$' "$tmp/$name.out" 2>/dev/null && return 0
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	cat "$tmp/$name.err" >&2
	return 1
}

# ---- options and refusals ----
eq "print-ports" "$("$EMU" --port-offset 20000 --print-ports)" \
	"20021:ftp,20022:ssh,20023:telnet,20025:smtp,20080:http,20443:https,20554:rtsp,20830:ssh,28000:http,28080:http,28443:https,57777:banner,20161/udp:snmp,21900/udp:ssdp"
"$EMU" --base 198.51.100.1 --hosts 4 >/dev/null 2>&1   # a documentation range: refused, never dialled
eq "base outside 127/8 refused" "$?" 2
"$EMU" --base 127.255.255.250 --hosts 10 >/dev/null 2>&1
eq "hosts running past 127/8 refused" "$?" 2
eq "personas" "$("$EMU" --list-personas | wc -l)" 37
eq "hostile personas" "$("$EMU" --list-personas | awk '$3 != "none"' | wc -l)" 8
printf 'mix bad\n    no-such-persona 3\n' >"$tmp/bad.tm"
"$EMU" --mix "$tmp/bad.tm" --hosts 4 >"$tmp/o" 2>&1
ok "unknown persona in a mix named file:line" grep -q "bad.tm:2: no persona no-such-persona" "$tmp/o"

off=$(free_offset 21000)
[ -n "$off" ] || { echo "FAIL: no free port offset" >&2; finish emu; exit 1; }
ok "emulator starts" start a --hosts 74 --base 127.77.0.1 --seed 7 --port-offset "$off" \
	--manifest "$tmp/m.jsonl" --log "$tmp/conns.log" --idle-timeout 2

# ---- manifest: 37 personas x 2, exact counts by vendor, hostile marked ----
eq "manifest rows" "$(wc -l <"$tmp/m.jsonl")" 74
eq "manifest vendors" "$(rows 'r["vendor"]' <"$tmp/m.jsonl" | tr ' ' '\n' | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
	"None:20 arista:2 aruba:2 cisco:6 dahua:4 ericsson:2 fortinet:2 h3c:2 hikvision:4 hpe:2 huawei:12 hytera:2 juniper:2 mikrotik:2 nokia:2 samsung:2 ubiquiti:2 zte:4 "
eq "manifest hostile" "$(rows 'r["hostile"]' 'r["hostile"]' <"$tmp/m.jsonl" | tr ' ' '\n' | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
	"badsnmp:2 badtls:2 bigheader:2 drip:2 endless:2 html:2 reset:2 silent:2 "
eq "manifest addresses consecutive" "$(rows 'r["addr"]' <"$tmp/m.jsonl" | tr ' ' '\n' | sed -n '1p;$p' | tr '\n' ' ')" "127.77.0.1 127.77.0.74 "

# ---- the same seed lays the same devices out; another seed does not ----
off2=$(free_offset $((off + 131)))
ok "second emulator starts" start b --hosts 74 --base 127.77.0.1 --seed 7 --port-offset "$off2" --manifest "$tmp/m2.jsonl" --workers 2
ok "same seed, same manifest" cmp -s "$tmp/m.jsonl" "$tmp/m2.jsonl"
eq "two workers" "$(pgrep -P "$pid_b" | wc -l)" 2
hw2=$(rows 'r["addr"]' 'r["persona"] == "huawei-vrp-switch"' <"$tmp/m2.jsonl" | cut -d' ' -f1)
eq "workers answer" "$(python3 -c 'import socket,sys; s=socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2); print(s.recv(18).decode())' "$hw2" $((off2 + 22)))" "SSH-2.0-HUAWEI-1.5"
kill "$pid_b"; wait "$pid_b"
eq "workers stop with their parent" "$?:$(pgrep -f -- "--port-offset $off2 " | wc -l)" "0:0"
ok "third emulator starts" start c --hosts 74 --base 127.77.0.1 --seed 8 --port-offset "$off2" --manifest "$tmp/m3.jsonl" --max-conns 2
ok "other seed, other layout" not cmp -s "$tmp/m.jsonl" "$tmp/m3.jsonl"
eq "other seed, same counts" "$(rows 'r["persona"]' <"$tmp/m3.jsonl" | tr ' ' '\n' | sort | uniq -c | awk '{print $1}' | sort -u)" 2
# --max-conns 2: two silent peers held open, the third connection is reset
sil=$(rows 'r["addr"]' 'r["persona"] == "hostile-silent"' <"$tmp/m3.jsonl" | cut -d' ' -f1)
eq "connections beyond --max-conns reset" "$(python3 - "$sil" "$((off2 + 22))" <<'EOF'
import socket, sys, time
held = [socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1) for _ in range(2)]
time.sleep(0.1)
s = socket.socket(); s.settimeout(1)
try:
    s.connect((sys.argv[1], int(sys.argv[2]))); time.sleep(0.1); print(s.recv(10))
except (ConnectionResetError, ConnectionRefusedError):
    print("reset")
except socket.timeout:
    print("served")
EOF
)" reset
kill "$pid_c"; wait "$pid_c" 2>/dev/null

# ---- a mix file's weights become exact counts ----
ok "operator mix starts" start d --hosts 1000 --base 127.78.0.1 --seed 3 --port-offset "$off2" \
	--mix tools/emu/mix-operator.tm --manifest "$tmp/m4.jsonl"
kill "$pid_d"; wait "$pid_d" 2>/dev/null
eq "operator mix counts = weights" \
	"$(rows 'r["persona"]' <"$tmp/m4.jsonl" | tr ' ' '\n' | sort | uniq -c | awk '{print $2, $1}')" \
	"$(awk 'NF == 2 && $2 ~ /^[0-9]+$/ {print $1, $2}' tools/emu/mix-operator.tm | sort)"
eq "operator mix restricted share" "$(grep -cE '"vendor":"(huawei|zte|h3c|hikvision|dahua|hytera)"' "$tmp/m4.jsonl")" 60

# ---- talk to the devices ----
rss0=$(awk '/VmRSS/{print $2}' "/proc/$pid_a/status")
python3 - "$tmp/m.jsonl" "$off" >"$tmp/res" 2>"$tmp/pyerr" <<'EOF'
import json, socket, ssl, subprocess, sys, time
rows = [json.loads(l) for l in open(sys.argv[1])]
off = int(sys.argv[2])
by = {}
for r in rows:
    by.setdefault(r["persona"], r["addr"])
out = []
def check(name, got, want):
    out.append((name, repr(got), repr(want)))
def grab(addr, port, send=None, limit=65536, wait=2.0, until=None):
    s = socket.create_connection((addr, port + off), timeout=wait)
    if send:
        s.sendall(send)
    d = b""
    try:
        while len(d) < limit and not (until and until in d):
            x = s.recv(65536)
            if not x:
                break
            d += x
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return d
def upto(d, mark):
    i = d.find(mark)
    return d if i < 0 else d[: i + len(mark)]

# banners by the address dialled
check("huawei ssh", grab(by["huawei-vrp-router"], 22, limit=19, wait=1), b"SSH-2.0-HUAWEI-1.5\r\n")
check("zte ssh", grab(by["zte-zxr10"], 22, limit=21, wait=1), b"SSH-2.0-ZTE_SSH.2.0\r\n")
check("h3c ssh", grab(by["h3c-comware"], 22, limit=25, wait=1), b"SSH-2.0-Comware-7.1.064\r\n")
check("netconf is ssh", grab(by["cisco-iosxe"], 830, limit=20, wait=1), b"SSH-2.0-Cisco-1.25\r\n")
check("cisco telnet", grab(by["cisco-ios"], 23, until=b"Username: "),
      b"\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f\r\n\r\nUser Access Verification\r\n\r\nUsername: ")
check("hikvision telnet", grab(by["hikvision-nvr"], 23, until=b"login: ")[-14:], b"dvrdvs login: ")
check("mikrotik ftp", grab(by["mikrotik-routeros"], 21, until=b"\r\n"),
      b"220 MikroTik FTP server (MikroTik 6.48.6) ready\r\n")
check("windows smtp", grab(by["windows-server"], 25, until=b"\r\n")[:40], b"220 mail01.corp.example Microsoft ESMTP ")
# HTTP
h = grab(by["cisco-ios"], 80, b"GET / HTTP/1.0\r\n\r\n")
check("cisco http head", upto(h, b"\r\n\r\n").split(b"\r\n")[:3],
      [b"HTTP/1.1 401 Unauthorized", b"Server: cisco-IOS", b'WWW-Authenticate: Basic realm="level_15_access"'])
h = grab(by["zte-ont"], 80, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
check("zte ont server", [l for l in h.split(b"\r\n") if l.startswith(b"Server:")], [b"Server: Mini web server 1.0 ZTE corp 2005."])
check("zte ont title", b"<title>F670L</title>" in h, True)
# RTSP: the CSeq echoed, the realm
r = grab(by["dahua-ipc"], 554, b"OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 41\r\n\r\n", until=b"\r\n\r\n")
check("dahua rtsp", r.split(b"\r\n")[:4], [b"RTSP/1.0 401 Unauthorized", b"CSeq: 41",
      b'WWW-Authenticate: Digest realm="Login to 5J0B5A3PAZ12345", nonce="8d1b5e0c2a7f", stale="FALSE"', b"Server: Rtsp Server/3.0"])
r = grab(by["hikvision-ipc"], 554, b"OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 2\r\n\r\n", until=b"\r\n\r\n")
check("hikvision rtsp", r.split(b"\r\n")[:2], [b"RTSP/1.0 200 OK", b"CSeq: 2"])
# TLS: the certificate's subject and issuer, then HTTP over it
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(socket.create_connection((by["fortinet-fortigate"], 443 + off), timeout=2))
der = s.getpeercert(binary_form=True)
s.sendall(b"GET / HTTP/1.0\r\n\r\n"); d = b""
while True:
    x = s.recv(65536)
    if not x:
        break
    d += x
s.close()
pem = ssl.DER_cert_to_PEM_cert(der)
x5 = subprocess.run(["openssl", "x509", "-noout", "-subject", "-issuer", "-nameopt", "compat"], input=pem.encode(), capture_output=True).stdout
check("fortinet cert", x5.decode().splitlines(), [
    "subject=/C=US/ST=California/L=Sunnyvale/O=Fortinet/OU=FortiGate/CN=FGT60FTK21091234/emailAddress=support@fortinet.com",
    "issuer=/C=US/ST=California/L=Sunnyvale/O=Fortinet/OU=Certificate Authority/CN=fortinet-subca2001/emailAddress=support@fortinet.com"])
check("fortinet https server", [l for l in d.split(b"\r\n") if l.startswith(b"Server:")], [b"Server: xxxxxxxx-xxxxx"])
# SNMP, BER built here by hand (RFC 1157 / RFC 3416)
def tlv(t, v):
    n = len(v)
    return bytes([t]) + (bytes([n]) if n < 128 else bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 255])) + v
def oid(s):
    a = [int(x) for x in s.split(".")]
    o = bytes([40 * a[0] + a[1]])
    for x in a[2:]:
        b = [x & 0x7F]; x >>= 7
        while x:
            b.append(0x80 | (x & 0x7F)); x >>= 7
        o += bytes(reversed(b))
    return tlv(6, o)
def get(ver, comm, oids, reqid=0x1234):
    vbs = b"".join(tlv(0x30, oid(o) + b"\x05\x00") for o in oids)
    pdu = tlv(0xA0, tlv(2, reqid.to_bytes(2, "big")) + tlv(2, b"\x00") + tlv(2, b"\x00") + tlv(0x30, vbs))
    return tlv(0x30, tlv(2, bytes([ver])) + tlv(4, comm) + pdu)
def ask(addr, dgram, wait=1.0):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(wait)
    u.sendto(dgram, (addr, 161 + off))
    try:
        d, frm = u.recvfrom(65536)
    except socket.timeout:
        d, frm = None, None
    u.close()
    return d, frm
a = by["huawei-vrp-router"]
d, frm = ask(a, get(1, b"public", ["1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.3.0"]))
check("snmp reply from the dialled address", frm, (a, 161 + off))
descr = b"Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.160 (AR2200 V200R010C10SPC700)\r\nCopyright (C) 2011-2020 HUAWEI TECH CO., LTD\r\nHuawei AR2220E Router"
check("snmp sysDescr", d is not None and tlv(4, descr) in d, True)
check("snmp sysObjectID", d is not None and oid("1.3.6.1.4.1.2011.2.224.279") in d, True)
check("snmp sysName", d is not None and tlv(4, b"AR2220E-Edge1") in d, True)
check("snmp v2c noSuchObject", d is not None and d.endswith(oid("1.3.6.1.2.1.1.3.0") + b"\x80\x00"), True)
check("snmp response pdu and reqid", d is not None and b"\xa2" in d[:20] and b"\x02\x02\x12\x34\x02\x01\x00\x02\x01\x00" in d, True)
d, _ = ask(by["cisco-ios"], get(0, b"public", ["1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.3.0"], 0x4321))
check("snmp v1 noSuchName at 2", d is not None and b"\x02\x02\x43\x21\x02\x01\x02\x02\x01\x02" in d, True)
d, _ = ask(a, get(1, b"private", ["1.3.6.1.2.1.1.1.0"]), 0.5)
check("snmp wrong community unanswered", d, None)
d, _ = ask(by["hostile-badsnmp"], get(1, b"public", ["1.3.6.1.2.1.1.1.0"]))
check("badsnmp outer length lies", d is not None and d[1] == 0x81 and d[2] == 0xFF and len(d) < 0xFF + 3, True)
# SSDP, then the description at LOCATION
a = by["huawei-ont"]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(1)
u.sendto(b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: upnp:rootdevice\r\n\r\n', (a, 1900 + off))
d, frm = u.recvfrom(65536)
hdr = dict(l.split(b": ", 1) for l in d.split(b"\r\n")[1:] if b": " in l)
check("ssdp from the dialled address", frm, (a, 1900 + off))
check("ssdp location", hdr.get(b"LOCATION"), ("http://%s:%d/upnp/desc.xml" % (a, 80 + off)).encode())
check("ssdp server", hdr.get(b"SERVER"), b"Linux/2.6.36, UPnP/1.0, Portable SDK for UPnP devices/1.6.18")
loc = hdr[b"LOCATION"].decode()[7:]
host, rest = loc.split(":", 1)
port, path = rest.split("/", 1)
x = grab(host, int(port) - off, ("GET /%s HTTP/1.1\r\nHost: %s\r\n\r\n" % (path, loc.split("/")[0])).encode())
check("upnp manufacturer", b"<manufacturer>Huawei Technologies Co., Ltd.</manufacturer>" in x, True)
check("upnp model", b"<modelName>HG8245H</modelName><modelNumber>V3R017C10S115</modelNumber>" in x, True)
# addresses and ports nobody serves: a reset, nothing said
def refused(addr, port):
    s = socket.socket(); s.settimeout(1)
    try:
        s.connect((addr, port + off)); time.sleep(0.05)
        return s.recv(10)
    except (ConnectionResetError, ConnectionRefusedError):
        return "reset"
    finally:
        s.close()
check("address outside the table", refused("127.77.0.75", 22), "reset")
check("port the persona lacks", refused(by["dahua-ipc"], 22), "reset")
# hostile personas
s = socket.create_connection((by["hostile-endless"], 22 + off), timeout=2); n = 0
while n < 4 << 20:
    x = s.recv(65536)
    if not x:
        break
    n += len(x)
s.close()
check("endless sends past 4 MiB", n >= 4 << 20, True)
s = socket.create_connection((by["hostile-drip"], 22 + off), timeout=3); t = time.time(); d = b""
while time.time() - t < 2.5:
    d += s.recv(64)
s.close()
check("drip: one byte a second", 2 <= len(d) <= 4 and b"SSH-2.0".startswith(d), True)
h = grab(by["hostile-bigheader"], 80, b"GET / HTTP/1.0\r\n\r\n", limit=4 << 20)
check("1 MiB header", (h.index(b"\r\n\r\n") > 1 << 20, h.startswith(b"HTTP/1.1 200 OK\r\nServer: nginx\r\nX-Padding: aaaa")), (True, True))
try:
    ctx.wrap_socket(socket.create_connection((by["hostile-badtls"], 443 + off), timeout=2)); bad = "handshake done"
except ssl.SSLError:
    bad = "ssl error"
check("malformed tls", bad, "ssl error")
d = b""
s = socket.create_connection((by["hostile-reset"], 22 + off), timeout=2)
try:
    while True:
        x = s.recv(100)
        if not x:
            d += b"<eof>"
            break
        d += x
except ConnectionResetError:
    d += b"<reset>"
check("reset mid-banner", d, b"SSH-2.0-OpenSSH_8.9p<reset>")
s = socket.create_connection((by["hostile-silent"], 22 + off), timeout=1)
try:
    said = s.recv(10)
except socket.timeout:
    said = "silence"
check("accept and never speak", said, "silence")
check("html/escapes banner", grab(by["hostile-html"], 22, until=b"\r\n"), b"SSH-2.0-<script>alert(1)</script>\x1b[2J\x1b[H\r\n")
for n, g, w in out:
    print("%s\t%s\t%s" % (n, g, w))
EOF
[ -s "$tmp/pyerr" ] && { failn=$((failn + 1)); echo "FAIL: python client" >&2; cat "$tmp/pyerr" >&2; }
while IFS=$'\t' read -r n g w; do eq "$n" "$g" "$w"; done <"$tmp/res"
eq "checks run" "$(wc -l <"$tmp/res")" 38
rss1=$(awk '/VmRSS/{print $2}' "/proc/$pid_a/status")
ok "memory bounded after the hostile peers (${rss0} -> ${rss1} kB)" test "$rss1" -lt $((rss0 + 16384))

# ---- the connection log: every connection and datagram, by address dialled ----
sleep 0.3 # the log is flushed every 100 ms
eq "log lines well formed" "$(grep -cvE '^127\.77\.0\.[0-9]+ [0-9]+ (tcp|udp)$' "$tmp/conns.log")" 0
hw=$(rows 'r["addr"]' 'r["persona"] == "huawei-vrp-router"' <"$tmp/m.jsonl" | cut -d' ' -f1)
eq "log of the huawei router" "$(grep "^$hw " "$tmp/conns.log" | sort | uniq -c | awk '{printf "%s %s %s %s;", $1, $3 - '"$off"', $4, $2 == "'"$hw"'"}')" \
	"1 22 tcp 1;2 161 udp 1;"
eq "log of an address outside the table" "$(grep -c '^127\.77\.0\.75 ' "$tmp/conns.log")" 1

# ---- clean stop by pid ----
kill -TERM "$pid_a"
for _ in $(seq 30); do kill -0 "$pid_a" 2>/dev/null || break; sleep 0.1; done
ok "stopped on SIGTERM" not kill -0 "$pid_a" 2>/dev/null
wait "$pid_a"
eq "exit status" "$?" 0
ok "pid file removed" test ! -e "$tmp/a.pid"
finish emu
