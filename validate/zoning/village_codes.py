# Usage: python3 validate/zoning/village_codes.py <census>/census.gpkg <census>/survey/admin.gpkg
# (after `riskcensus run <census>`; standard library only).
# Compare each building's village_code (point in village polygon at ingest) with the
# nearest village seat within its township (the rule used when only seats exist).
import sqlite3, struct, sys, math
census, admin = sys.argv[1], sys.argv[2]
def pt(blob):
    flags = blob[3]
    env = (flags >> 1) & 7
    n = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[env]
    w = blob[8 + n:]
    bo = '<' if w[0] == 1 else '>'
    x, y = struct.unpack(bo + 'dd', w[5:21])
    return x, y
a = sqlite3.connect(admin)
seats = {}
for code, town, g in a.execute("select code, township, geom from villages"):
    seats.setdefault(town, []).append((code, pt(g)))
c = sqlite3.connect(census)
same = diff = nov = 0
for tc, vc, g in c.execute("select township_code, village_code, geom from buildings"):
    if not tc:
        continue
    x, y = pt(g)
    best = min(seats.get(tc, []), key=lambda s: (s[1][0]-x)**2 + (s[1][1]-y)**2, default=None)
    if not vc:
        nov += 1
    elif best and best[0] == vc:
        same += 1
    else:
        diff += 1
print(f"buildings in a township: same village as nearest seat {same}, different {diff}, no village {nov}")
