//! What the tests that start a server share: a seeded council served on a free loopback port,
//! with someone who may sign in.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const USER: &str = "test.director";
pub const PASSWORD: &str = "a long test password";

/// A child process stopped when the test ends, however it ends.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn hearth() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hearth"))
}

/// A one-year council ending today, with a director who may sign in, served on a free port.
/// Returns the server and its address (`http://127.0.0.1:PORT`).
pub fn serve(dir: &Path) -> (Running, String) {
    serve_with(dir, &[], &[])
}

/// The same, with more options for `hearth serve` and variables in its environment.
pub fn serve_with(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> (Running, String) {
    let db = format!("sqlite://{}", dir.join("served.db").display());
    let seeded = hearth()
        .args(["seed", "--db", &db, "--years", "1"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(seeded.success());
    add_user(dir, USER, "director", &[]);
    let mut server = hearth()
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0"])
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = BufReader::new(server.stdout.take().unwrap());
    let running = Running(server);
    for line in out.lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Hearth is running at ") {
            let base = rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/');
            return (running, base.to_string());
        }
    }
    panic!("hearth serve stopped before saying where it runs");
}

/// Adds someone with a role to the database `serve` made in `dir`, with the test password.
pub fn add_user(dir: &Path, username: &str, role: &str, extra: &[&str]) {
    let db = format!("sqlite://{}", dir.join("served.db").display());
    let mut add = hearth()
        .args(["user", "add", "--db", &db, "--username", username])
        .args(["--name", &format!("Test {role}"), "--role", role])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(add.wait().unwrap().success());
}

/// The plan's lead, an open action's owner (not the lead) with that action, and an action
/// someone else owns, read from the served database.
pub async fn plan_people(dir: &std::path::Path) -> (u32, u32, u32, u32) {
    let url = format!("sqlite://{}", dir.join("served.db").display());
    let store = store::Store::open(&url, store::OpenMode::MustExist)
        .await
        .unwrap();
    let model = store::load_model(&store, None, |_| {}).await.unwrap().model;
    store.close().await;
    let plan = &model.plan;
    let lead = plan.lead.expect("the plan has a lead");
    let mine = plan
        .actions
        .values()
        .find(|a| a.completed.is_none() && a.owner != lead)
        .expect("an open action owned by someone other than the lead");
    let other = plan
        .actions
        .values()
        .find(|a| a.owner != mine.owner)
        .expect("an action someone else owns");
    (lead.0, mine.owner.0, mine.id.0, other.id.0)
}
