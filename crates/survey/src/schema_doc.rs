//! The census schema as Markdown: the layer and value-domain tables that end
//! `docs/census-schema.md`, printed from [`crate::schema`] so the document cannot
//! drift from the code (`cargo run -p riskcensus-survey --example schema_doc`; the
//! test below fails when the document and the schema disagree).

use std::fmt::Write;

use crate::schema::{Geom, Kind, DOMAINS, LAYERS};

/// Heading of the first layer table: the generated part of the document starts here.
pub const FIRST_HEADING: &str = "### `admin_units`";

/// One table per layer (field, 中文, meaning, type, required, unit, range, aliases),
/// then `## Value domains` with every domain's codes, labels and aliases.
pub fn markdown() -> String {
    let mut out = String::new();
    for l in LAYERS {
        let _ = writeln!(out, "### `{}` — {} ({})\n", l.name, l.zh, l.en);
        let geometry = match (l.geometry, l.geometry_required) {
            (Geom::None, _) => "none (a plain table)".to_string(),
            (g, true) => format!("{g:?}"),
            (g, false) => format!("{g:?} (optional)"),
        };
        let _ = writeln!(
            out,
            "Geometry: {geometry}; key: `{}`.\n",
            l.key.join("` + `")
        );
        out.push_str("| field | 中文 | meaning | type | req. | unit | range | also read from |\n");
        out.push_str("|---|---|---|---|---|---|---|---|\n");
        for f in l.fields {
            let ty = match f.kind {
                Kind::Text => "text".to_string(),
                Kind::Integer => "integer".into(),
                Kind::Real => "real".into(),
                Kind::Date => "date".into(),
                Kind::Code(d) => format!("code `{}`", d.name),
            };
            let range = f
                .range
                .map(|(a, b)| {
                    if f.year {
                        format!("{a} – this year")
                    } else {
                        format!("{a} – {b}")
                    }
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
                f.name,
                f.zh,
                f.en,
                ty,
                if f.required { "yes" } else { "" },
                f.unit.unwrap_or(""),
                range,
                f.aliases.join(", ")
            );
        }
        out.push('\n');
    }
    out.push_str("## Value domains\n\n");
    for d in DOMAINS {
        let values = d
            .values
            .iter()
            .map(|v| {
                let al = if v.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", v.aliases.join(", "))
                };
                format!("`{}` {} {}{}", v.code, v.zh, v.en, al)
            })
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(out, "**`{}`**: {values}\n", d.name);
    }
    out
}

#[cfg(test)]
mod tests {
    /// `docs/census-schema.md` ends with exactly the tables printed from the schema.
    #[test]
    fn the_document_ends_with_the_schemas_tables() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/census-schema.md");
        let doc = std::fs::read_to_string(&path).unwrap();
        let at = doc
            .find(super::FIRST_HEADING)
            .expect("the layer tables in docs/census-schema.md");
        assert!(
            doc[at..] == super::markdown(),
            "docs/census-schema.md disagrees with schema.rs: regenerate its tables from `{}` on with `cargo run -p riskcensus-survey --example schema_doc`",
            super::FIRST_HEADING
        );
    }
}
