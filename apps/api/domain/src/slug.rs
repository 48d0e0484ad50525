//! Workspace slugs: derived from the name, lower-case ASCII, made unique by a numeric suffix.

/// `"Acme Corp."` → `"acme-corp"`; falls back to `"workspace"` when nothing is left.
pub fn slugify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed: String = out.trim_end_matches('-').chars().take(48).collect();
    let trimmed = trimmed.trim_end_matches('-');
    if trimmed.is_empty() {
        "workspace".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The `n`-th candidate for a slug: `acme`, `acme-2`, `acme-3` …
pub fn candidate(base: &str, n: u32) -> String {
    if n <= 1 {
        base.to_owned()
    } else {
        format!("{base}-{n}")
    }
}

/// A slug as a client may send it (login's `workspace`): same alphabet as `slugify` produces.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Acme"), "acme");
        assert_eq!(slugify("  Acme  Corp. "), "acme-corp");
        assert_eq!(slugify("¡Ñandú!"), "and");
        assert_eq!(slugify("***"), "workspace");
        assert_eq!(candidate("acme", 1), "acme");
        assert_eq!(candidate("acme", 2), "acme-2");
        assert!(is_valid("acme-2"));
        assert!(!is_valid("Acme"));
    }
}
