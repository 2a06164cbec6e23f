//! The floor under `brackets diff OLD NEW`: reads the two references the way `diff` does (the
//! old one on a second thread, the new one's blob once the old one's is read, so the shared
//! delta chain is inflated once) and stops, without parsing or comparing anything.
//! `benches/compare.sh` times it beside `git diff --word-diff` on the same commits:
//!
//! `cargo run --release --example read_floor -- OLD NEW`
//!
//! With no arguments it only starts and exits, which times the start-up of a binary of the
//! same library without the terminal UI and the search index.

use brackets::cli::input::{self, Fetched};
use std::process::ExitCode;
use std::sync::mpsc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (old, new) = match args.as_slice() {
        [] => return ExitCode::SUCCESS,
        [old, new] => (old.as_str(), new.as_str()),
        _ => {
            eprintln!("usage: read_floor [OLD NEW]");
            return ExitCode::from(2);
        }
    };
    let read = std::thread::scope(|s| {
        let (old_read, wait_for_old_blob) = mpsc::channel::<()>();
        let (new_read, wait_for_new_blob) = mpsc::channel::<()>();
        let reader = s.spawn(move || {
            let mut fetched = input::fetch_ref(old);
            drop(old_read);
            // Open until the new blob is read, as in `diff`: the delta bases stay cached.
            let pack = fetched.as_mut().ok().and_then(Fetched::keep_repository);
            let _ = wait_for_new_blob.recv();
            drop(pack);
            fetched.map(|_| ())
        });
        let fetched = input::fetch_ref_when(new, || {
            let _ = wait_for_old_blob.recv();
        });
        drop(new_read);
        let old = reader
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        old.and(fetched.map(|_| ()))
    });
    match read {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("read_floor: {e:#}");
            ExitCode::FAILURE
        }
    }
}
