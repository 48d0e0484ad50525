//! Helpers for free-text fields: trimming and bounds that every name-like field shares.

/// Trims and checks `min..=max` characters; `None` when out of bounds.
pub fn bounded(raw: &str, min: usize, max: usize) -> Option<String> {
    let t = raw.trim();
    let n = t.chars().count();
    (n >= min && n <= max).then(|| t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(bounded("  Acme ", 1, 10).as_deref(), Some("Acme"));
        assert_eq!(bounded("   ", 1, 10), None);
        assert_eq!(bounded("abcdef", 1, 5), None);
    }
}
