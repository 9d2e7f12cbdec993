#!/usr/bin/env python3
"""paths_gen.py - the topology of bench/paths, written two ways.

usage: paths_gen.py DIR [DEVICES] [LINKS] [SENSITIVE] [SEED]
  (defaults 100,000 devices, 1,000,000 links, 1,000 sensitive sites)

A three-tier operator network: 50 core routers at site DC (tag core),
2,000 aggregation routers at 200 sites, and access switches ten to a
site; the sensitive sites (tag military) hang off the aggregation by three
uplinks each and have no other way out, the ordinary sites have two
uplinks and random links among them fill the graph up to LINKS.  Makers:
Huawei or ZTE for restricted devices (core 10 %, aggregation 35 %,
sensitive-site switches 20 %, ordinary 30 %), Cisco otherwise.  Written as
  DIR/problem.txt   tools/pathq's input (costs as trustmap's default by role,
                    cut capacity 1), one query per sensitive site
  DIR/inv.csv, DIR/links.csv, DIR/policy.yaml  for trustmap import / paths
"""
import os
import random
import sys

d = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
M = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000
NS = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 6)
os.makedirs(d, exist_ok=True)

CORE, AGG, PER = 50, 2000, 10
ROUTER, SWITCH = 4000000, 800000  # cents: trustmap's default role costs (router, switch)
site, role, restr = [], [], []
for v in range(N):
    if v < CORE:
        site.append("DC"); role.append("router"); restr.append(rng.random() < 0.10)
    elif v < CORE + AGG:
        site.append("AGG%03d" % ((v - CORE) // PER)); role.append("router"); restr.append(rng.random() < 0.35)
    else:
        a = v - CORE - AGG
        s = a // PER
        sens = s < NS
        site.append(("S%04d" % s) if sens else ("O%05d" % s)); role.append("switch")
        restr.append(rng.random() < (0.20 if sens else 0.30))
first_access = CORE + AGG
first_ordinary = first_access + NS * PER
edges = []
for v in range(CORE):
    for _ in range(10):
        edges.append((v, rng.randrange(CORE)))
for v in range(CORE, CORE + AGG):
    for _ in range(2):
        edges.append((v, rng.randrange(CORE)))
    for _ in range(4):
        edges.append((v, rng.randrange(CORE, CORE + AGG)))
for b in range(first_access, N, PER):
    members = list(range(b, min(b + PER, N)))
    k = len(members)
    for i in range(k):  # a ring with chords
        edges.append((members[i], members[(i + 1) % k]))
        if i % 2 == 0:
            edges.append((members[i], members[(i + k // 2) % k]))
    ups = 3 if b < first_ordinary else 2
    for _ in range(ups):
        edges.append((rng.choice(members), rng.randrange(CORE, CORE + AGG)))
while len(edges) < M and first_ordinary < N:
    edges.append((rng.randrange(first_ordinary, N), rng.randrange(first_ordinary, N)))
edges = edges[:M]

names = ["D%06d" % v for v in range(N)]
with open(os.path.join(d, "problem.txt"), "w") as f:
    f.write("%d %d\n" % (N, len(edges)))
    f.write(" ".join("1" if r else "0" for r in restr) + "\n")
    f.write(" ".join(str(ROUTER if ro == "router" else SWITCH) for ro in role) + "\n")
    f.write(" ".join("1" for _ in range(N)) + "\n")
    f.write("\n".join("%d %d" % e for e in edges) + "\n")
    f.write("%d\n" % NS)
    core = list(range(CORE))
    for s in range(NS):
        src = list(range(first_access + s * PER, first_access + (s + 1) * PER))
        f.write("%d %s %d %s\n" % (len(src), " ".join(map(str, src)), len(core), " ".join(map(str, core))))
with open(os.path.join(d, "inv.csv"), "w") as f:
    f.write("asset_id,vendor,role,site_id,tags\n")
    for v in range(N):
        tag = "core" if site[v] == "DC" else "military" if site[v].startswith("S") else ""
        vendor = rng.choice(["Huawei", "ZTE"]) if restr[v] else "Cisco"
        f.write("%s,%s,%s,%s,%s\n" % (names[v], vendor, role[v], site[v], tag))
with open(os.path.join(d, "links.csv"), "w") as f:
    f.write("a,b\n")
    for a, b in edges:
        if a != b:
            f.write("%s,%s\n" % (names[a], names[b]))
with open(os.path.join(d, "policy.yaml"), "w") as f:
    f.write("""version: 1
name: bench paths
lists:
  high-risk:
    include: [fcc-covered]
zones:
  - name: military
    tags: [military]
    sensitivity: 4
rules:
  - id: no-high-risk-near-military
    action: deny
    list: high-risk
    scope: {min_sensitivity: 4}
""")
print("paths_gen: %d devices, %d links (%d restricted), %d sensitive sites in %s"
      % (N, len(edges), sum(restr), NS, d), file=sys.stderr)
