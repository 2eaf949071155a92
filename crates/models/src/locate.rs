//! Line numbers of keys in a TOML file, for semantic errors found after parsing.
//!
//! `toml` reports spans for syntax and shape errors itself; validation runs on the
//! parsed types, so it asks this index for the line of a dotted key path.

use toml_edit::{ImDocument, Item};

/// One step of a key path.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// Builds dotted paths and finds their lines.
pub(crate) struct Locator {
    text: String,
    doc: Option<ImDocument<String>>,
}

impl Locator {
    pub(crate) fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            doc: ImDocument::parse(text.to_string()).ok(),
        }
    }

    /// 1-based line of byte offset `pos`.
    pub(crate) fn line_of(&self, pos: usize) -> usize {
        self.text[..pos.min(self.text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1
    }

    /// Line of the deepest existing element of `path` (the key itself when present,
    /// else its nearest existing parent); 0 when nothing matches.
    pub(crate) fn line(&self, path: &[Step]) -> usize {
        let Some(doc) = &self.doc else { return 0 };
        let mut item: &Item = doc.as_item();
        let mut best: Option<usize> = None;
        for step in path {
            let next = match step {
                Step::Key(k) => {
                    if let Some(t) = item.as_table_like() {
                        if let Some((key, val)) = t.get_key_value(k) {
                            if let Some(s) = key.span().or_else(|| val.span()) {
                                best = Some(s.start);
                            }
                            Some(val)
                        } else {
                            None
                        }
                    } else {
                        None
                    }
                }
                Step::Index(i) => {
                    let v = item.get(*i);
                    if let Some(s) = v.and_then(|v| v.span()) {
                        best = Some(s.start);
                    } else if let Some(Item::ArrayOfTables(a)) = Some(item) {
                        if let Some(t) = a.get(*i) {
                            if let Some(s) = t.span() {
                                best = Some(s.start);
                            }
                        }
                    }
                    v
                }
            };
            match next {
                Some(n) => item = n,
                None => break,
            }
        }
        best.map(|p| self.line_of(p)).unwrap_or(0)
    }
}

/// Render a key path as `a.b[2].c`.
pub(crate) fn dotted(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}
