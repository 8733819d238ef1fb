//! Signing in through the council's OpenID Connect provider (Entra ID, Okta, Keycloak...), when
//! configured: the authorisation code flow with PKCE. Hearth sends the browser to the provider
//! with a one-time state and nonce, takes the code back, exchanges it for an ID token, checks the
//! token's signature against the provider's published keys, its issuer, audience, expiry and
//! nonce, and signs in the Hearth user whose user name the token names. Roles stay Hearth's: a
//! person the provider vouches for but Hearth does not know is not let in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

/// How the council's provider is reached, from `hearth serve`'s options.
#[derive(Clone)]
pub struct OidcConfig {
    /// The issuer, as its tokens name it (`https://login.microsoftonline.com/TENANT/v2.0`).
    pub issuer: String,
    pub client_id: String,
    /// Never logged, never shown.
    pub client_secret: String,
    /// Where the provider sends the browser back: this server's `/sign-in/oidc/callback`.
    pub redirect_url: String,
    /// The claim that holds the Hearth user name (`preferred_username`, `email`, `upn`...).
    pub username_claim: String,
    /// What the sign-in button calls the provider ("your council account").
    pub label: String,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("redirect_url", &self.redirect_url)
            .field("username_claim", &self.username_claim)
            .finish()
    }
}

/// Why signing in through the provider did not work, in words for the person signing in.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the council's sign-in service could not be reached: {0}")]
    Unreachable(String),
    #[error("the council's sign-in service answered in a way Hearth does not understand: {0}")]
    Unexpected(String),
    #[error("this sign-in has expired or was not started here: start again")]
    UnknownState,
    #[error("the council's sign-in service refused: {0}")]
    Refused(String),
    #[error("the sign-in could not be checked: {0}")]
    BadToken(String),
}

#[derive(Debug, Clone, Deserialize)]
struct Endpoints {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

/// A sign-in sent to the provider and not yet back.
struct Pending {
    nonce: String,
    verifier: String,
    next: String,
    started: Instant,
}

/// How long a sign-in may take at the provider.
const PENDING_FOR: Duration = Duration::from_secs(10 * 60);

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

pub struct Oidc {
    pub config: OidcConfig,
    http: Client<Https, Full<axum::body::Bytes>>,
    endpoints: tokio::sync::OnceCell<Endpoints>,
    keys: RwLock<Option<JwkSet>>,
    pending: Mutex<FxHashMap<String, Pending>>,
}

fn random_text() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The PKCE challenge of a verifier (S256).
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

impl Oidc {
    pub fn new(config: OidcConfig) -> Result<Self, OidcError> {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()
            .map_err(|e| OidcError::Unreachable(format!("no trusted root certificates: {e}")))?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Oidc {
            config,
            http: Client::builder(TokioExecutor::new()).build(https),
            endpoints: tokio::sync::OnceCell::new(),
            keys: RwLock::new(None),
            pending: Mutex::new(FxHashMap::default()),
        })
    }

    async fn send(
        &self,
        req: axum::http::Request<Full<axum::body::Bytes>>,
    ) -> Result<Value, OidcError> {
        let uri = req.uri().to_string();
        let res = tokio::time::timeout(Duration::from_secs(15), self.http.request(req))
            .await
            .map_err(|_| OidcError::Unreachable(format!("{uri} did not answer in time")))?
            .map_err(|e| OidcError::Unreachable(format!("{uri}: {e}")))?;
        let status = res.status();
        let body = res
            .into_body()
            .collect()
            .await
            .map_err(|e| OidcError::Unreachable(format!("{uri}: {e}")))?
            .to_bytes();
        let json: Value = serde_json::from_slice(&body)
            .map_err(|_| OidcError::Unexpected(format!("{uri} answered {status} without JSON")))?;
        if !status.is_success() {
            let said = json
                .get("error_description")
                .or_else(|| json.get("error"))
                .and_then(Value::as_str)
                .unwrap_or("no reason given");
            return Err(OidcError::Refused(format!("{status}: {said}")));
        }
        Ok(json)
    }

    async fn get(&self, url: &str) -> Result<Value, OidcError> {
        let req = axum::http::Request::get(url)
            .header("accept", "application/json")
            .body(Full::default())
            .map_err(|e| OidcError::Unexpected(format!("{url}: {e}")))?;
        self.send(req).await
    }

    async fn endpoints(&self) -> Result<&Endpoints, OidcError> {
        self.endpoints
            .get_or_try_init(|| async {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.config.issuer.trim_end_matches('/')
                );
                let found: Endpoints = serde_json::from_value(self.get(&url).await?)
                    .map_err(|e| OidcError::Unexpected(format!("{url}: {e}")))?;
                if found.issuer.trim_end_matches('/') != self.config.issuer.trim_end_matches('/') {
                    return Err(OidcError::Unexpected(format!(
                        "{url} names the issuer {}, not {}",
                        found.issuer, self.config.issuer
                    )));
                }
                Ok(found)
            })
            .await
    }

    /// Starts a sign-in: the address of the provider's page to send the browser to.
    pub async fn start(&self, next: String) -> Result<String, OidcError> {
        let endpoints = self.endpoints().await?;
        let (state, nonce, verifier) = (random_text(), random_text(), random_text());
        let query = serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", self.config.client_id.as_str()),
            ("redirect_uri", self.config.redirect_url.as_str()),
            ("scope", "openid profile email"),
            ("state", state.as_str()),
            ("nonce", nonce.as_str()),
            ("code_challenge", challenge(&verifier).as_str()),
            ("code_challenge_method", "S256"),
        ])
        .map_err(|e| OidcError::Unexpected(e.to_string()))?;
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, p| p.started.elapsed() < PENDING_FOR);
        pending.insert(
            state,
            Pending {
                nonce,
                verifier,
                next,
                started: Instant::now(),
            },
        );
        let sep = if endpoints.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(format!("{}{sep}{query}", endpoints.authorization_endpoint))
    }

    /// Finishes a sign-in the provider sent back: the user name the checked ID token names, and
    /// where the person was going.
    pub async fn finish(&self, code: &str, state: &str) -> Result<(String, String), OidcError> {
        let pending = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending
                .remove(state)
                .filter(|p| p.started.elapsed() < PENDING_FOR)
                .ok_or(OidcError::UnknownState)?
        };
        let endpoints = self.endpoints().await?;
        let form = serde_urlencoded::to_string([
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.config.redirect_url.as_str()),
            ("client_id", self.config.client_id.as_str()),
            ("client_secret", self.config.client_secret.as_str()),
            ("code_verifier", pending.verifier.as_str()),
        ])
        .map_err(|e| OidcError::Unexpected(e.to_string()))?;
        let req = axum::http::Request::post(&endpoints.token_endpoint)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(Full::from(form))
            .map_err(|e| OidcError::Unexpected(e.to_string()))?;
        let tokens = self.send(req).await?;
        let id_token = tokens
            .get("id_token")
            .and_then(Value::as_str)
            .ok_or_else(|| OidcError::Unexpected("the token answer has no id_token".into()))?;
        let claims = self.verify(id_token, &endpoints.issuer).await?;
        if claims.get("nonce").and_then(Value::as_str) != Some(pending.nonce.as_str()) {
            return Err(OidcError::BadToken(
                "the token was not issued for this sign-in".into(),
            ));
        }
        let username = claims
            .get(&self.config.username_claim)
            .and_then(Value::as_str)
            .ok_or_else(|| {
                OidcError::BadToken(format!(
                    "the token has no {} claim",
                    self.config.username_claim
                ))
            })?;
        Ok((username.to_string(), pending.next))
    }

    /// The provider's signing keys, fetched again when a token names one not seen before (the
    /// provider has rolled its keys).
    async fn key(
        &self,
        kid: Option<&str>,
        refresh: bool,
    ) -> Result<Option<DecodingKey>, OidcError> {
        if refresh
            || self
                .keys
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .is_none()
        {
            let url = &self.endpoints().await?.jwks_uri;
            let set: JwkSet = serde_json::from_value(self.get(url).await?)
                .map_err(|e| OidcError::Unexpected(format!("{url}: {e}")))?;
            *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Some(set);
        }
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        let Some(set) = keys.as_ref() else {
            return Ok(None);
        };
        let jwk = match kid {
            Some(kid) => set.find(kid),
            None if set.keys.len() == 1 => set.keys.first(),
            None => None,
        };
        jwk.map(DecodingKey::from_jwk)
            .transpose()
            .map_err(|e| OidcError::BadToken(format!("the provider's key cannot be used: {e}")))
    }

    async fn verify(&self, token: &str, issuer: &str) -> Result<Value, OidcError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| OidcError::BadToken(format!("the token cannot be read: {e}")))?;
        // Only signatures made with a private key: a shared-secret or unsigned token is refused.
        let allowed = [
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
            Algorithm::ES256,
            Algorithm::ES384,
        ];
        if !allowed.contains(&header.alg) {
            return Err(OidcError::BadToken(format!(
                "the token is signed with {:?}, which Hearth does not accept",
                header.alg
            )));
        }
        let kid = header.kid.as_deref();
        let key = match self.key(kid, false).await? {
            Some(k) => k,
            None => self.key(kid, true).await?.ok_or_else(|| {
                OidcError::BadToken(
                    "the token is signed with a key the provider does not publish".into(),
                )
            })?,
        };
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[&self.config.client_id]);
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.leeway = 60;
        jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|e| OidcError::BadToken(e.to_string()))
    }
}
