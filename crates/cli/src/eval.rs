//! `sayso eval polnear SPLIT_DIR`: extraction over a PolNeAR split, scored with the
//! definitions of shared/tools/polnear_score.py, optionally checked against kept figures.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use sayso_eval::learn::{train, Options};
use sayso_eval::speakers::{self, cross_validate, load_speakers};
use sayso_eval::{extract_split, format_table, load_split, score_split};
use sayso_extract::report::ArticleReport;

#[derive(Subcommand)]
pub enum TrainCorpus {
    /// Learn from a PolNeAR split; pick the threshold on another.
    Polnear {
        /// The split to learn from, e.g. ../shared/data/polnear/train.
        train: PathBuf,
        /// The split to choose the threshold on, e.g. ../shared/data/polnear/dev.
        #[arg(long)]
        tune: PathBuf,
        /// Where to write the model [default: data/scorer.tsv].
        #[arg(long, short, default_value = "data/scorer.tsv")]
        output: PathBuf,
        #[command(flatten)]
        learning: Learning,
    },
    /// Learn the speaker model from a PolNeAR split and its speaker gold.
    Speakers {
        /// The split's text, e.g. ../shared/data/polnear/train.
        split: PathBuf,
        /// Its speaker gold, e.g. ../shared/data/polnear-speakers/train.
        gold: PathBuf,
        /// Where to write the model [default: data/speakers.tsv].
        #[arg(long, short, default_value = "data/speakers.tsv")]
        output: PathBuf,
        /// Also cross-validate with this many folds (each document extracted by a model
        /// that did not see it) and write those extractions as JSONL here (for
        /// shared/tools/speaker_score.py).
        #[arg(long, requires = "folds")]
        cv_predictions: Option<PathBuf>,
        #[arg(long)]
        folds: Option<usize>,
        #[command(flatten)]
        learning: Learning,
    },
}

/// How a model is learned (AdaGrad over softmax groups; see crates/eval/src/learn.rs).
#[derive(Args)]
pub struct Learning {
    #[arg(long, default_value_t = Options::default().epochs)]
    pub epochs: usize,
    /// L2 regularisation strength.
    #[arg(long, default_value_t = Options::default().l2)]
    pub l2: f64,
    /// AdaGrad learning rate.
    #[arg(long, default_value_t = Options::default().rate)]
    pub rate: f64,
    /// Runs over differently shuffled data whose weights are averaged.
    #[arg(long, default_value_t = Options::default().runs)]
    pub runs: usize,
    /// Drop features seen fewer times than this.
    #[arg(long, default_value_t = Options::default().min_count)]
    pub min_count: usize,
}

impl Learning {
    fn options(&self) -> Options {
        Options { epochs: self.epochs, l2: self.l2, rate: self.rate, min_count: self.min_count, runs: self.runs }
    }
}

/// `sayso train polnear`: learns the candidate scorer; rebuild to embed it.
pub fn run_train(c: TrainCorpus) -> ExitCode {
    let (train_dir, tune, output, learning) = match c {
        TrainCorpus::Polnear { train, tune, output, learning } => (train, tune, output, learning),
        TrainCorpus::Speakers { split, gold, output, cv_predictions, folds, learning } => {
            return run_train_speakers(&split, &gold, &output, cv_predictions.zip(folds), &learning.options())
        }
    };
    let (tr, tu) = match (load_split(&train_dir), load_split(&tune)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("sayso train: {e}");
            return ExitCode::FAILURE;
        }
    };
    let opts = learning.options();
    let model = train(&tr, &tu, &opts, &mut |m| eprintln!("{m}"));
    if let Err(e) = std::fs::write(&output, model) {
        eprintln!("sayso train: {}: {e}", output.display());
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {}; rebuild sayso to use it", output.display());
    ExitCode::SUCCESS
}

/// `sayso train speakers`: learns the speaker model (and cross-validates it); rebuild to
/// embed it.
fn run_train_speakers(split: &Path, gold: &Path, output: &Path, cv: Option<(PathBuf, usize)>, opts: &Options) -> ExitCode {
    let (docs, gold) = match (load_split(split), load_speakers(gold)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("sayso train: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some((path, k)) = cv {
        if k < 2 || k > docs.len() {
            eprintln!("sayso train: --folds must be between 2 and the number of documents ({})", docs.len());
            return ExitCode::FAILURE;
        }
        let runs = cross_validate(&docs, &gold, k, opts, &mut |m| eprintln!("{m}"));
        if let Err(e) = write_predictions(&path, &runs) {
            eprintln!("sayso train: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("wrote the {k}-fold cross-validation extractions to {}", path.display());
    }
    let model = speakers::train(&docs, &gold, opts, &mut |m| eprintln!("{m}"));
    if let Err(e) = std::fs::write(output, model) {
        eprintln!("sayso train: {}: {e}", output.display());
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {}; rebuild sayso to use it", output.display());
    ExitCode::SUCCESS
}

/// Extractions as JSONL, one article a line.
fn write_predictions(path: &Path, runs: &[(sayso_doc::Document, sayso_extract::Extraction)]) -> std::io::Result<()> {
    let mut body = String::new();
    for (doc, ex) in runs {
        body += &serde_json::to_string(&ArticleReport::new(doc, ex)).unwrap_or_default();
        body.push('\n');
    }
    std::fs::write(path, body)
}

#[derive(Subcommand)]
pub enum Corpus {
    /// PolNeAR (text/ and attributions/ of one split, e.g. ../shared/data/polnear/dev).
    Polnear {
        split: PathBuf,
        /// Also write the predictions as JSONL (for shared/tools/polnear_score.py).
        #[arg(long)]
        predictions: Option<PathBuf>,
        /// Write the F1 figures to this JSON file.
        #[arg(long)]
        save: Option<PathBuf>,
        /// Fail when an F1 falls more than one point below the figures in this file.
        #[arg(long)]
        check: Option<PathBuf>,
        /// Score every candidate, unselected: the recall the finders allow at best.
        #[arg(long)]
        all_candidates: bool,
    },
}

pub fn run(c: Corpus) -> ExitCode {
    let Corpus::Polnear { split, predictions, save, check, all_candidates } = c;
    let selection = if all_candidates { sayso_extract::Selection::All } else { sayso_extract::Selection::Best };
    let gold = match load_split(&split) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("sayso eval: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runs = extract_split(&gold, sayso_extract::model::model(), selection);
    let scores = score_split(&gold, &runs);
    print!("{}", format_table(&scores, gold.len()));
    if let Some(path) = predictions {
        if let Err(e) = write_predictions(&path, &runs) {
            eprintln!("sayso eval: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let f1: BTreeMap<String, f64> = scores.iter().map(|(k, c)| (k.clone(), (c.prf().2 * 1000.0).round() / 10.0)).collect();
    if let Some(path) = save {
        let r = std::fs::File::create(&path).and_then(|mut f| {
            serde_json::to_writer_pretty(&mut f, &f1)?;
            f.write_all(b"\n")
        });
        if let Err(e) = r {
            eprintln!("sayso eval: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if let Some(path) = check {
        let kept: BTreeMap<String, f64> = match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string()))
        {
            Ok(k) => k,
            Err(e) => {
                eprintln!("sayso eval: {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        let mut worse = 0;
        for (k, want) in &kept {
            let got = f1.get(k).copied().unwrap_or(0.0);
            if got < want - 1.0 {
                eprintln!("regression: {k} F1 {got:.1} is more than one point below the kept {want:.1}");
                worse += 1;
            }
        }
        if worse > 0 {
            return ExitCode::FAILURE;
        }
        println!("no F1 more than one point below {}", path.display());
    }
    ExitCode::SUCCESS
}
