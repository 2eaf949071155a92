//! The demo census's two example scenarios (`scenarios/`, docs/scenarios.md):
//!
//! - `2030_growth.toml`: the exposure of 2030 — population +0.6 %/yr in the county
//!   and +1.5 %/yr in the 街道 (urban) townships, building value +6 %/yr (real)
//!   and GDP +5.5 %/yr, two new built-up areas east of the county town from a
//!   (synthetic) spatial plan (`new_areas_2030.gpkg`), and 0.12 °C of global
//!   warming with extreme rainfall +7 %/°C;
//! - `2030_growth_measures.toml`: the same with the planned measures — the
//!   urban flood-control standard raised to 50 years, 30 % of the brick–wood
//!   houses retrofitted, the hidden-danger points planning relocation (计划搬迁)
//!   relocated, and 5,000 shelter places (the plan's target population).
//!
//! Every figure is synthetic, stated in the files; costs are round figures of the
//! order of such works, not quotations.

use geo::{Coord, Geometry, LineString, MultiPolygon, Polygon};
use riskcensus_io::vector::{
    FieldDef, FieldType as T, FieldValue as V, GeometryType, VectorDriver, VectorLayerSpec,
    VectorWriter, WriteOptions,
};

use crate::{Ctx, DemoError};

/// The folder of the scenario files in the census.
pub const FOLDER: &str = "scenarios";

/// The year of the demo's exposure survey.
pub const SURVEY_YEAR: i32 = 2024;

/// Write the scenario files and the new areas' layer.
pub(crate) fn write_all(ctx: &mut Ctx) -> Result<(), DemoError> {
    let dir = ctx.path(FOLDER);
    std::fs::create_dir_all(&dir).map_err(ctx.fs_err("scenarios", FOLDER))?;
    new_areas(ctx)?;
    let urban: Vec<String> = ctx
        .admin
        .townships
        .iter()
        .filter(|t| t.kind == "街道")
        .map(|t| format!("\"{}\"", t.code))
        .collect();
    let growth_townships: String = ctx
        .admin
        .townships
        .iter()
        .filter(|t| t.kind == "街道")
        .map(|t| {
            format!(
                "\n[[exposure.township]]\ncode = \"{}\"  # {}\npopulation_growth_pct = 1.5\n",
                t.code, t.name
            )
        })
        .collect();
    let growth = format!(
        r#"# 2030 growth (demo, synthetic figures): the exposure and climate of 2030.
id = "{{id}}"
name = "{{name}}"
survey_year = {SURVEY_YEAR}
target_year = 2030
sources = [
  "Growth rates: synthetic, of the order of a county in eastern China 2015–2024 (demo).",
  "New built-up areas: new_areas_2030.gpkg, a synthetic spatial plan (demo).",
  "Warming 2024–2030: about 0.2 °C per decade of global warming (IPCC AR6 WG1 SPM A.1.2) → 0.12 °C; extreme daily rainfall +7 % per °C (IPCC AR6 WG1 SPM B.2.2).",
]

[exposure]
population_growth_pct = 0.6
value_growth_pct = 6.0
gdp_growth_pct = 5.5
{growth_townships}
[[exposure.new_area]]
file = "new_areas_2030.gpkg"

[hazard]
warming_c = 0.12
rainfall_pct_per_c = 7.0

[[uncertain]]
input = "rainfall_pct_per_c"
distribution = "uniform"
low = 5.0
high = 9.0
basis = "Observed scaling of extreme daily rainfall with temperature spans roughly 5–9 %/°C around the Clausius–Clapeyron rate (IPCC AR6 WG1 ch. 11)."

[[uncertain]]
input = "value_growth_pct"
distribution = "triangular"
low = 3.0
mode = 6.0
high = 8.0
basis = "Demo convention: the county's real growth of building value, 3–8 %/yr."
"#
    );
    let relocate: Vec<String> = ctx
        .relocations
        .iter()
        .map(|(id, _)| format!("\"{id}\""))
        .collect();
    let people: i32 = ctx.relocations.iter().map(|(_, p)| p).sum();
    let mut measures = format!(
        r#"
# The planned measures (costs: round synthetic figures, 万元).
[[measure]]
id = "urban_dikes_50y"
name = "城区堤防提标至50年一遇"
kind = "flood_standard"
protection_years = 50
townships = [{urban}]
cost_wan = 18000.0
annual_cost_wan = 150.0

[[measure]]
id = "retrofit_brick_wood"
name = "砖木结构农房抗震加固30%"
kind = "retrofit"
structure = "brick_wood"
share = 0.3
fortification = "required"
cost_wan = 9000.0

[[measure]]
id = "shelters_5000"
name = "新建应急避难场所5000人"
kind = "shelters"
places = 5000.0
townships = [{urban}]
cost_wan = 1500.0
annual_cost_wan = 30.0
"#,
        urban = urban.join(", ")
    );
    if !relocate.is_empty() {
        measures.push_str(&format!(
            r#"
[[measure]]
id = "relocate_planned"
name = "地质灾害隐患点搬迁避让（计划搬迁{n}处，{people}人）"
kind = "relocate"
points = [{points}]
cost_wan = {cost:.1}
"#,
            n = relocate.len(),
            points = relocate.join(", "),
            cost = f64::from(people) * 5.0,
        ));
    }
    let files = [
        (
            "2030_growth.toml",
            growth
                .replace("{id}", "2030_growth")
                .replace("{name}", "2030年增长"),
        ),
        (
            "2030_growth_measures.toml",
            growth
                .replace("{id}", "2030_growth_measures")
                .replace("{name}", "2030年增长＋规划措施")
                + &measures,
        ),
    ];
    for (name, text) in files {
        let rel = format!("{FOLDER}/{name}");
        crate::tables::write_atomic(&ctx.path(&rel), text.as_bytes())
            .map_err(ctx.fs_err("scenarios", &rel))?;
    }
    Ok(())
}

/// Two planned built-up areas east of the county town (census CRS).
fn new_areas(ctx: &mut Ctx) -> Result<(), DemoError> {
    let rel = format!("{FOLDER}/new_areas_2030.gpkg");
    let t = ctx.land.town;
    let rect = |x0: f64, y0: f64, w: f64, h: f64| {
        Geometry::MultiPolygon(MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                Coord { x: x0, y: y0 },
                Coord { x: x0 + w, y: y0 },
                Coord {
                    x: x0 + w,
                    y: y0 + h,
                },
                Coord { x: x0, y: y0 + h },
                Coord { x: x0, y: y0 },
            ]),
            vec![],
        )]))
    };
    let s = |v: &str| V::String(v.into());
    let feats = vec![
        (
            rect(t.x + 1_500.0, t.y - 600.0, 1_200.0, 1_000.0),
            vec![
                s("东城新区住宅"),
                V::Real(420_000.0),
                V::Real(15_000.0),
                s("rc_frame"),
                s("vii"),
                V::Integer(11),
            ],
        ),
        (
            rect(t.x + 1_800.0, t.y + 700.0, 900.0, 700.0),
            vec![
                s("东城产业园"),
                V::Real(260_000.0),
                V::Real(2_500.0),
                s("steel"),
                s("vii"),
                V::Integer(3),
            ],
        ),
    ];
    let spec = VectorLayerSpec::new(
        VectorDriver::GeoPackage,
        "new_areas",
        crate::landscape::CRS,
        GeometryType::MultiPolygon,
    )
    .fields(vec![
        FieldDef::new("name", T::String),
        FieldDef::new("value_wan", T::Real),
        FieldDef::new("population", T::Real),
        FieldDef::new("structure", T::String),
        FieldDef::new("fortification", T::String),
        FieldDef::new("storeys", T::Integer),
    ]);
    let path = ctx.path(&rel);
    let mut w = VectorWriter::create(
        &path,
        VectorDriver::GeoPackage,
        &WriteOptions {
            fixed_timestamp: Some(crate::FIXED_TIMESTAMP.into()),
        },
    )
    .map_err(ctx.io_err("new_areas", &rel))?;
    w.add_layer(&spec, feats)
        .map_err(ctx.io_err("new_areas", &rel))?;
    w.finish().map_err(ctx.io_err("new_areas", &rel))?;
    Ok(())
}
