//! The bundled example negotiation (`drafts/` in the project), compiled into the binary and
//! materialised as a git repository under the user's cache folder for `brackets demo`.
//!
//! The repository is rebuilt only when the example changes: a hash of every bundled file is
//! kept inside its `.git` folder (so `git status` stays clean). A rebuild happens in a
//! temporary folder beside it and is moved into place with a rename, so a reader never sees a
//! half-built repository.

use crate::repo::import::{self, ImportError, Planned};
use std::path::{Path, PathBuf};

/// One bundled file, by its path under `drafts/`.
pub struct File {
    pub path: &'static str,
    pub text: &'static str,
}

macro_rules! bundled {
    ($($path:literal),* $(,)?) => {
        &[$(File { path: $path, text: include_str!(concat!("../../drafts/", $path)) }),*]
    };
}

/// Every file of `drafts/`; a test fails when one there is missing here.
pub const FILES: &[File] = bundled![
    "smart-cities-resolution/iterations.json",
    "smart-cities-resolution/01-zero-draft.md",
    "smart-cities-resolution/02-compilation-1.md",
    "smart-cities-resolution/03-rev1.md",
    "smart-cities-resolution/04-compilation-2.md",
    "smart-cities-resolution/05-rev2.md",
    "smart-cities-resolution/06-adopted.md",
    "smart-cities-guidelines/iterations.json",
    "smart-cities-guidelines/01-zero-draft.md",
    "smart-cities-guidelines/02-second-draft.md",
    "smart-cities-guidelines/03-third-draft.md",
];

/// The documents of the example: folders under `drafts/` holding an `iterations.json`.
pub const DOCUMENTS: &[&str] = &["smart-cities-resolution", "smart-cities-guidelines"];

/// Bumped when the way the repository is built changes, so old caches are rebuilt.
const LAYOUT: &str = "brackets-demo-1";

/// Where the hash of the example a repository was built from is kept, inside `.git`.
const HASH_FILE: &str = "brackets-example-hash";

/// The environment variable that overrides the cache folder (tests, sandboxes).
pub const CACHE_ENV: &str = "BRACKETS_CACHE_DIR";

#[derive(Debug, thiserror::Error)]
pub enum ExampleError {
    #[error("no cache folder on this system; set {CACHE_ENV} to a folder brackets may write to")]
    NoCacheDir,
    #[error("bundled example file {0} is missing from the binary")]
    Missing(String),
    #[error("cannot build the example repository at {path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("cannot build the example repository: {0}")]
    // Not `#[from]`: that would make the import error a `source` too, and `{:#}` would print
    // its message twice.
    Import(ImportError),
}

impl From<ImportError> for ExampleError {
    fn from(e: ImportError) -> Self {
        ExampleError::Import(e)
    }
}

/// The example repository on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demo {
    pub path: PathBuf,
    /// Built by this call (first use, or the example changed).
    pub rebuilt: bool,
}

/// A stable hash (FNV-1a, 64 bits) of the bundled files: the same on every platform and Rust
/// version, unlike `DefaultHasher`.
pub fn hash() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes.iter().chain(&[0u8]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(LAYOUT.as_bytes());
    for f in FILES {
        feed(f.path.as_bytes());
        feed(f.text.as_bytes());
    }
    format!("{h:016x}")
}

pub fn file(path: &str) -> Option<&'static str> {
    FILES.iter().find(|f| f.path == path).map(|f| f.text)
}

/// The iterations of both documents, interleaved by date as the negotiation went.
pub fn plan() -> Result<Vec<Planned>, ExampleError> {
    let mut all = Vec::new();
    for doc in DOCUMENTS {
        let manifest_path = format!("{doc}/{}", import::MANIFEST);
        let manifest =
            file(&manifest_path).ok_or_else(|| ExampleError::Missing(manifest_path.clone()))?;
        let planned = import::plan(manifest, Path::new(&manifest_path), |name| {
            let path = format!("{doc}/{name}");
            file(&path)
                .map(str::to_string)
                .ok_or_else(|| ImportError::Manifest {
                    path: PathBuf::from(&manifest_path),
                    message: format!("bundled file {path} is missing"),
                })
        })?;
        all.extend(planned);
    }
    // Stable: iterations of one document keep their order when dates tie.
    all.sort_by_key(|p| p.seconds);
    Ok(all)
}

/// `BRACKETS_CACHE_DIR`, or the system cache folder, joined with `brackets`.
pub fn cache_root() -> Result<PathBuf, ExampleError> {
    match std::env::var_os(CACHE_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => dirs::cache_dir()
            .map(|d| d.join("brackets"))
            .ok_or(ExampleError::NoCacheDir),
    }
}

/// The example repository under the cache folder, built when missing or out of date.
pub fn materialise() -> Result<Demo, ExampleError> {
    materialise_in(&cache_root()?)
}

/// The example repository at `root/demo`, built when missing or out of date.
pub fn materialise_in(root: &Path) -> Result<Demo, ExampleError> {
    let target = root.join("demo");
    let want = hash();
    if built_hash(&target).as_deref() == Some(want.as_str()) {
        return Ok(Demo {
            path: target,
            rebuilt: false,
        });
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ExampleError::Io {
            path,
            cause: source,
        }
    };
    std::fs::create_dir_all(root).map_err(io(root))?;
    let unique = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    let building = root.join(format!(".demo-building-{unique}"));
    let result = build(&building, &want);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&building);
        return Err(e);
    }
    // Move the old repository aside first: a rename cannot replace a non-empty folder.
    let old = root.join(format!(".demo-old-{unique}"));
    let had_old = match std::fs::rename(&target, &old) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(source) => {
            let _ = std::fs::remove_dir_all(&building);
            return Err(ExampleError::Io {
                path: target,
                cause: source,
            });
        }
    };
    if let Err(source) = std::fs::rename(&building, &target) {
        let _ = std::fs::remove_dir_all(&building);
        // Another brackets process may have put an up-to-date repository in place meanwhile.
        if built_hash(&target).as_deref() == Some(want.as_str()) {
            if had_old {
                let _ = std::fs::remove_dir_all(&old);
            }
            return Ok(Demo {
                path: target,
                rebuilt: false,
            });
        }
        return Err(ExampleError::Io {
            path: target,
            cause: source,
        });
    }
    if had_old {
        // Only a cache: failing to remove the stale copy is not worth an error.
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(Demo {
        path: target,
        rebuilt: true,
    })
}

fn build(dir: &Path, hash: &str) -> Result<(), ExampleError> {
    import::apply(dir, &plan()?)?;
    let file = dir.join(".git").join(HASH_FILE);
    std::fs::write(&file, format!("{hash}\n")).map_err(|source| ExampleError::Io {
        path: file,
        cause: source,
    })
}

/// The hash recorded in a built example repository, if any.
pub fn built_hash(repo: &Path) -> Option<String> {
    std::fs::read_to_string(repo.join(".git").join(HASH_FILE))
        .ok()
        .map(|s| s.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_drafts_is_bundled() {
        let drafts = Path::new(env!("CARGO_MANIFEST_DIR")).join("drafts");
        let mut on_disk = Vec::new();
        for doc in std::fs::read_dir(&drafts).unwrap() {
            let doc = doc.unwrap();
            if !doc.file_type().unwrap().is_dir() {
                continue;
            }
            for f in std::fs::read_dir(doc.path()).unwrap() {
                let f = f.unwrap();
                on_disk.push(format!(
                    "{}/{}",
                    doc.file_name().to_string_lossy(),
                    f.file_name().to_string_lossy()
                ));
            }
            assert!(
                DOCUMENTS.contains(&doc.file_name().to_string_lossy().as_ref()),
                "drafts/{} is not listed in example::DOCUMENTS",
                doc.file_name().to_string_lossy()
            );
        }
        for path in &on_disk {
            assert!(
                file(path).is_some(),
                "drafts/{path} is not bundled: add it to example::FILES"
            );
        }
        assert_eq!(
            on_disk.len(),
            FILES.len(),
            "example::FILES lists a file that is not in drafts/"
        );
    }

    #[test]
    fn the_plan_interleaves_both_documents_by_date() {
        let plan = plan().unwrap();
        assert_eq!(plan.len(), 9);
        assert!(plan.windows(2).all(|w| w[0].seconds <= w[1].seconds));
    }
}
