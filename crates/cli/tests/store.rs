//! `sayso ingest` killed mid-run: the database opens, passes SQLite's integrity check,
//! holds whole batches only, and a rerun completes it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn sayso() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sayso"))
}

fn articles(dir: &Path, n: usize) -> PathBuf {
    let p = dir.join("many.jsonl");
    let mut s = String::new();
    for i in 0..n {
        let text = format!(
            "“We will not raise taxes in district {i},” Finance Minister Ann Lee said on Tuesday.\n\nOpposition leader Bo Chan said the plan for district {i} would hurt schools."
        );
        s.push_str(&serde_json::json!({"id": format!("a{i}"), "text": text}).to_string());
        s.push('\n');
    }
    std::fs::write(&p, s).unwrap();
    p
}

fn count(db: &Path) -> i64 {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    c.query_row("SELECT count(*) FROM articles", [], |r| r.get(0)).unwrap_or(0)
}

#[test]
fn killed_ingest_leaves_whole_batches_and_resumes() {
    let dir = std::env::temp_dir().join(format!("sayso-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let total = 60_000;
    let input = articles(&dir, total);
    let db = dir.join("crash.db");
    let _ = std::fs::remove_file(&db);

    let mut child =
        sayso().args(["ingest", input.to_str().unwrap(), "--db", db.to_str().unwrap(), "-j", "1"]).stderr(Stdio::null()).spawn().unwrap();
    // Kill it once some batches are committed, well before the end.
    let started = Instant::now();
    let mut seen = 0;
    while started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
        if db.exists() {
            seen = std::panic::catch_unwind(|| count(&db)).unwrap_or(0);
            if seen >= 1024 {
                break;
            }
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(seen >= 1024, "ingest committed nothing in time");

    let c = rusqlite::Connection::open(&db).unwrap();
    let check: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let after_kill = count(&db);
    assert!(after_kill >= seen && after_kill < total as i64, "{after_kill}");
    assert_eq!(after_kill % 512, 0, "only whole batches are committed");
    // Every stored article has its statements.
    let orphans: i64 = c
        .query_row("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.article = a.id)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orphans, 0);
    drop(c);

    let rerun = sayso().args(["ingest", input.to_str().unwrap(), "--db", db.to_str().unwrap()]).output().unwrap();
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    let msg = String::from_utf8_lossy(&rerun.stderr);
    assert!(msg.contains(&format!("{} unchanged", after_kill)), "{msg}");
    assert_eq!(count(&db), total as i64);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn store_commands_as_a_user_meets_them() {
    let dir = std::env::temp_dir().join(format!("sayso-storecli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.jsonl");
    std::fs::write(
        &a,
        concat!(
            r#"{"id":"1","url":"https://d.example/1","published":"2024-05-03","outlet":"Daily","text":"“The new normal is here to stay, and we must adapt to it quickly,” Health Minister Jane Roe said on Monday."}"#,
            "\n",
            r#"{"id":"2","url":"https://e.example/2","published":"2024-05-06","outlet":"Echo","text":"Jane Roe told lawmakers: “The new normal is here to stay, and we must adapt.”"}"#,
            "\n"
        ),
    )
    .unwrap();
    let db = dir.join("s.db");
    let _ = std::fs::remove_file(&db);
    let run = |args: &[&str]| sayso().args(args).args(["--db", db.to_str().unwrap()]).output().unwrap();
    let out = run(&["ingest", a.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = run(&["search", "new normal", "--since", "2024-05-04"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("Echo") && !table.contains("Daily"), "{table}");
    let out = run(&["search", "\"new* (normal", "-f", "json"]);
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 2);
    let out = run(&["search", "normal", "--until", "May 2024"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a date"));

    let out = run(&["speakers"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Jane Roe"));
    let out = run(&["speaker", "roe"]);
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains("Jane Roe (person) · 2 statement(s)"), "{page}");
    let out = run(&["trail", "new normal"]);
    let trail = String::from_utf8_lossy(&out.stdout);
    assert!(trail.contains("2 appearance(s), 2 wording(s)") && trail.contains("first: 2024-05-03 · Daily"), "{trail}");

    let csv = dir.join("out.csv");
    let out = run(&["export", "-o", csv.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 3);

    let junk = dir.join("junk.db");
    std::fs::write(&junk, "not a database, only text, long enough to look like a file").unwrap();
    let out = sayso().args(["search", "x", "--db", junk.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a sayso database"));
    std::fs::remove_dir_all(&dir).unwrap();
}
