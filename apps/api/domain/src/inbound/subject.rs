//! Ticket numbers in subjects: `[#42]` or `[Acme #42]`, as our notifications write them.

/// The number in the first `[… #N]` of `subject`, if any.
pub fn ticket_number(subject: &str) -> Option<i64> {
    let mut rest = subject;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after.find(']')?;
        let inside = &after[..close];
        if let Some((_, digits)) = inside.rsplit_once('#')
            && !digits.is_empty()
            && digits.len() <= 18
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return digits.parse().ok();
        }
        rest = &after[close + 1..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_number_our_subjects_carry() {
        assert_eq!(ticket_number("Re: [Acme #42] Printer"), Some(42));
        assert_eq!(ticket_number("[#7] x"), Some(7));
        assert_eq!(ticket_number("[draft] AW: [Acme IT #1234] VPN"), Some(1234));
        for none in ["#42 printer", "[Acme #] x", "[#4a2]", "[#42", "no number"] {
            assert_eq!(ticket_number(none), None, "{none}");
        }
    }
}
