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
        "/data-quality",
        "/access-log",
        "/restricted",
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
        "/data-quality",
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

/// Whether the browser tests can run here; without chromedriver they say so and stop, unless
/// HEARTH_REQUIRE_BROWSER is set.
fn browser_installed() -> bool {
    if chromedriver().is_some() {
        return true;
    }
    let required = std::env::var_os("HEARTH_REQUIRE_BROWSER").is_some();
    assert!(
        !required,
        "chromedriver is not installed: apt-get install chromium chromium-driver"
    );
    eprintln!("chromedriver is not installed: the browser test does not run here");
    false
}

/// Closes the browser; a failed journey leaves a screenshot named `shot` and fails the test.
async fn finish(client: Client, outcome: Result<(), String>, shot: &str) {
    if let Err(problem) = outcome {
        let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-failures");
        std::fs::create_dir_all(&shots).unwrap();
        let shot = shots.join(format!("{shot}.png"));
        if let Ok(png) = client.screenshot().await {
            std::fs::write(&shot, png).unwrap();
        }
        let _ = client.close().await;
        panic!("{problem}\n(screenshot: {})", shot.display());
    }
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_signs_in_and_follows_a_figure_to_a_child_and_the_access_log() {
    if !browser_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    let (_driver, client) = browser().await;
    let outcome = journey(&client, &base).await;
    finish(client, outcome, "journey").await;
}

/// Signs in through the page, as whoever is named, and waits for the page it leads to.
async fn sign_in_as(c: &Client, base: &str, user: &str) -> Result<(), String> {
    c.goto(&format!("{base}/sign-in"))
        .await
        .map_err(|e| e.to_string())?;
    let form = c
        .form(Locator::Css("form[action='/sign-in']"))
        .await
        .map_err(|e| e.to_string())?;
    form.set_by_name("username", user)
        .await
        .map_err(|e| e.to_string())?;
    form.set_by_name("password", PASSWORD)
        .await
        .map_err(|e| e.to_string())?;
    form.submit().await.map_err(|e| e.to_string())?;
    left(c, "/sign-in").await.map(|_| ())
}

async fn sign_out(c: &Client) -> Result<(), String> {
    c.find(Locator::Css("form[action='/sign-out'] button"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Waits until the browser has left a page (a form's answer loads after the click returns),
/// and gives the address it is at.
async fn left(c: &Client, path: &str) -> Result<url::Url, String> {
    for _ in 0..100 {
        let url = c.current_url().await.map_err(|e| e.to_string())?;
        if url.path() != path {
            return Ok(url);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("the browser stayed on {path}"))
}

/// Answers a question on the page's form as a person would: types into a box, picks from a
/// list, or ticks the radio or box with that value. `*first` picks the first thing listed.
async fn answer(c: &Client, name: &str, value: &str) -> Result<(), String> {
    let said = c
        .execute(
            "const [name, value] = arguments;
             const els = document.getElementsByName(name);
             if (!els.length) return 'no question ' + name;
             for (const e of els) {
               if (e.type === 'radio' || e.type === 'checkbox') {
                 if (e.value === value) { e.checked = true; return ''; }
               } else if (e.tagName === 'SELECT' && value === '*first') {
                 if (e.options.length < 2) return 'nothing to choose for ' + name;
                 e.value = e.options[1].value; return '';
               } else { e.value = value; return ''; }
             }
             return 'no choice ' + value + ' for ' + name;",
            vec![name.into(), value.into()],
        )
        .await
        .map_err(|e| e.to_string())?;
    match said.as_str() {
        Some("") => Ok(()),
        _ => Err(format!("{said}")),
    }
}

/// Fills in a stage's form for a child and saves it; the record comes back saying so.
async fn record(
    c: &Client,
    base: &str,
    child: &str,
    kind: &str,
    answers: &[(&str, &str)],
) -> Result<(), String> {
    let path = format!("/children/{child}/record/{kind}");
    c.goto(&format!("{base}{path}"))
        .await
        .map_err(|e| e.to_string())?;
    for (name, value) in answers {
        answer(c, name, value)
            .await
            .map_err(|e| format!("{kind}: {e}"))?;
    }
    c.find(Locator::Css("main form button[type='submit']"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let url = left(c, &path)
        .await
        .map_err(|_| format!("saving {kind} did not go through"))?;
    let banner = text(c, ".govuk-notification-banner")
        .await
        .unwrap_or_default();
    if url.path() != format!("/children/{child}") || !banner.contains("Saved") {
        let problem = text(c, ".govuk-error-summary").await.unwrap_or_default();
        return Err(format!("saving {kind} led to {url}: {problem}"));
    }
    Ok(())
}

/// The text of the child's record page.
async fn record_page(c: &Client, base: &str, child: &str) -> Result<String, String> {
    c.goto(&format!("{base}/children/{child}"))
        .await
        .map_err(|e| e.to_string())?;
    text(c, "main").await
}

/// How many children the team's dashboard says are waiting for allocation.
async fn waiting(c: &Client, base: &str) -> Result<String, String> {
    c.goto(&format!("{base}/teams/1"))
        .await
        .map_err(|e| e.to_string())?;
    let main = text(c, "main").await?;
    Ok(main
        .lines()
        .find(|l| l.starts_with("Waiting for allocation"))
        .unwrap_or_default()
        .to_string())
}

async fn contact_to_plan(c: &Client, base: &str) -> Result<(), String> {
    // A school tells the front door about a child through the partner portal.
    sign_in_as(c, base, "test.partner").await?;
    c.goto(&format!("{base}/contacts/new"))
        .await
        .map_err(|e| e.to_string())?;
    no_violations(c, "partner's contact form").await?;
    // Sent empty, the form says what is missing, beside each question.
    c.find(Locator::Css("main form button[type='submit']"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let problem = text(c, ".govuk-error-summary").await?;
    if !problem.contains("Enter the child's first name") {
        return Err(format!("an empty contact gave {problem:?}"));
    }
    no_violations(c, "a form with errors").await?;
    for (name, value) in [
        ("given_name", "Robin"),
        ("family_name", "Browserjourney"),
        ("source", "3A"),
        (
            "concerns",
            "Robin came to school with a bruised arm and would not say how.",
        ),
    ] {
        answer(c, name, value).await?;
    }
    c.find(Locator::Css("main form button[type='submit']"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let url = left(c, "/contacts/new").await?;
    let reference = url
        .query_pairs()
        .find(|(k, _)| k == "sent")
        .map(|(_, v)| v.to_string())
        .ok_or_else(|| format!("sending the contact led to {url}"))?;
    let child = reference.split('-').next().unwrap_or_default().to_string();
    if !text(c, ".govuk-panel").await?.contains(&reference) {
        return Err("the confirmation does not give the reference".into());
    }
    no_violations(c, "partner's contacts").await?;
    sign_out(c).await?;

    // The front door sees it in the queue, rates it and decides it.
    sign_in_as(c, base, "test.manager").await?;
    c.goto(&format!("{base}/front-door"))
        .await
        .map_err(|e| e.to_string())?;
    if !text(c, "main").await?.contains("Browserjourney") {
        return Err("the contact is not in the front door's queue".into());
    }
    let page = record_page(c, base, &child).await?;
    if !page.contains("Contact decision (1 working day)") {
        return Err("the contact's clock is not running on the child's record".into());
    }
    c.goto(&format!("{base}/children/{child}/record"))
        .await
        .map_err(|e| e.to_string())?;
    no_violations(c, "what can be recorded").await?;
    record(
        c,
        base,
        &child,
        "contact_rated",
        &[("contact", "*first"), ("rag", "red")],
    )
    .await?;
    c.goto(&format!("{base}/front-door"))
        .await
        .map_err(|e| e.to_string())?;
    c.find(Locator::Css(&format!(
        "a[href^='/children/{child}/record/contact_decided']"
    )))
    .await
    .map_err(|e| format!("the queue offers no decision for the child: {e}"))?
    .click()
    .await
    .map_err(|e| e.to_string())?;
    no_violations(c, "a stage's form").await?;
    answer(c, "decision", "referral").await?;
    c.find(Locator::Css("main form button[type='submit']"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    left(c, &format!("/children/{child}/record/contact_decided")).await?;
    c.goto(&format!("{base}/front-door"))
        .await
        .map_err(|e| e.to_string())?;
    if text(c, "main").await?.contains("Browserjourney") {
        return Err("the decided contact is still in the queue".into());
    }

    // A referral and an assessment follow; the assessment's clock starts.
    record(
        c,
        base,
        &child,
        "referral_received",
        &[("source", "3A"), ("from_contact", "*first")],
    )
    .await?;
    record(
        c,
        base,
        &child,
        "assessment_started",
        &[("referral", "*first"), ("kind", "new")],
    )
    .await?;
    let page = record_page(c, base, &child).await?;
    if !page.contains("Assessment (45 working days)") || page.contains("Contact decision (1") {
        return Err("the clocks did not move on from the contact to the assessment".into());
    }
    record(
        c,
        base,
        &child,
        "strategy_discussion_held",
        &[("referral", "*first"), ("outcome", "s47")],
    )
    .await?;
    record(
        c,
        base,
        &child,
        "section47_started",
        &[("referral", "*first"), ("strategy", "*first")],
    )
    .await?;
    if !record_page(c, base, &child)
        .await?
        .contains("Initial conference (15 working days")
    {
        return Err("no initial conference clock after the strategy discussion".into());
    }
    // Allocated to the team, then left without a worker: the team's dashboard shows the child
    // waiting; allocated again, no longer.
    let before = waiting(c, base).await?;
    record(
        c,
        base,
        &child,
        "child_allocated",
        &[("worker", "*first"), ("team", "1")],
    )
    .await?;
    record(c, base, &child, "allocation_ended", &[]).await?;
    let during = waiting(c, base).await?;
    record(
        c,
        base,
        &child,
        "child_allocated",
        &[("worker", "*first"), ("team", "1")],
    )
    .await?;
    let after = waiting(c, base).await?;
    if during == before || after != before {
        return Err(format!(
            "waiting for allocation: {before} / {during} / {after}"
        ));
    }
    sign_out(c).await?;

    // The conference, chaired by an IRO, decides on a plan; the plan starts.
    sign_in_as(c, base, "test.iro").await?;
    record(
        c,
        base,
        &child,
        "conference_held",
        &[
            ("kind", "initial"),
            ("enquiry", "*first"),
            ("plan_needed", "yes"),
            ("agencies_present", "school"),
        ],
    )
    .await?;
    sign_out(c).await?;
    sign_in_as(c, base, "test.manager").await?;
    record(
        c,
        base,
        &child,
        "cp_plan_started",
        &[
            ("referral", "*first"),
            ("category", "PHY"),
            ("conference", "*first"),
        ],
    )
    .await?;
    let page = record_page(c, base, &child).await?;
    for said in [
        "Child protection plan started",
        "Child protection visit (10 working days)",
        "Contact decided",
        "Assessment started",
    ] {
        if !page.contains(said) {
            return Err(format!("the child's record does not show {said}"));
        }
    }
    if page.contains("Initial conference (15") {
        return Err("the initial conference's clock still runs after the conference".into());
    }
    no_violations(c, "the child's record after the journey").await?;
    sign_out(c).await?;

    // The school sees what became of its contact, and nothing more.
    sign_in_as(c, base, "test.partner").await?;
    c.goto(&format!("{base}/contacts"))
        .await
        .map_err(|e| e.to_string())?;
    if !text(c, "main").await?.contains("Referral to social care") {
        return Err("the partner does not see the decision".into());
    }
    c.goto(&format!("{base}/children/{child}"))
        .await
        .map_err(|e| e.to_string())?;
    if !text(c, "h1").await?.contains("You cannot see or do this") {
        return Err("a partner opened the child's record".into());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partners_contact_is_decided_and_becomes_a_child_protection_plan() {
    if !browser_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    common::add_user(dir.path(), "test.partner", "partner_agency", &[]);
    common::add_user(dir.path(), "test.manager", "team_manager", &["--team", "1"]);
    common::add_user(dir.path(), "test.iro", "iro", &[]);
    let (_driver, client) = browser().await;
    let outcome = contact_to_plan(&client, &base).await;
    finish(client, outcome, "recording").await;
}

/// The plan page's "actions complete" for a priority, as "6 of 7".
async fn priority_row(c: &Client, base: &str, priority: &str) -> Result<String, String> {
    c.goto(&format!("{base}/plan"))
        .await
        .map_err(|e| e.to_string())?;
    let link = c
        .find(Locator::Css(&format!("a[href='{priority}']")))
        .await
        .map_err(|e| format!("no link to {priority} on the plan page: {e}"))?;
    let cell = link
        .find(Locator::XPath("ancestor::tr/td[3]"))
        .await
        .map_err(|e| e.to_string())?;
    cell.text().await.map_err(|e| e.to_string())
}

async fn owner_completes_an_action(c: &Client, base: &str, action: u32) -> Result<(), String> {
    sign_in_as(c, base, "test.owner").await?;
    accessible(c, base, "/plan").await?;
    accessible(c, base, "/plan/exceptions").await?;
    accessible(c, base, "/plan/my-actions").await?;
    let href = format!("/plan/actions/{action}");
    c.find(Locator::Css(&format!("main a[href='{href}']")))
        .await
        .map_err(|e| format!("the action is not among the owner's: {e}"))?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    left(c, "/plan/my-actions").await?;
    no_violations(c, "an action's page").await?;
    let text_of_action = text(c, "h1").await?;
    let priority = c
        .find(Locator::Css(".govuk-back-link"))
        .await
        .map_err(|e| e.to_string())?
        .attr("href")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the back link has no address")?;
    accessible(c, base, &priority).await?;
    let before = priority_row(c, base, &priority).await?;

    // The owner records it complete, on the action's own form.
    c.goto(&format!("{base}{href}"))
        .await
        .map_err(|e| e.to_string())?;
    answer(c, "status", "complete").await?;
    answer(c, "note", "Finished: every team has been briefed").await?;
    c.find(Locator::Css(&format!(
        "form[action='{href}/progress'] button[type='submit']"
    )))
    .await
    .map_err(|e| e.to_string())?
    .click()
    .await
    .map_err(|e| e.to_string())?;
    for _ in 0..100 {
        let url = c.current_url().await.map_err(|e| e.to_string())?;
        if url.query().is_some_and(|q| q.contains("saved=progress")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let banner = text(c, ".govuk-notification-banner").await?;
    if !banner.contains("Progress recorded") {
        let problem = text(c, "main").await.unwrap_or_default();
        return Err(format!("saving progress did not go through: {problem}"));
    }
    no_violations(c, "an action's page after a save").await?;

    // The plan page counts it complete.
    let after = priority_row(c, base, &priority).await?;
    let complete = |row: &str| -> Option<(u32, u32)> {
        let (done, of) = row.trim().split_once(" of ")?;
        Some((done.parse().ok()?, of.parse().ok()?))
    };
    match (complete(&before), complete(&after)) {
        (Some((a, n)), Some((b, m))) if b == a + 1 && n == m => {}
        _ => {
            return Err(format!(
                "the plan page did not count it: {before} → {after}"
            ));
        }
    }

    // The next board pack shows it completed since the last board, with the owner's words.
    accessible(c, base, "/board-pack").await?;
    let pack = text(c, "main").await?;
    let completed = pack
        .find("Completed")
        .ok_or("the pack lists nothing completed")?;
    if !pack[completed..].contains(&text_of_action)
        || !pack.contains("Finished: every team has been briefed")
    {
        return Err("the board pack does not show the completed action".into());
    }
    accessible(c, base, "/scrutiny-report").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_completes_an_action_and_the_plan_and_the_next_board_pack_show_it() {
    if !browser_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    let (_, owner, action, _) = common::plan_people(dir.path()).await;
    common::add_user(
        dir.path(),
        "test.owner",
        "service_manager",
        &["--worker", &owner.to_string()],
    );
    let (_driver, client) = browser().await;
    let outcome = owner_completes_an_action(&client, &base, action).await;
    finish(client, outcome, "plan").await;
}
