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
Times of the runs bench/sniff repeats (trustmap, bench_pcapfloor, cat; warm
and cold) are medians over the runs, wall ranges given where they matter.
usage: python3 bench/sniff_facts.py DIR LOAD0 LOAD1 NPROC ARCH TSHARK_VERSION REPS COLDALL
"""
import datetime
import os
import re
import sqlite3
import statistics
import sys

d, load0, load1, nproc, arch, tsv, reps, coldall_n = sys.argv[1:9]
reps, coldall_n = int(reps), int(coldall_n)
cold = open("%s/cold" % d).read().strip() if os.path.exists("%s/cold" % d) else "not run"
coldall = open("%s/coldall" % d).read().strip() if os.path.exists("%s/coldall" % d) else "not run"


def tm(path):
    w, kb, u, s = open(path).read().strip().split("\n")[-1].split(":")
    return float(w), int(kb) / 1024.0, float(u) + float(s)


def runs(prefix, n):
    """The runs prefix.1.time .. prefix.n.time that exist: (wall, peak MB, CPU) medians, wall min and max,
    and how many; None when there are none."""
    t = [tm("%s.%d.time" % (prefix, i)) for i in range(1, n + 1) if os.path.exists("%s.%d.time" % (prefix, i))]
    if not t:
        return None
    w = [x[0] for x in t]
    return {"wall": statistics.median(w), "rss": max(x[1] for x in t), "cpu": statistics.median(x[2] for x in t),
            "min": min(w), "max": max(w), "n": len(t)}


def rcs(prefix, n):  # the exit statuses of runs prefix.1 .. prefix.n that ran
    return [open("%s.%d.rc" % (prefix, i)).read().strip() for i in range(1, n + 1)
            if os.path.exists("%s.%d.rc" % (prefix, i))]


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
    p = "%s/%s" % (d, c)
    r["cat"], r["floor"], r["tm"] = runs(p + ".cat", reps), runs(p + ".floor", reps), runs(p + ".tm", reps)
    w, kb, cpu = tm(p + ".ts.time")
    r["ts"] = {"wall": w, "rss": kb, "cpu": cpu, "min": w, "max": w, "n": 1}
    # cold: the capture evicted before each run; all: the whole page cache dropped before each
    r["catcold"], r["floorcold"], r["tmcold"] = (runs(p + ".catcold", reps), runs(p + ".floorcold", reps),
                                                 runs(p + ".tmcold", reps))
    r["catall"], r["tmall"] = runs(p + ".catall", coldall_n), runs(p + ".tmall", coldall_n)
    r["rc"] = ",".join(sorted(set(rcs(p + ".tm", reps) + rcs(p + ".tmcold", reps) + rcs(p + ".tmall", coldall_n))))
    r["tsrc"] = open(p + ".ts.rc").read().strip()
    k = counters(p + ".tm.1.out")
    r["pkts"], r["bytes"] = k.get("packets", 0), k.get("bytes", 0)
    r["obs"], r["flows"], r["peak"] = k.get("observations", 0), k.get("flows", 0), k.get("flows_peak", 0)
    r["ev"] = k.get("evictions", 0)
    r["size"] = os.path.getsize(p + ".pcap")
    st = []
    for i in range(1, reps + 1):
        if os.path.exists("%s.tm.%d.err" % (p, i)):
            m = re.search(r"store ([0-9.]+) s .*assets rebuilt in ([0-9.]+) s, whole run ([0-9.]+) s",
                          open("%s.tm.%d.err" % (p, i)).read())
            if m:
                st.append(tuple(float(m.group(j)) for j in (1, 2, 3)))
    r["store"] = tuple(statistics.median(x[j] for x in st) for j in range(3)) if st else (float("nan"),) * 3
    a, b = ours(p + ".tm.1.db"), theirs(p + ".ts.out")
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

print("## bench/sniff -- issue #4 (%s, %s cores, %s; load average %s at start, %s at end; %s; "
      "medians of %d runs, tshark once)"
      % (datetime.date.today().isoformat(), nproc, arch, load0, load1, tsv.rstrip("."), reps))
print()
COLS = ("tm", "ts", "floor", "cat")
print("| measure | mix: trustmap | mix: tshark -T fields | mix: libpcap alone | mix: cat "
      "| scan: trustmap | scan: tshark -T fields | scan: libpcap alone | scan: cat |")
print("|---|" + "---:|" * 8)
M, S = rows["mix"], rows["scan"]
print("| capture | %.0f MB, %d packets | | | | %.0f MB, %d packets (%d flows made) | | | |"
      % (M["size"] / 1e6, M["pkts"], S["size"] / 1e6, S["pkts"], S["flows"]))


def cells(fn, cols=COLS):
    return " | ".join((fn(rows[c], rows[c][t]) if rows[c].get(t) else "-") if t in cols else ""
                      for c in ("mix", "scan") for t in COLS)


def pct(a, b):  # a's speed as a share of b's: b's time over a's
    return "%.0f %%" % (100 * b["wall"] / max(a["wall"], 1e-3)) if a and b else "-"


def mbs(r, x):
    return "%.0f" % (r["size"] / 1e6 / max(x["wall"], 1e-3))


print("| warm: wall s (min-max) | " + cells(lambda r, x: "%.2f (%.2f-%.2f)" % (x["wall"], x["min"], x["max"])
                                           if x["n"] > 1 else "%.1f" % x["wall"]) + " |")
print("| warm: CPU s (user + system) | " + cells(lambda r, x: "%.2f" % x["cpu"]) + " |")
print("| warm: MB/s (wall) | " + cells(mbs) + " |")
print("| warm: MB/s (CPU) | " + cells(lambda r, x: "%.0f" % (r["size"] / 1e6 / max(x["cpu"], 1e-3))) + " |")
print("| packets/s (CPU) | " + cells(lambda r, x: "%.0f" % (r["pkts"] / max(x["cpu"], 1e-3)), ("tm", "ts", "floor"))
      + " |")
print("| peak RSS MB | " + cells(lambda r, x: "%.0f" % x["rss"]) + " |")
print("| exit status | " + cells(lambda r, x: r["rc"] if x is r["tm"] else r["tsrc"] if x is r["ts"] else "0") + " |")
print("| trustmap vs tshark (CPU) | %.1fx | | | | %.1fx | | | |"
      % (M["ts"]["cpu"] / M["tm"]["cpu"], S["ts"]["cpu"] / S["tm"]["cpu"]))
print("| share of the read limit, warm (cat of the cached file: a memory copy) | %s | | %s | | %s | | %s | |"
      % (pct(M["tm"], M["cat"]), pct(M["floor"], M["cat"]), pct(S["tm"], S["cat"]), pct(S["floor"], S["cat"])))


def cold_cells(fn):  # trustmap, libpcap alone and cat read cold; tshark's cell empty
    return " | ".join((fn(rows[c], rows[c][t + "cold"]) if rows[c].get(t + "cold") else "-") if t != "ts" else ""
                      for c in ("mix", "scan") for t in COLS)


if M["tmcold"] or S["tmcold"]:
    print("| cold, the capture evicted before each run: wall s (min-max) | "
          + cold_cells(lambda r, x: "%.2f (%.2f-%.2f)" % (x["wall"], x["min"], x["max"])) + " |")
    print("| cold: CPU s | " + cold_cells(lambda r, x: "%.2f" % x["cpu"]) + " |")
    print("| cold: MB/s (wall) | " + cold_cells(mbs) + " |")
    print("| **share of the read limit, cold (the storage's: cat of the evicted capture)** | **%s** | | %s | "
          "| **%s** | | %s | |" % (pct(M["tmcold"], M["catcold"]), pct(M["floorcold"], M["catcold"]),
                                  pct(S["tmcold"], S["catcold"]), pct(S["floorcold"], S["catcold"])))

def over(a, b):  # a's wall time as a multiple of b's
    return "%.1fx" % (a["wall"] / max(b["wall"], 1e-3)) if a and b else "-"


print("| trustmap's time over libpcap alone's (warm; cold) | %s; %s | | | | %s; %s | | | |"
      % (over(M["tm"], M["floor"]), over(M["tmcold"], M["floorcold"]),
         over(S["tm"], S["floor"]), over(S["tmcold"], S["floorcold"])))
if M["tmall"] or S["tmall"]:
    print("| whole page cache dropped before each run (%d runs): wall s (min-max) | %s | | | %s | %s | | | %s |" % (
        coldall_n, *("%.2f (%.2f-%.2f)" % (x["wall"], x["min"], x["max"]) if x else "-"
                     for x in (M["tmall"], M["catall"], S["tmall"], S["catall"]))))
    print("| share of the read limit, all cold (trustmap's libraries and knowledge base from the storage too) "
          "| %s | | | | %s | | | |" % (pct(M["tmall"], M["catall"]), pct(S["tmall"], S["catall"])))
print("| store part, warm: observation writes + commits, asset rebuild (wall s) | %.2f + %.2f of %.2f | | | "
      "| %.2f + %.2f of %.2f | | | |" % (M["store"] + S["store"]))
print("| observations stored; flows (peak, evictions) | %d; %d (%d, %d) | | | | %d; %d (%d, %d) | | | |"
      % (M["obs"], M["flows"], M["peak"], M["ev"], S["obs"], S["flows"], S["peak"], S["ev"]))
print("| (address, fact): trustmap / tshark / both | %d / %d / %d | | | | %d / %d / %d | | | |"
      % (M["facts"][:3] + S["facts"][:3]))
print()
print("Read limit: cat of the capture. Warm: the file in the page cache (a memory copy, the CPU's limit). "
      "Cold: the capture's pages evicted before each run of cat, libpcap alone and trustmap "
      "(POSIX_FADV_DONTNEED through dd iflag=nocache), so the capture comes from the storage while the "
      "programs, trustmap's libraries and its knowledge base stay cached, as on a machine that has run them "
      "before: the storage's limit for the capture. All cold: the whole page cache dropped before each run "
      "(sync; echo 1 > /proc/sys/vm/drop_caches), trustmap's start-up reading its ~36 MB of libraries and "
      "its knowledge base from the storage too. libpcap alone: bench_pcapfloor, every record through "
      "pcap_next_ex and nothing decoded, the floor of any tool that reads its captures through libpcap."
      + ("" if cold == "1" else " Cold readings %s." % cold)
      + ("" if coldall in ("1", "0") else " All cold %s." % coldall))
print()
for c in ("mix", "scan"):
    r = rows[c]
    print("%s facts by kind (trustmap / tshark / both): %s" % (c, ", ".join(
        "%s %d/%d/%d" % (k, *v) for k, v in sorted(r["kinds"].items()))))
    if r["facts"][3]:
        print("  only trustmap, first: %s" % r["facts"][3])
    if r["facts"][4]:
        print("  only tshark, first: %s" % r["facts"][4])
