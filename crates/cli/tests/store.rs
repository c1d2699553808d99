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

fn jsonl(path: &Path, lines: &[serde_json::Value]) {
    std::fs::write(path, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
}

fn concurrent_ingests(n: usize) {
    let dir = std::env::temp_dir().join(format!("sayso-concurrent{n}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("r.db");
    let _ = std::fs::remove_file(&db);
    let per = 1500;
    let children: Vec<_> = (0..n)
        .map(|w| {
            let input = dir.join(format!("in{w}.jsonl"));
            let lines: Vec<_> = (0..per)
                .map(|i| {
                    let text = format!("“We will not raise taxes in ward {w}-{i},” Finance Minister Ann Lee said.\n\nOpposition leader Bo Chan said ward {w}-{i} would suffer.");
                    serde_json::json!({"id": format!("w{w}-{i}"), "text": text})
                })
                .collect();
            jsonl(&input, &lines);
            sayso().args(["ingest", input.to_str().unwrap(), "--db", db.to_str().unwrap(), "-j", "1"]).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(count(&db), (n * per) as i64);
    let c = rusqlite::Connection::open(&db).unwrap();
    let check: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let identities: i64 = c.query_row("SELECT count(*) FROM identities", [], |r| r.get(0)).unwrap();
    assert_eq!(identities, 2);
    drop(c);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn two_concurrent_ingests_into_one_new_file() {
    concurrent_ingests(2);
}

#[test]
fn four_concurrent_ingests_into_one_new_file() {
    concurrent_ingests(4);
}

/// A store made from two small articles, in a folder of its own.
fn small_store(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("sayso-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("a.jsonl");
    jsonl(
        &input,
        &[
            serde_json::json!({"id": "1", "url": "https://d.example/1", "published": "Tue, 03 Jun 2025 10:00:00 GMT", "outlet": "CBC",
                "text": "“The new normal is here to stay,” Health Minister Jane Roe said on Monday.\n\nTony Blair said the plan was good."}),
            serde_json::json!({"id": "2", "url": "https://d.example/2", "published": "Mo-Su 08:00-20:00", "outlet": "Echo",
                "text": "Cherie Blair said the new normal was hard.\n\nJane Roe said the plan was fine."}),
        ],
    );
    let db = dir.join("s.db");
    let out = sayso().args(["ingest", input.to_str().unwrap(), "--db", db.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}

fn sidecars(db: &Path) -> Vec<String> {
    ["-wal", "-shm", "-journal"].iter().map(|s| format!("{}{s}", db.display())).filter(|p| Path::new(p).exists()).collect()
}

/// sayso as a user who may not write the store: root may write anything, so as root the
/// commands run as `nobody` where setpriv can do that.
fn sayso_reader() -> Command {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let drop = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"];
    if root && Command::new("setpriv").args(drop).arg("true").status().is_ok_and(|s| s.success()) {
        let mut c = Command::new("setpriv");
        c.args(drop).arg(env!("CARGO_BIN_EXE_sayso"));
        c
    } else {
        if root {
            eprintln!(
                "running as root without setpriv: file permissions do not bind; Store::open_immutable is tested in the store's tests"
            );
        }
        sayso()
    }
}

#[test]
fn a_read_only_store_is_read() {
    let (dir, db) = small_store("readonly");
    assert!(sidecars(&db).is_empty(), "ingest left {:?}", sidecars(&db));
    let set_mode = |p: &Path, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    let out_dir = std::env::temp_dir().join(format!("sayso-readonly-out-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    set_mode(&out_dir, 0o777);
    let export = out_dir.join("out.csv");
    let read_all = || {
        for args in [vec!["search", "normal"], vec!["speakers"], vec!["export", "-o", export.to_str().unwrap()]] {
            let out = sayso_reader().args(&args).args(["--db", db.to_str().unwrap()]).output().unwrap();
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            assert!(sidecars(&db).is_empty(), "{args:?} left {:?}", sidecars(&db));
        }
    };
    set_mode(&db, 0o444);
    set_mode(&dir, 0o555);
    read_all();
    // A file left in WAL mode (an ingest killed after its last commit was checkpointed).
    set_mode(&dir, 0o755);
    set_mode(&db, 0o644);
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "journal_mode", "WAL").unwrap();
    assert!(sidecars(&db).is_empty());
    set_mode(&db, 0o444);
    set_mode(&dir, 0o555);
    read_all();
    set_mode(&dir, 0o755);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&out_dir).unwrap();
}

#[test]
fn stock_sqlite_tools_open_the_store() {
    let (dir, db) = small_store("stock");
    let sql = "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'normal'";
    match Command::new("sqlite3").arg(&db).arg(sql).output() {
        Ok(out) => {
            assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2");
        }
        Err(_) => eprintln!("no sqlite3 on PATH: skipped"),
    }
    let py = format!("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute(\"{sql}\").fetchone()[0])");
    match Command::new("python3").args(["-c", &py]).arg(&db).output() {
        Ok(out) => {
            assert!(out.status.success(), "python3: {}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2");
        }
        Err(_) => eprintln!("no python3 on PATH: skipped"),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn store_commands_refuse_what_they_cannot_do_well() {
    let (dir, db) = small_store("refusals");
    let run = |args: &[&str]| sayso().args(args).args(["--db", db.to_str().unwrap()]).output().unwrap();
    let err = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();

    // Dates read into ISO; an unreadable one is left out.
    let out = run(&["search", "normal", "-f", "json"]);
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dates: Vec<&serde_json::Value> = hits.as_array().unwrap().iter().map(|h| &h["published"]).collect();
    assert!(dates.contains(&&serde_json::json!("2025-06-03")) && dates.contains(&&serde_json::Value::Null), "{dates:?}");
    let table = String::from_utf8_lossy(&run(&["search", "normal", "--sort", "date"]).stdout).into_owned();
    assert!(table.contains("2025-06-03 "), "{table}");
    assert!(!run(&["search", "normal", "--since", "2025-02-30"]).status.success());
    // Wildcards are text.
    assert!(String::from_utf8_lossy(&run(&["search", "plan", "--speaker", "%"]).stdout).lines().count() <= 1);
    assert!(String::from_utf8_lossy(&run(&["search", "normal", "--outlet", "C_C"]).stdout).lines().count() <= 1);

    let out = run(&["search", "normal", "--limit", "0"]);
    assert!(!out.status.success() && err(&out).contains("1 or more"), "{}", err(&out));
    let out = run(&["speaker", ""]);
    assert!(!out.status.success() && err(&out).contains("no name given"), "{}", err(&out));
    let out = run(&["speaker", "blair"]);
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        err(&out).contains("2 speakers match") && err(&out).contains("Tony Blair") && err(&out).contains("Cherie Blair"),
        "{}",
        err(&out)
    );
    assert!(run(&["speaker", "tony blair"]).status.success());

    let out = sayso().args(["search", "x", "--db", dir.to_str().unwrap()]).output().unwrap();
    assert!(err(&out).contains("a directory"), "{}", err(&out));
    let out = sayso().args(["ingest", "--db", dir.to_str().unwrap()]).stdin(Stdio::null()).output().unwrap();
    assert!(err(&out).contains("a directory"), "{}", err(&out));
    if Path::new("/dev/full").exists() {
        let out = run(&["export", "-o", "/dev/full"]);
        assert!(!out.status.success() && err(&out).contains("/dev/full"), "{}", err(&out));
    }

    // One run: a duplicate is said to be one; a replaced text's statements are counted once.
    let input = dir.join("twice.jsonl");
    let a =
        serde_json::json!({"id": "t", "url": "https://d.example/t", "text": "Ann Lee said the plan was good.\n\nBo Chan said it was bad."});
    let b = serde_json::json!({"id": "t", "url": "https://d.example/t", "text": "Ann Lee said the plan was very good.\n\nBo Chan said it was bad."});
    let c = serde_json::json!({"id": "u", "text": "Ann Lee said the plan was good.\n\nBo Chan said it was bad."});
    jsonl(&input, &[a, b, c.clone(), c]);
    let msg = err(&run(&["ingest", input.to_str().unwrap()]));
    assert!(msg.contains("2 new, 1 replaced, 0 unchanged, 1 duplicate (4 statements)"), "{msg}");
    std::fs::remove_dir_all(&dir).unwrap();
}
