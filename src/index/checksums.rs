//! The checksums of the index's segment files, checked before tantivy opens them.
//!
//! tantivy trusts the offsets and lengths it reads when it opens a segment: a damaged byte
//! there makes it panic, which [`super::guarded`] catches, or ask for petabytes, which aborts
//! the process and cannot be caught. Every segment file ends with a CRC of its contents, so a
//! file is read whole and checked before it is opened. Reading all of a 120 MB index costs about
//! 40 ms, so a file that passed is recorded (size, times, inode) in `index.checked` beside the
//! index and not read again until one of those changes. Segment files are written once and
//! never changed by tantivy, so a change means damage or a new index.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A file changed within this long of its check is not recorded: the file system's clock may
/// be too coarse for a later write to show in its times.
const SETTLED: Duration = Duration::from_secs(2);

#[derive(Default, Serialize, Deserialize)]
struct Checked {
    /// File name to the identity it had when its checksum passed.
    files: BTreeMap<String, String>,
}

/// Checks the files of the segments `index` searches. `Err` says which file is damaged.
pub(crate) fn check(index: &tantivy::Index, dir: &Path) -> Result<(), String> {
    let segments: HashSet<String> = index
        .searchable_segment_metas()
        .map_err(|e| format!("cannot read its list of segments: {e}"))?
        .iter()
        .map(|meta| meta.id().uuid_string())
        .collect();
    let record = record_path(dir);
    let before: Checked = std::fs::read(&record)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list it: {e}"))?;
    let now = SystemTime::now();
    let mut after = Checked::default();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let segment = name.split('.').next().unwrap_or_default();
        if !segments.contains(segment) {
            continue;
        }
        // A file gone meanwhile was collected by a writer; tantivy reports it if it is needed.
        let Ok(meta) = entry.metadata() else { continue };
        let identity = identity(&meta);
        if before.files.get(&name) != Some(&identity) {
            match index.directory().validate_checksum(Path::new(&name)) {
                Ok(true) => {}
                Ok(false) => return Err(format!("{name} fails its checksum")),
                Err(tantivy::directory::error::OpenReadError::FileDoesNotExist(_)) => continue,
                Err(e) => return Err(format!("{name} cannot be checked: {e}")),
            }
        }
        let settled = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= SETTLED);
        if settled {
            after.files.insert(name, identity);
        }
    }
    if after.files != before.files {
        // A cache: when it cannot be written, the files are checked again next time.
        let _ = write_record(&record, &after);
    }
    Ok(())
}

fn record_path(dir: &Path) -> std::path::PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    dir.with_file_name(format!("{name}.checked"))
}

/// Written beside the record and renamed over it, so that a reader never sees half of it.
fn write_record(record: &Path, checked: &Checked) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(checked).map_err(std::io::Error::other)?;
    let name = record
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = record.with_file_name(format!(".{name}.{}", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, record).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!(
        "{} {}.{} {}.{} {}",
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
        meta.ino()
    )
}

#[cfg(not(unix))]
fn identity(meta: &std::fs::Metadata) -> String {
    let modified = meta
        .modified()
        .ok()
        .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{} {modified}", meta.len())
}
