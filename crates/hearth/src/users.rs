//! `hearth user`: who may sign in.

use crate::cli::UserCommand;
use anyhow::{Context, bail};
use std::io::BufRead;
use store::{OpenMode, Store};
use web::auth::Role;

/// The fewest characters a password may have.
const SHORTEST_PASSWORD: usize = 10;

pub async fn run(command: UserCommand) -> anyhow::Result<()> {
    let disable = matches!(command, UserCommand::Disable { .. });
    match command {
        UserCommand::Add {
            db,
            username,
            name,
            role,
            worker,
            team,
        } => {
            let Some(role) = Role::from_slug(&role) else {
                let known: Vec<&str> = Role::ALL.iter().map(|r| r.slug()).collect();
                bail!("`{role}` is not a role: use one of {}", known.join(", "));
            };
            let username = username.trim().to_string();
            if username.is_empty() || username.chars().any(char::is_whitespace) {
                bail!("a user name must not be empty or contain spaces");
            }
            let password = password_from_stdin()?;
            let store = Store::open(&db.db, OpenMode::MustExist).await?;
            if let Some(w) = worker {
                let stream = domain::WorkerId(w).to_string();
                if store.stream_version(&stream).await? == 0 {
                    bail!("there is no worker {w} in {}", store.describe());
                }
            }
            store
                .add_user(&store::NewUser {
                    username: username.clone(),
                    name,
                    role: role.slug().into(),
                    password_hash: web::auth::hash_password(&password),
                    worker: worker.map(i64::from),
                    team: team.map(i64::from),
                })
                .await?;
            println!("Added {username} ({}).", role.label());
            Ok(())
        }
        UserCommand::List { db } => {
            let store = Store::open(&db.db, OpenMode::MustExist).await?;
            for u in store.users().await? {
                let role: &str = match Role::from_slug(&u.role) {
                    Some(r) => r.label(),
                    None => &u.role,
                };
                let state = if u.disabled { "disabled" } else { "active" };
                println!("{:<28} {:<32} {:<30} {state}", u.username, u.name, role);
            }
            Ok(())
        }
        UserCommand::Disable { db, username } | UserCommand::Enable { db, username } => {
            let store = Store::open(&db.db, OpenMode::MustExist).await?;
            if !store.set_disabled(&username, disable).await? {
                bail!("there is no user called {username} in {}", store.describe());
            }
            if disable {
                println!(
                    "Disabled {username}: their sessions are ended, and a server that saw them \
                     in the last {} seconds refuses them from then on.",
                    web::auth::SessionCache::RECHECK.as_secs()
                );
            } else {
                println!("Enabled {username}.");
            }
            Ok(())
        }
        UserCommand::ResetPassword { db, username } => {
            let password = password_from_stdin()?;
            let store = Store::open(&db.db, OpenMode::MustExist).await?;
            let hash = web::auth::hash_password(&password);
            if !store.set_password(&username, &hash).await? {
                bail!("there is no user called {username} in {}", store.describe());
            }
            println!(
                "Set a new password for {username}, unlocked the account and ended its sessions."
            );
            Ok(())
        }
    }
}

/// The first line of standard input, as a password long enough to use.
fn password_from_stdin() -> anyhow::Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("cannot read the password from standard input")?;
    let password = password.trim_end_matches(['\r', '\n']);
    if password.chars().count() < SHORTEST_PASSWORD {
        bail!("the password on standard input must have at least {SHORTEST_PASSWORD} characters");
    }
    Ok(password.to_string())
}
