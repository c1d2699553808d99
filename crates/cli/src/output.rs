//! Output formats: JSON (one array), JSONL (one article a line), and text for people.

use std::io::{self, Write};

use sayso_doc::Document;
use sayso_extract::report::ArticleReport;
use sayso_extract::Extraction;

use crate::Format;

pub struct Writer {
    format: Format,
    count: usize,
    with_text: bool,
}

impl Writer {
    pub fn new(format: Format) -> Writer {
        Writer { format, count: 0, with_text: false }
    }

    /// JSON output carries each article's text, to which all offsets refer.
    pub fn with_text(mut self, yes: bool) -> Writer {
        self.with_text = yes;
        self
    }

    pub fn article(&mut self, out: &mut dyn Write, doc: &Document, ex: &Extraction) -> io::Result<()> {
        let mut report = ArticleReport::new(doc, ex);
        if self.with_text {
            report.text = Some(doc.text.clone());
        }
        match self.format {
            Format::Jsonl => {
                let line = serde_json::to_string(&report)?;
                // Line and paragraph separators are valid in JSON strings, but tools that
                // split lines on them (Python's splitlines) would cut the record.
                if line.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
                    out.write_all(
                        line.replace('\u{85}', "\\u0085").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029").as_bytes(),
                    )?;
                } else {
                    out.write_all(line.as_bytes())?;
                }
                out.write_all(b"\n")?;
            }
            Format::Json => {
                out.write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut *out, &report)?;
            }
            Format::Text => text(out, &report)?,
            Format::Speakers => speakers(out, &report)?,
        }
        self.count += 1;
        Ok(())
    }

    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.format == Format::Json {
            out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

fn text(out: &mut dyn Write, r: &ArticleReport) -> io::Result<()> {
    let title = r.title.as_deref().map(|t| format!(" — {t}")).unwrap_or_default();
    writeln!(out, "# {}{title}  ({} statements)", r.id, r.statements.len())?;
    for (i, s) in r.statements.iter().enumerate() {
        let who = match (&s.speaker, &s.source) {
            (Some(sp), Some(src)) => {
                let role = sp.role.as_deref().map(|r| format!(", {r}")).unwrap_or_default();
                format!("{}{role} ({})", sp.name.as_deref().unwrap_or(&src.text), sp.kind)
            }
            (Some(sp), None) => format!("{} ({})", sp.name.as_deref().unwrap_or("-"), sp.kind),
            (None, _) => "no source".to_string(),
        };
        let cue = s.cue.as_ref().map(|c| format!("“{}”", c.text)).unwrap_or_else(|| "-".into());
        let neg = if s.negated { " · negated" } else { "" };
        writeln!(out, "{:>3}. {} · {who} · cue {cue}{neg}", i + 1, s.kind)?;
        writeln!(out, "     {}", s.content.text.replace('\n', " "))?;
        if let Some(st) = &s.setting {
            let parts: Vec<String> = [("in", &st.place), ("via", &st.medium), ("to", &st.addressee)]
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
                .collect();
            writeln!(out, "     ({})", parts.join(", "))?;
        }
    }
    for l in &r.links {
        writeln!(out, "  link · {}: {}", l.label, l.title)?;
    }
    for w in &r.warnings {
        writeln!(out, "  warning · {}", w.message)?;
    }
    writeln!(out)
}

fn speakers(out: &mut dyn Write, r: &ArticleReport) -> io::Result<()> {
    let title = r.title.as_deref().map(|t| format!(" — {t}")).unwrap_or_default();
    writeln!(out, "# {}{title}  ({} speakers)", r.id, r.speakers.len())?;
    for sp in &r.speakers {
        let said: Vec<_> =
            r.statements.iter().filter(|s| s.speaker.as_ref().and_then(|x| x.id.as_deref()) == Some(sp.id.as_str())).collect();
        let name = sp.name.clone().unwrap_or_else(|| sp.mentions.first().map_or("-".into(), |m| m.text.clone()));
        let roles = if sp.roles.is_empty() { String::new() } else { format!(", {}", sp.roles.join("; ")) };
        writeln!(out, "{:>4}  {name}{roles} ({}) · {} statement(s) · {} mention(s)", sp.id, sp.kind, said.len(), sp.mentions.len())?;
        for s in said {
            let cue = s.cue.as_ref().map_or("-", |c| c.text.as_str());
            writeln!(out, "        {cue}: {}", s.content.text.replace('\n', " "))?;
        }
    }
    writeln!(out)
}
