#!/usr/bin/env bash
# geo_postgis.sh - our geo predicates against PostGIS, answer by answer.
# Starts Debian's PostgreSQL 15 with PostGIS in a temporary directory (as the
# unprivileged user postgres when run as root), on a Unix socket in that
# directory and no TCP; loads zones (polygons with holes, a multipolygon with
# both ring orientations, a 240-vertex star, geodesic circles) and 100,000
# random points plus points placed exactly on edges, vertices and hole
# boundaries, just off them, and a few millimetres to a metre from circle
# edges; then compares ST_Covers(geometry, EPSG:4326) for polygons and
# ST_DWithin(geography, radius) for circles with build/tools/geoq cover:
# the (point, zone) pairs must be identical, leaving out only points within
# a millimetre of a circle's edge.  Skips when no server can be started.
# Stops the server and removes its directory at the end.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
GEOQ=${GEOQ:-$PWD/${TM_BUILD:-build}/tools/geoq}
PY=/usr/bin/python3 # Debian's, which has python3-geographiclib
PGBIN=/usr/lib/postgresql/15/bin

if [ ! -x "$GEOQ" ]; then skip "no $GEOQ (make tools)"; finish geo_postgis; exit; fi
if [ ! -x "$PGBIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
	skip "PostgreSQL 15 with PostGIS not installed (scripts/deps)"; finish geo_postgis; exit
fi
if ! "$PY" -c 'import geographiclib' 2>/dev/null; then
	skip "python3-geographiclib not installed"; finish geo_postgis; exit
fi

pg=$(mktemp -d /tmp/tm-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then
	if ! id postgres >/dev/null 2>&1; then skip "no postgres user to run the server"; rm -rf "$pg"; finish geo_postgis; exit; fi
	chown postgres: "$pg"
	chmod 755 "$pg"
	as_pg=(runuser -u postgres --)
fi
stop_pg() {
	[ -f "$pg/data/postmaster.pid" ] && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$pg"
}
cleanup_hooks+=(stop_pg)

if ! "${as_pg[@]}" "$PGBIN/initdb" -D "$pg/data" -U postgres -A trust --no-sync >"$pg/initdb.log" 2>&1; then
	skip "initdb failed: $(tail -n 2 "$pg/initdb.log")"; finish geo_postgis; exit
fi
if ! "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 30 \
	-o "-c listen_addresses='' -c unix_socket_directories='$pg' -c fsync=off -c full_page_writes=off" \
	start >/dev/null 2>&1; then
	skip "the server did not start: $(tail -n 3 "$pg/server.log" 2>/dev/null)"; finish geo_postgis; exit
fi
psql() { "${as_pg[@]}" /usr/bin/psql -h "$pg" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
if ! psql -c 'CREATE EXTENSION postgis' >"$pg/ext.log" 2>&1; then
	skip "CREATE EXTENSION postgis failed: $(tail -n 2 "$pg/ext.log")"; finish geo_postgis; exit
fi
ok "server up on a Unix socket, no TCP" test -S "$pg/.s.PGSQL.5432"

# zones and points: $tmp/zones.geojson, circles.txt, points.txt (id lat lon)
"$PY" - "$tmp" <<'EOF'
import json, math, random, sys
from geographiclib.geodesic import Geodesic
out = sys.argv[1]
random.seed(20261129)
G = 1 / 1024  # vertices on a dyadic grid: on-edge points below are exact doubles
def q(v): return round(v / G) * G
def ring(pts, cw=False):
    pts = [[q(x), q(y)] for x, y in pts]
    if cw: pts = pts[::-1]
    return pts + [pts[0]]
def poly_ngon(cx, cy, r, n, rot=0.3):
    return [(cx + r * math.cos(rot + 2 * math.pi * i / n), cy + 0.7 * r * math.sin(rot + 2 * math.pi * i / n)) for i in range(n)]
feats = []
def feat(name, geom): feats.append({"type": "Feature", "properties": {"name": name, "sensitivity": 2}, "geometry": geom})
# a polygon with two holes, counter-clockwise shell, clockwise holes (RFC 7946 order)
feat("base", {"type": "Polygon", "coordinates": [
    ring(poly_ngon(11.0, 51.0, 0.6, 9)),
    ring(poly_ngon(10.85, 51.0, 0.15, 5), cw=True),
    ring([(11.2, 50.9), (11.35, 50.9), (11.35, 51.1), (11.2, 51.1)], cw=True)]})
# a multipolygon: one part clockwise with a counter-clockwise hole, one plain triangle
feat("multi", {"type": "MultiPolygon", "coordinates": [
    [ring(poly_ngon(12.5, 52.0, 0.5, 7), cw=True), ring(poly_ngon(12.5, 52.0, 0.2, 4))],
    [ring([(13.0, 50.5), (13.6, 50.6), (13.2, 51.2)])]]})
# an axis-aligned rectangle overlapping "base" (shared points answer for both)
feat("rect", {"type": "Polygon", "coordinates": [ring([(11.25, 50.75), (12.0, 50.75), (12.0, 51.25), (11.25, 51.25)])]})
# a 240-vertex star (long ring: read through its latitude slabs)
star = [(10.6 + (0.35 if i % 2 else 0.2) * math.cos(2 * math.pi * i / 240), 52.3 + (0.35 if i % 2 else 0.2) * math.sin(2 * math.pi * i / 240)) for i in range(240)]
feat("star", {"type": "Polygon", "coordinates": [ring(star, cw=True)]})
json.dump({"type": "FeatureCollection", "features": feats}, open(out + "/zones.geojson", "w"))
circles = [("c5km", 51.8, 11.6, 5000.0), ("c50km", 50.6, 12.3, 50000.0), ("c700m", 51.5, 13.5, 700.0)]
with open(out + "/circles.txt", "w") as f:
    for n, la, lo, r in circles: f.write("%s 3 %.17g %.17g %.17g\n" % (n, la, lo, r))
pts = []
for i in range(100000):
    pts.append((random.uniform(50.0, 53.0), random.uniform(9.8, 14.2)))
placed = 0
def rings():
    for ft in feats:
        g = ft["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for p in polys:
            for r in p: yield r
for r in rings():
    for a, b in zip(r, r[1:]):
        pts.append((a[1], a[0]))                       # vertex
        for k in range(1, 8):                           # exactly on the edge (dyadic)
            t = k / 8
            pts.append((a[1] + t * (b[1] - a[1]), a[0] + t * (b[0] - a[0])))
        mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        for dx, dy in ((1e-6, 0), (-1e-6, 0), (0, 1e-6), (0, -1e-6), (1e-7, 1e-7), (-1e-7, -1e-7)):
            pts.append((my + dy, mx + dx))              # just off (or along) the edge
            pts.append((a[1] + dy, a[0] + dx))          # just off the vertex
        placed += 1
geo = Geodesic.WGS84
for n, la, lo, r in circles:
    for k in range(24):
        az = random.uniform(-180, 180)
        for d in (-1.0, -0.01, -0.002, 0.002, 0.01, 1.0, -0.0001, 0.0001):
            p = geo.Direct(la, lo, az, r + d)
            pts.append((p["lat2"], p["lon2"]))
with open(out + "/points.txt", "w") as f:
    for i, (la, lo) in enumerate(pts): f.write("%d %.17g %.17g\n" % (i, la, lo))
with open(out + "/load.sql", "w") as f:
    f.write("CREATE TABLE zp (name text, g geometry(Geometry, 4326));\n")
    for ft in feats:
        f.write("INSERT INTO zp VALUES ('%s', ST_SetSRID(ST_GeomFromGeoJSON('%s'), 4326));\n" % (ft["properties"]["name"], json.dumps(ft["geometry"])))
    f.write("CREATE TABLE zc (name text, c geography(Point, 4326), r float8);\n")
    for n, la, lo, r in circles:
        f.write("INSERT INTO zc VALUES ('%s', ST_SetSRID(ST_MakePoint(%.17g, %.17g), 4326)::geography, %.17g);\n" % (n, lo, la, r))
    f.write("CREATE TABLE pt (id int, lat float8, lon float8);\n")
print(len(pts), placed)
EOF
npts=$(wc -l <"$tmp/points.txt")
ok "points generated" test "$npts" -gt 100000

chmod 755 "$tmp"; chmod 644 "$tmp"/*
psql -f "$tmp/load.sql" >/dev/null
tr ' ' '\t' <"$tmp/points.txt" | psql -c "COPY pt FROM STDIN" >/dev/null
psql -c "ALTER TABLE pt ADD COLUMN g geometry(Point, 4326); UPDATE pt SET g = ST_SetSRID(ST_MakePoint(lon, lat), 4326);
	CREATE INDEX ON pt USING gist (g); CREATE INDEX ON pt USING gist ((g::geography)); ANALYZE pt;" >/dev/null
psql -At -F ' ' -c "SELECT p.id, z.name FROM pt p JOIN zp z ON ST_Covers(z.g, p.g)
	UNION ALL SELECT p.id, c.name FROM pt p JOIN zc c ON ST_DWithin(c.c, p.g::geography, c.r)" |
	sort >"$tmp/postgis.txt"
eq "PostGIS stored every point" "$(psql -At -c 'SELECT count(*) FROM pt')" "$npts"

"$GEOQ" cover -g "$tmp/zones.geojson" -c "$tmp/circles.txt" --near 0.001 <"$tmp/points.txt" >"$tmp/ours.raw"
eq "geoq exit status" "$?" 0
grep ' near$' "$tmp/ours.raw" | sed 's/ near$//' | sort -u >"$tmp/near.txt"
grep -v ' near$' "$tmp/ours.raw" | sort >"$tmp/ours.txt"
# leave out (point, circle) pairs within a millimetre of the circle's edge, on both sides
comm -23 "$tmp/ours.txt" "$tmp/near.txt" >"$tmp/ours.cmp"
comm -23 "$tmp/postgis.txt" "$tmp/near.txt" >"$tmp/postgis.cmp"
nnear=$(wc -l <"$tmp/near.txt")
ok "some placed points were within a millimetre of a circle (and left out): $nnear" test "$nnear" -gt 0
eq "left out: exactly the 144 placed 0.1 mm from an edge (2 mm ones are compared)" "$nnear" 144
eq "(point, zone) pairs differing from PostGIS" "$(comm -3 "$tmp/ours.cmp" "$tmp/postgis.cmp" | head -n 20 | tr '\n' ';')" ""
eq "pair count equals PostGIS's" "$(wc -l <"$tmp/ours.cmp")" "$(wc -l <"$tmp/postgis.cmp")"
# every zone is hit, and the hand-placed points gave on-boundary answers
for z in base multi rect star c5km c50km c700m; do
	ok "zone $z covers some points" grep -q " $z\$" "$tmp/ours.cmp"
done
# a vertex of the base shell is covered (boundary counts), the centre of its first hole is not
v=$(awk 'NR==100001' "$tmp/points.txt")
eq "first shell vertex covered by base (and rect, which holds it)" "$(echo "$v" | "$GEOQ" cover -g "$tmp/zones.geojson" | awk '{print $2}' | sort | tr '\n' ' ')" "base rect "
echo "pairs compared: $(wc -l <"$tmp/ours.cmp"), points: $npts, near-edge circle pairs left out: $nnear" >&2
finish geo_postgis
