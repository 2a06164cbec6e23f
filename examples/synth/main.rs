//! Writes a synthetic negotiation corpus: a git repository of N drafts through M iterations.
//!
//! ```text
//! cargo run --release --example synth -- OUT_DIR [--size small|large] [--drafts N]
//!     [--iterations M] [--seed S]
//! ```
//!
//! `small` is 20 drafts x 10 iterations, `large` 200 x 20. The same seed gives the same commit
//! ids. See `generator.rs` for what the negotiations look like.

mod generator;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: synth OUT_DIR [--size small|large] [--drafts N] [--iterations M] [--seed S]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut out: Option<PathBuf> = None;
    let (mut drafts, mut iterations, mut seed) = (20usize, 10usize, 4u64);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--size" => match value("--size")?.as_str() {
                "small" => (drafts, iterations) = (20, 10),
                "large" => (drafts, iterations) = (200, 20),
                other => return Err(format!("unknown size {other}: small or large").into()),
            },
            "--drafts" => drafts = value("--drafts")?.parse()?,
            "--iterations" => iterations = value("--iterations")?.parse()?,
            "--seed" => seed = value("--seed")?.parse()?,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}").into()),
            s => out = Some(PathBuf::from(s)),
        }
    }
    let out = out.ok_or(USAGE)?;
    let started = std::time::Instant::now();
    let summary = generator::write_corpus(&out, drafts, iterations, seed, |done, total| {
        if done % 200 == 0 || done == total {
            eprint!("\rsynth: {done}/{total} commits");
        }
    })?;
    eprintln!();
    println!(
        "{}: {} drafts x {} iterations, {} commits, {} tags, {:.1} MB of drafts ({:.1}-{:.1} KB each), HEAD {}, {:.1} s",
        out.display(),
        drafts,
        iterations,
        summary.commits,
        summary.tags,
        summary.bytes as f64 / 1e6,
        summary.min_size as f64 / 1024.0,
        summary.max_size as f64 / 1024.0,
        summary.head,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
