//! The `sayso` binary: arguments, progress, output formats, exit codes.

mod eval;
mod output;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use sayso_doc::{Document, Meta};
use sayso_ingest::{inputs, Reader, Record};

#[derive(Parser)]
#[command(name = "sayso", version, about = "Who said what: statements, speakers and cues from news articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract statements from articles: .txt files, .jsonl files, directories, or stdin.
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
        /// Worker threads (default: all cores).
        #[arg(long, short = 'j')]
        threads: Option<usize>,
    },
    /// List each article's speakers with what they said.
    Speakers {
        /// Files or directories, as for extract; none or "-" reads stdin.
        paths: Vec<PathBuf>,
        /// Read stdin as JSONL (one article a line).
        #[arg(long)]
        stdin_jsonl: bool,
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
            if let Some(n) = threads {
                if let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global() {
                    eprintln!("sayso: could not set threads: {e}");
                }
            }
            let format = format.unwrap_or(if output.is_none() && io::stdout().is_terminal() { Format::Text } else { Format::Jsonl });
            run_extract(&paths, output::Writer::new(format).with_text(with_text), output, stdin_jsonl)
        }
        Command::Speakers { paths, stdin_jsonl } => run_extract(&paths, output::Writer::new(Format::Speakers), None, stdin_jsonl),
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
const BATCH: usize = 512;

fn run_extract(paths: &[PathBuf], mut writer: output::Writer, output: Option<PathBuf>, stdin_jsonl: bool) -> ExitCode {
    let (inputs, errors) = inputs(paths);
    let mut failed = errors.len();
    for e in &errors {
        eprintln!("sayso: {e}");
    }
    let mut out: Box<dyn Write> = match &output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(io::BufWriter::with_capacity(1 << 20, f)),
            Err(e) => {
                eprintln!("sayso: {}: {e}", p.display());
                return ExitCode::FAILURE;
            }
        },
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    };
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
        let results: Vec<_> = batch
            .into_par_iter()
            .map(|r| {
                let mut d = r.and_then(Record::into_document)?;
                let ex = sayso_extract::extract(&mut d);
                Ok::<_, sayso_ingest::InputError>((d, ex))
            })
            .collect();
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
            if let Err(e) = writer.article(&mut out, doc, ex) {
                return exit_on_io(Err(e));
            }
        }
        if progress && last_report.elapsed().as_millis() > 500 {
            last_report = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            let mb = bytes_done as f64 / 1e6;
            eprint!("\r{docs_done} articles, {statements} statements, {failed} skipped, {mb:.0} MB read, {:.1} MB/s   ", mb / secs);
        }
    }
    if let Err(e) = writer.finish(&mut out).and_then(|_| out.flush()) {
        return exit_on_io(Err(e));
    }
    if progress || failed > 0 {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "{}{docs_done} articles, {statements} statements in {secs:.1}s{}",
            if progress { "\r" } else { "" },
            if failed > 0 { format!("; {failed} record(s) skipped") } else { String::new() }
        );
    }
    if docs_done == 0 {
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
    let one_record = |r: &Record| r.clone().into_document().map_or(0, |mut d| sayso_extract::extract(&mut d).statements.len());
    let run = |parallel: bool| {
        (0..rounds.max(1))
            .map(|_| {
                let t = Instant::now();
                let n: usize = if parallel { records.par_iter().map(one_record).sum() } else { records.iter().map(one_record).sum() };
                (t.elapsed().as_secs_f64(), n)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((f64::NAN, 0))
    };
    let mut out = io::stdout().lock();
    let (one, n) = run(false);
    let (all, _) = run(true);
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
    .and_then(|_| writeln!(out, "{}", line(format!("{} threads:", rayon::current_num_threads()), all)));
    if let Err(e) = r {
        return exit_on_io(Err(e));
    }
    ExitCode::SUCCESS
}
