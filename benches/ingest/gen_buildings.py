#!/usr/bin/env python3
"""Write N synthetic building points (the census schema's buildings layer) as a UTF-8
CSV with lon/lat in EPSG:4490 inside the demo county. Seeded: the same N gives the
same file. Usage: gen_buildings.py N out.csv"""
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20260101)
structs = ["钢筋混凝土框架", "砖混", "砖木", "土木石", "钢结构", "其他"]
forts = ["VI", "VII", "VIII", "IX", "未设防"]
uses = ["住宅", "商业", "办公", "教育", "医疗", "工业", "仓储", "农业"]
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("id,lon,lat,township,structure,storeys,year_built,fortification,use,occupants,floor_area_m2,value_wan\n")
    for i in range(n):
        lon = 116.83 + rng.random() * 0.33
        lat = 36.11 + rng.random() * 0.20
        st = rng.randrange(1, 30)
        area = round(80 + rng.random() * 3000, 1)
        f.write(f"B{i:09d},{lon:.7f},{lat:.7f},370999001,{rng.choice(structs)},{st},"
                f"{rng.randrange(1950, 2025)},{rng.choice(forts)},{rng.choice(uses)},"
                f"{rng.randrange(0, 300)},{area},{round(area * 0.19, 2)}\n")
