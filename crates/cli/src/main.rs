//! The `sayso` binary: arguments, progress, output formats, exit codes.

mod eval;
mod output;
mod store_cmd;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use sayso_doc::{Document, Meta};
use sayso_extract::Extraction;
use sayso_ingest::{inputs, Reader, Record};

#[derive(Parser)]
#[command(name = "sayso", version, about = "Who said what: statements, speakers and cues from news articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract statements from articles: plain text, JSONL, HTML pages, WARC archives,
    /// RSS/Atom feeds (any of them gzip- or zstd-compressed), directories, or stdin.
    Extract {
        /// Files or directories (recursively): text, HTML, JSONL, WARC, RSS/Atom, any of them
        /// gzip- or zstd-compressed; none or "-" reads stdin.
        paths: Vec<PathBuf>,
        /// Output format [default: text on a terminal, else jsonl].
        #[arg(long, short)]
        format: Option<Format>,
        /// Write to this file instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Read stdin as JSONL (one article a line) whatever it looks like.
        #[arg(long)]
        stdin_jsonl: bool,
        /// Include each article's text (the body that all offsets refer to) in JSON output.
        #[arg(long)]
        with_text: bool,
        /// Worker threads, 1 to 256 (default: all cores).
        #[arg(long, short = 'j', value_parser = thread_count)]
        threads: Option<usize>,
    },
    /// Speakers: of each article in FILES, with what they said; without FILES, the speaker
    /// identities of the store, with their statement counts.
    Speakers {
        /// Files or directories, as for extract ("-" reads stdin).
        paths: Vec<PathBuf>,
        /// Read stdin as JSONL (one article a line).
        #[arg(long)]
        stdin_jsonl: bool,
        /// The store to list identities from.
        #[arg(long, default_value = "sayso.db")]
        db: PathBuf,
        /// Only identities with a name or alias containing this text.
        #[arg(long = "match")]
        matching: Option<String>,
        #[arg(long, default_value_t = 50, value_parser = store_cmd::limit)]
        limit: usize,
    },
    /// Extract articles and keep them in the store (an SQLite file, created if absent):
    /// the same article twice is stored once, a changed one replaces the old.
    Ingest {
        /// Files or directories, as for extract; none or "-" reads stdin. The output folder
        /// of a Spark run (spark/sayso_spark.py) is stored as Spark extracted it.
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "sayso.db")]
        db: PathBuf,
        /// Read stdin as JSONL (one article a line).
        #[arg(long)]
        stdin_jsonl: bool,
        /// Worker threads, 1 to 256 (default: all cores).
        #[arg(long, short = 'j', value_parser = thread_count)]
        threads: Option<usize>,
    },
    /// Full-text search over the stored statements.
    Search {
        query: String,
        #[arg(long, default_value = "sayso.db")]
        db: PathBuf,
        /// Only statements by a speaker whose name or alias contains this.
        #[arg(long)]
        speaker: Option<String>,
        /// direct, indirect, mixed or post.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        outlet: Option<String>,
        /// Published on or after (YYYY-MM-DD, YYYY-MM or YYYY).
        #[arg(long)]
        since: Option<String>,
        /// Published on or before.
        #[arg(long)]
        until: Option<String>,
        #[arg(long, default_value_t = 20, value_parser = store_cmd::limit)]
        limit: usize,
        /// rank: best match first; date: newest first.
        #[arg(long, default_value = "rank")]
        sort: store_cmd::SortBy,
        #[arg(long, short, default_value = "table")]
        format: store_cmd::Listing,
    },
    /// One speaker identity: aliases, roles over time, activity by month, statements.
    Speaker {
        name: String,
        #[arg(long, default_value = "sayso.db")]
        db: PathBuf,
        #[arg(long, default_value_t = 30, value_parser = store_cmd::limit)]
        limit: usize,
    },
    /// The trail of a quotation across articles: first appearance, outlets, wordings.
    Trail {
        /// Words of the quotation, or a statement id.
        text: String,
        #[arg(long, default_value = "sayso.db")]
        db: PathBuf,
    },
    /// Write every stored statement with its speaker identity and article, for pandas,
    /// polars or DuckDB.
    Export {
        #[arg(long, short, default_value = "csv")]
        format: store_cmd::ExportFormat,
        #[arg(long, default_value = "sayso.db")]
        db: PathBuf,
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Serve the store as web pages and a JSON API (read-only) until Ctrl-C.
    Serve {
        #[arg(long, default_value = "sayso.db")]
        db: PathBuf,
        /// Where to listen: loopback unless another address is given.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Serve a store in memory made from a few built-in articles instead of --db.
        #[arg(long)]
        demo: bool,
        /// Megabytes of answers kept in memory while the store does not change (0: none).
        #[arg(long, default_value_t = 64)]
        cache_mb: u16,
    },
    /// Extract from a short built-in article and print the result: a first look.
    Demo {
        #[arg(long, short, default_value = "text")]
        format: Format,
    },
    /// Score extraction against an annotated corpus.
    Eval {
        #[command(subcommand)]
        corpus: eval::Corpus,
    },
    /// Measure extraction throughput: reads the articles into memory, then extracts them
    /// on one core and on all cores, and prints MB/s of text.
    Bench {
        /// Files or directories, as for extract.
        paths: Vec<PathBuf>,
        /// Passes over the articles on each setting; the best one counts.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Measure search and speaker-page latency on a store.
    BenchQueries {
        #[arg(long, default_value = "sayso.db")]
        db: PathBuf,
        /// Number of searches (and at most 100 speaker pages).
        #[arg(short, default_value_t = 200)]
        n: usize,
    },
    /// Learn the candidate scorer from an annotated corpus (writes data/scorer.tsv).
    Train {
        #[command(subcommand)]
        corpus: eval::TrainCorpus,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    Json,
    Jsonl,
    Text,
    /// Each article's speakers with their statements (`sayso speakers`).
    #[value(skip)]
    Speakers,
}

const DEMO: &str = include_str!("demo.txt");

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { paths, format, output, stdin_jsonl, with_text, threads } => {
            if let Err(code) = set_threads(threads) {
                return code;
            }
            let format = format.unwrap_or(if output.is_none() && io::stdout().is_terminal() { Format::Text } else { Format::Jsonl });
            run_extract(&paths, output::Writer::new(format).with_text(with_text), output, stdin_jsonl)
        }
        Command::Speakers { paths, stdin_jsonl, db, matching, limit } => {
            if paths.is_empty() {
                store_cmd::identities(&db, matching.as_deref(), limit)
            } else {
                run_extract(&paths, output::Writer::new(Format::Speakers), None, stdin_jsonl)
            }
        }
        Command::Ingest { paths, db, stdin_jsonl, threads } => {
            if let Err(code) = set_threads(threads) {
                return code;
            }
            store_cmd::ingest(&paths, &db, stdin_jsonl)
        }
        Command::Search { query, db, speaker, kind, outlet, since, until, limit, sort, format } => {
            let sort = if sort == store_cmd::SortBy::Date { sayso_store::Sort::Date } else { sayso_store::Sort::Rank };
            let q = sayso_store::SearchQuery { text: query, speaker, kind, outlet, since, until, limit, offset: 0, sort };
            store_cmd::search(&db, &q, format)
        }
        Command::Speaker { name, db, limit } => store_cmd::identity(&db, &name, limit),
        Command::Trail { text, db } => store_cmd::trail(&db, &text),
        Command::BenchQueries { db, n } => store_cmd::bench_queries(&db, n),
        Command::Export { format, db, output } => store_cmd::export(&db, format, &output),
        Command::Serve { db, addr, demo, cache_mb } => store_cmd::serve(&db, addr, demo, usize::from(cache_mb)),
        Command::Demo { format } => {
            let mut doc = Document::from_text(
                Meta { id: "demo".into(), title: Some("Minister defends budget".into()), ..Meta::default() },
                DEMO.to_string(),
            );
            let ex = sayso_extract::extract(&mut doc);
            let mut out = io::stdout().lock();
            let mut w = output::Writer::new(format);
            let r = w.article(&mut out, &doc, &ex).and_then(|_| w.finish(&mut out));
            exit_on_io(r)
        }
        Command::Eval { corpus } => eval::run(corpus),
        Command::Train { corpus } => eval::run_train(corpus),
        Command::Bench { paths, rounds } => bench(&paths, rounds),
    }
}

/// More threads than this are refused: they cannot help, and starting them takes minutes.
const MAX_THREADS: usize = 256;

fn thread_count(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n @ 1..=MAX_THREADS) => Ok(n),
        _ => Err(format!("a number of threads from 1 to {MAX_THREADS}")),
    }
}

/// A pool that could not start is an error: without it nothing could run.
fn set_threads(threads: Option<usize>) -> Result<(), ExitCode> {
    let Some(n) = threads else { return Ok(()) };
    rayon::ThreadPoolBuilder::new().num_threads(n).build_global().map_err(|e| {
        eprintln!("sayso: could not start {n} threads: {e}");
        ExitCode::FAILURE
    })
}

fn exit_on_io(r: io::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sayso: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Articles are processed in parallel batches and written in input order; memory holds
/// one batch.
pub const BATCH: usize = 512;

/// Where extracted articles go: an output stream, or the store.
pub trait Sink {
    fn article(&mut self, doc: &Document, ex: &Extraction) -> io::Result<()>;
    /// A batch is complete (the store commits it).
    fn batch_done(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// Everything is read; returns what to add to the closing line.
    fn finish(&mut self) -> io::Result<String>;
}

/// Extracted articles written in an output format, to a file or stdout.
struct OutputSink {
    writer: output::Writer,
    out: Box<dyn Write>,
}

impl Sink for OutputSink {
    fn article(&mut self, doc: &Document, ex: &Extraction) -> io::Result<()> {
        self.writer.article(&mut self.out, doc, ex)
    }
    fn finish(&mut self) -> io::Result<String> {
        self.writer.finish(&mut self.out)?;
        self.out.flush()?;
        Ok(String::new())
    }
}

fn run_extract(paths: &[PathBuf], writer: output::Writer, output: Option<PathBuf>, stdin_jsonl: bool) -> ExitCode {
    let out: Box<dyn Write> = match &output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(io::BufWriter::with_capacity(1 << 20, f)),
            Err(e) => {
                eprintln!("sayso: {}: {e}", p.display());
                return ExitCode::FAILURE;
            }
        },
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    };
    run_pipeline(paths, stdin_jsonl, &mut OutputSink { writer, out })
}

/// Reads the inputs, extracts in parallel batches and hands articles to the sink in input
/// order, with progress on a terminal.
/// One record to a document and its extraction. A panic is a bug, but it costs only its
/// record: it is reported like a broken record and the batch goes on.
fn process(r: Record) -> Result<(Document, sayso_extract::Extraction), sayso_ingest::InputError> {
    let mut origin = r.origin.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut d = r.into_document()?;
        let ex = sayso_extract::extract(&mut d);
        Ok((d, ex))
    }))
    .unwrap_or_else(|_| {
        origin.message = "an internal error stopped this record (a bug in sayso: please report it); skipped".into();
        Err(origin)
    })
}

pub fn run_pipeline(paths: &[PathBuf], stdin_jsonl: bool, sink: &mut dyn Sink) -> ExitCode {
    let (inputs, errors) = inputs(paths);
    let mut failed = errors.len();
    for e in &errors {
        eprintln!("sayso: {e}");
    }
    let progress = io::stderr().is_terminal();
    let started = Instant::now();
    let mut reader = Reader::new(inputs).stdin_jsonl(stdin_jsonl);
    let (mut docs_done, mut bytes_done, mut statements) = (0usize, 0usize, 0usize);
    let mut last_report = Instant::now();
    loop {
        let batch: Vec<_> = reader.by_ref().take(BATCH).collect();
        bytes_done += batch.iter().map(|r| r.as_ref().map_or(0, Record::len)).sum::<usize>();
        if batch.is_empty() {
            break;
        }
        let results: Vec<_> = batch.into_par_iter().map(|r| process(r?)).collect();
        for r in &results {
            let (doc, ex) = match r {
                Ok(x) => x,
                Err(e) => {
                    // Over the progress line, not after it.
                    eprintln!("{}sayso: {e}", if progress { "\r\x1b[K" } else { "" });
                    failed += 1;
                    continue;
                }
            };
            docs_done += 1;
            statements += ex.statements.len();
            if let Err(e) = sink.article(doc, ex) {
                return exit_on_io(Err(e));
            }
        }
        if let Err(e) = sink.batch_done() {
            return exit_on_io(Err(e));
        }
        if progress && last_report.elapsed().as_millis() > 500 {
            last_report = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            let mb = bytes_done as f64 / 1e6;
            eprint!("\r{docs_done} articles, {statements} statements, {failed} skipped, {mb:.0} MB read, {:.1} MB/s   ", mb / secs);
        }
    }
    close(sink, started, progress, (docs_done, statements, failed))
}

/// Finishes the sink and writes the closing line (to stderr whatever it is: a batch run's
/// log needs it most); fails when no article was read.
pub fn close(sink: &mut dyn Sink, started: Instant, progress: bool, (docs, statements, failed): (usize, usize, usize)) -> ExitCode {
    let extra = match sink.finish() {
        Ok(x) => x,
        Err(e) => return exit_on_io(Err(e)),
    };
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{}{docs} articles, {statements} statements, {failed} record(s) skipped in {secs:.1}s{extra}",
        if progress { "\r\x1b[K" } else { "" }
    );
    if docs == 0 {
        eprintln!("sayso: nothing could be read");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn bench(paths: &[PathBuf], rounds: usize) -> ExitCode {
    let (inputs, errors) = inputs(paths);
    for e in &errors {
        eprintln!("sayso: {e}");
    }
    // Records are read into memory first: what is timed is decoding, parsing and
    // extraction, not the disk.
    let records: Vec<Record> = Reader::new(inputs).filter_map(Result::ok).collect();
    let docs: Vec<Document> = records.iter().cloned().filter_map(|r| r.into_document().ok()).collect();
    if docs.is_empty() {
        eprintln!("sayso: nothing could be read");
        return ExitCode::FAILURE;
    }
    let input_bytes: usize = records.iter().map(Record::len).sum();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    let extract = |r: &Record, speakers: bool| {
        let options = sayso_extract::Options { speakers: speakers.then(sayso_extract::speakers::speaker_model), ..Default::default() };
        r.clone()
            .into_document()
            .map_or(0, |mut d| sayso_extract::extract_with(&mut d, sayso_extract::model::model(), options).statements.len())
    };
    let run = |parallel: bool, speakers: bool| {
        (0..rounds.max(1))
            .map(|_| {
                let t = Instant::now();
                let one_record = |r: &Record| extract(r, speakers);
                let n: usize = if parallel { records.par_iter().map(one_record).sum() } else { records.iter().map(one_record).sum() };
                (t.elapsed().as_secs_f64(), n)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((f64::NAN, 0))
    };
    let mut out = io::stdout().lock();
    // Without speaker resolution, interleaved with the full run so both meet the same load.
    let (bare, _) = run(false, false);
    let (one, n) = run(false, true);
    let (all, _) = run(true, true);
    let line = |label: String, secs: f64| {
        format!(
            "{label:<10} {:7.2} MB/s of text  {:9.0} words/s  {:7.1} records/s  {:7.2} MB/s of input",
            bytes as f64 / 1e6 / secs,
            words as f64 / secs,
            records.len() as f64 / secs,
            input_bytes as f64 / 1e6 / secs
        )
    };
    let r = writeln!(
        out,
        "{} records ({} articles), {:.2} MB of input, {:.2} MB of text, {words} words, {n} statements",
        records.len(),
        docs.len(),
        input_bytes as f64 / 1e6,
        bytes as f64 / 1e6
    )
    .and_then(|_| writeln!(out, "{}", line("one core:".into(), one)))
    .and_then(|_| writeln!(out, "{}", line(format!("{} threads:", rayon::current_num_threads()), all)))
    .and_then(|_| writeln!(out, "{}", line("no speakers:".into(), bare)))
    .and_then(|_| writeln!(out, "speaker resolution: one core takes {:.2}x the time without it", one / bare));
    if let Err(e) = r {
        return exit_on_io(Err(e));
    }
    ExitCode::SUCCESS
}
