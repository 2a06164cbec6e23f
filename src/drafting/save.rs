//! Saving a draft without losing anyone's words: the file is replaced atomically, and only
//! when it still holds what the editor loaded. A draft that is a symbolic link is saved
//! through the link (its target is replaced, the link stays a link), and only when the target
//! is inside the link's repository; a dangling link is refused.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What a file held when it was loaded: its length and a 64-bit FNV-1a hash of its bytes.
/// Enough to notice another editor or a `git pull` (not a defence against an adversary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    len: u64,
    hash: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Fingerprint {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Fingerprint {
            len: bytes.len() as u64,
            hash,
        }
    }

    /// The fingerprint of the file as it is on disk now.
    pub fn of_file(path: &Path) -> Result<Fingerprint, SaveError> {
        std::fs::read(path)
            .map(|b| Fingerprint::of(&b))
            .map_err(|source| SaveError::Io {
                path: path.to_path_buf(),
                source,
            })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Someone else changed (or removed) the file since it was loaded; the caller decides
    /// whether to overwrite (`save` with the new fingerprint) or reload.
    #[error("{} changed on disk since it was loaded", path.display())]
    ChangedOnDisk {
        path: PathBuf,
        /// What is on disk now; `None` when the file is gone.
        now: Option<Fingerprint>,
    },
    /// The file is binary or not UTF-8 (`repo::text`'s rule, as when reading it).
    #[error("{}: {reason}", path.display())]
    NotText {
        path: PathBuf,
        reason: crate::repo::NotText,
    },
    #[error(
        "{} is a symbolic link to {}, outside the repository at {}; brackets does not write there",
        path.display(), target.display(), repo.display()
    )]
    LinkOutside {
        path: PathBuf,
        target: PathBuf,
        repo: PathBuf,
    },
    #[error("{} is a symbolic link to {}, which does not exist", path.display(), target.display())]
    DanglingLink { path: PathBuf, target: PathBuf },
    #[error("cannot save {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Reads a draft for editing: its text and the fingerprint of the very bytes read, to pass
/// to `save` later.
pub fn load(path: &Path) -> Result<(String, Fingerprint), SaveError> {
    let bytes = std::fs::read(path).map_err(|source| SaveError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let fingerprint = Fingerprint::of(&bytes);
    let text = crate::repo::draft_text(bytes).map_err(|reason| SaveError::NotText {
        path: path.to_path_buf(),
        reason,
    })?;
    Ok((text, fingerprint))
}

/// Writes `new_text` to `path` atomically (a temporary file in the same folder, synced, then
/// renamed over it), refusing when the file no longer matches `loaded`. `loaded: None` means
/// the file did not exist when loaded and must still not exist. Returns the new fingerprint.
pub fn save(
    path: &Path,
    new_text: &str,
    loaded: Option<Fingerprint>,
) -> Result<Fingerprint, SaveError> {
    let target = write_target(path)?;
    save_to(&target, new_text, loaded)
}

/// The file a save writes: `path` itself, or the target of the symbolic link `path` is, when
/// it exists and is inside the link's repository (when the link is in one).
fn write_target(path: &Path) -> Result<PathBuf, SaveError> {
    let io = |source| SaveError::Io {
        path: path.to_path_buf(),
        source,
    };
    // A folder on the way that is a link out of the repository is refused like a file link.
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let probe = match path.parent() {
        Some(dir) if !is_link && !path.exists() && !dir.as_os_str().is_empty() => dir,
        _ => path,
    };
    if let Err(crate::repo::RepoError::LinkOutside { target, repo, .. }) =
        crate::repo::check_links(probe)
    {
        return Err(SaveError::LinkOutside {
            path: path.to_path_buf(),
            target,
            repo,
        });
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {}
        Ok(_) => return Ok(path.to_path_buf()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => return Err(io(e)),
    }
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SaveError::DanglingLink {
                path: path.to_path_buf(),
                target: std::fs::read_link(path).unwrap_or_default(),
            });
        }
        Err(e) => return Err(io(e)),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(git) = git2::Repository::discover(dir)
        && let Some(workdir) = git.workdir()
    {
        let repo = std::fs::canonicalize(workdir).map_err(io)?;
        // Inside the working tree, and not inside its git directory.
        let git_dir = std::fs::canonicalize(git.path()).unwrap_or_else(|_| repo.join(".git"));
        if !target.starts_with(&repo) || target.starts_with(&git_dir) {
            return Err(SaveError::LinkOutside {
                path: path.to_path_buf(),
                target,
                repo,
            });
        }
    }
    Ok(target)
}

fn save_to(
    path: &Path,
    new_text: &str,
    loaded: Option<Fingerprint>,
) -> Result<Fingerprint, SaveError> {
    let io = |source| SaveError::Io {
        path: path.to_path_buf(),
        source,
    };
    let now = match std::fs::read(path) {
        Ok(bytes) => Some(Fingerprint::of(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    if now != loaded {
        return Err(SaveError::ChangedOnDisk {
            path: path.to_path_buf(),
            now,
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    let tmp = temp_path(&dir, &name);
    let written = write_synced(&tmp, path, new_text);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    // Checked again just before the rename, so the window for a lost update is tiny.
    let again = match std::fs::read(path) {
        Ok(bytes) => Some(Fingerprint::of(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
    };
    if again != loaded {
        let _ = std::fs::remove_file(&tmp);
        return Err(SaveError::ChangedOnDisk {
            path: path.to_path_buf(),
            now: again,
        });
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    // The rename itself is durable once the folder is synced; not every platform allows
    // opening a folder, so a failure here is not an error.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    remove_orphan_temporaries(&dir, &name);
    Ok(Fingerprint::of(new_text.as_bytes()))
}

/// Temporary files of this draft left by a process that was killed while saving: only those
/// of processes that no longer exist, where that can be told (Linux's `/proc`).
fn remove_orphan_temporaries(dir: &Path, name: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(".tmp"))
        else {
            continue;
        };
        let mut parts = rest.split('.');
        let (Some(pid), Some(n), None) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if pid.parse::<u32>().is_err() || n.parse::<u64>().is_err() {
            continue;
        }
        if pid != std::process::id().to_string() && !proc.join(pid).exists() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A name for the temporary file next to the draft, unique in this process and not taken.
fn temp_path(dir: &Path, name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Writes and syncs the temporary file, with the draft's permissions when it has any.
fn write_synced(tmp: &Path, original: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)?;
    if let Ok(meta) = std::fs::metadata(original) {
        file.set_permissions(meta.permissions())?;
    }
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
