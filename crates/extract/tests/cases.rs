//! Tests as data: each `tests/cases/NAME.txt` is an article and `NAME.expected` what
//! sayso must extract from it, written for people. Run with `UPDATE_EXPECT=1` to rewrite
//! the expectations after a deliberate change (then read the diff before committing).

use std::fmt::Write;
use std::path::PathBuf;

use sayso_doc::{Document, Meta};
use sayso_extract::{extract, Extraction};

fn render(doc: &Document, ex: &Extraction) -> String {
    let mut out = String::new();
    for s in &ex.statements {
        let cue = s.cue.as_ref().map_or("-".to_string(), |c| format!("{:?} ({})", doc.slice(c.span), c.lemma));
        let source = s.source.map_or("-".to_string(), |sp| format!("{:?}", doc.slice(sp)));
        let speaker = s.speaker.as_ref().map_or("-".to_string(), |sp| {
            let role = sp.role.as_deref().map(|r| format!(", {r}")).unwrap_or_default();
            format!("{}{role} ({})", sp.name.as_deref().unwrap_or("-"), sp.kind.as_str())
        });
        let neg = if s.negated { " · negated" } else { "" };
        let _ = writeln!(out, "{} · source {source} = {speaker} · cue {cue}{neg}", s.kind.as_str());
        for f in &s.content {
            let _ = writeln!(out, "    {:?}", doc.slice(*f));
        }
        if let Some(st) = &s.setting {
            let parts: Vec<String> = [("place", &st.place), ("medium", &st.medium), ("addressee", &st.addressee)]
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v:?}")))
                .collect();
            let _ = writeln!(out, "    setting: {}", parts.join(", "));
        }
    }
    for l in &ex.links {
        let _ = writeln!(out, "link · {}: {}", l.label, l.title);
    }
    for p in &ex.posts {
        let (handle, date) = (p.handle.as_deref().unwrap_or("-"), p.date.as_deref().unwrap_or("-"));
        let _ = writeln!(out, "post · {} · {} ({handle}) · {date} · url {}", p.platform, p.author, p.url.as_deref().unwrap_or("-"));
    }
    for w in &ex.warnings {
        let _ = writeln!(out, "warning · {}", w.message);
    }
    out
}

fn line_diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut out = String::new();
    for i in 0..e.len().max(a.len()) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => {
                let _ = writeln!(out, "  {x}");
            }
            (x, y) => {
                if let Some(x) = x {
                    let _ = writeln!(out, "- {x}");
                }
                if let Some(y) = y {
                    let _ = writeln!(out, "+ {y}");
                }
            }
        }
    }
    out
}

#[test]
fn cases() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no cases in {}", dir.display());
    let mut failed = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("case is UTF-8");
        let mut doc = Document::from_text(Meta { id: p.file_stem().unwrap().to_string_lossy().into(), ..Meta::default() }, text);
        let ex = extract(&mut doc);
        let actual = render(&doc, &ex);
        let exp_path = p.with_extension("expected");
        let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&exp_path, &actual).expect("write expectation");
            } else {
                eprintln!("\n=== {} (- expected, + actual)\n{}", p.display(), line_diff(&expected, &actual));
                failed.push(p.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    assert!(failed.is_empty(), "{} case(s) differ: {failed:?}; rerun with UPDATE_EXPECT=1 if the change is meant", failed.len());
}
