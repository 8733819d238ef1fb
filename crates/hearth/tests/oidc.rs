//! Signing in through the council's OpenID Connect provider, against a small provider this test
//! runs on loopback: discovery, the authorisation page (which signs in whoever the test says),
//! the token endpoint with PKCE, and published keys. Hearth must let in a person the provider
//! vouches for and Hearth knows, and refuse a token signed with another key, meant for another
//! client, replayed, or naming someone Hearth does not know.

mod common;

use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{add_user, serve_with};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const CLIENT_ID: &str = "hearth-test";
const SECRET: &str = "a client secret for the test";

/// What the test provider does on its next sign-in.
#[derive(Clone)]
struct Next {
    username: String,
    /// Sign the ID token with a key the provider does not publish.
    impostor: bool,
    audience: String,
}

#[derive(Default)]
struct Provider {
    base: String,
    next: Option<Next>,
    /// Codes handed out: the nonce, the PKCE challenge and the redirect they were given for.
    codes: HashMap<String, (String, String, String, Next)>,
}

type Shared = Arc<Mutex<Provider>>;

async fn discovery(State(p): State<Shared>) -> Json<Value> {
    let base = p.lock().unwrap().base.clone();
    Json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn authorize(State(p): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut p = p.lock().unwrap();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["code_challenge_method"], "S256");
    let next = p.next.clone().expect("the test says who signs in");
    let code = format!("code-{}", p.codes.len() + 1);
    p.codes.insert(
        code.clone(),
        (
            q["nonce"].clone(),
            q["code_challenge"].clone(),
            q["redirect_uri"].clone(),
            next,
        ),
    );
    let back = format!(
        "{}?code={code}&state={}",
        q["redirect_uri"],
        urlencode(&q["state"])
    );
    Redirect::to(&back).into_response()
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_string()
}

async fn token(State(p): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let mut p = p.lock().unwrap();
    let refuse = |why: &str| {
        (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant", "error_description": why})),
        )
            .into_response()
    };
    if f.get("client_secret").map(String::as_str) != Some(SECRET) {
        return refuse("wrong client secret");
    }
    // A code is good once.
    let Some((nonce, challenge, redirect, next)) = p.codes.remove(&f["code"]) else {
        return refuse("unknown code");
    };
    if f["redirect_uri"] != redirect {
        return refuse("redirect_uri differs");
    }
    let verified = URL_SAFE_NO_PAD.encode(Sha256::digest(f["code_verifier"].as_bytes()));
    if verified != challenge {
        return refuse("PKCE verifier does not match");
    }
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "iss": p.base, "aud": next.audience, "sub": format!("sub-{}", next.username),
        "iat": now, "exp": now + 300, "nonce": nonce, "preferred_username": next.username,
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/oidc");
    let pem = if next.impostor {
        "impostor_key.pem"
    } else {
        "provider_key.pem"
    };
    let key = EncodingKey::from_rsa_pem(&std::fs::read(dir.join(pem)).unwrap()).unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("provider-key-1".into());
    let id_token = jsonwebtoken::encode(&header, &claims, &key).unwrap();
    Json(json!({"access_token": "unused", "token_type": "Bearer", "id_token": id_token}))
        .into_response()
}

async fn jwks() -> Json<Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/oidc");
    Json(
        serde_json::from_str(&std::fs::read_to_string(dir.join("provider_jwks.json")).unwrap())
            .unwrap(),
    )
}

struct Answer {
    status: u16,
    location: String,
    cookie: Option<String>,
    body: String,
}

async fn fetch(http: &Client<HttpConnector, String>, url: &str, cookie: Option<&str>) -> Answer {
    let mut req = axum::http::Request::get(url);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = http
        .request(req.body(String::new()).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("hearth_session=") && !v.starts_with("hearth_session=;"))
        .map(|v| v.split(';').next().unwrap().to_string());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        location,
        cookie,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_councils_provider_signs_in_people_hearth_knows_and_no_one_else() {
    let provider: Shared = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    provider.lock().unwrap().base = issuer.clone();
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .route("/jwks", get(jwks))
        .with_state(provider.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_with(
        dir.path(),
        &[
            "--oidc-issuer",
            &issuer,
            "--oidc-client-id",
            CLIENT_ID,
            "--oidc-label",
            "the test council",
        ],
        &[("HEARTH_OIDC_CLIENT_SECRET", SECRET)],
    );
    add_user(dir.path(), "sam.worker", "practitioner", &[]);
    add_user(dir.path(), "gone.worker", "practitioner", &[]);
    let db = format!("sqlite://{}", dir.path().join("served.db").display());
    let disabled = common::hearth()
        .args(["user", "disable", "--db", &db, "--username", "gone.worker"])
        .status()
        .unwrap();
    assert!(disabled.success());
    let http: Client<HttpConnector, String> =
        Client::builder(TokioExecutor::new()).build(HttpConnector::new());

    let page = fetch(&http, &format!("{base}/sign-in?next=/scorecard"), None).await;
    assert!(page.body.contains("Sign in with the test council"));
    assert!(
        page.body.contains("href=\"/sign-in/oidc?next="),
        "{}",
        page.body
    );

    // One sign-in through the provider: Hearth to the provider, the provider back to Hearth.
    let sign_in = |next: Next| {
        let (http, base, provider) = (http.clone(), base.clone(), provider.clone());
        async move {
            provider.lock().unwrap().next = Some(next);
            let start = fetch(&http, &format!("{base}/sign-in/oidc?next=/scorecard"), None).await;
            assert_eq!(start.status, 303, "{}", start.body);
            let at_provider = fetch(&http, &start.location, None).await;
            assert!(at_provider.status == 302 || at_provider.status == 303);
            let back = fetch(&http, &at_provider.location, None).await;
            (at_provider.location, back)
        }
    };
    let who = |username: &str| Next {
        username: username.into(),
        impostor: false,
        audience: CLIENT_ID.into(),
    };

    let (callback, back) = sign_in(who("sam.worker")).await;
    assert!(callback.starts_with(&format!("{base}/sign-in/oidc/callback?code=")));
    assert_eq!(back.status, 303, "{}", back.body);
    assert_eq!(back.location, "/scorecard");
    let cookie = back.cookie.expect("a session");
    let scorecard = fetch(&http, &format!("{base}/scorecard"), Some(&cookie)).await;
    assert_eq!(scorecard.status, 200);
    assert!(scorecard.body.contains("Test practitioner (Social worker)"));

    // The same answer again (a replayed callback) is refused: its state was used.
    let again = fetch(&http, &callback, None).await;
    assert_eq!(again.status, 401);
    assert!(again.body.contains("has expired or was not started here"));
    assert!(again.cookie.is_none());

    // Someone the provider knows but Hearth does not; a disabled account.
    let (_, back) = sign_in(who("stranger")).await;
    assert_eq!(back.status, 403);
    assert!(back.body.contains("has no Hearth account"));
    assert!(back.cookie.is_none());
    let (_, back) = sign_in(who("gone.worker")).await;
    assert_eq!(back.status, 403);
    assert!(back.body.contains("disabled"));

    // A token signed with a key the provider does not publish, or meant for another client.
    let (_, back) = sign_in(Next {
        impostor: true,
        ..who("sam.worker")
    })
    .await;
    assert_eq!(back.status, 401, "{}", back.body);
    assert!(back.cookie.is_none());
    let (_, back) = sign_in(Next {
        audience: "another-client".into(),
        ..who("sam.worker")
    })
    .await;
    assert_eq!(back.status, 401, "{}", back.body);
    assert!(back.cookie.is_none());

    // The provider saying no is said.
    let denied = fetch(
        &http,
        &format!(
            "{base}/sign-in/oidc/callback?error=access_denied&error_description=User+cancelled"
        ),
        None,
    )
    .await;
    assert_eq!(denied.status, 401);
    assert!(denied.body.contains("User cancelled"));
}
