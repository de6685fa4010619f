//! Passwords and the delay after wrong ones: argon2id hashes (PHC strings, salt from the OS's
//! random source through `rand`), and a per-user wait after the third failure in a row — 15 seconds,
//! doubling with each further one up to 15 minutes — so guessing a password costs days, while a
//! person who mistypes waits a moment.
//!
//! Pure apart from the salt; [`super::Desk::login`] applies it with the store.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, FixedOffset};
use rand::RngCore;

/// Failures allowed before each further one adds a wait.
pub const FREE_FAILURES: i64 = 3;
/// The wait after the first failure beyond the free ones, in seconds.
pub const FIRST_DELAY_SECONDS: i64 = 15;
/// The longest wait, in seconds.
pub const MAX_DELAY_SECONDS: i64 = 900;
/// The shortest password a user may be given.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The argon2id hash of `password` with a fresh salt.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// A hash no password is expected to match, checked against when the user is unknown.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("kyufu: no such user").unwrap_or_default())
}

/// Whether `password` matches the stored hash (a hash that cannot be parsed matches nothing).
pub fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// After the `failures`-th wrong password in a row, how long until the next one is checked.
pub fn delay_after(failures: i64) -> Duration {
    if failures <= FREE_FAILURES {
        return Duration::zero();
    }
    let exp = (failures - FREE_FAILURES - 1).min(20) as u32;
    Duration::seconds((FIRST_DELAY_SECONDS << exp).min(MAX_DELAY_SECONDS))
}

/// Seconds still to wait at `now` before `retry_after` (RFC 3339), if any.
pub fn wait_left(retry_after: Option<&str>, now: DateTime<FixedOffset>) -> Option<i64> {
    let until = DateTime::parse_from_rfc3339(retry_after?).ok()?;
    let left = (until - now).num_milliseconds();
    (left > 0).then(|| (left + 999) / 1000)
}

/// A user name: 1–32 of ASCII letters, digits, `.`, `_`, `-` (it appears in decision.json and on
/// the web page; no room for look-alikes or control characters).
pub fn valid_user_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_matches_its_password_only() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(password_matches("correct horse", &h));
        assert!(!password_matches("correct hors", &h));
        assert!(!password_matches("correct horse", "not a hash"));
        assert_ne!(h, hash_password("correct horse").unwrap(), "salted");
    }

    #[test]
    fn the_wait_grows_after_three_failures_and_is_capped() {
        assert_eq!(delay_after(3), Duration::zero());
        assert_eq!(delay_after(4), Duration::seconds(15));
        assert_eq!(delay_after(5), Duration::seconds(30));
        assert_eq!(delay_after(6), Duration::seconds(60));
        assert_eq!(delay_after(10), Duration::seconds(900));
        assert_eq!(delay_after(100), Duration::seconds(MAX_DELAY_SECONDS));
    }

    #[test]
    fn user_names_are_plain_ascii() {
        assert!(valid_user_name("sato.k"));
        assert!(!valid_user_name(""));
        assert!(!valid_user_name("佐藤"));
        assert!(!valid_user_name("a\u{7}b"));
        assert!(!valid_user_name(&"a".repeat(33)));
    }
}
