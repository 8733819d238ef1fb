//! Signing in: roles, password hashes, session tokens and the extractor every page uses to know
//! who is asking. Passwords are checked against argon2 hashes; the session cookie carries a
//! random token whose hash alone is stored.

use crate::AppState;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use blake2::{Blake2b256, Digest};

/// The cookie that holds the session token.
pub const SESSION_COOKIE: &str = "hearth_session";

/// A session unused for this long is over.
pub const IDLE: chrono::Duration = chrono::Duration::minutes(30);

/// After this many wrong passwords in a row, an account is locked until an administrator
/// resets it.
pub const LOCK_AFTER: i64 = 5;

/// What someone does in children's services, which decides their home page (and, with the
/// recording issue, what they may read and record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Practitioner,
    TeamManager,
    ServiceManager,
    Director,
    Iro,
    PerformanceOfficer,
    PartnerAgency,
    Administrator,
    BoardMember,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Practitioner,
        Role::TeamManager,
        Role::ServiceManager,
        Role::Director,
        Role::Iro,
        Role::PerformanceOfficer,
        Role::PartnerAgency,
        Role::Administrator,
        Role::BoardMember,
    ];

    /// The name kept in the database.
    pub fn slug(self) -> &'static str {
        match self {
            Role::Practitioner => "practitioner",
            Role::TeamManager => "team_manager",
            Role::ServiceManager => "service_manager",
            Role::Director => "director",
            Role::Iro => "iro",
            Role::PerformanceOfficer => "performance_officer",
            Role::PartnerAgency => "partner_agency",
            Role::Administrator => "administrator",
            Role::BoardMember => "board_member",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Practitioner => "Social worker",
            Role::TeamManager => "Team manager",
            Role::ServiceManager => "Service manager",
            Role::Director => "Head of service or director",
            Role::Iro => "Independent reviewing officer",
            Role::PerformanceOfficer => "Performance officer",
            Role::PartnerAgency => "Partner agency",
            Role::Administrator => "Administrator",
            Role::BoardMember => "Improvement board member",
        }
    }

    pub fn from_slug(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.slug() == s)
    }
}

/// An argon2id hash of a password, with a fresh random salt, as a PHC string.
pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 hashes any password with its default parameters")
        .to_string()
}

/// Whether a password matches a stored hash. A malformed hash matches nothing.
pub fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to check against when the user does not exist, made once.
pub fn dummy_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no such user")).clone()
}

/// A new session token for the cookie, and the hash the database keeps.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Blake2b256::digest(token.as_bytes()))
}

/// The token a session's forms carry: derived from the session's secret, so it needs no
/// storage, differs from the hash the database keeps, and cannot be known to another site.
pub fn form_token(token: &str) -> String {
    let mut h = Blake2b256::new();
    h.update(b"hearth form\0");
    h.update(token.as_bytes());
    hex::encode(h.finalize())
}

/// Whether a submitted form carries the token of the session whose cookie came with it.
pub fn form_token_matches(headers: &HeaderMap, submitted: &str) -> bool {
    token(headers).is_some_and(|t| same(&form_token(t), submitted))
}

/// The session cookie for a token: not readable by scripts, sent only over HTTPS (browsers treat
/// the loopback address as secure, so the demo works over plain HTTP), and not sent with requests
/// other sites start.
pub fn session_cookie(token: &str) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Lax")
}

pub fn cleared_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0")
}

/// The session token a request carries, if any.
pub fn token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
}

/// The value of a cookie a request carries, if any and not empty.
fn cookie<'h>(headers: &'h HeaderMap, wanted: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

/// Before anyone is signed in there is no session to tie the sign-in form to, so the form and
/// a cookie only this site can set carry the same random value, and a sign-in is taken only
/// when the two agree: another site cannot sign a browser in to an account of its choosing.
pub const SIGN_IN_COOKIE: &str = "hearth_sign_in";

/// A new sign-in form token and the cookie that carries it, for the sign-in page only.
pub fn new_sign_in_token() -> (String, String) {
    let (token, _) = new_token();
    let cookie = format!(
        "{SIGN_IN_COOKIE}={token}; Path=/sign-in; HttpOnly; Secure; SameSite=Strict; Max-Age=3600"
    );
    (token, cookie)
}

/// Clears the sign-in form's cookie once someone has signed in.
pub fn cleared_sign_in_cookie() -> String {
    format!("{SIGN_IN_COOKIE}=; Path=/sign-in; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// Whether a sign-in form carries the value of the sign-in cookie that came with it.
pub fn sign_in_token_matches(headers: &HeaderMap, submitted: &str) -> bool {
    cookie(headers, SIGN_IN_COOKIE).is_some_and(|expected| same(expected, submitted))
}

/// Compares two tokens in full whatever differs, so the time taken says nothing of either.
fn same(expected: &str, submitted: &str) -> bool {
    expected.len() == submitted.len()
        && expected
            .bytes()
            .zip(submitted.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Why a sign-in was refused, in words for the person signing in.
#[derive(Debug)]
pub struct SignInRefused {
    pub status: StatusCode,
    pub message: &'static str,
}

/// Checks a user name and password and starts a session, returning its token. Used by the
/// sign-in page and the API alike, so both lock an account after the same failures.
pub async fn start_session(
    state: &AppState,
    username: &str,
    password: String,
) -> Result<String, SignInRefused> {
    let refuse = |status, message| Err(SignInRefused { status, message });
    let unavailable = "Hearth cannot reach its database. Try again in a few minutes.";
    let user = match state.store.user(username).await {
        Ok(u) => u,
        Err(e) => {
            tracing::error!("could not read a user: {e}");
            return refuse(StatusCode::SERVICE_UNAVAILABLE, unavailable);
        }
    };
    let wrong = "The user name or password is not right";
    let Some(user) = user else {
        // Hash anyway, so that a name that does not exist takes as long as a wrong password.
        let _ =
            tokio::task::spawn_blocking(move || password_matches(&password, &dummy_hash())).await;
        tracing::info!(username = %username, "sign-in refused: no such user");
        return refuse(StatusCode::UNAUTHORIZED, wrong);
    };
    if user.disabled {
        tracing::info!(username = %username, "sign-in refused: account disabled");
        return refuse(
            StatusCode::FORBIDDEN,
            "This account is disabled. Ask an administrator if you need it again",
        );
    }
    if user.failed_sign_ins >= LOCK_AFTER {
        tracing::info!(username = %username, "sign-in refused: account locked");
        return refuse(
            StatusCode::FORBIDDEN,
            "This account is locked. Ask an administrator to reset your password",
        );
    }
    let hash = user.password_hash.clone();
    let matches = tokio::task::spawn_blocking(move || password_matches(&password, &hash))
        .await
        .unwrap_or(false);
    if !matches {
        let failures = state.store.sign_in_failed(username).await.unwrap_or(0);
        tracing::info!(username = %username, failures, "sign-in refused: wrong password");
        if failures >= LOCK_AFTER {
            return refuse(
                StatusCode::FORBIDDEN,
                "This account is now locked after too many wrong passwords. Ask an administrator to reset your password",
            );
        }
        return refuse(StatusCode::UNAUTHORIZED, wrong);
    }
    let (token, token_hash) = new_token();
    if let Err(e) = state.store.start_session(username, &token_hash).await {
        tracing::error!("could not start a session: {e}");
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "Hearth could not sign you in just now. Try again",
        );
    }
    Ok(token)
}

/// Starts a session for someone the council's sign-in service vouched for, if Hearth knows
/// them and their account is not disabled.
pub async fn session_for(state: &AppState, username: &str) -> Result<String, SignInRefused> {
    let refuse = |status, message| Err(SignInRefused { status, message });
    match state.store.user(username).await {
        Ok(Some(user)) if user.disabled => refuse(
            StatusCode::FORBIDDEN,
            "This account is disabled. Ask an administrator if you need it again",
        ),
        Ok(Some(_)) => {
            let (token, token_hash) = new_token();
            match state.store.start_session(username, &token_hash).await {
                Ok(()) => Ok(token),
                Err(e) => {
                    tracing::error!("could not start a session: {e}");
                    refuse(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "Hearth could not sign you in just now. Try again",
                    )
                }
            }
        }
        Ok(None) => {
            tracing::info!(username = %username, "the council's provider vouched for someone Hearth does not know");
            refuse(
                StatusCode::FORBIDDEN,
                "Your council account has no Hearth account yet. Ask an administrator to add you",
            )
        }
        Err(e) => {
            tracing::error!("could not read a user: {e}");
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "Hearth cannot reach its database. Try again in a few minutes.",
            )
        }
    }
}

/// Someone signed in. A handler that takes this cannot be reached without a live session:
/// anyone else is sent to the sign-in page and brought back afterwards.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: store::User,
    pub role: Role,
    /// What every form this person is shown carries back, so that a form another site
    /// submits with their cookie is refused (see [`form_token`]).
    pub form_token: String,
}

impl SignedIn {
    pub fn worker(&self) -> Option<domain::WorkerId> {
        self.user
            .worker
            .and_then(|w| u32::try_from(w).ok())
            .map(domain::WorkerId)
    }

    pub fn team(&self) -> Option<domain::TeamId> {
        self.user
            .team
            .and_then(|t| u32::try_from(t).ok())
            .map(domain::TeamId)
    }
}

/// Sessions checked against the database in the last few seconds, so that a page does not
/// wait for the database to learn who is asking. A session ended here is forgotten at once; a
/// session ended or an account disabled by another process stops working within
/// [`SessionCache::RECHECK`]. Idle time is still judged by the database: a session is only
/// remembered straight after the database has found it in use.
pub struct SessionCache {
    checked: std::sync::Mutex<rustc_hash::FxHashMap<String, (store::User, std::time::Instant)>>,
    recheck: std::time::Duration,
}

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache {
            checked: Default::default(),
            recheck: Self::RECHECK,
        }
    }
}

impl SessionCache {
    pub const RECHECK: std::time::Duration = std::time::Duration::from_secs(10);
    /// More sessions than a council has staff signed in at once: past it, start again.
    const MOST: usize = 20_000;

    fn recent(&self, hash: &str) -> Option<store::User> {
        let checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        checked
            .get(hash)
            .filter(|(_, at)| at.elapsed() < self.recheck)
            .map(|(user, _)| user.clone())
    }

    fn remember(&self, hash: String, user: store::User) {
        let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        if checked.len() >= Self::MOST {
            let recheck = self.recheck;
            checked.retain(|_, (_, at)| at.elapsed() < recheck);
            if checked.len() >= Self::MOST {
                checked.clear();
            }
        }
        checked.insert(hash, (user, std::time::Instant::now()));
    }

    /// Forgets a session as it ends.
    pub fn forget(&self, hash: &str) {
        let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        checked.remove(hash);
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.clone(), |o| o.0.clone());
        let back = uri.path_and_query().map_or("/", |p| p.as_str());
        let to_sign_in = || {
            let next = crate::pages::query_escape(back);
            Redirect::to(&format!("/sign-in?next={next}")).into_response()
        };
        let Some(token) = token(&parts.headers) else {
            return Err(to_sign_in());
        };
        match session(state, token).await {
            Ok(Some(who)) => Ok(who),
            Ok(None) => Err(to_sign_in()),
            Err(()) => Err(crate::pages::error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                "Hearth cannot reach its database. Try again in a few minutes.",
            )),
        }
    }
}

/// Whoever a session token belongs to, if it is live; `Err` when the database cannot say.
pub async fn session(state: &AppState, token: &str) -> Result<Option<SignedIn>, ()> {
    let hash = token_hash(token);
    if let Some(user) = state.sessions.recent(&hash)
        && let Some(role) = Role::from_slug(&user.role)
    {
        return Ok(Some(SignedIn {
            user,
            role,
            form_token: form_token(token),
        }));
    }
    let checked = state.store.session_user(&hash, IDLE).await;
    if let Ok(Some(user)) = &checked {
        state.sessions.remember(hash, user.clone());
    }
    match checked {
        Ok(Some(user)) => match Role::from_slug(&user.role) {
            Some(role) => Ok(Some(SignedIn {
                user,
                role,
                form_token: form_token(token),
            })),
            None => {
                tracing::error!(user = %user.username, role = %user.role, "a user has a role this version does not know");
                Ok(None)
            }
        },
        Ok(None) => Ok(None),
        Err(e) => {
            tracing::error!("could not check a session: {e}");
            Err(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn someone() -> store::User {
        store::User {
            username: "a.worker".into(),
            name: "A Worker".into(),
            role: "practitioner".into(),
            password_hash: String::new(),
            worker: None,
            team: None,
            disabled: false,
            failed_sign_ins: 0,
        }
    }

    #[test]
    fn a_form_token_belongs_to_one_session_and_is_not_its_stored_hash() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            format!("{SESSION_COOKIE}=secret-one").parse().unwrap(),
        );
        let mine = form_token("secret-one");
        assert_eq!(mine.len(), 64);
        assert_ne!(mine, token_hash("secret-one"));
        assert!(form_token_matches(&headers, &mine));
        assert!(!form_token_matches(&headers, &form_token("secret-two")));
        assert!(!form_token_matches(&headers, ""));
        assert!(!form_token_matches(&headers, &mine[..63]));
        assert!(!form_token_matches(&HeaderMap::new(), &mine));
    }

    #[test]
    fn a_session_is_remembered_briefly_and_forgotten_when_it_ends() {
        let cache = SessionCache::default();
        assert!(cache.recent("h").is_none());
        cache.remember("h".into(), someone());
        assert_eq!(
            cache.recent("h").map(|u| u.username),
            Some("a.worker".into())
        );
        assert!(cache.recent("other").is_none());
        cache.forget("h");
        assert!(cache.recent("h").is_none());
        // Past the recheck time, the database is asked again.
        let stale = SessionCache {
            recheck: std::time::Duration::ZERO,
            ..SessionCache::default()
        };
        stale.remember("h".into(), someone());
        assert!(stale.recent("h").is_none());
    }

    #[test]
    fn a_password_matches_its_hash_and_nothing_else() {
        let h = hash_password("correct horse");
        assert!(h.starts_with("$argon2id$"));
        assert!(password_matches("correct horse", &h));
        assert!(!password_matches("correct horse ", &h));
        assert!(!password_matches("correct horse", "not a hash"));
        // Salted: the same password hashes differently each time.
        assert_ne!(h, hash_password("correct horse"));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(ha, token_hash(&a));
        assert_ne!(ha, a);
    }

    #[test]
    fn the_session_token_is_read_from_among_other_cookies() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "theme=dark; hearth_session=abc123; other=1"
                .parse()
                .unwrap(),
        );
        assert_eq!(token(&h), Some("abc123"));
        h.insert(header::COOKIE, "hearth_session=".parse().unwrap());
        assert_eq!(token(&h), None);
    }

    #[test]
    fn every_role_reads_back_from_its_name() {
        for r in Role::ALL {
            assert_eq!(Role::from_slug(r.slug()), Some(r));
        }
    }
}
