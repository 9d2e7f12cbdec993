"""bench/sniff_facts.py - bench/sniff's table: times and memory from
/usr/bin/time (-f %e:%M:%U:%S), packets and bytes from trustmap's --stats,
the store's share from its TRUSTMAP_SNIFF_TIMES line, and "same extracted
facts": the set of (address, fact) trustmap stored (the run's SQLite file)
against the set tshark printed (-T fields), for the fields both extract.
Normalised: tshark prints CR and LF inside a string as the two characters
\\r and \\n (trustmap's values are turned the same way); its ftp.response.arg
is the greeting without the "220 " code; a certificate subject is compared as
the set of its attribute values (tshark gives the x509sat strings of subject
and issuer together: the same set for these self-signed certificates); the
SNMP octet strings tshark gives are sysDescr and sysName (trustmap:
snmp_sysdescr and hostname from SNMP); DHCP vendor classes are keyed by the
client's MAC (a DISCOVER has no address yet).
usage: python3 bench/sniff_facts.py DIR LOAD0 LOAD1 NPROC ARCH TSHARK_VERSION
"""
import datetime
import os
import re
import sqlite3
import sys

d, load0, load1, nproc, arch, tsv = sys.argv[1:7]
cold = open("%s/cold" % d).read().strip() if os.path.exists("%s/cold" % d) else "not run"


def tm(path):
    w, kb, u, s = open(path).read().strip().split("\n")[-1].split(":")
    return float(w), int(kb) / 1024.0, float(u) + float(s)


def esc(v):
    return v.replace("\r", "\\r").replace("\n", "\\n")


def ours(db):
    c = sqlite3.connect(db)
    c.text_factory = bytes
    got = set()
    for kind, mac, addr, port, val in c.execute(
            "select kind, mac, addr, port, value from observations where kind in ('lldp_sysdesc', "
            "'cdp_platform', 'dhcp_vendor_class', 'snmp_sysdescr', 'hostname', 'http_server', 'ssdp_server', "
            "'ssh_banner', 'ftp_banner', 'tls_subject')"):
        kind, mac, addr = (x.decode() if x else "" for x in (kind, mac, addr))
        val = esc(bytes(val or b"").decode("utf-8", "replace"))
        if kind == "lldp_sysdesc" and addr and ":" not in addr:
            got.add(("lldp_sysdesc", addr, val))
        elif kind == "cdp_platform" and addr:
            got.add(("cdp_platform", addr, val))
        elif kind == "dhcp_vendor_class" and (not addr or ":" not in addr):
            got.add(("dhcp_vendor_class", mac, val))
        elif kind in ("snmp_sysdescr",) or (kind == "hostname" and port == 161):
            got.add(("snmp_octets", addr, val))
        elif kind in ("http_server", "ssdp_server"):  # tshark dissects SSDP as HTTP
            got.add(("http_server", addr, val))
        elif kind == "ssh_banner":
            got.add(("ssh_banner", addr, val))
        elif kind == "ftp_banner":
            got.add(("ftp_banner", addr, re.sub(r"^220[ -]", "", val)))
        elif kind == "tls_subject":
            # OpenSSL's one-line form /C=CN/O=x/CN=y; tshark's x509sat strings leave out the country
            vals = sorted(x.split("=", 1)[1] for x in val.split("/") if "=" in x and not x.startswith("C="))
            got.add(("tls_subject", addr, "|".join(vals)))
    return got


def theirs(path):
    got = set()
    names = ["no", "eth", "ip", "lldp_ip", "lldp_desc", "cdp_ip", "cdp_plat", "dhcp_vc", "snmp", "http",
             "ssh", "ftp", "x509p", "x509u"]
    for line in open(path, encoding="utf-8", errors="replace"):
        f = dict(zip(names, line.rstrip("\n").split("\t")))
        ip = f.get("ip", "").split("|")[0]
        if f.get("lldp_desc"):
            for a in filter(None, f.get("lldp_ip", "").split("|")):
                got.add(("lldp_sysdesc", a, f["lldp_desc"]))
        if f.get("cdp_plat"):
            for a in filter(None, f.get("cdp_ip", "").split("|")):
                got.add(("cdp_platform", a, f["cdp_plat"]))
        if f.get("dhcp_vc"):
            got.add(("dhcp_vendor_class", f["eth"].split("|")[0], f["dhcp_vc"]))
        for v in filter(None, f.get("snmp", "").split("|")):
            try:  # tshark prints octet strings in hex
                v = esc(bytes.fromhex(v).decode("utf-8", "replace"))
            except ValueError:
                pass
            got.add(("snmp_octets", ip, v))
        if f.get("http"):
            got.add(("http_server", ip, f["http"]))
        if f.get("ssh"):
            got.add(("ssh_banner", ip, f["ssh"]))
        if f.get("ftp"):
            got.add(("ftp_banner", ip, f["ftp"]))
        x = [v for v in (f.get("x509p", "") + "|" + f.get("x509u", "")).split("|") if v]
        if x:
            got.add(("tls_subject", ip, "|".join(sorted(set(x)))))
    return got


def counters(path):
    out = {}
    for line in open(path):
        p = line.strip().split(",")
        if len(p) >= 2 and p[1].isdigit():
            out[p[0]] = int(p[1])
    return out


rows = {}
for c in ("mix", "scan"):
    r = rows[c] = {}
    r["cat"] = tm("%s/%s.cat.time" % (d, c))
    r["tm"] = tm("%s/%s.tm.time" % (d, c))
    r["ts"] = tm("%s/%s.ts.time" % (d, c))
    # the cold reading (page cache dropped before each of cat and trustmap), when it ran
    r["cold"] = None
    if cold == "1" and os.path.exists("%s/%s.tmcold.time" % (d, c)):
        r["cold"] = (tm("%s/%s.tmcold.time" % (d, c)), tm("%s/%s.catcold.time" % (d, c)),
                     open("%s/%s.tmcold.rc" % (d, c)).read().strip())
    r["rc"] = (open("%s/%s.tm.rc" % (d, c)).read().strip(), open("%s/%s.ts.rc" % (d, c)).read().strip())
    k = counters("%s/%s.tm.out" % (d, c))
    r["pkts"], r["bytes"] = k.get("packets", 0), k.get("bytes", 0)
    r["obs"], r["flows"], r["peak"] = k.get("observations", 0), k.get("flows", 0), k.get("flows_peak", 0)
    r["ev"] = k.get("evictions", 0)
    import os
    r["size"] = os.path.getsize("%s/%s.pcap" % (d, c))
    m = re.search(r"store ([0-9.]+) s .*assets rebuilt in ([0-9.]+) s, whole run ([0-9.]+) s",
                  open("%s/%s.tm.err" % (d, c)).read())
    r["store"] = (float(m.group(1)), float(m.group(2)), float(m.group(3))) if m else (float("nan"),) * 3
    a, b = ours("%s/%s.db" % (d, c)), theirs("%s/%s.ts.out" % (d, c))
    r["facts"] = (len(a), len(b), len(a & b), sorted(a - b)[:5], sorted(b - a)[:5])
    kinds = {}
    for f in a | b:
        kinds.setdefault(f[0], [0, 0, 0])
    for f in a:
        kinds[f[0]][0] += 1
    for f in b:
        kinds[f[0]][1] += 1
    for f in a & b:
        kinds[f[0]][2] += 1
    r["kinds"] = kinds

print("## bench/sniff -- issue #4 (%s, %s cores, %s; load average %s at start, %s at end; %s)"
      % (datetime.date.today().isoformat(), nproc, arch, load0, load1, tsv))
print()
print("| measure | mix: trustmap | mix: tshark -T fields | mix: cat | scan: trustmap | scan: tshark -T fields | scan: cat |")
print("|---|---:|---:|---:|---:|---:|---:|")
M, S = rows["mix"], rows["scan"]
print("| capture | %.0f MB, %d packets | | | %.0f MB, %d packets (%d flows made) | | |"
      % (M["size"] / 1e6, M["pkts"], S["size"] / 1e6, S["pkts"], S["flows"]))


def cells(fn):
    return " | ".join(fn(rows[c], t) for c in ("mix", "scan") for t in ("tm", "ts", "cat"))


print("| wall s | " + cells(lambda r, t: "%.1f" % r[t][0]) + " |")
print("| CPU s (user + system) | " + cells(lambda r, t: "%.1f" % r[t][2]) + " |")
print("| MB/s (wall) | " + cells(lambda r, t: "%.0f" % (r["size"] / 1e6 / max(r[t][0], 1e-3))) + " |")
print("| MB/s (CPU) | " + cells(lambda r, t: "%.0f" % (r["size"] / 1e6 / max(r[t][2], 1e-3))) + " |")
print("| packets/s (CPU) | " + cells(lambda r, t: "%.0f" % (r["pkts"] / max(r[t][2], 1e-3)) if t != "cat" else "") + " |")
print("| peak RSS MB | " + cells(lambda r, t: "%.0f" % r[t][1]) + " |")
print("| exit status | " + cells(lambda r, t: r["rc"][0] if t == "tm" else r["rc"][1] if t == "ts" else "0") + " |")
print("| trustmap vs tshark (CPU) | %.1fx | | | %.1fx | | |" % (M["ts"][2] / M["tm"][2], S["ts"][2] / S["tm"][2]))
print("| trustmap vs the read limit (wall), warm: cat of the cached file | %.0f %% | | | %.0f %% | | |"
      % (100 * M["cat"][0] / M["tm"][0], 100 * S["cat"][0] / S["tm"][0]))


def cold_cells(fn):
    return " | ".join((fn(rows[c]["cold"]) if rows[c]["cold"] else "-") + " | | "
                      + ("%.1f" % rows[c]["cold"][1][0] if rows[c]["cold"] else "-") for c in ("mix", "scan"))


if M["cold"] or S["cold"]:
    print("| cold, page cache dropped before each: wall s | " + cold_cells(lambda x: "%.1f" % x[0][0]) + " |")
    print("| cold: CPU s (user + system); exit status | " + " | ".join(
        ("%.1f; %s | | %.1f; 0" % (rows[c]["cold"][0][2], rows[c]["cold"][2], rows[c]["cold"][1][2])
         if rows[c]["cold"] else "- | | -") for c in ("mix", "scan")) + " |")
    print("| cold: MB/s (wall) | " + " | ".join(
        ("%.0f | | %.0f" % (rows[c]["size"] / 1e6 / max(rows[c]["cold"][0][0], 1e-3),
                            rows[c]["size"] / 1e6 / max(rows[c]["cold"][1][0], 1e-3))
         if rows[c]["cold"] else "- | | -") for c in ("mix", "scan")) + " |")
    print("| trustmap vs the read limit (wall), cold: the storage's | " + " | ".join(
        ("%.0f %% | | " % (100 * rows[c]["cold"][1][0] / max(rows[c]["cold"][0][0], 1e-3))
         if rows[c]["cold"] else "- | | ") for c in ("mix", "scan")) + " |")
print("| store part: observation writes + commits, asset rebuild (wall s) | %.2f + %.2f of %.1f | | | %.2f + %.2f of %.1f | | |"
      % (M["store"] + S["store"]))
print("| observations stored; flows (peak, evictions) | %d; %d (%d, %d) | | | %d; %d (%d, %d) | | |"
      % (M["obs"], M["flows"], M["peak"], M["ev"], S["obs"], S["flows"], S["peak"], S["ev"]))
print("| (address, fact): trustmap / tshark / both | %d / %d / %d | | | %d / %d / %d | | |"
      % (M["facts"][:3] + S["facts"][:3]))
print()
print("Read limit: the warm row is cat of a file already in the page cache (a memory copy, the"
      " CPU's limit); the cold rows drop the page cache before each of cat and trustmap"
      " (sync; echo 1 > /proc/sys/vm/drop_caches), so both read from the storage (trustmap"
      " its knowledge base too): the storage's limit."
      + ("" if cold == "1" else " Cold reading %s." % cold))
print()
for c in ("mix", "scan"):
    r = rows[c]
    print("%s facts by kind (trustmap / tshark / both): %s" % (c, ", ".join(
        "%s %d/%d/%d" % (k, *v) for k, v in sorted(r["kinds"].items()))))
    if r["facts"][3]:
        print("  only trustmap, first: %s" % r["facts"][3])
    if r["facts"][4]:
        print("  only tshark, first: %s" % r["facts"][4])
