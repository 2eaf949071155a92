#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets (fuzz/corpus/<target>/seed-*) from the
repository's fixtures/ and models/ (docs/fuzzing.md). Run from the repository root:

    python3 fuzz/make_seeds.py

Seeds are small (CSV files cut to their first lines, GeoJSON files under 20 KB), and
the selector bytes follow the tables of crates/fuzzing/src/lib.rs: the census layer
order of crates/survey/src/schema.rs (LAYERS), MODEL_PARSERS, Gmm::names() and IMTS.
"""

import csv
import io
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"

# crates/survey/src/schema.rs, LAYERS, in order.
LAYERS = [
    "admin_units", "admin_seats", "buildings", "population", "hidden_dangers",
    "disaster_events", "shelters", "rescue_teams", "material_reserves",
    "community_capacity", "key_facilities", "reservoirs", "rivers", "faults", "roads",
    "lithology", "land_cover", "seismic_zones", "weather_daily", "fire_points",
    "protected_sites",
]
# crates/fuzzing/src/lib.rs, MODEL_PARSERS: selector → files it reads.
MODEL_PARSERS = [
    ["flood/flood.toml", "common/exposure.toml", "common/capacity.toml",
     "wildfire/wildfire.toml", "wildfire/wildfire_capacity.toml",
     "wildfire/wildfire_risk.toml", "geohazard/geohazard_capacity.toml",
     "geohazard/geohazard_exposure.toml", "geohazard/geohazard_risk.toml"],
    ["flood/hazard.toml", "earthquake/hazard.toml", "geohazard/hazard.toml",
     "wildfire/hazard.toml", "comprehensive/hazard.toml"],
    ["common/levels.toml"],
    ["zoning/prevention.toml", "flood/prevention.toml", "earthquake/prevention.toml",
     "geohazard/prevention.toml", "wildfire/prevention.toml",
     "comprehensive/prevention.toml"],
    ["earthquake/earthquake.toml"],
    ["earthquake/seismic_fragility.csv"],
    ["geohazard/geohazard.toml"],
    ["trend/trends.toml"],
    ["scenario/scenarios.toml"],
    ["../fixtures/demo-small/scenarios/2030_growth.toml",
     "../fixtures/demo-small/scenarios/2030_growth_measures.toml"],
    ["common/loss_levels.toml"],
    ["comprehensive/comprehensive.toml"],
    ["flood/flood_depth.toml"],
    ["flood/flood_depth_damage.toml"],
    ["flood/flood_mortality.toml"],
    ["capacity/capacity_gaps.toml"],
    ["capacity/grassroots_capacity.toml"],
]
# Gmm::names() (crates/models/src/earthquake/gmm/mod.rs) and IMTS of lib.rs.
GMMS = [
    "YuEtAl2013Ms", "YuEtAl2013MsTibet", "YuEtAl2013MsEastern", "YuEtAl2013MsStable",
    "YuEtAl2013Mw", "YuEtAl2013MwTibet", "YuEtAl2013MwEastern", "YuEtAl2013MwStable",
    "BooreEtAl2014", "BooreEtAl2014HighQ", "AbrahamsonEtAl2014",
    "AbrahamsonEtAl2014RegCHN", "CampbellBozorgnia2014", "CampbellBozorgnia2014HighQ",
    "ChiouYoungs2014", "ChiouYoungs2014Wenchuan",
]
IMTS = ["PGA", "PGV", "SA(0.2)", "SA(1.0)", "SA(3.0)"]
GM_COLUMNS = [
    "id", "mag", "rake", "dip", "ztor_km", "width_km", "zhyp_km", "rjb_km", "rrup_km",
    "rx_km", "ry0_km", "vs30", "z1pt0_m", "z2pt5_km", "repi_km", "azimuth_deg",
]


def head(path, lines):
    """The first `lines` lines of a file, as bytes (any encoding)."""
    with open(path, "rb") as f:
        return b"".join(f.readline() for _ in range(lines))


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data)


def survey_csvs():
    """(layer, name, bytes) of the survey CSV fixtures."""
    out = []
    demo = ROOT / "fixtures/demo-small/survey"
    for name, layer, n in [
        ("buildings.csv", "buildings", 20),
        ("community_capacity.csv", "community_capacity", 12),
        ("disaster_events.csv", "disaster_events", 12),
        ("fire_history.csv", "fire_points", 12),
        ("material_reserves.csv", "material_reserves", 8),
        ("rescue_stations.csv", "rescue_teams", 8),
        ("weather_daily.csv", "weather_daily", 12),
    ]:
        out.append((layer, name, head(demo / name, n)))
    for p in sorted((ROOT / "fixtures/bad").glob("*.csv")):
        out.append(("buildings", "bad-" + p.name, head(p, 10)))
    out.append(("admin_units", "codes.csv", head(ROOT / "fixtures/delivery/codes.csv", 10)))
    out.append(("buildings", "nan_lon.csv", head(ROOT / "fixtures/delivery/nan_lon.csv", 10)))
    return out


def main():
    csvs = survey_csvs()
    # csv_source: the files as they are.
    for _, name, data in csvs:
        write("csv_source", name, data)
    write("csv_source", "bom-crlf-quotes.csv",
          b'\xef\xbb\xbfid,lon,lat,name\r\n1,117.0,36.2,"a ""quoted"", multi\r\nline"\r\n')
    # survey_values: layer byte + CSV; and a mapping file + %% + CSV.
    for layer, name, data in csvs:
        write("survey_values", name, bytes([LAYERS.index(layer)]) + data)
    mapping = (
        'x = "经度"\ny = "纬度"\ncrs = "CGCS2000"\nencoding = "UTF-8"\n'
        '[fields]\n"编号" = "id"\n"结构代码" = "structure"\n"层数" = "storeys"\n'
        '"建成年份" = "year_built"\n[values.structure]\n"1" = "rc_frame"\n"2" = "砖木"\n'
    ).encode()
    body = (
        "编号,经度,纬度,结构代码,层数,建成年份\n"
        "B1,117.0,36.2,1,3,1998\nB2,117.01,36.21,2,１２,2001年\nB3,36.2,117.0,9,2.5,2999\n"
    ).encode()
    write("survey_values", "mapping-buildings",
          bytes([LAYERS.index("buildings")]) + mapping + b"\n%%\n" + body)
    gcj = 'crs = "GCJ02"\n[fields]\n"隐患编号" = "id"\n'.encode()
    hd = "隐患编号,lon,lat,type,scale\nHD1,117.0,36.2,滑坡,小型\n".encode()
    write("survey_values", "mapping-gcj02-hidden",
          bytes([LAYERS.index("hidden_dangers")]) + gcj + b"\n%%\n" + hd)
    # geojson_source: the small GeoJSON fixtures.
    for p in sorted(ROOT.glob("fixtures/**/*.geojson")):
        if p.stat().st_size <= 20_000:
            write("geojson_source", p.name, p.read_bytes())
    # census_toml: every census.toml fixture.
    for p in sorted(ROOT.glob("fixtures/**/census.toml")):
        write("census_toml", p.parent.name, p.read_bytes())
    # model_files: selector byte + file.
    for sel, files in enumerate(MODEL_PARSERS):
        for f in files:
            p = (ROOT / "models" / f).resolve()
            write("model_files", f"{sel:02}-" + p.parent.name + "-" + p.name,
                  bytes([sel]) + p.read_bytes())
    # ground_motion_csv: per model, its golden cases (first rows, known columns).
    with open(ROOT / "fixtures/earthquake/gmm_golden.csv", newline="") as f:
        rows = [r for r in csv.reader(l for l in f if not l.startswith("#"))]
    header, rows = rows[0], rows[1:]
    for g, gmm in enumerate(GMMS):
        for imt in ("PGA", "SA(0.2)"):
            mine = [r for r in rows if r[0] == gmm and r[1] in (imt, "PGA")][:6]
            if not mine:
                continue
            keep = [i for i, h in enumerate(header) if h in GM_COLUMNS]
            used = [i for i in keep if any(r[i] for r in mine)]
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(["id"] + [header[i] for i in used])
            for k, r in enumerate(mine):
                w.writerow([f"c{k}"] + [r[i] for i in used])
            write("ground_motion_csv", f"{gmm}-{imt.replace('(', '').replace(')', '')}",
                  bytes([g, IMTS.index(imt)]) + buf.getvalue().encode())
    # fwi_csv: the weather fixtures.
    write("fwi_csv", "weather_daily.csv",
          head(ROOT / "fixtures/demo-small/survey/weather_daily.csv", 40))
    write("fwi_csv", "vanwagner_pickett_1985_test.csv",
          head(ROOT / "fixtures/wildfire/vanwagner_pickett_1985_test.csv", 40))
    # inventory_csv: points in the demo grid (EPSG:4548), with and without type.
    write("inventory_csv", "typed.csv",
          b"id,type,x,y\nHD1,\xe6\xbb\x91\xe5\x9d\xa1,490000,4010000\n"
          b"HD2,\xe5\xb4\xa9\xe5\xa1\x8c,\"495000.5\",4005000\nHD3,,500000,4000000\n")
    write("inventory_csv", "xy.csv", b"X,Y\n484075,4019925\n518425,3993675\n\n")




def dict_entry(s):
    """A libFuzzer dictionary line: printable ASCII as is, other bytes as \\xNN."""
    out = []
    for b in s.encode() if isinstance(s, str) else s:
        c = chr(b)
        if c in '\\"':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append(f"\\x{b:02X}")
    return '"' + "".join(out) + '"'


def write_dict(name, words):
    d = ROOT / "fuzz" / "dict"
    d.mkdir(parents=True, exist_ok=True)
    lines = [f"# {name}: written by fuzz/make_seeds.py"]
    lines += [dict_entry(w) for w in sorted(set(words)) if w]
    (d / f"{name}.dict").write_text("\n".join(lines) + "\n")


def toml_words(paths):
    """Keys, table headers and string values of TOML files."""
    import re
    words = set()
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("["):
                words.add(line.split("#")[0].strip())
            m = re.match(r'^([A-Za-z0-9_"\.\-]+)\s*=', line)
            if m:
                words.add(m.group(1) + " = ")
            for v in re.findall(r'"([^"]{1,24})"', line):
                words.add(f'"{v}"')
    return words


def dictionaries():
    import re
    schema = (ROOT / "crates/survey/src/schema.rs").read_text(encoding="utf-8")
    names = set(re.findall(r'"([^"\s,]{1,16})"', schema))
    chinese = ["万元", "亿元", "元", "人", "户", "米", "平方米", "公里", "年", "月", "日",
               "层", "０", "１", "９", "．", "，", "－", "万", "千", "百", "约", "余"]
    csv_bits = ['"', '""', ",", "\r\n", "\n", "\x00", "\xef\xbb\xbf", "NaN", "inf", "-0",
                "1e308", "2024-02-29", "2023-02-29", "20240405", "2024/4/5"]
    survey = names | set(chinese) | set(csv_bits)
    write_dict("survey", [w for w in survey])
    write_dict("models", toml_words(sorted((ROOT / "models").glob("**/*.toml"))) |
               {"hazus_type,code,slight_g,moderate_g,extensive_g,complete_g,beta"})
    write_dict("census_toml", toml_words(sorted(ROOT.glob("fixtures/**/census.toml"))) |
               {"EPSG:4548", "EPSG:4490", "EPSG:4326", "GCJ02", "BD09"})
    write_dict("csv_columns", GM_COLUMNS + [
        "date", "month", "lat", "lon", "temp_c", "rh_pct", "wind_kmh", "rain_mm", "station",
        "x", "y", "type", "X", "Y", "PGA", "NaN", ",", "\n", '"', "#", "滑坡", "崩塌"])
    write_dict("geojson", ['"type"', '"Feature"', '"FeatureCollection"', '"features"',
               '"geometry"', '"properties"', '"coordinates"', '"Point"', '"LineString"',
               '"Polygon"', '"MultiPolygon"', '"GeometryCollection"', '"crs"',
               '"urn:ogc:def:crs:EPSG::4490"', "null", "[", "]", "{", "}", "1e400"] +
               sorted(n for n in names if n.isascii())[:200])


if __name__ == "__main__":
    main()
    dictionaries()
