//! Sessions of the desk: a random token in an `HttpOnly; SameSite=Strict` cookie names a session in
//! memory (the user who logged in, the CSRF token every form of that session carries, when it
//! ends, and a message for the next page). A restart logs everybody out — on purpose: nothing about
//! a session is written to disk.
//!
//! Used by [`super::guard`] (which finds the session of a request) and the login page.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::review::Actor;

/// The cookie that carries the session token.
pub const SESSION_COOKIE: &str = "kyufu_session";
/// The cookie that carries the login form's CSRF token (before there is a session).
pub const LOGIN_COOKIE: &str = "kyufu_login";

/// A message carried to the next page (after a redirect).
#[derive(Debug, Clone, Default)]
pub struct Flash {
    pub message: String,
    /// The field to put the cursor on (its index on the case page).
    pub focus: Option<usize>,
}

/// A logged-in user's session.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub csrf: String,
    expires: Instant,
    flash: Option<Flash>,
}

/// What a request knows about its session (handed to handlers by the guard).
#[derive(Debug, Clone)]
pub struct Current {
    pub token: String,
    pub actor: Actor,
    pub csrf: String,
    pub flash: Option<Flash>,
}

/// Every live session, by token.
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
    lifetime: Duration,
}

impl Sessions {
    pub fn new(lifetime: Duration) -> Sessions {
        Sessions {
            map: Mutex::new(HashMap::new()),
            lifetime,
        }
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Starts a session for `actor`; returns its token.
    pub fn open(&self, actor: Actor) -> String {
        let token = token();
        let session = Session {
            actor,
            csrf: token_hex(),
            expires: Instant::now() + self.lifetime,
            flash: None,
        };
        let mut map = self.lock();
        let now = Instant::now();
        map.retain(|_, s| s.expires > now);
        map.insert(token.clone(), session);
        token
    }

    /// The session of `token` if it is live; takes its flash message. An expired one is removed.
    pub fn current(&self, token: &str) -> Option<Current> {
        let mut map = self.lock();
        let s = map.get_mut(token)?;
        if s.expires <= Instant::now() {
            map.remove(token);
            return None;
        }
        Some(Current {
            token: token.to_string(),
            actor: s.actor.clone(),
            csrf: s.csrf.clone(),
            flash: s.flash.take(),
        })
    }

    /// Leaves a message for the session's next page.
    pub fn flash(&self, token: &str, flash: Flash) {
        if let Some(s) = self.lock().get_mut(token) {
            s.flash = Some(flash);
        }
    }

    pub fn close(&self, token: &str) {
        self.lock().remove(token);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// 256 random bits, hex.
fn token_hex() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A fresh token (session or login form).
pub fn token() -> String {
    token_hex()
}

/// Compares two tokens in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, and Secure when configured.
pub fn set_cookie(name: &str, value: &str, max_age: Option<Duration>, secure: bool) -> String {
    let mut c = format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/");
    match max_age {
        Some(d) => c.push_str(&format!("; Max-Age={}", d.as_secs())),
        None => c.push_str("; Max-Age=0"),
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor() -> Actor {
        Actor::for_test(7, "sato", crate::review::Role::Staff)
    }

    #[test]
    fn a_session_ends_when_its_time_is_up_or_on_logout() {
        let expired = Sessions::new(Duration::ZERO);
        let t = expired.open(actor());
        assert!(expired.current(&t).is_none(), "expired at once");
        let live = Sessions::new(Duration::from_secs(60));
        let t = live.open(actor());
        let c = live.current(&t).expect("live");
        assert_eq!(c.actor.id(), 7);
        assert_eq!(c.csrf.len(), 64);
        assert_ne!(c.csrf, t, "the form token is not the cookie");
        live.flash(
            &t,
            Flash {
                message: "済".into(),
                focus: Some(2),
            },
        );
        assert_eq!(live.current(&t).unwrap().flash.unwrap().focus, Some(2));
        assert!(
            live.current(&t).unwrap().flash.is_none(),
            "a flash is shown once"
        );
        live.close(&t);
        assert!(live.current(&t).is_none());
        assert!(live.current("not-a-token").is_none());
    }

    #[test]
    fn tokens_compare_whole_and_cookies_are_found_by_name() {
        let t = token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, token());
        assert!(same_token(&t, &t.clone()));
        assert!(!same_token(&t, &t[..63]));
        assert!(!same_token("", ""));
        assert_eq!(
            cookie("a=1; kyufu_session=xyz; b=2", SESSION_COOKIE),
            Some("xyz")
        );
        assert_eq!(cookie("kyufu_session_x=1", SESSION_COOKIE), None);
        let c = set_cookie(SESSION_COOKIE, "v", Some(Duration::from_secs(60)), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("Secure"));
    }
}
