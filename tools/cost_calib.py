#!/usr/bin/env python3
"""cost_calib.py - an inventory comparable to the US Secure and Trusted
Communications Networks Reimbursement Program's: about 24,000 units of
Huawei and ZTE equipment at about 8,400 locations (FCC Wireline Competition
Bureau, DA 22-131, 9 February 2022), as docs/cost.md describes:

  6,900 cell sites      1 RAN baseband + 2 RAN radios each     20,700 units
  1,200 transport hubs  1 router + 1 microwave radio each       2,400 units
    300 core centres    1 core router + 1 firewall + 1 server     900 units
  8,400 locations                                              24,000 units

and a policy that takes every Huawei and ZTE device out.  Usage:
  tools/cost_calib.py DIR   (writes DIR/calib.csv and DIR/calib.yaml)
`trustmap plan --policy DIR/calib.yaml` with the default cost model then
prices it (tests/e2e/cost_calib.sh checks the total lies between the $4.98
billion approved and the $5.6 billion requested)."""
import os
import random
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
rnd = random.Random(2022)
rows = []
n = 0


def dev(site, kind, vendor, model, role, op, region):
    global n
    n += 1
    rows.append(f"C{n},{vendor},{model},{role},10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255},,{site},{kind} {site},"
                f"{rnd.uniform(25, 48):.4f},{rnd.uniform(-124, -67):.4f},{op},{region},")


for i in range(6900):
    site, op, region = f"CELL{i:05d}", f"Carrier{i % 40:02d}", f"state{i % 25:02d}"
    v = "Huawei" if i % 3 else "ZTE"
    dev(site, "cell", v, "BBU5900" if v == "Huawei" else "ZXSDR B8200", "ran-baseband", op, region)
    for _ in range(2):
        dev(site, "cell", v, "RRU5901" if v == "Huawei" else "ZXSDR R8862", "ran-radio", op, region)
for i in range(1200):
    site, op, region = f"HUB{i:04d}", f"Carrier{i % 40:02d}", f"state{i % 25:02d}"
    dev(site, "hub", "Huawei", "AR6280", "router", op, region)
    dev(site, "hub", "Huawei", "OptiX RTN 950", "radio", op, region)
for i in range(300):
    site, op, region = f"CORE{i:03d}", f"Carrier{i % 40:02d}", f"state{i % 25:02d}"
    dev(site, "core", "Huawei", "NE40E-X8", "core-router", op, region)
    dev(site, "core", "Huawei", "USG6650", "firewall", op, region)
    dev(site, "core", "Huawei", "RH2288H", "server", op, region)

with open(os.path.join(out, "calib.csv"), "w") as f:
    f.write("asset_id,vendor,model,role,address,mac,site_id,site_name,latitude,longitude,operator,region,tags\n")
    f.write("\n".join(rows) + "\n")
with open(os.path.join(out, "calib.yaml"), "w") as f:
    f.write("version: 1\nname: rip and replace (SCRP-like)\nlists:\n  covered:\n    members: [huawei, zte]\n"
            "rules:\n  - id: remove-all\n    action: deny\n    list: covered\n    scope: all\n")
print(f"{n} units at {6900 + 1200 + 300} locations")
