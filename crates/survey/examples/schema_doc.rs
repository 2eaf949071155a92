//! Print the census schema tables of docs/census-schema.md from `schema.rs`
//! ([`riskcensus_survey::schema_doc::markdown`]), so the document cannot drift from
//! the code: `cargo run -p riskcensus-survey --example schema_doc > /tmp/tables.md`,
//! then replace the document from ``### `admin_units` `` on.

fn main() {
    print!("{}", riskcensus_survey::schema_doc::markdown());
}
