//! The draft globs of `.brackets.toml`: `*` and `?` within one path component, `**` across
//! components. As in a shell, a wildcard never matches a leading `.`, so hidden folders and
//! files are left out unless a glob names them.

/// Whether `path` (components separated by `/`) matches `glob`.
pub fn matches(glob: &str, path: &str) -> bool {
    let pattern: Vec<&str> = glob.split('/').filter(|c| !c.is_empty()).collect();
    let parts: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    match_components(&pattern, &parts)
}

fn match_components(pattern: &[&str], parts: &[&str]) -> bool {
    match pattern.split_first() {
        None => parts.is_empty(),
        Some((&"**", rest)) => {
            // `**` takes zero or more components, none of them hidden.
            for skip in 0..=parts.len() {
                if match_components(rest, &parts[skip..]) {
                    return true;
                }
                if skip < parts.len() && parts[skip].starts_with('.') {
                    return false;
                }
            }
            false
        }
        Some((first, rest)) => match parts.split_first() {
            Some((part, others)) => match_component(first, part) && match_components(rest, others),
            None => false,
        },
    }
}

fn match_component(pattern: &str, name: &str) -> bool {
    if name.starts_with('.') && !pattern.starts_with('.') {
        return false;
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative wildcard matching with one backtrack point: linear for the globs people write.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn globs() {
        assert!(matches("**/*.md", "a.md"));
        assert!(matches("**/*.md", "resolution/x/a.md"));
        assert!(!matches("**/*.md", ".github/a.md"));
        assert!(!matches("**/*.md", "docs/.hidden.md"));
        assert!(!matches("**/*.md", "a.txt"));
        assert!(matches("drafts/*.txt", "drafts/rev 1.txt"));
        assert!(!matches("drafts/*.txt", "drafts/sub/rev1.txt"));
        assert!(matches(".drafts/**/*.md", ".drafts/a/b.md"));
        assert!(matches("r?v*.md", "rev1.md"));
    }
}
