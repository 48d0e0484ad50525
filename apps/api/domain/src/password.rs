//! Plain-text passwords on their way to the hasher, checked against the policy and never printed.

use std::fmt;

/// Length bounds for new passwords; the minimum is configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_len: usize,
    pub max_len: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        // The seed's example password is "secure": six characters must work.
        Self {
            min_len: 6,
            max_len: 128,
        }
    }
}

/// A password that satisfies the policy. `Debug` never shows it.
#[derive(Clone)]
pub struct Password(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be between {min} and {max} characters")]
pub struct WeakPassword {
    pub min: usize,
    pub max: usize,
}

impl PasswordPolicy {
    pub fn check(&self, raw: String) -> Result<Password, WeakPassword> {
        let n = raw.chars().count();
        if n < self.min_len || n > self.max_len {
            return Err(WeakPassword {
                min: self.min_len,
                max: self.max_len,
            });
        }
        Ok(Password(raw))
    }
}

impl Password {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_bounds_and_redaction() {
        let p = PasswordPolicy::default();
        assert!(p.check("secure".into()).is_ok());
        assert!(p.check("short".into()).is_err());
        assert!(p.check("x".repeat(129)).is_err());
        let pw = p.check("hunter22".into()).map(|p| format!("{p:?}"));
        assert_eq!(pw.ok().as_deref(), Some("Password(***)"));
    }
}
