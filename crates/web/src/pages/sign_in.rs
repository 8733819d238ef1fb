//! The sign-in page, signing in and signing out.

use super::{Chrome, capital, render};
use crate::AppState;
use crate::auth;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    title: &'static str,
    error: bool,
    problem: Option<String>,
    username: String,
    next: String,
    /// Matches the sign-in cookie sent with the page.
    form_token: String,
    /// What to call the council's sign-in service, when Hearth signs in through it.
    provider: Option<String>,
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only a path on this site may be returned to after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

/// The sign-in page, with a fresh form token and the cookie that matches it.
fn sign_in_page(
    state: &AppState,
    problem: Option<&str>,
    username: String,
    next: String,
    status: StatusCode,
) -> Response {
    let (form_token, cookie) = auth::new_sign_in_token();
    let provider = state.oidc.as_ref().map(|o| o.config.label.clone());
    let mut page = render(&SignInPage {
        chrome: Chrome::new(None, None, ""),
        title: "Sign in",
        error: problem.is_some(),
        problem: problem.map(str::to_string),
        username,
        next,
        form_token,
        provider,
    });
    *page.status_mut() = status;
    set_cookie(&mut page, &cookie);
    page
}

/// Adds a cookie to an answer, beside any it sets already.
fn set_cookie(answer: &mut Response, cookie: &str) {
    if let Ok(value) = cookie.parse() {
        answer.headers_mut().append(header::SET_COOKIE, value);
    }
}

pub async fn form(State(state): State<AppState>, Query(q): Query<Next>) -> Response {
    sign_in_page(
        &state,
        None,
        String::new(),
        safe_next(q.next.as_deref()),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
    next: Option<String>,
    #[serde(default)]
    form_token: String,
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(c): Form<Credentials>,
) -> Response {
    let username = c.username.trim().to_string();
    let next = safe_next(c.next.as_deref());
    let again = |problem: &str, status: StatusCode| {
        sign_in_page(
            &state,
            Some(problem),
            username.clone(),
            next.clone(),
            status,
        )
    };
    if !auth::sign_in_token_matches(&headers, &c.form_token) {
        tracing::info!(username = %username, "sign-in refused: the form did not come from Hearth's own page");
        return again(
            "The sign-in page had expired. Enter your user name and password again",
            StatusCode::FORBIDDEN,
        );
    }
    if username.is_empty() || c.password.is_empty() {
        return again(
            "Enter your user name and password",
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let token = match auth::start_session(&state, &username, c.password).await {
        Ok(token) => token,
        Err(refused) if refused.status == StatusCode::SERVICE_UNAVAILABLE => {
            return super::error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                refused.message,
            );
        }
        Err(refused) => return again(refused.message, refused.status),
    };
    tracing::info!(username = %username, "signed in");
    let mut signed_in = Redirect::to(&next).into_response();
    set_cookie(&mut signed_in, &auth::session_cookie(&token));
    set_cookie(&mut signed_in, &auth::cleared_sign_in_cookie());
    signed_in
}

/// Sends the browser to the council's sign-in service.
pub async fn oidc_start(State(state): State<AppState>, Query(q): Query<Next>) -> Response {
    let next = safe_next(q.next.as_deref());
    let Some(oidc) = state.oidc.clone() else {
        return super::not_found("Hearth does not sign in through another service here.");
    };
    match oidc.start(next.clone()).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => {
            tracing::warn!("could not start a sign-in through the council's provider: {e}");
            let problem = format!(
                "{}. Try again later, or sign in with your Hearth password",
                capital(&e.to_string())
            );
            sign_in_page(
                &state,
                Some(&problem),
                String::new(),
                next,
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    }
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// The council's sign-in service sends the browser back here with a code to exchange.
pub async fn oidc_callback(State(state): State<AppState>, Query(c): Query<Callback>) -> Response {
    let Some(oidc) = state.oidc.clone() else {
        return super::not_found("Hearth does not sign in through another service here.");
    };
    let refuse = |problem: &str, status| {
        sign_in_page(&state, Some(problem), String::new(), "/".into(), status)
    };
    if let Some(error) = c.error {
        let said = c.error_description.unwrap_or(error);
        tracing::info!("the council's provider did not sign someone in: {said}");
        return refuse(
            &format!("The council's sign-in service did not sign you in ({said})"),
            StatusCode::UNAUTHORIZED,
        );
    }
    let (Some(code), Some(st)) = (c.code, c.state) else {
        return refuse(
            "The sign-in came back incomplete: start again",
            StatusCode::BAD_REQUEST,
        );
    };
    let (username, next) = match oidc.finish(&code, &st).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!("a sign-in through the council's provider failed: {e}");
            return refuse(&capital(&e.to_string()), StatusCode::UNAUTHORIZED);
        }
    };
    let token = match auth::session_for(&state, &username).await {
        Ok(token) => token,
        Err(refused) => return refuse(refused.message, refused.status),
    };
    tracing::info!(username = %username, "signed in through the council's provider");
    let mut signed_in = Redirect::to(&next).into_response();
    set_cookie(&mut signed_in, &auth::session_cookie(&token));
    signed_in
}

#[derive(Deserialize)]
pub struct SignOut {
    #[serde(default)]
    form_token: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignOut>,
) -> Response {
    // A sign-out another site sends with this browser's cookie is refused.
    if auth::token(&headers).is_some() && !auth::form_token_matches(&headers, &form.form_token) {
        tracing::info!("sign-out refused: the form did not come from Hearth's own page");
        return super::error_page(
            StatusCode::FORBIDDEN,
            "This form has expired",
            "Go back, reload the page and try again.",
        );
    }
    if let Some(token) = auth::token(&headers) {
        let hash = auth::token_hash(token);
        if let Err(e) = state.store.end_session(&hash).await {
            tracing::error!("could not end a session: {e}");
        }
        // After the database: a page checked just before it ended may have remembered it.
        state.sessions.forget(&hash);
    }
    (
        [(header::SET_COOKIE, auth::cleared_cookie())],
        Redirect::to("/sign-in"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_returned_to() {
        assert_eq!(safe_next(Some("/children/4")), "/children/4");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
