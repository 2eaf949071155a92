//! Print the census schema tables of docs/census-schema.md from `schema.rs`, so the
//! document cannot drift from the code:
//! `cargo run -p riskcensus-survey --example schema_doc > /tmp/tables.md`.

use riskcensus_survey::schema::{Kind, DOMAINS, LAYERS};

fn main() {
    for l in LAYERS {
        println!("### `{}` — {} ({})\n", l.name, l.zh, l.en);
        println!(
            "Geometry: {:?}{}; key: `{}`.\n",
            l.geometry,
            if l.geometry_required {
                ""
            } else {
                " (optional)"
            },
            l.key.join("` + `")
        );
        println!("| field | 中文 | meaning | type | req. | unit | range | also read from |");
        println!("|---|---|---|---|---|---|---|---|");
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
            println!(
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
        println!();
    }
    println!("## Value domains\n");
    for d in DOMAINS {
        println!(
            "**`{}`**: {}\n",
            d.name,
            d.values
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
                .join("; ")
        );
    }
}
