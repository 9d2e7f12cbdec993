#!/usr/bin/env python3
"""demo_geo.py - the geography of the demo operator's network.

usage: tools/demo_geo.py --manifest FILE --out DIR [--sites N] [--seed S]

Reads the emulator's manifest (address -> persona -> vendor of the devices
`trustmap demo` scanned) and writes, deterministically for a seed:

  DIR/inventory.csv   the operators' inventory: N sites (default 3,000) over a
                      fictional capital region, denser in the centre (a core
                      within ~6 km, suburbs to ~25 km, a rural ring to ~45 km),
                      every emulated device placed at a site with its declared
                      vendor and role (a few declared wrongly, as inventories
                      are), plus radio-access equipment known only from the
                      inventory (two operators, each with its own RAN vendors)
  DIR/government.geojson  the government district (with a park as a hole) and
                      the parliament, sensitivity 4 and 5
  DIR/airport.geojson the airport, sensitivity 3
  DIR/links.csv       the topology beyond the inventory's uplink column: the
                      two core routers to each other, every aggregation router
                      to its second core, and a quarter of the access sites
                      to a second aggregation site
  DIR/policy.yaml     a sample policy, scenario "nationwide from 2027": no
                      restricted gear in sensitive zones, a warning at the
                      airport, a 35 % cap on one operator's radio sites, the
                      whole network from 2027, two exceptions
  DIR/policy-zones.yaml  scenario "sensitive zones only": the same without the
                      nationwide rule

The network is a tree with some redundancy: two core sites (tag "core",
a core router each, Nokia and Juniper), aggregation sites each with one
aggregation router (a quarter from restricted makers, so some sensitive
sites have no clean path to the core) uplinked to the nearest core, and
every other device uplinked to the nearest aggregation router (radios to
their site's baseband).

Everything is fictional and on loopback addresses; coordinates sit around
52.52 N 13.40 E only so that the map looks like a capital region.
"""
import argparse, json, math, os, random

ap = argparse.ArgumentParser()
ap.add_argument("--manifest", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--sites", type=int, default=3000)
ap.add_argument("--seed", type=int, default=2026)
a = ap.parse_args()
if a.sites < 100:
    ap.error("--sites: at least 100 (85 in sensitive places, 2 core sites, the aggregation sites)")
rnd = random.Random(a.seed)
os.makedirs(a.out, exist_ok=True)

LAT0, LON0 = 52.52, 13.405
KM_LAT = 1 / 110.574
KM_LON = 1 / (111.320 * math.cos(math.radians(LAT0)))

BASES = [  # name, lat, lon, radius m
    ("base-north", 52.565, 13.290, 3000),
    ("base-west", 52.410, 13.090, 2500),
    ("base-east", 52.650, 13.610, 4000),
]

def offset(km_n, km_e):
    return LAT0 + km_n * KM_LAT, LON0 + km_e * KM_LON

def rect(n0, e0, n1, e1):  # a closed ring, counter-clockwise, from km offsets
    (la0, lo0), (la1, lo1) = offset(n0, e0), offset(n1, e1)
    return [[round(lo0, 6), round(la0, 6)], [round(lo1, 6), round(la0, 6)], [round(lo1, 6), round(la1, 6)],
            [round(lo0, 6), round(la1, 6)], [round(lo0, 6), round(la0, 6)]]

def feature(name, sens, rings):
    return {"type": "Feature", "properties": {"name": name, "sensitivity": sens},
            "geometry": {"type": "Polygon", "coordinates": rings}}

gov = {"type": "FeatureCollection", "features": [
    feature("Government district", 4, [rect(-1.2, -3.0, 1.0, -0.4), rect(-0.6, -2.2, 0.0, -1.6)[::-1]]),
    feature("Parliament", 5, [rect(0.1, -2.0, 0.6, -1.3)]),
]}
airport = {"type": "FeatureCollection", "features": [feature("Airport", 3, [rect(-18.5, 4.5, -16.0, 10.0)])]}
for name, obj in (("government.geojson", gov), ("airport.geojson", airport)):
    with open(os.path.join(a.out, name), "w") as f:
        json.dump(obj, f, indent=1)

# ---- sites ----
def in_rect(lat, lon, r):
    return r[0][1] <= lat <= r[2][1] and r[0][0] <= lon <= r[1][0]

def dist_km(lat, lon, blat, blon):
    return math.hypot((lat - blat) / KM_LAT, (lon - blon) / KM_LON)

REGIONS = ["North", "East", "South", "West"]
N_AGG = max(4, a.sites // 60)  # aggregation sites
sites = []
for i in range(a.sites):
    u = rnd.random()
    r = abs(rnd.gauss(0, 4.0)) if u < 0.55 else rnd.uniform(6, 25) if u < 0.9 else rnd.uniform(25, 45)
    th = rnd.uniform(0, 2 * math.pi)
    lat, lon = offset(r * math.cos(th), r * math.sin(th))
    # a few sites on purpose inside each sensitive area
    if i < 40:
        lat, lon = offset(rnd.uniform(-1.1, 0.9), rnd.uniform(-2.9, -0.5))
    elif i < 70:
        b = BASES[i % 3]
        lat, lon = b[1] + rnd.uniform(-0.02, 0.02), b[2] + rnd.uniform(-0.03, 0.03)
    elif i < 85:
        lat, lon = offset(rnd.uniform(-18.3, -16.2), rnd.uniform(4.7, 9.8))
    if 85 <= i < 87:  # the two core sites, a few km from the centre
        lat, lon = offset(*((1.6, 2.4) if i == 85 else (-2.2, 3.1)))
    region = "Capital" if r < 8 and i >= 85 else REGIONS[int((math.degrees(th) + 45) % 360 // 90)]
    op = "Northwind Telecom" if rnd.random() < 0.65 else "Eastlink Mobile"
    tags = []
    if any(dist_km(lat, lon, b[1], b[2]) * 1000 <= b[3] for b in BASES):
        tags.append("military")
    if in_rect(lat, lon, gov["features"][0]["geometry"]["coordinates"][0]):
        tags.append("government")
    kind = "DC" if r < 2 and rnd.random() < 0.05 else "POP" if rnd.random() < 0.15 else "mast" if rnd.random() < 0.6 else "cabinet"
    if 85 <= i < 87:
        kind, region, tags = "core DC", "Capital", tags + ["core"]
    elif 87 <= i < 87 + N_AGG:
        kind = "aggregation"
    sites.append({"id": "NW-S%04d" % (i + 1), "name": "%s %s %d" % (region, kind, i + 1), "lat": round(lat, 6),
                  "lon": round(lon, 6), "operator": op, "region": region, "tags": ";".join(tags)})

# ---- devices the emulator plays, placed at sites ----
ROLE = {"router": "router", "switch": "switch", "ne40e": "core-router", "zxr10": "core-router", "comware": "switch",
        "ipc": "camera", "nvr": "nvr", "ont": "ont", "cpe": "cpe", "bbu": "ran-baseband", "dispatch": "dispatch",
        "ios": "switch", "iosxe": "switch", "nxos": "switch", "junos": "router", "sros": "router",
        "router6000": "router", "printer": "printer", "eos": "switch", "routeros": "router", "edgerouter": "router",
        "fortigate": "firewall", "cx": "switch", "ilo": "server", "server": "server"}
DECL = {"huawei": "Huawei", "zte": "ZTE", "h3c": "H3C", "hikvision": "Hikvision", "dahua": "Dahua", "hytera": "Hytera",
        "cisco": "Cisco", "juniper": "Juniper", "nokia": "Nokia", "ericsson": "Ericsson", "samsung": "Samsung",
        "arista": "Arista", "mikrotik": "MikroTik", "ubiquiti": "Ubiquiti", "fortinet": "Fortinet", "aruba": "Aruba",
        "hpe": "HPE"}
rows = []
devices = [json.loads(l) for l in open(a.manifest)]
for n, d in enumerate(devices):
    persona = d["persona"]
    role = next((v for k, v in ROLE.items() if persona.endswith(k) or ("-" + k) in persona), "")
    vendor = DECL.get(d.get("vendor") or "", "")
    if vendor and rnd.random() < 0.02:
        vendor = "Cisco" if vendor != "Cisco" else "Juniper"  # inventories are sometimes wrong
    # restricted cameras and network gear land in sensitive places more often than chance
    s = sites[rnd.randrange(0, 85)] if d.get("vendor") in ("huawei", "zte", "hikvision", "dahua", "hytera") and rnd.random() < 0.3 \
        else sites[rnd.randrange(len(sites))]
    rows.append({"asset_id": "NW-D%05d" % (n + 1), "vendor": vendor, "model": "", "role": role, "address": d["addr"],
                 "site": s})

# ---- radio access known only from the inventory ----
RAN = {"Northwind Telecom": [("Ericsson", 0.55), ("Nokia", 0.45)],
       "Eastlink Mobile": [("Huawei", 0.42), ("Ericsson", 0.33), ("ZTE", 0.10), ("Nokia", 0.15)]}
n = 0
for s in sites:
    if rnd.random() < 0.7:
        x, acc = rnd.random(), 0
        for v, w in RAN[s["operator"]]:
            acc += w
            if x <= acc:
                break
        for role in ("ran-baseband", "ran-radio", "ran-radio", "ran-radio"):
            n += 1
            rows.append({"asset_id": "NW-R%05d" % n, "vendor": v, "model": "", "role": role, "address": "", "site": s})

# ---- topology: core, aggregation, uplinks ----
def km(s, t):
    return dist_km(s["lat"], s["lon"], t["lat"], t["lon"])

core = [{"asset_id": "NW-CORE1", "vendor": "Nokia", "model": "7750 SR-12", "role": "core-router", "address": "",
         "site": sites[85]},
        {"asset_id": "NW-CORE2", "vendor": "Juniper", "model": "MX960", "role": "core-router", "address": "",
         "site": sites[86]}]
AGG_VENDORS = [("Huawei", "NE40E-X8", 0.18), ("ZTE", "ZXR10 M6000", 0.07), ("Nokia", "7750 SR-7", 0.3),
               ("Cisco", "ASR 9906", 0.3), ("Juniper", "MX480", 0.15)]
agg = []
for k in range(N_AGG):
    x, acc = rnd.random(), 0
    for v, model, w in AGG_VENDORS:
        acc += w
        if x <= acc:
            break
    s = sites[87 + k]
    near = sorted(core, key=lambda c: km(s, c["site"]))
    agg.append({"asset_id": "NW-AGG%03d" % (k + 1), "vendor": v, "model": model, "role": "router", "address": "",
                "site": s, "uplink": near[0]["asset_id"], "second": near[1]["asset_id"]})
links = [("NW-CORE1", "NW-CORE2", "fiber")] + [(g["asset_id"], g["second"], "fiber") for g in agg]
by_site = {}
for n, r in enumerate(rows):
    if "core" in r["site"]["tags"]:  # the core sites hold the core routers only
        r["site"] = sites[87 + N_AGG + n % (len(sites) - 87 - N_AGG)]
    if r["vendor"]:  # devices the inventory names no maker of are not in its topology either
        by_site.setdefault(r["site"]["id"], []).append(r)
for sid, devs in by_site.items():
    s = devs[0]["site"]
    near = sorted(agg, key=lambda g: km(s, g["site"]))
    bb = next((d["asset_id"] for d in devs if d["role"] == "ran-baseband"), None)
    for d in devs:
        d["uplink"] = bb if d["role"] == "ran-radio" and bb else near[0]["asset_id"]
    if rnd.random() < 0.25 and len(near) > 1:  # dual-homed to a second aggregation site
        links.append(((bb or devs[0]["asset_id"]), near[1]["asset_id"], "microwave"))
rows = core + agg + rows

with open(os.path.join(a.out, "inventory.csv"), "w") as f:
    f.write("asset_id,vendor,model,role,address,site_id,site_name,latitude,longitude,operator,region,tags,uplink\n")
    for r in rows:
        s = r["site"]
        f.write('%s,%s,%s,%s,%s,%s,"%s",%.6f,%.6f,%s,%s,%s,%s\n' % (r["asset_id"], r["vendor"], r["model"], r["role"],
                r["address"], s["id"], s["name"], s["lat"], s["lon"], s["operator"], s["region"], s["tags"],
                r.get("uplink", "")))
with open(os.path.join(a.out, "links.csv"), "w") as f:
    f.write("a,b,kind\n")
    for x, y, k in links:
        f.write("%s,%s,%s\n" % (x, y, k))

# ---- the sample policy ----
gov_site = next(s for s in sites if "government" in s["tags"])
def policy(fname, name, nationwide):
    with open(os.path.join(a.out, fname), "w") as f:
        f.write("""# demo policy of the fictional capital region (written by tools/demo_geo.py)
version: 1
name: %s
lists:
  high-risk:
    include: [fcc-covered]
    components: true
zones:
  - name: government
    geojson: government.geojson
  - name: airport
    geojson: airport.geojson
""" % name)
        for b in BASES:
            f.write("  - name: %s\n    circle: {lat: %.3f, lon: %.3f, radius_m: %d}\n    sensitivity: 5\n" % b)
        f.write("""  - name: military-sites
    tags: [military]
    sensitivity: 5
rules:
  - id: sensitive-areas
    action: deny
    list: high-risk
    scope: {zones: [government, base-north, base-west, base-east, military-sites], min_sensitivity: 4}
  - id: airport
    action: warn
    list: high-risk
    scope: {zones: [airport]}
  - id: ran-share
    action: deny
    list: high-risk
    scope: {roles: [ran-baseband, ran-radio]}
    max_share: 35%
    share_of: sites
    note: at most 35 % of each operator's radio sites from high-risk vendors
""")
        if nationwide:
            f.write("""  - id: nationwide-2027
    action: deny
    list: high-risk
    scope: all
    effective: 2027-01-01
""")
        f.write("""exceptions:
  - site: %s
    rule: sensitive-areas
    reason: replacement contract signed, works scheduled
    expires: 2026-06-30
  - site: %s
    reason: isolated test lab of the ministry
    expires: 2027-12-31
""" % (gov_site["id"], sites[1]["id"]))

policy("policy.yaml", "nationwide from 2027", True)
policy("policy-zones.yaml", "sensitive zones only", False)
print("%d sites, %d assets (%d emulated devices placed, %d aggregation routers, 2 core), %d links in %s"
      % (len(sites), len(rows), len(devices), len(agg), len(links), a.out))
