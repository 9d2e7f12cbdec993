#!/usr/bin/env bash
# sniff_app.sh - trustmap sniff on a capture this test writes
# (tests/pcapgen.py framing, tests/pcapgen_app.py payloads): TCP flows with
# a TLS 1.2 flight around a certificate made here with the openssl CLI
# (split over records, and whole), an HTTP page with a title and realm, a
# UPnP description, SSH, FTP (on a shifted port) and Telnet banners, an
# RTSP answer, a TLS 1.3 flight (nothing to see), a greeting nmap's NULL
# probe would see and two server streams it would not (an answer to the
# client's request, a connection begun before the capture), SNMP v2c and v3
# datagrams and SSDP announcements: every observation exact, field by
# field, then the vendors `trustmap assets` attributes, exact.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.bash
if [ ! -x "$TM" ]; then echo "sniff_app: $TM not built"; exit 2; fi
if ! command -v openssl > /dev/null; then skip "no openssl CLI"; finish sniff_app; exit; fi

# the certificate of a Huawei base station's web interface
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/key.pem" \
	-subj "/C=CN/O=Huawei/OU=Wireless Network Product Line/CN=BBU5900" \
	-addext "subjectAltName=DNS:bbu5900.example,IP:192.0.2.10" -days 30 -outform DER \
	-out "$tmp/cert.der" 2> /dev/null
ok "certificate made" test -s "$tmp/cert.der"
sha=$(openssl x509 -inform DER -in "$tmp/cert.der" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
eq "fingerprint is 64 hex digits" "${#sha}" 64

python3 - "$tmp" <<'PY' || { echo "sniff_app: generator failed"; exit 2; }
import sys
sys.path.insert(0, "tests")
import pcapgen as G
import pcapgen_app as A

tmp = sys.argv[1]
der = open(tmp + "/cert.der", "rb").read()
C = "192.0.2.200"
fr = []
t = [1.0]


def flow(server, port, data, client_bytes=b"GET / HTTP/1.1\r\n\r\n", **kw):
    fr.extend(A.tcp_frames(C, 40000 + len(fr) % 20000, server, port, data, client_bytes, t0=t[0], **kw))
    t[0] += 1


flow("192.0.2.10", 443, A.tls_server_flight(der, frag=300), client_bytes=b"\x16\x03\x01\x00\x04hello")
flow("192.0.2.19", 8443, A.tls_server_flight(der), client_bytes=b"\x16\x03\x01\x00\x04hello")
flow("192.0.2.20", 443, A.tls13_server_flight(), client_bytes=b"\x16\x03\x01\x00\x04hello")
flow("192.0.2.11", 80, A.http_response("401 Unauthorized", server="Hikvision-Webs", realm="DS-2CD2142FWD",
                                       title="Hikvision Login"), mss=100, reorder=True)
flow("192.0.2.12", 22, b"SSH-2.0-HUAWEI-1.5\r\n", client_bytes=b"")
flow("192.0.2.13", 20021, b"220 MikroTik FTP server (MikroTik 6.48.6) ready\r\n", client_bytes=b"", retransmit=True)
flow("192.0.2.14", 23, b"\xff\xfb\x01\xff\xfb\x03\r\n****\r\nWelcome to ZXR10 M6000-S Carrier-Class High-end Router "
     b"of ZTE Corporation\r\n****\r\n\r\nUsername:", client_bytes=b"")
flow("192.0.2.15", 49152, A.http_response(server="Linux/3.10 UPnP/1.0 Portable SDK/1.6",
                                          body=A.upnp_description("Dahua", "IPC-HFW", "2431S")))
flow("192.0.2.21", 554, A.rtsp_response("Rtsp Server/3.0", realm="Login to 5J0B5A3PAZ12345"),
     client_bytes=b"OPTIONS rtsp://192.0.2.21/ RTSP/1.0\r\nCSeq: 1\r\n\r\n")
# nmap's NULL probe: what a server says unasked from the start of the connection; not the answer to a
# request the capture shows, nor the first bytes seen of a connection opened before the capture began
flow("192.0.2.30", 9999, b"hello from a test service\r\n", client_bytes=b"")
flow("192.0.2.31", 3306, b"\x00\x01 rows of a database \x02", client_bytes=b"\x03SELECT 1")
fr.extend(A.tcp_frames(C, 40999, "192.0.2.32", 9998, b"the middle of a stream\r\n", b"", t0=t[0])[3:])
t[0] += 1
fr += A.udp_frames("192.0.2.16", 161, C, 40100, A.snmp_response(
    "Huawei Versatile Routing Platform Software", "1.3.6.1.4.1.2011.2.23.94", "core-sw-01",
    community="s3cret"), t=50.0)
fr += A.udp_frames(C, 40100, "192.0.2.16", 161, A.snmp_response(b"", community="s3cret", pdu=0xA0), t=49.9)
fr += A.udp_frames("192.0.2.18", 161, C, 40101, A.snmp_v3_report(bytes.fromhex("800007db0300e0fc123456")), t=51.0)
for nt in ("upnp:rootdevice", "urn:schemas-upnp-org:device:Basic:1"):
    fr += A.udp_frames("192.0.2.17", 1900, "239.255.255.250", 1900, A.ssdp_notify(
        "Linux/3.10 UPnP/1.0 Hikvision-Webs/1.0", "a1b2c3d4-0000-1000-8000-bc9b5e000001",
        "http://192.0.2.17:49152/rootDesc.xml", nt=nt), t=52.0)
fr += A.udp_frames(C, 40102, "239.255.255.250", 1900, A.ssdp_msearch(), t=53.0)
fr.sort(key=lambda f: f[0])
G.write_pcap(tmp + "/app.pcap", fr)
G.write_pcapng(tmp + "/app.pcapng", fr)
PY

S() { "$TM" sniff --no-nmap "$@"; }
# one line per observation about an address (MAC-only lines left out):
# addr|port|proto|kind|probe|value as JSON|truncated malformed as T/F
obs() {
	python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r.get("addr"):
        print("|".join([r["addr"], str(r.get("port", "")), r.get("proto", ""), r["kind"], r.get("probe", ""),
                        json.dumps(r["value"]), str(r.get("truncated", False))[0] + str(r.get("malformed", False))[0]]))
' | sort
}

want=$(sort <<EOF
192.0.2.10|443|tcp|tls_subject||"/C=CN/O=Huawei/OU=Wireless Network Product Line/CN=BBU5900"|FF
192.0.2.10|443|tcp|tls_issuer||"/C=CN/O=Huawei/OU=Wireless Network Product Line/CN=BBU5900"|FF
192.0.2.10|443|tcp|tls_san||"DNS:bbu5900.example,IP:192.0.2.10"|FF
192.0.2.10|443|tcp|tls_sha256||"$sha"|FF
192.0.2.19|8443|tcp|tls_subject||"/C=CN/O=Huawei/OU=Wireless Network Product Line/CN=BBU5900"|FF
192.0.2.19|8443|tcp|tls_issuer||"/C=CN/O=Huawei/OU=Wireless Network Product Line/CN=BBU5900"|FF
192.0.2.19|8443|tcp|tls_san||"DNS:bbu5900.example,IP:192.0.2.10"|FF
192.0.2.19|8443|tcp|tls_sha256||"$sha"|FF
192.0.2.11|80|tcp|http_server||"Hikvision-Webs"|FF
192.0.2.11|80|tcp|http_realm||"DS-2CD2142FWD"|FF
192.0.2.11|80|tcp|http_title||"Hikvision Login"|FF
192.0.2.12|22|tcp|ssh_banner||"SSH-2.0-HUAWEI-1.5"|FF
192.0.2.13|20021|tcp|ftp_banner||"220 MikroTik FTP server (MikroTik 6.48.6) ready"|FF
192.0.2.14|23|tcp|telnet_banner||"****\r\nWelcome to ZXR10 M6000-S Carrier-Class High-end Router of ZTE Corporation\r\n****\r\n\r\nUsername:"|FF
192.0.2.15|49152|tcp|http_server||"Linux/3.10 UPnP/1.0 Portable SDK/1.6"|FF
192.0.2.15|49152|tcp|upnp_manufacturer||"Dahua"|FF
192.0.2.15|49152|tcp|upnp_model||"IPC-HFW 2431S"|FF
192.0.2.21|554|tcp|rtsp_server||"Rtsp Server/3.0"|FF
192.0.2.21|554|tcp|http_realm||"Login to 5J0B5A3PAZ12345"|FF
192.0.2.30|9999|tcp|service_response|NULL|"hello from a test service\r\n"|FF
192.0.2.16|161|udp|snmp_sysdescr||"Huawei Versatile Routing Platform Software"|FF
192.0.2.16|161|udp|snmp_sysobjectid||"1.3.6.1.4.1.2011.2.23.94"|FF
192.0.2.16|161|udp|hostname||"core-sw-01"|FF
192.0.2.18|161|udp|snmp_engineid||"800007db0300e0fc123456"|FF
192.0.2.17|1900|udp|ssdp_server||"Linux/3.10 UPnP/1.0 Hikvision-Webs/1.0"|FF
192.0.2.17|1900|udp|ssdp_usn||"uuid:a1b2c3d4-0000-1000-8000-bc9b5e000001"|FF
EOF
)
for f in app.pcap app.pcapng; do
	S --db "$tmp/$f.db" --format jsonl "$tmp/$f" > "$tmp/out.jsonl" 2> "$tmp/err"
	eq "$f exit status" "$?" 0
	eq "$f nothing on stderr" "$(cat "$tmp/err")" ""
	# the HTTP page's raw response (nmap's GetRequest) is checked apart: it has line ends
	eq "$f observations, every field" "$(grep -v '"probe":"GetRequest"' "$tmp/out.jsonl" | obs)" "$want"
	eq "$f raw HTTP response" "$(rows 'r["addr"]+"|"+str(r["port"])+"|"+str(len(r["value"]))+"|"+r["value"].split("\r\n")[0].replace(" ","_")' 'r.get("probe")=="GetRequest"' < "$tmp/out.jsonl")" \
		"192.0.2.11|80|$(python3 -c 'import sys; sys.path.insert(0,"tests"); import pcapgen_app as A; print(len(A.http_response("401 Unauthorized", server="Hikvision-Webs", realm="DS-2CD2142FWD", title="Hikvision Login")))')|HTTP/1.1_401_Unauthorized"
	eq "$f community never shown" "$(grep -c s3cret "$tmp/out.jsonl")" 0
	eq "$f no answer and no mid-stream bytes taken for a greeting" "$(grep -c '192\.0\.2\.3[12]' "$tmp/out.jsonl")" 0
done

# the vendors, exact, per address
"$TM" assets --db "$tmp/app.pcap.db" --format jsonl > "$tmp/assets.jsonl"
eq "vendors" "$(rows 'r["addr"]+"="+str(r["vendor"] or "-")' 'r.get("addr")' < "$tmp/assets.jsonl" | tr ' ' '\n' | sort | tr '\n' ' ')" \
	"192.0.2.10=huawei 192.0.2.11=hikvision 192.0.2.12=huawei 192.0.2.13=mikrotik 192.0.2.14=zte 192.0.2.15=dahua 192.0.2.16=huawei 192.0.2.17=hikvision 192.0.2.18=huawei 192.0.2.19=huawei 192.0.2.21=dahua 192.0.2.30=- "

# --stats: the flows counted under their decoders (SNMP: what port 161 sent), nothing malformed
S --db "$tmp/stats.db" --stats --format csv "$tmp/app.pcap" > "$tmp/stats.csv" 2>&1
eq "stats exit status" "$?" 0
eq "decoders counted" "$(grep -E '^(tls|http|banner|snmp|ssdp),' "$tmp/stats.csv" | sort | tr '\n' ' ')" \
	"banner,4,0 http,3,0 snmp,2,0 ssdp,3,0 tls,3,0 "

# the same flights cut short: what decoded is kept, a lying record is malformed
python3 - "$tmp" <<'PY'
import sys
sys.path.insert(0, "tests")
import pcapgen as G
import pcapgen_app as A
tmp = sys.argv[1]
der = open(tmp + "/cert.der", "rb").read()
bad = A.tls_records(A.server_hello()) + b"\x16\x03\x03\x40\x00" + b"\xa5" * 50  # a record claiming 16 KiB, 50 bytes come
fr = A.tcp_frames("192.0.2.200", 40001, "192.0.2.30", 443, bad, b"\x16\x03\x01\x00\x01x")
fr += A.tcp_frames("192.0.2.200", 40002, "192.0.2.31", 80, b"HTTP/1.1 200 OK\r\nServer: GoAhead-Webs\r\nbroken line\r\n\r\n",
                   b"GET / HTTP/1.1\r\n\r\n", t0=5.0)
G.write_pcap(tmp + "/bad.pcap", fr)
PY
S --db "$tmp/bad.db" --format jsonl "$tmp/bad.pcap" > "$tmp/bad.jsonl" 2> "$tmp/bad.err"
eq "bad flows: exit status" "$?" 0
eq "bad flows: messages" "$(sed 's/packet [0-9]*/packet N/' "$tmp/bad.err")" \
	"$tmp/bad.pcap: packet N: tls: TLS record 2 claims 16384 bytes, 50 left
$tmp/bad.pcap: packet N: http: HTTP response: a header line without a colon or a bad number"
eq "bad flows: kept and flagged" "$(grep -v GetRequest "$tmp/bad.jsonl" | obs | tr '\n' ' ')" "192.0.2.31|80|tcp|http_server||\"GoAhead-Webs\"|FT "

finish sniff_app
