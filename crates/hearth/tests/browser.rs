//! The pages in a real Chromium, driven through chromedriver: sign in, open the scorecard, open a
//! measure, follow a child from its list to the record, and see the view in the record's access
//! log; axe-core checks every page type against WCAG 2.2 AA. A failing step saves a screenshot.
//!
//! Needs Debian's chromium and chromium-driver. Without them the test says so and stops, unless
//! HEARTH_REQUIRE_BROWSER is set (as CI sets it), when it fails.

mod common;

use common::{PASSWORD, Running, USER, serve};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn browser() -> (Running, Client) {
    let port = free_port();
    let driver = Command::new(chromedriver().unwrap())
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let driver = Running(driver);
    let mut caps = serde_json::Map::new();
    let mut chrome = serde_json::json!({
        "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1024"]
    });
    if Path::new("/usr/bin/chromium").exists() {
        chrome["binary"] = "/usr/bin/chromium".into();
    }
    caps.insert("goog:chromeOptions".into(), chrome);
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return (driver, c),
            Err(e) if started.elapsed() > Duration::from_secs(20) => {
                panic!("chromedriver did not start a browser: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// axe-core's findings on the page as it stands, against WCAG 2.0, 2.1 and 2.2 A and AA.
async fn axe(c: &Client) -> Result<Vec<String>, String> {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../web/frontend/node_modules/axe-core/axe.min.js"),
    )
    .map_err(|e| format!("axe-core is not installed (the web crate's build installs it): {e}"))?;
    c.execute(&source, vec![])
        .await
        .map_err(|e| e.to_string())?;
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values:
                 ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
               .then(r => done(r.violations.map(v =>
                 v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default())
}

/// Checks the page as it stands has no accessibility violation.
async fn no_violations(c: &Client, page: &str) -> Result<(), String> {
    let found = axe(c).await?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("{page}: {}", found.join("; ")))
    }
}

/// Opens a page and checks it has no accessibility violation.
async fn accessible(c: &Client, base: &str, path: &str) -> Result<(), String> {
    c.goto(&format!("{base}{path}"))
        .await
        .map_err(|e| e.to_string())?;
    no_violations(c, path).await
}

async fn text(c: &Client, css: &str) -> Result<String, String> {
    let here = c.current_url().await.map_err(|e| e.to_string())?;
    c.find(Locator::Css(css))
        .await
        .map_err(|e| format!("no {css} on {here}: {e}"))?
        .text()
        .await
        .map_err(|e| e.to_string())
}

async fn journey(c: &Client, base: &str) -> Result<(), String> {
    // First, that axe finds what it should: a page with no language and an image with no text.
    c.goto("data:text/html,<html><body><img src='x.png'></body></html>")
        .await
        .map_err(|e| e.to_string())?;
    let found = axe(c).await?;
    if !found.iter().any(|f| f.starts_with("image-alt"))
        || !found.iter().any(|f| f.starts_with("html-has-lang"))
    {
        return Err(format!("axe missed the faults of a faulty page: {found:?}"));
    }
    // Signed out, the scorecard sends you to sign in, and brings you back.
    c.goto(&format!("{base}/scorecard"))
        .await
        .map_err(|e| e.to_string())?;
    no_violations(c, "sign-in page").await?;
    let form = c
        .form(Locator::Css("form[action='/sign-in']"))
        .await
        .map_err(|e| e.to_string())?;
    form.set_by_name("username", USER)
        .await
        .map_err(|e| e.to_string())?;
    form.set_by_name("password", PASSWORD)
        .await
        .map_err(|e| e.to_string())?;
    form.submit().await.map_err(|e| e.to_string())?;
    // The form is submitted by a script, which does not wait for the next page to load.
    let mut url = c.current_url().await.map_err(|e| e.to_string())?;
    for _ in 0..100 {
        if url.path() != "/sign-in" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        url = c.current_url().await.map_err(|e| e.to_string())?;
    }
    if url.path() != "/scorecard" {
        return Err(format!("signing in led to {url}, not the scorecard"));
    }
    let h1 = text(c, "h1").await?;
    if !h1.starts_with("Scorecard") {
        return Err(format!("the scorecard's heading is {h1:?}"));
    }
    no_violations(c, "/scorecard").await?;
    // A measure, from its link on the scorecard.
    c.find(Locator::Css("a[href^='/measures/FD-01']"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let h1 = text(c, "h1").await?;
    if !h1.contains("one working day") {
        return Err(format!("the measure page's heading is {h1:?}"));
    }
    if c.find(Locator::Css("svg.hearth-chart")).await.is_err() {
        return Err("the measure page has no chart".into());
    }
    no_violations(c, "measure page").await?;
    // A child from the measure's list, to the record.
    let link = c
        .find(Locator::Css("#children ~ div a[href^='/children/']"))
        .await
        .map_err(|e| format!("no child is listed on the measure page: {e}"))?;
    let href = link
        .attr("href")
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    link.click().await.map_err(|e| e.to_string())?;
    let path = c
        .current_url()
        .await
        .map_err(|e| e.to_string())?
        .path()
        .to_string();
    if path != href {
        return Err(format!("following {href} led to {path}"));
    }
    if text(c, "#chronology").await? != "Chronology" {
        return Err("the child's record has no chronology".into());
    }
    no_violations(c, "child's record").await?;
    // The view is in the record's access log.
    c.goto(&format!("{base}{href}/access"))
        .await
        .map_err(|e| e.to_string())?;
    let log = text(c, "table").await?;
    if !log.contains(USER) || !log.contains("child's record page") {
        return Err(format!("the access log does not show the view: {log}"));
    }
    no_violations(c, "access log").await?;
    // Every other page type, and the error pages.
    for path in [
        "/",
        "/scorecard?group=ofsted&scope=service:front_door",
        "/front-door",
        "/teams",
        "/teams/1",
        "/missing",
        "/workforce",
        "/measures/NO-SUCH",
        "/children/0",
    ] {
        accessible(c, base, path).await?;
    }
    // On a phone's screen nothing makes the page itself scroll sideways: wide tables scroll
    // inside their own box.
    c.set_window_size(375, 812)
        .await
        .map_err(|e| e.to_string())?;
    for path in [
        "/scorecard",
        "/measures/FD-01",
        &href,
        "/front-door",
        "/missing",
    ] {
        c.goto(&format!("{base}{path}"))
            .await
            .map_err(|e| e.to_string())?;
        // The page itself must not scroll sideways; if it does, say which elements reach past
        // the screen's right edge.
        let wide = c
            .execute(
                "const w = window.innerWidth;
                 if (document.documentElement.scrollWidth <= w + 1) return [];
                 const out = [];
                 for (const e of document.querySelectorAll('body *')) {
                   if (e.getBoundingClientRect().right > w + 1) out.push(e.tagName + '.' + e.className);
                 }
                 return out.length ? out.slice(-5) : ['(no element: the page is ' + document.documentElement.scrollWidth + ' px wide)'];",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        if wide.as_array().is_some_and(|a| !a.is_empty()) {
            return Err(format!("{path} is wider than a phone's screen: {wide}"));
        }
        no_violations(c, &format!("{path} on a phone")).await?;
    }
    c.set_window_size(1280, 1024)
        .await
        .map_err(|e| e.to_string())?;
    // A bad period is a message on the page.
    c.goto(&format!("{base}/scorecard?period=2025-13"))
        .await
        .map_err(|e| e.to_string())?;
    let banner = text(c, ".govuk-notification-banner").await?;
    if !banner.contains("2025-13") {
        return Err(format!("a bad period gave no message: {banner}"));
    }
    // Signing out ends the session.
    c.find(Locator::Css("form[action='/sign-out'] button"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    c.goto(&format!("{base}/workforce"))
        .await
        .map_err(|e| e.to_string())?;
    let path = c
        .current_url()
        .await
        .map_err(|e| e.to_string())?
        .path()
        .to_string();
    if path != "/sign-in" {
        return Err(format!("after signing out, /workforce showed {path}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_signs_in_and_follows_a_figure_to_a_child_and_the_access_log() {
    if chromedriver().is_none() {
        let required = std::env::var_os("HEARTH_REQUIRE_BROWSER").is_some();
        assert!(
            !required,
            "chromedriver is not installed: apt-get install chromium chromium-driver"
        );
        eprintln!("chromedriver is not installed: the browser test does not run here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    let (_driver, client) = browser().await;
    let outcome = journey(&client, &base).await;
    if let Err(problem) = outcome {
        let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-failures");
        std::fs::create_dir_all(&shots).unwrap();
        let shot = shots.join("journey.png");
        if let Ok(png) = client.screenshot().await {
            std::fs::write(&shot, png).unwrap();
        }
        let _ = client.close().await;
        panic!("{problem}\n(screenshot: {})", shot.display());
    }
    client.close().await.unwrap();
}
