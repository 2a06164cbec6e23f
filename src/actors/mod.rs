//! Who takes positions: member states by ISO 3166-1 alpha-3 code, groups of states and roles
//! (Chair, co-facilitators, secretariat), and a repository's own aliases and groups.

mod builtin;

use crate::config::ActorsConfig;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Country,
    Group,
    Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// The canonical code: `USA`, `G77`, `Chair`.
    pub code: String,
    pub name: String,
    pub kind: ActorKind,
    /// Member codes of a group, when known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// The actors a parser recognises.
#[derive(Debug, Clone)]
pub struct Actors {
    list: Vec<Actor>,
    /// Codes and aliases exactly as written.
    exact: HashMap<String, usize>,
    /// Lower-cased codes and aliases of groups and roles, which drafts write in any case
    /// (`Chair`, `CHAIR`). Country codes are matched in capitals only in free text, so that a
    /// note starting with "can" is not read as Canada.
    folded: HashMap<String, usize>,
    /// Lower-cased country codes, for the unambiguous `usa+` form.
    folded_countries: HashMap<String, usize>,
}

static BUILTIN: LazyLock<Actors> = LazyLock::new(Actors::build_builtin);

impl Actors {
    /// ISO 3166-1 countries plus the usual groups and roles.
    pub fn builtin() -> &'static Actors {
        &BUILTIN
    }

    fn build_builtin() -> Actors {
        let mut actors = Actors {
            list: Vec::with_capacity(300),
            exact: HashMap::with_capacity_and_hasher(400, Default::default()),
            folded: HashMap::default(),
            folded_countries: HashMap::with_capacity_and_hasher(300, Default::default()),
        };
        for country in rust_iso3166::ALL {
            actors.add(Actor {
                code: country.alpha3.to_string(),
                name: builtin::country_name(country.alpha3, country.name).to_string(),
                kind: ActorKind::Country,
                members: Vec::new(),
            });
        }
        for (code, name, kind, aliases) in builtin::GROUPS_AND_ROLES {
            actors.add(Actor {
                code: code.to_string(),
                name: name.to_string(),
                kind: *kind,
                members: Vec::new(),
            });
            for alias in *aliases {
                actors.alias(alias, code);
            }
        }
        for (alias, code) in builtin::COUNTRY_ALIASES {
            actors.alias(alias, code);
        }
        actors
    }

    /// The actors for a draft at `path`: the built-in ones, with the aliases and groups of the
    /// repository's `.brackets.toml` when there is one (borrowed when there is none).
    pub fn for_draft(
        path: &std::path::Path,
    ) -> Result<std::borrow::Cow<'static, Actors>, crate::config::ConfigError> {
        Ok(match crate::config::Config::for_path(path)? {
            Some((_, config)) => std::borrow::Cow::Owned(Actors::with_config(&config.actors)),
            None => std::borrow::Cow::Borrowed(Actors::builtin()),
        })
    }

    /// The built-in actors with a repository's aliases and groups added.
    pub fn with_config(config: &ActorsConfig) -> Actors {
        let mut actors = Actors::builtin().clone();
        for group in &config.groups {
            let actor = Actor {
                code: group.code.clone(),
                name: group.name.clone().unwrap_or_else(|| group.code.clone()),
                kind: ActorKind::Group,
                members: group.members.clone(),
            };
            match actors.exact.get(&group.code) {
                Some(&i) => actors.list[i] = actor,
                None => actors.add(actor),
            }
        }
        for (alias, code) in &config.aliases {
            actors.alias(alias, code);
        }
        actors
    }

    fn add(&mut self, actor: Actor) {
        let i = self.list.len();
        self.exact.insert(actor.code.clone(), i);
        let folded = actor.code.to_lowercase();
        if actor.kind == ActorKind::Country {
            self.folded_countries.insert(folded, i);
        } else {
            self.folded.insert(folded, i);
        }
        self.list.push(actor);
    }

    fn alias(&mut self, alias: &str, code: &str) {
        if let Some(&i) = self.exact.get(code) {
            self.exact.insert(alias.to_string(), i);
            if self.list[i].kind != ActorKind::Country {
                self.folded.insert(alias.to_lowercase(), i);
            }
        }
    }

    /// The actor a code stands for, as written in an attribution (`USA`, `Chair`, `chair`,
    /// `G-77`, a configured alias). Country codes must be in capitals here.
    pub fn resolve(&self, written: &str) -> Option<&Actor> {
        self.exact
            .get(written)
            .or_else(|| self.folded.get(&written.to_lowercase()))
            .map(|&i| &self.list[i])
    }

    /// Like `resolve`, but also accepts country codes in any case (`usa+` is unambiguous).
    pub fn resolve_any_case(&self, written: &str) -> Option<&Actor> {
        self.resolve(written).or_else(|| {
            self.folded_countries
                .get(&written.to_lowercase())
                .map(|&i| &self.list[i])
        })
    }

    /// Every known actor code, for completion.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|a| a.code.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::GroupConfig;

    #[test]
    fn countries_have_english_names() {
        let usa = Actors::builtin().resolve("USA").unwrap();
        assert!(usa.name.contains("United States"), "{}", usa.name);
        assert_eq!(usa.kind, ActorKind::Country);
        assert_eq!(
            Actors::builtin().resolve("PSE").unwrap().name,
            "State of Palestine"
        );
    }

    #[test]
    fn roles_in_any_case_and_aliases() {
        let a = Actors::builtin();
        assert_eq!(a.resolve("Chair").unwrap().code, "Chair");
        assert_eq!(a.resolve("CHAIR").unwrap().code, "Chair");
        assert_eq!(a.resolve("G-77").unwrap().code, "G77");
        assert_eq!(a.resolve("UK").unwrap().code, "GBR");
        assert_eq!(a.resolve("Co-facilitators").unwrap().code, "CoFac");
    }

    #[test]
    fn lower_case_country_codes_only_when_asked() {
        let a = Actors::builtin();
        assert!(a.resolve("can").is_none());
        assert_eq!(a.resolve_any_case("usa").unwrap().code, "USA");
    }

    #[test]
    fn config_adds_groups_and_aliases() {
        let mut config = ActorsConfig::default();
        config.aliases.insert("Britain".into(), "GBR".into());
        config.groups.push(GroupConfig {
            code: "NORDIC".into(),
            name: Some("Nordic countries".into()),
            members: vec!["DNK".into(), "FIN".into()],
        });
        let a = Actors::with_config(&config);
        assert_eq!(a.resolve("Britain").unwrap().code, "GBR");
        let nordic = a.resolve("NORDIC").unwrap();
        assert_eq!(nordic.members, vec!["DNK", "FIN"]);
        assert!(Actors::builtin().resolve("NORDIC").is_none());
    }
}
