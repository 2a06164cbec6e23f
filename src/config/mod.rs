//! A repository's own settings, in `.brackets.toml` at its root.
//!
//! ```toml
//! [actors.aliases]
//! Britain = "GBR"
//!
//! [[actors.groups]]
//! code = "NORDIC"
//! name = "Nordic countries"
//! members = ["DNK", "FIN", "ISL", "NOR", "SWE"]
//!
//! [drafts]
//! # Which files are drafts (default: every .md and .txt file outside hidden folders).
//! globs = ["resolutions/**/*.md"]
//! ```

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".brackets.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub actors: ActorsConfig,
    #[serde(default)]
    pub drafts: DraftsConfig,
}

/// Which files of the repository are drafts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftsConfig {
    /// Globs over `/`-separated paths from the repository root: `*` and `?` within a folder
    /// name, `**` across folders; wildcards skip hidden (dot) files and folders.
    #[serde(default = "default_draft_globs")]
    pub globs: Vec<String>,
}

fn default_draft_globs() -> Vec<String> {
    vec!["**/*.md".into(), "**/*.txt".into()]
}

impl Default for DraftsConfig {
    fn default() -> Self {
        DraftsConfig {
            globs: default_draft_globs(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorsConfig {
    /// Another way of writing an actor's code: `UK = "GBR"`.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    #[serde(default)]
    pub groups: Vec<GroupConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    pub code: String,
    pub name: Option<String>,
    #[serde(default)]
    pub members: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        })
    }

    /// The configuration that applies to a draft at `path`: the nearest `.brackets.toml` in its
    /// folder or a parent, stopping at the repository root (the folder holding `.git`).
    pub fn for_path(path: &Path) -> Result<Option<(PathBuf, Config)>, ConfigError> {
        let start = if path.is_dir() {
            Some(path)
        } else {
            path.parent()
        };
        let Some(start) = start else { return Ok(None) };
        let start = if start.as_os_str().is_empty() {
            Path::new(".")
        } else {
            start
        };
        let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
        for dir in start.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                let text =
                    std::fs::read_to_string(&candidate).map_err(|source| ConfigError::Read {
                        path: candidate.clone(),
                        source,
                    })?;
                return Config::from_toml(&text, &candidate).map(|c| Some((candidate, c)));
            }
            if dir.join(".git").exists() {
                break;
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_aliases_and_groups() {
        let config = Config::from_toml(
            "[actors.aliases]\nBritain = \"GBR\"\n\n[[actors.groups]]\ncode = \"NORDIC\"\nmembers = [\"DNK\"]\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(config.actors.aliases["Britain"], "GBR");
        assert_eq!(config.actors.groups[0].code, "NORDIC");
    }

    #[test]
    fn draft_globs_default_and_configured() {
        let config = Config::from_toml("", Path::new("x.toml")).unwrap();
        assert_eq!(config.drafts.globs, ["**/*.md", "**/*.txt"]);
        let config =
            Config::from_toml("[drafts]\nglobs = [\"texts/*.txt\"]\n", Path::new("x.toml"))
                .unwrap();
        assert_eq!(config.drafts.globs, ["texts/*.txt"]);
    }

    #[test]
    fn unknown_keys_are_reported_with_the_path() {
        let err =
            Config::from_toml("[actor]\nx = 1\n", Path::new("repo/.brackets.toml")).unwrap_err();
        assert!(err.to_string().contains("repo/.brackets.toml"), "{err}");
    }

    #[test]
    fn found_in_a_parent_folder_up_to_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
        std::fs::create_dir_all(dir.path().join("repo/drafts")).unwrap();
        std::fs::write(
            dir.path().join("repo").join(FILE_NAME),
            "[actors.aliases]\nX = \"USA\"\n",
        )
        .unwrap();
        let (path, config) = Config::for_path(&dir.path().join("repo/drafts/a.md"))
            .unwrap()
            .unwrap();
        assert!(path.ends_with(FILE_NAME));
        assert_eq!(config.actors.aliases["X"], "USA");
        // Above the repository root nothing is read.
        std::fs::write(dir.path().join(FILE_NAME), "garbage").unwrap();
        std::fs::remove_file(dir.path().join("repo").join(FILE_NAME)).unwrap();
        assert!(
            Config::for_path(&dir.path().join("repo/drafts/a.md"))
                .unwrap()
                .is_none()
        );
    }
}
