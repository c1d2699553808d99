//! The store's commands: ingest, search, speakers (identities), speaker, trail, export.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use sayso_doc::Document;
use sayso_extract::report::ArticleReport;
use sayso_extract::Extraction;
use sayso_store::{Article, Export, Hit, Ingested, Lookup, SearchQuery, Store};

use crate::{exit_on_io, run_pipeline, Sink};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Listing {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Parquet,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum SortBy {
    Rank,
    Date,
}

/// A `--limit`: 0 would show nothing, so it is refused.
pub fn limit(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be 1 or more".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("sayso: {e}");
    ExitCode::FAILURE
}

/// Articles of a batch wait here, then go into the store in one transaction.
struct StoreSink {
    store: Store,
    batch: Vec<(ArticleReport, String)>,
    done: Ingested,
    path: PathBuf,
}

impl Sink for StoreSink {
    fn article(&mut self, doc: &Document, ex: &Extraction) -> io::Result<()> {
        self.batch.push((ArticleReport::new(doc, ex), doc.text.clone()));
        Ok(())
    }
    fn batch_done(&mut self) -> io::Result<()> {
        let articles: Vec<Article> = self.batch.iter().map(|(report, text)| Article { report, text }).collect();
        let d = self.store.ingest(&articles).map_err(|e| io::Error::other(format!("{}: {e}", self.path.display())))?;
        self.batch.clear();
        self.done.new += d.new;
        self.done.replaced += d.replaced;
        self.done.unchanged += d.unchanged;
        self.done.duplicate += d.duplicate;
        self.done.statements += d.statements;
        self.done.superseded += d.superseded;
        Ok(())
    }
    fn finish(&mut self) -> io::Result<String> {
        let d = self.done;
        Ok(format!(
            "; stored in {}: {} new, {} replaced, {} unchanged, {} duplicate ({} statements)",
            self.path.display(),
            d.new,
            d.replaced,
            d.unchanged,
            d.duplicate,
            // A text replaced by a later version in the same run left no statements behind.
            d.statements - d.superseded
        ))
    }
}

pub fn ingest(paths: &[PathBuf], db: &Path, stdin_jsonl: bool) -> ExitCode {
    let store = match Store::open(db) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let mut sink = StoreSink { store, batch: Vec::new(), done: Ingested::default(), path: db.to_path_buf() };
    let (spark, rest): (Vec<PathBuf>, Vec<PathBuf>) = paths.iter().cloned().partition(|p| sayso_store::is_spark_output(p));
    if spark.is_empty() {
        return run_pipeline(paths, stdin_jsonl, &mut sink);
    }
    let code = ingest_spark(&spark, &mut sink);
    if rest.is_empty() || code != ExitCode::SUCCESS {
        return code;
    }
    run_pipeline(&rest, stdin_jsonl, &mut sink)
}

/// Stores the articles Spark runs wrote (`spark/sayso_spark.py`), as they were extracted
/// there: nothing is extracted again.
fn ingest_spark(paths: &[PathBuf], sink: &mut StoreSink) -> ExitCode {
    let started = std::time::Instant::now();
    let progress = io::stderr().is_terminal();
    let (mut articles, mut statements, mut failed) = (0usize, 0usize, 0usize);
    let mut r = Ok(());
    for item in sayso_store::SparkArticles::new(paths) {
        match item {
            Ok((report, text)) => {
                articles += 1;
                statements += report.statements.len();
                sink.batch.push((report, text));
            }
            Err(e) => {
                eprintln!("{}sayso: {e}", if progress { "\r\x1b[K" } else { "" });
                failed += 1;
            }
        }
        if sink.batch.len() == crate::BATCH {
            r = sink.batch_done();
            if progress {
                eprint!("\r{articles} articles, {statements} statements, {failed} skipped   ");
            }
        }
        if r.is_err() {
            break;
        }
    }
    if let Err(e) = r.and_then(|_| sink.batch_done()) {
        return exit_on_io(Err(e));
    }
    crate::close(sink, started, progress, (articles, statements, failed))
}

fn open(db: &Path) -> Result<Store, ExitCode> {
    Store::open_existing(db).map_err(fail)
}

/// Cuts a text to `n` characters for a table cell.
fn cell(s: &str, n: usize) -> String {
    let s = s.replace(['\n', '\r', '\t'], " ");
    if s.chars().count() <= n {
        s
    } else {
        format!("{}…", s.chars().take(n.saturating_sub(1)).collect::<String>())
    }
}

/// The day of an ISO date, whole ("2024-08-01" of "2024-08-01T10:00:00Z").
fn day(published: Option<&str>) -> &str {
    published.map_or("-", |p| p.get(..10).unwrap_or(p))
}

fn print_hits(hits: &[Hit], format: Listing) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match format {
        Listing::Json => writeln!(out, "{}", serde_json::to_string_pretty(hits).map_err(io::Error::other)?),
        Listing::Csv => {
            writeln!(out, "statement,date,outlet,speaker,kind,content,url")?;
            for h in hits {
                let cols = [
                    h.statement.to_string(),
                    h.published.clone().unwrap_or_default(),
                    h.outlet.clone().unwrap_or_default(),
                    h.speaker.clone().unwrap_or_default(),
                    h.kind.clone(),
                    h.content.clone(),
                    h.url.clone().unwrap_or_default(),
                ];
                writeln!(out, "{}", cols.iter().map(|c| sayso_store::csv_field(c)).collect::<Vec<_>>().join(","))?;
            }
            Ok(())
        }
        Listing::Table => {
            writeln!(out, "{:>7}  {:<10}  {:<18}  {:<22}  {:<8}  content", "id", "date", "outlet", "speaker", "kind")?;
            for h in hits {
                writeln!(
                    out,
                    "{:>7}  {:<10}  {:<18}  {:<22}  {:<8}  {}",
                    h.statement,
                    day(h.published.as_deref()),
                    cell(h.outlet.as_deref().unwrap_or("-"), 18),
                    cell(h.speaker.as_deref().unwrap_or("-"), 22),
                    h.kind,
                    cell(&h.content, 90)
                )?;
            }
            Ok(())
        }
    }
}

pub fn search(db: &Path, q: &SearchQuery, format: Listing) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    match store.search(q) {
        Ok(hits) => {
            if hits.is_empty() && format == Listing::Table {
                eprintln!("no statement matches");
            }
            exit_on_io(print_hits(&hits, format))
        }
        Err(e) => fail(e),
    }
}

pub fn identities(db: &Path, matching: Option<&str>, limit: usize) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let rows = match store.identities(matching, limit) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut out = io::stdout().lock();
    let r = (|| {
        writeln!(out, "{:>6}  {:<34}  {:<12}  {:>10}  {:<10}  {:<10}", "id", "name", "kind", "statements", "first", "last")?;
        for i in &rows {
            writeln!(
                out,
                "{:>6}  {:<34}  {:<12}  {:>10}  {:<10}  {:<10}",
                i.id,
                cell(&i.name, 34),
                i.kind,
                i.statements,
                i.first_seen.as_deref().unwrap_or("-"),
                i.last_seen.as_deref().unwrap_or("-")
            )?;
        }
        Ok(())
    })();
    exit_on_io(r)
}

pub fn identity(db: &Path, name: &str, limit: usize) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let page = match store.identity(name, limit) {
        Ok(Lookup::Page(p)) => p,
        Ok(Lookup::None) => return fail(format!("no speaker matches {name:?}")),
        Ok(Lookup::Several(rows)) => {
            eprintln!("sayso: {} speakers match {name:?}; give a fuller name:", rows.len());
            for i in &rows {
                eprintln!("  {} ({}, {} statements)", i.name, i.kind, i.statements);
            }
            return ExitCode::FAILURE;
        }
        Err(e) => return fail(e),
    };
    let mut out = io::stdout().lock();
    let r = (|| {
        let i = &page.identity;
        writeln!(
            out,
            "{} ({}) · {} statement(s) · {} to {}",
            i.name,
            i.kind,
            i.statements,
            i.first_seen.as_deref().unwrap_or("-"),
            i.last_seen.as_deref().unwrap_or("-")
        )?;
        writeln!(out, "aliases: {}", page.aliases.join("; "))?;
        for (role, first, last) in &page.roles {
            writeln!(out, "role: {role} ({} to {})", first.as_deref().unwrap_or("-"), last.as_deref().unwrap_or("-"))?;
        }
        let most = page.by_month.iter().map(|m| m.1).max().unwrap_or(1).max(1);
        for (month, n) in &page.by_month {
            writeln!(out, "{month:<8} {:>5} {}", n, "#".repeat(((*n * 40) / most).max(1) as usize))?;
        }
        writeln!(out)?;
        print_hits(&page.statements, Listing::Table)
    })();
    exit_on_io(r)
}

pub fn trail(db: &Path, text: &str) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let page = match store.trail(text) {
        Ok(Some(p)) => p,
        Ok(None) => return fail(format!("no quotation trail for {text:?}")),
        Err(e) => return fail(e),
    };
    let mut out = io::stdout().lock();
    let r = (|| {
        let n_articles = page.wordings.iter().map(|w| w.1).sum::<i64>();
        writeln!(out, "trail {} · {} appearance(s), {} wording(s)", page.trail, page.appearances.len(), page.wordings.len())?;
        if let Some(first) = page.appearances.first() {
            writeln!(
                out,
                "first: {} · {} · {}",
                first.published.as_deref().unwrap_or("undated"),
                first.outlet.as_deref().unwrap_or("-"),
                first.url.as_deref().or(first.title.as_deref()).unwrap_or(&first.article)
            )?;
        }
        writeln!(out, "\nwordings ({n_articles} article(s)):")?;
        for (w, n) in &page.wordings {
            writeln!(out, "  {n:>4} × {}", cell(w, 110))?;
        }
        writeln!(out, "\nappearances:")?;
        print_hits(&page.appearances, Listing::Table)
    })();
    exit_on_io(r)
}

pub fn export(db: &Path, format: ExportFormat, output: &Path) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let file = match std::fs::File::create(output) {
        Ok(f) => f,
        Err(e) => return fail(format!("{}: {e}", output.display())),
    };
    let written = match format {
        ExportFormat::Parquet => store.export_parquet(file),
        ExportFormat::Csv | ExportFormat::Jsonl => {
            let mut out = io::BufWriter::new(file);
            let format = if format == ExportFormat::Csv { Export::Csv } else { Export::Jsonl };
            store.export(format, &mut out).and_then(|n| out.flush().map(|_| n).map_err(|e| sayso_store::StoreError(e.to_string())))
        }
    };
    match written {
        Ok(n) => {
            eprintln!("{n} statements written to {}", output.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("export to {}: {e}", output.display())),
    }
}

/// Latency of searches and speaker pages on a store, one query at a time.
pub fn bench_queries(db: &Path, n: usize) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let run = || -> sayso_store::Result<()> {
        let (articles, statements, identities) = store.counts()?;
        println!("{articles} articles, {statements} statements, {identities} identities");
        let queries = store.sample_queries(n)?;
        let mut times = Vec::new();
        for q in &queries {
            let t = std::time::Instant::now();
            store.search(&SearchQuery { text: q.clone(), limit: 20, ..SearchQuery::default() })?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        report("search", &mut times);
        let names: Vec<String> = store.identities(None, n.min(100))?.into_iter().map(|i| i.name).collect();
        let mut times = Vec::new();
        for name in &names {
            let t = std::time::Instant::now();
            store.identity(name, 30)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        report("speaker page", &mut times);
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn report(what: &str, ms: &mut [f64]) {
    if ms.is_empty() {
        println!("{what}: no queries");
        return;
    }
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).clamp(1, ms.len()) - 1];
    println!("{what}: {} queries, p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms", ms.len(), at(0.5), at(0.95), at(1.0));
}

pub fn serve(db: &Path, addr: std::net::SocketAddr, demo: bool, cache_mb: usize) -> ExitCode {
    let pool = if demo { sayso_serve::demo_store().map(sayso_serve::Pool::single) } else { sayso_serve::Pool::open(db) };
    let pool = match pool {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    if !addr.ip().is_loopback() {
        eprintln!("sayso: warning: listening on {addr}, not only this machine: anyone who reaches it can read the store");
    }
    let what = if demo { "the demo store".to_string() } else { db.display().to_string() };
    let r = sayso_serve::serve(pool, cache_mb << 20, addr, |at| {
        eprintln!("sayso: serving {what} on http://{at}/ (API: http://{at}/api/v1/openapi.json); Ctrl-C stops")
    });
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("cannot serve on {addr}: {e}")),
    }
}
