//! The run's plan: before anything is computed, which stages, models and hazards of
//! a census can run, and for those that cannot, exactly which inputs they lack and
//! how to provide them ("flood: needs a DEM raster (`[[raster]] id = "dem"`, m) for
//! hand, accumulation, slope_deg; a raster `rain24h_100y` (mm) …").
//!
//! The plan is computed from `census.toml` (the declared sources), the census
//! database (which tables hold records) and the model library: every stage says
//! what it [`needs`](crate::stage::Stage::needs) and what it would
//! [`add to the stack`](crate::stage::Stage::plans); models of the assess stage run
//! in dependency order when their inputs are predicted. `riskcensus status` prints
//! it, `riskcensus run` prints it and runs what can run, and a run in which no
//! hazard can produce anything stops before computing, naming what is missing.
//!
//! Units are not part of the plan: a layer present with a unit a model refuses is
//! reported when the model runs.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use riskcensus_contracts::tables::census as tables;
use serde::Serialize;

use crate::error::EngineError;
use crate::stage::{Context, Needs, Stage};
use crate::stages;

/// One missing input: what is missing and how to provide it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Missing {
    /// What is missing: `layer hand`, `table buildings`, `source pga_zoning`.
    pub need: String,
    /// How a survey team provides it, e.g. `a DEM raster ([[raster]] id = "dem",
    /// kind continuous, units m)`.
    pub how: String,
    /// The stage or model that would compute it, when that cannot run itself (its
    /// own missing inputs are then what the survey must provide).
    #[serde(skip)]
    pub via: Option<String>,
}

/// The plan of one stage.
#[derive(Debug, Clone, Serialize)]
pub struct StagePlan {
    /// Stage id.
    pub id: String,
    /// True when its needs are (predicted to be) met.
    pub runs: bool,
    /// Left out by the run's model filter.
    pub filtered_out: bool,
    /// What it lacks.
    pub missing: Vec<Missing>,
    /// Layers it adds to the stack when it runs.
    pub layers: Vec<String>,
}

/// The plan of one model of the library (scored by the assess stage).
#[derive(Debug, Clone, Serialize)]
pub struct ModelPlan {
    /// Model id.
    pub id: String,
    /// The hazard it belongs to, if any.
    pub hazard: Option<String>,
    /// Its output layer.
    pub output: String,
    /// True when it also writes a level grid (`<output>_level`).
    pub level: bool,
    /// True when every input is predicted in the stack.
    pub runs: bool,
    /// The inputs it lacks.
    pub missing: Vec<Missing>,
}

/// The plan of one hazard of the library's vocabulary.
#[derive(Debug, Clone, Serialize)]
pub struct HazardPlan {
    /// Hazard id (`flood`, `earthquake`, …).
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Layers the run will produce for it (stage outputs, model outputs, levels).
    pub outputs: Vec<String>,
    /// What it lacks for the outputs it cannot produce.
    pub missing: Vec<Missing>,
}

impl HazardPlan {
    /// True when the hazard produces at least one output.
    pub fn runs(&self) -> bool {
        !self.outputs.is_empty()
    }

    /// True when it produces a level grid.
    pub fn has_levels(&self) -> bool {
        self.outputs.iter().any(|o| o.ends_with("_level"))
    }
}

/// What a run of the census would do.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Every stage, in run order (the assess stage's models are in `models`).
    pub stages: Vec<StagePlan>,
    /// Every scoring model of the library.
    pub models: Vec<ModelPlan>,
    /// Every hazard of the library, in the library's order.
    pub hazards: Vec<HazardPlan>,
}

impl Plan {
    /// `None` when some hazard produces something; otherwise the reason, naming
    /// what every hazard lacks.
    pub fn nothing_runs(&self) -> Option<String> {
        if self.hazards.iter().any(HazardPlan::runs) {
            return None;
        }
        let lines: Vec<String> = self
            .hazards
            .iter()
            .map(|h| format!("\n  {}: {}", h.id, describe(&h.missing)))
            .collect();
        Some(format!(
            "no hazard of the census can run (`riskcensus status` lists the inputs each lacks):{}",
            lines.concat()
        ))
    }

    /// The plan for people: per hazard what it produces, and each input it lacks
    /// on a line of its own.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let needs = |out: &mut Vec<String>, missing: &[Missing]| {
            for g in groups(missing) {
                out.push(format!("    needs {g}"));
            }
        };
        for h in &self.hazards {
            let head = format!("{} ({} {})", h.id, h.name_zh, h.name_en);
            if h.runs() {
                out.push(format!("{head}: runs → {}", h.outputs.join(", ")));
                if !h.missing.is_empty() {
                    out.push("  for the rest:".into());
                }
            } else {
                out.push(format!("{head}: cannot run"));
            }
            needs(&mut out, &h.missing);
        }
        for m in self.models.iter().filter(|m| m.hazard.is_none()) {
            if m.runs {
                out.push(format!("{} (index): runs → {}", m.id, m.output));
            } else {
                out.push(format!("{} (index): cannot run", m.id));
                needs(&mut out, &m.missing);
            }
        }
        // The stages that are neither a hazard nor the layer stack's or the model
        // library's (capacity gaps, zoning): whether they run, and what they lack.
        for s in self.stages.iter().filter(|s| {
            !s.filtered_out
                && !["prepare", "assess"].contains(&s.id.as_str())
                && !self.hazards.iter().any(|h| h.id == s.id)
        }) {
            if s.runs {
                out.push(format!("{} (stage): runs", s.id));
            } else {
                out.push(format!("{} (stage): cannot run", s.id));
                needs(&mut out, &s.missing);
            }
        }
        for s in &self.stages {
            if s.filtered_out {
                out.push(format!("stage {}: not selected by --model", s.id));
            }
        }
        out
    }
}

/// Missing inputs grouped by how to provide them, one group per item: `A (for x,
/// y)`; a need already listed under an earlier group is not repeated.
pub fn groups(missing: &[Missing]) -> Vec<String> {
    let mut by_how: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    for m in missing {
        if !listed.insert(&m.need) {
            continue;
        }
        if !by_how.contains_key(m.how.as_str()) {
            order.push(&m.how);
        }
        by_how.entry(&m.how).or_default().insert(&m.need);
    }
    order
        .iter()
        .map(|how| {
            let needs: Vec<&str> = by_how[how].iter().copied().collect();
            format!("{how} (for {})", needs.join(", "))
        })
        .collect()
}

/// [`groups`] on one line: `needs A (for x); needs B (for y)`.
pub fn describe(missing: &[Missing]) -> String {
    groups(missing)
        .iter()
        .map(|g| format!("needs {g}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Layers the prepare stage derives from a `dem` raster.
fn terrain_layer(id: &str) -> bool {
    stages::prepare::terrain::FOCAL_LAYERS.contains(&id)
        || stages::prepare::terrain::HYDRO_LAYERS.contains(&id)
}

/// How a survey team provides census table `t`.
pub fn how_to_provide_table(t: &str) -> String {
    let zh = crate::ingest::schema::layer(t)
        .map(|l| format!(" ({})", l.zh))
        .unwrap_or_default();
    format!("{t}{zh} records: a [[vector]] or [[table]] source with kind = \"{t}\", or `riskcensus ingest <census> <file> --layer {t}`")
}

/// How a survey team provides stack layer `id` (`unit` and `description` from the
/// model that reads it, when known); `producers` names the stage or model that
/// would compute it.
pub fn how_to_provide(
    id: &str,
    unit: Option<&str>,
    description: Option<&str>,
    producers: &[(String, String)],
) -> Missing {
    let need = format!("layer {id}");
    let plain = |how: String| Missing {
        need: need.clone(),
        how,
        via: None,
    };
    if terrain_layer(id) || id == "dem" {
        return plain(
            "a DEM raster ([[raster]] id = \"dem\", kind = \"continuous\", units = \"m\")".into(),
        );
    }
    if id.starts_with("buildings_") {
        return plain(how_to_provide_table(tables::BUILDINGS));
    }
    if let Some((_, p)) = producers.iter().find(|(pattern, _)| matches(pattern, id)) {
        return Missing {
            need: need.clone(),
            how: format!("{p}, which cannot run"),
            via: Some(p.clone()),
        };
    }
    if let Some(src) = id.strip_prefix("dist_") {
        return plain(format!(
            "a line or point [[vector]] source, or a [[table]] with x/y columns, with id = \"{src}\" (its distance layer)"
        ));
    }
    if let Some(src) = id.strip_suffix("_per_km2") {
        return plain(format!(
            "a count raster with id = \"{src}\" (kind = \"count\")"
        ));
    }
    if id == stages::prepare::shelter::LAYER_ID {
        return plain(format!(
            "a population raster (id = \"population\", kind = \"count\") and {}",
            how_to_provide_table(tables::SHELTERS)
        ));
    }
    let mut s = format!("a [[raster]] with id = \"{id}\"");
    match (unit, description) {
        (Some(u), Some(d)) => s += &format!(" ({u}: {d})"),
        (Some(u), None) => s += &format!(" ({u})"),
        (None, Some(d)) => s += &format!(" ({d})"),
        (None, None) => {}
    }
    plain(s)
}

/// True when layer `id` matches `pattern`, where `<…>` stands for any non-empty text
/// (`flood_depth_<T>y` matches `flood_depth_100y`).
fn matches(pattern: &str, id: &str) -> bool {
    match pattern.find('<') {
        None => pattern == id,
        Some(i) => {
            let Some(j) = pattern[i..].find('>') else {
                return pattern == id;
            };
            let (head, tail) = (&pattern[..i], &pattern[i + j + 1..]);
            id.len() > head.len() + tail.len() && id.starts_with(head) && id.ends_with(tail)
        }
    }
}

/// What of `needs` the census lacks, given the layers the stack holds (or is
/// predicted to hold).
pub fn missing(
    needs: &Needs,
    cx: &Context<'_>,
    layers: &[&str],
) -> Result<Vec<Missing>, EngineError> {
    missing_with(needs, cx, layers, &[])
}

fn missing_with(
    needs: &Needs,
    cx: &Context<'_>,
    layers: &[&str],
    producers: &[(String, String)],
) -> Result<Vec<Missing>, EngineError> {
    let mut out = Vec::new();
    for t in &needs.tables {
        if !will_have_records(cx, t)? {
            out.push(Missing {
                need: format!("table {t}"),
                how: how_to_provide_table(t),
                via: None,
            });
        }
    }
    for l in &needs.layers {
        if !layers.contains(&l.as_str()) {
            out.push(how_to_provide(l, None, None, producers));
        }
    }
    for (id, what) in &needs.sources {
        if !cx.census.vectors.iter().any(|v| &v.id == id) {
            out.push(Missing {
                need: format!("source {id}"),
                how: format!("a [[vector]] source with id = \"{id}\": {what}"),
                via: None,
            });
        }
    }
    if !needs.any_layer.is_empty() && !needs.any_layer.iter().any(|l| layers.contains(&l.as_str()))
    {
        let who: Vec<String> = needs
            .any_layer
            .iter()
            .map(|l| match producers.iter().find(|(p, _)| p == l) {
                Some((_, by)) => format!("{l} from {by}"),
                None => l.clone(),
            })
            .collect();
        out.push(Missing {
            need: format!("one of the layers {}", needs.any_layer.join(", ")),
            how: format!("a stage that can run and writes one: {}", who.join("; ")),
            via: None,
        });
    }
    if needs.a_level_grid && !layers.iter().any(|l| l.ends_with("_level")) {
        out.push(Missing {
            need: "a level grid".into(),
            how: "a hazard that can run (see the other lines)".into(),
            via: None,
        });
    }
    Ok(out)
}

/// True when census table `table` holds records or `census.toml` declares a source
/// of its kind (loaded by the run before its stages).
pub fn will_have_records(cx: &Context<'_>, table: &str) -> Result<bool, EngineError> {
    Ok(cx.table_rows(table)? > 0 || declares(cx, table))
}

/// True when `census.toml` declares a source of kind `table` (loaded by the run
/// before its stages).
fn declares(cx: &Context<'_>, table: &str) -> bool {
    let c = cx.census;
    c.vectors
        .iter()
        .filter_map(|v| v.kind.as_deref())
        .chain(c.tables.iter().filter_map(|t| t.kind.as_deref()))
        .any(|k| k == table)
}

/// The plan of a run of `stages` from `cx` (whose stack is that of the run's start).
pub fn plan(cx: &Context<'_>, stages: &[Arc<dyn Stage>]) -> Result<Plan, EngineError> {
    let models = crate::score::load_models(cx.library, &cx.scored_by_stages)?;
    // The loss levels serve every hazard with a loss route (and the comprehensive
    // and capacity stages): checked once, before anything runs.
    crate::loss::load_levels(cx.library)?;
    // Who would compute each layer (patterns such as `flood_depth_<T>y`), for the
    // hints.
    let planned: Vec<Vec<String>> = stages
        .iter()
        .map(|s| s.plans(cx))
        .collect::<Result<_, _>>()?;
    let mut producers: Vec<(String, String)> = Vec::new();
    for (s, planned) in stages.iter().zip(&planned) {
        if s.id() == stages::prepare::ID || s.id() == stages::assess::ID {
            continue;
        }
        let name = format!("the {} stage", s.id());
        for l in planned.iter().cloned().chain(
            s.writes()
                .layers
                .iter()
                .filter(|l| !l.contains(','))
                .map(|l| l.to_string()),
        ) {
            producers.push((l, name.clone()));
        }
    }
    for m in &models {
        let out = crate::score::output_id(m);
        let name = format!("the model {}", m.id());
        if m.classification().is_some() {
            producers.push((format!("{out}_level"), name.clone()));
        }
        producers.push((out, name));
    }

    let mut available: BTreeSet<String> = cx.stack.layers.keys().cloned().collect();
    let mut stage_plans = Vec::new();
    let mut model_plans: Vec<ModelPlan> = Vec::new();
    for (s, planned) in stages.iter().zip(planned) {
        let filtered_out = !s.selected(cx.filter);
        if s.id() == stages::assess::ID {
            model_plans = plan_models(&models, cx.filter, &mut available, &producers);
            stage_plans.push(StagePlan {
                id: s.id().into(),
                runs: true,
                filtered_out: false,
                missing: Vec::new(),
                layers: Vec::new(),
            });
            continue;
        }
        let layers: Vec<&str> = available.iter().map(String::as_str).collect();
        let missing = if filtered_out {
            Vec::new()
        } else {
            missing_with(&s.needs(cx)?, cx, &layers, &producers)?
        };
        let runs = !filtered_out && missing.is_empty();
        let adds = if runs { planned } else { Vec::new() };
        available.extend(adds.iter().cloned());
        stage_plans.push(StagePlan {
            id: s.id().into(),
            runs,
            filtered_out,
            missing,
            layers: adds,
        });
    }

    // A layer of a stage that runs but does not write it for this census (e.g. a
    // return period its screen lacks): say so rather than "cannot run".
    let running: BTreeSet<String> = stage_plans
        .iter()
        .filter(|s| s.runs)
        .map(|s| format!("the {} stage", s.id))
        .collect();
    let fix = |m: &Missing| -> Missing {
        match &m.via {
            Some(p) if running.contains(p) => Missing {
                how: format!("{p}, which does not write it for this census"),
                via: None,
                ..m.clone()
            },
            _ => m.clone(),
        }
    };
    for m in &mut model_plans {
        m.missing = m.missing.iter().map(fix).collect();
    }
    for s in &mut stage_plans {
        s.missing = s.missing.iter().map(fix).collect();
    }
    // What each stage and model that cannot run lacks, by the name hints use.
    let mut lacks: BTreeMap<String, Vec<Missing>> = BTreeMap::new();
    for s in stage_plans.iter().filter(|s| !s.runs && !s.filtered_out) {
        lacks.insert(format!("the {} stage", s.id), s.missing.clone());
    }
    for m in model_plans.iter().filter(|m| !m.runs) {
        lacks.insert(format!("the model {}", m.id), m.missing.clone());
    }
    for m in &mut model_plans {
        m.missing = m
            .missing
            .iter()
            .flat_map(|x| roots(x, &lacks, &mut BTreeSet::new()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
    }
    let mut hazards = Vec::new();
    for h in cx.vocabulary.hazards() {
        let mut outputs = Vec::new();
        let mut missing = BTreeSet::new();
        if let Some(s) = stage_plans.iter().find(|s| s.id == h.id) {
            outputs.extend(s.layers.iter().cloned());
            for m in &s.missing {
                missing.extend(roots(m, &lacks, &mut BTreeSet::new()));
            }
        }
        for m in model_plans
            .iter()
            .filter(|m| m.hazard.as_deref() == Some(h.id.as_str()))
        {
            if m.runs {
                outputs.push(m.output.clone());
                if m.level {
                    outputs.push(format!("{}_level", m.output));
                }
            } else {
                for x in &m.missing {
                    missing.extend(roots(x, &lacks, &mut BTreeSet::new()));
                }
            }
        }
        hazards.push(HazardPlan {
            id: h.id.clone(),
            name_zh: h.name_zh.clone(),
            name_en: h.name_en.clone(),
            outputs,
            missing: missing.into_iter().collect(),
        });
    }
    Ok(Plan {
        stages: stage_plans,
        models: model_plans,
        hazards,
    })
}

/// What the survey must provide for `m`: `m` itself, or, when a stage or model that
/// cannot run would compute it, what that one lacks (recursively).
fn roots(
    m: &Missing,
    lacks: &BTreeMap<String, Vec<Missing>>,
    seen: &mut BTreeSet<String>,
) -> Vec<Missing> {
    match m.via.as_ref().and_then(|p| lacks.get(p).map(|l| (p, l))) {
        Some((p, l)) if !l.is_empty() && seen.insert(p.clone()) => {
            l.iter().flat_map(|x| roots(x, lacks, seen)).collect()
        }
        Some(_) => Vec::new(),
        None => vec![m.clone()],
    }
}

/// The models the assess stage would run, in dependency order, and what the others
/// lack.
fn plan_models(
    models: &[riskcensus_models::Model],
    filter: &[String],
    available: &mut BTreeSet<String>,
    producers: &[(String, String)],
) -> Vec<ModelPlan> {
    let selected = |m: &riskcensus_models::Model| {
        let named: Vec<&String> = filter
            .iter()
            .filter(|f| models.iter().any(|m| m.id() == f.as_str()))
            .collect();
        filter.is_empty() || named.iter().any(|f| f.as_str() == m.id())
    };
    let mut done: BTreeSet<usize> = BTreeSet::new();
    loop {
        let ready = models.iter().enumerate().position(|(i, m)| {
            !done.contains(&i)
                && selected(m)
                && m.inputs().iter().all(|inp| available.contains(&inp.id))
        });
        let Some(i) = ready else { break };
        done.insert(i);
        let m = &models[i];
        let out = crate::score::output_id(m);
        if m.classification().is_some() {
            available.insert(format!("{out}_level"));
        }
        available.insert(out);
    }
    models
        .iter()
        .enumerate()
        .filter(|(_, m)| selected(m))
        .map(|(i, m)| {
            let missing = if done.contains(&i) {
                Vec::new()
            } else {
                m.inputs()
                    .iter()
                    .filter(|inp| !available.contains(&inp.id))
                    .map(|inp| {
                        how_to_provide(
                            &inp.id,
                            Some(&inp.unit),
                            inp.description.as_deref(),
                            producers,
                        )
                    })
                    .collect()
            };
            ModelPlan {
                id: m.id().into(),
                hazard: m.hazard().map(str::to_string),
                output: crate::score::output_id(m),
                level: m.classification().is_some(),
                runs: done.contains(&i),
                missing,
            }
        })
        .collect()
}
