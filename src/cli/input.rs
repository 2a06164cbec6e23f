//! Reading a draft from disk, with the actors its repository configures.

use crate::actors::Actors;
use crate::config::Config;
use crate::model::Document;
use anyhow::{Context, Result, bail};
use std::path::Path;

pub struct Loaded {
    pub path: String,
    /// How the iteration is named to the user: `resolution.md@rev1 (1a2b3c4)`, or the path.
    pub label: String,
    pub actors: Actors,
    pub doc: Document,
}

/// Reads the file as UTF-8 text; a directory, a binary file or another encoding is refused
/// with a message saying which.
pub fn read_text(path: &Path) -> Result<String> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {shown}"))?;
    if meta.is_dir() {
        bail!("cannot read {shown}: it is a directory, not a draft file");
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        bail!("cannot read {shown}: it is UTF-16 text; save it as UTF-8 (in Word: Save As, Plain Text, Unicode (UTF-8))");
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        anyhow::anyhow!("cannot read {shown}: not UTF-8 text (invalid byte at offset {at}); brackets reads UTF-8 drafts")
    })
}

pub fn load(path: &Path) -> Result<Loaded> {
    let text = read_text(path)?;
    let actors = match Config::for_path(path)? {
        Some((_, config)) => Actors::with_config(&config.actors),
        None => Actors::builtin().clone(),
    };
    let doc = crate::parse::parse_with(&text, &actors);
    let shown = path.display().to_string();
    Ok(Loaded { label: shown.clone(), path: shown, actors, doc })
}

/// A draft reference: `PATH`, `PATH@REV` or `PATH@WORKTREE` (DESIGN section 3).
pub fn load_ref(reference: &str) -> Result<Loaded> {
    load(Path::new(reference))
}

/// For `brackets diff REF`: the iteration before REF and REF itself (HEAD and the working tree
/// when the file has uncommitted changes).
pub fn previous_and_current(reference: &str) -> Result<(Loaded, Loaded)> {
    bail!("cannot compare {reference} with its previous iteration: give two references")
}
