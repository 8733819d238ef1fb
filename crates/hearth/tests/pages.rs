//! The pages over HTTP, as a browser without JavaScript sees them: signing in and out, locking,
//! redirects, error pages, messages for bad input, the access log and the CSV downloads.

mod common;

use common::{PASSWORD, USER, serve};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

type Http = Client<HttpConnector, String>;

struct Answer {
    status: u16,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(
    http: &Http,
    method: &str,
    url: &str,
    cookie: Option<&str>,
    form: Option<String>,
) -> Answer {
    let mut req = axum::http::Request::builder().method(method).uri(url);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if form.is_some() {
        req = req.header("content-type", "application/x-www-form-urlencoded");
    }
    let res = http
        .request(req.body(form.unwrap_or_default()).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn sign_in_form(user: &str, password: &str, next: &str) -> String {
    format!(
        "username={user}&password={}&next={next}",
        password.replace(' ', "+")
    )
}

/// The sign-in page's form token, and its cookie as `name=value`.
fn sign_in_token(page: &Answer) -> (String, String) {
    let at = page
        .body
        .find("name=\"form_token\" value=\"")
        .expect("the sign-in form's token")
        + 25;
    let token: String = page.body[at..].chars().take_while(|c| *c != '"').collect();
    let cookie = page.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("hearth_sign_in="), "{cookie}");
    for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/sign-in"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    (token, cookie.split(';').next().unwrap().to_string())
}

/// The session cookie's `name=value` from a sign-in's answer.
fn session(a: &Answer) -> String {
    let set = a.headers["set-cookie"].to_str().unwrap();
    set.split(';').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_need_a_session_and_answer_bad_input_with_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    let http: Http = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    let get = |path: &str, cookie: Option<&str>| {
        let (http, url) = (http.clone(), format!("{base}{path}"));
        let cookie = cookie.map(str::to_string);
        async move { send(&http, "GET", &url, cookie.as_deref(), None).await }
    };

    // Signed out: every page sends you to sign in, and says where to come back to.
    for path in ["/", "/scorecard", "/children/1", "/workforce"] {
        let a = get(path, None).await;
        assert_eq!(a.status, 303, "{path}");
        let to = a.headers["location"].to_str().unwrap();
        assert!(to.starts_with("/sign-in?next="), "{path} -> {to}");
    }
    let a = get("/sign-in", None).await;
    assert_eq!(a.status, 200);
    assert!(
        a.body
            .contains("<label class=\"govuk-label\" for=\"password\">")
    );

    // A wrong password is a message, not a session; the returning address must be on this site.
    // Each sign-in is sent as a browser would: from the page, with its form token and cookie.
    let post = |form: String| {
        let (http, url) = (http.clone(), format!("{base}/sign-in"));
        async move {
            let page = send(&http, "GET", &url, None, None).await;
            let (token, cookie) = sign_in_token(&page);
            let form = format!("{form}&form_token={token}");
            send(&http, "POST", &url, Some(&cookie), Some(form)).await
        }
    };
    let a = post(sign_in_form(USER, "not it", "/")).await;
    assert_eq!(a.status, 401);
    assert!(a.body.contains("govuk-error-summary"));
    assert!(a.body.contains("The user name or password is not right"));
    let session_set = |a: &Answer| {
        a.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.starts_with("hearth_session=") && !v.starts_with("hearth_session=;"))
    };
    assert!(!session_set(&a));
    // A sign-in another site sends (no cookie, or a token that is not the cookie's) is refused,
    // even with the right password.
    let page = get("/sign-in", None).await;
    let (token, cookie) = sign_in_token(&page);
    let url = format!("{base}/sign-in");
    let form = sign_in_form(USER, PASSWORD, "/");
    for (cookie, form) in [
        (None, format!("{form}&form_token={token}")),
        (Some(cookie.as_str()), form.clone()),
        (
            Some(cookie.as_str()),
            // Another token: its first character changed (to one it is not already).
            format!(
                "{form}&form_token={}{}",
                if token.starts_with('0') { '1' } else { '0' },
                &token[1..]
            ),
        ),
    ] {
        let a = send(&http, "POST", &url, cookie, Some(form)).await;
        assert_eq!(a.status, 403);
        assert!(a.body.contains("The sign-in page had expired"));
        assert!(!session_set(&a));
    }
    let a = post(sign_in_form(USER, PASSWORD, "//evil.example/")).await;
    assert_eq!(a.status, 303);
    assert_eq!(a.headers["location"], "/");
    let cookie = a.headers["set-cookie"].to_str().unwrap();
    for part in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let me = session(&a);

    // Unknown things are proper 404 pages; a bad period is a message on the page.
    for path in [
        "/children/99999999",
        "/children/abc",
        "/measures/NO-SUCH",
        "/teams/999",
        "/nowhere",
    ] {
        let a = get(path, Some(&me)).await;
        assert_eq!(a.status, 404, "{path}");
        assert!(a.body.contains("Page not found"), "{path}");
    }
    for (path, said) in [
        ("/scorecard?period=2025-13", "2025-13"),
        ("/scorecard?period=2030-01", "has not begun"),
        ("/measures/FD-01?period=rubbish", "rubbish"),
        ("/scorecard?scope=team:999", "no scope called team:999"),
        ("/missing?period=1999-99", "1999-99"),
        // Two faults at once: both are said.
        ("/measures/FD-01?period=2025-13&scope=team:999", "2025-13"),
        (
            "/measures/FD-01?period=2025-13&scope=team:999",
            "no scope called team:999",
        ),
    ] {
        let a = get(path, Some(&me)).await;
        assert_eq!(a.status, 200, "{path}");
        assert!(a.body.contains("govuk-notification-banner"), "{path}");
        assert!(a.body.contains(said), "{path} does not say {said}");
    }

    // A child from the scorecard's measure page, and the view in the record's access log.
    let a = get("/measures/FD-01", Some(&me)).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("<svg class=\"hearth-chart\""));
    let at = a.body.find("href=\"/children/").expect("a child is listed");
    let id: String = a.body[at + 16..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let before = get(&format!("/children/{id}/access"), Some(&me)).await;
    let views = |body: &str| body.matches("child&#39;s record page").count();
    let a = get(&format!("/children/{id}"), Some(&me)).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("Chronology"));
    let after = get(&format!("/children/{id}/access"), Some(&me)).await;
    assert_eq!(views(&after.body), views(&before.body) + 1);
    assert!(after.body.contains(USER));
    let counted = |body: &str| {
        let at = body
            .find(" views.")
            .or_else(|| body.find(" view."))
            .expect("a count of views");
        let digits: String = body[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits
            .chars()
            .rev()
            .collect::<String>()
            .parse::<usize>()
            .expect("a number")
    };
    assert_eq!(counted(&after.body), counted(&before.body) + 1);

    // Every list downloads as CSV.
    for (path, header) in [
        ("/scorecard?format=csv", "measure,name,value,target"),
        ("/measures/FD-01?format=csv", "subject,name,record,date"),
        ("/front-door?format=csv", "child,received,source,rag"),
        ("/workforce?format=csv", "worker,team,employment"),
        ("/teams/1?format=csv", "child,clock,started,due"),
        ("/missing?format=csv", "child,kind,start,end"),
        (
            "/data-quality?format=csv",
            "child,return,rule,kind,fields,message,worker,team",
        ),
        (&format!("/children/{id}?format=csv"), "date,event,detail"),
        (&format!("/children/{id}/access?format=csv"), "at,who,why"),
    ] {
        let a = get(path, Some(&me)).await;
        assert_eq!(a.status, 200, "{path}");
        assert!(
            a.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv"),
            "{path}"
        );
        assert!(
            a.body.starts_with(header),
            "{path}: {}",
            &a.body[..a.body.len().min(80)]
        );
    }

    // Data quality: the failing rules, each leading to its children, who lead to their records.
    let dq = get("/data-quality", Some(&me)).await;
    assert_eq!(dq.status, 200);
    assert!(dq.body.contains("Rules that fail"), "{}", dq.body);
    let rule_at = dq.body.find("/data-quality?rule=").expect("a failing rule");
    let rule: String = dq.body[rule_at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let one = get(&rule, Some(&me)).await;
    assert_eq!(one.status, 200);
    assert!(one.body.contains("Issues for rule"), "{rule}");
    assert!(one.body.contains("href=\"/children/"), "{rule}");

    // The stylesheet is served from the binary, with the free font and no GDS Transport.
    let page = get("/", Some(&me)).await.body;
    let css_at = page.find("href=\"/assets/").unwrap();
    let css_path: String = page[css_at + 6..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let css = get(&css_path, None).await;
    assert_eq!(css.status, 200);
    assert!(css.body.contains(".govuk-table"));
    assert!(!css.body.contains("GDS Transport\""));

    // A sign-out without the page's form token (as another site would send it) is refused.
    let http2 = http.clone();
    let sign_out = |form: String| {
        let (http, url, me) = (http2.clone(), format!("{base}/sign-out"), me.clone());
        async move { send(&http, "POST", &url, Some(&me), Some(form)).await }
    };
    for forged in [String::new(), "form_token=0123abcd".to_string()] {
        let out = sign_out(forged).await;
        assert_eq!(out.status, 403);
        assert!(out.body.contains("This form has expired"));
    }
    assert_eq!(get("/", Some(&me)).await.status, 200);
    // Signed out from the page's own form, the session is over.
    let page = get("/", Some(&me)).await.body;
    let at = page
        .find("name=\"form_token\" value=\"")
        .expect("the sign-out form's token")
        + 25;
    let token: String = page[at..].chars().take_while(|c| *c != '"').collect();
    assert_eq!(token.len(), 64);
    let out = sign_out(format!("form_token={token}")).await;
    assert_eq!(out.status, 303);
    assert_eq!(get("/", Some(&me)).await.status, 303);

    // Five wrong passwords lock the account, even against the right one.
    for _ in 0..5 {
        post(sign_in_form(USER, "wrong again", "/")).await;
    }
    let a = post(sign_in_form(USER, PASSWORD, "/")).await;
    assert_eq!(a.status, 403);
    assert!(a.body.contains("locked"));

    // An administrator resets the password: the account is unlocked, for the new one only.
    let db = format!("sqlite://{}", dir.path().join("served.db").display());
    let user = |action: &str, password: Option<&str>| {
        let mut run = common::hearth()
            .args(["user", action, "--db", &db, "--username", USER])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = run.stdin.take().unwrap();
        if let Some(p) = password {
            use std::io::Write;
            writeln!(stdin, "{p}").unwrap();
        }
        drop(stdin);
        let out = run.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, said) = user("reset-password", Some("short"));
    assert!(!ok && said.contains("at least 10 characters"), "{said}");
    let (ok, said) = user("reset-password", Some("a-new-password-1"));
    assert!(ok, "{said}");
    assert_eq!(post(sign_in_form(USER, PASSWORD, "/")).await.status, 401);
    let a = post(sign_in_form(USER, "a-new-password-1", "/")).await;
    assert_eq!(a.status, 303);
    let me = session(&a);
    assert_eq!(get("/", Some(&me)).await.status, 200);
    // Disabled: no new sign-in, and the session ends (within the server's recheck time).
    let (ok, said) = user("disable", None);
    assert!(ok, "{said}");
    let a = post(sign_in_form(USER, "a-new-password-1", "/")).await;
    assert_eq!(a.status, 403);
    assert!(a.body.contains("disabled"));
    tokio::time::sleep(web::auth::SessionCache::RECHECK).await;
    assert_eq!(get("/", Some(&me)).await.status, 303);
    let (ok, _) = user("enable", None);
    assert!(ok);
    assert_eq!(
        post(sign_in_form(USER, "a-new-password-1", "/"))
            .await
            .status,
        303
    );
    let (ok, said) = common::hearth()
        .args(["user", "disable", "--db", &db, "--username", "nobody"])
        .output()
        .map(|o| {
            (
                o.status.success(),
                String::from_utf8_lossy(&o.stderr).to_string(),
            )
        })
        .unwrap();
    assert!(!ok && said.contains("no user called nobody"), "{said}");
}
