//! `hearth serve` and `hearth demo`.

use crate::cli::{Db, OidcArgs, WatchArgs};
use anyhow::Context;
use std::path::Path;
use store::{OpenMode, Store};

pub async fn serve(db: &Db, addr: &str, oidc: &OidcArgs, watch: &WatchArgs) -> anyhow::Result<()> {
    let cal = crate::cli::calendar(db)?;
    if let Some(dir) = &watch.ssd_watch
        && !dir.is_dir()
    {
        anyhow::bail!(
            "--ssd-watch {}: there is no such folder; make it, or name the folder the case system's extract lands in",
            dir.display()
        );
    }
    let store = Store::open(&db.db, OpenMode::MustExist).await?;
    let watching = watch
        .ssd_watch
        .clone()
        .map(|dir| (dir, std::time::Duration::from_secs(watch.ssd_watch_every)));
    run(store, addr, cal, false, Some(oidc), watching).await
}

/// Seeds the demo council the first time, then serves it.
pub async fn demo(file: &Path, addr: &str) -> anyhow::Result<()> {
    if !file.exists() {
        println!(
            "Creating the demo council in {} (once; it takes a few seconds)...",
            file.display()
        );
        // Built under another name and renamed when whole, so a run stopped part way (Ctrl-C)
        // never leaves a half-made council to be served next time.
        let partial = file.with_extension("db.partial");
        let remove_partial = || {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
            }
        };
        remove_partial();
        let store = Store::open(
            &format!("sqlite://{}", partial.display()),
            OpenMode::CreateIfMissing,
        )
        .await?;
        let options = synth::Options {
            seed: 42,
            years: 5,
            end: chrono::Local::now().date_naive(),
            scale: 1,
        };
        let calendar = domain::calendar::Calendar::england_and_wales();
        let seeded = match crate::seed::seed(&store, options, calendar, true).await {
            // The file alone must hold the council before it is renamed.
            Ok(_) => store.checkpoint().await.map_err(anyhow::Error::from),
            Err(e) => Err(e),
        };
        store.close().await;
        if let Err(e) = seeded {
            remove_partial();
            return Err(e);
        }
        std::fs::rename(&partial, file).with_context(|| {
            format!("cannot rename {} to {}", partial.display(), file.display())
        })?;
        remove_partial();
    }
    let url = format!("sqlite://{}", file.display());
    let store = Store::open(&url, OpenMode::MustExist).await?;
    println!(
        "The demo council's measures: hearth kpi --db {url}   (its worklists: hearth worklist --db {url} --team 3)"
    );
    let cal = domain::calendar::Calendar::england_and_wales();
    run(store, addr, cal, true, None, None).await
}

/// The password of every demonstration account.
pub const DEMO_PASSWORD: &str = "hearth-demo";

/// One account for each role on the demonstration council, made the first time: the social
/// worker is the one holding most cases today, and the team manager leads that worker's team.
pub async fn demo_users(
    store: &Store,
    model: &domain::Model,
) -> anyhow::Result<Vec<(web::auth::Role, String)>> {
    use web::auth::Role;
    let today = chrono::Local::now().date_naive();
    let mut cases: std::collections::BTreeMap<domain::WorkerId, usize> = Default::default();
    for c in model.children.values() {
        if let Some(a) = c.current_allocation() {
            *cases.entry(a.worker).or_default() += 1;
        }
    }
    let busiest = cases
        .iter()
        .filter(|(w, _)| {
            model.workers[w]
                .terms_on(today)
                .is_some_and(|t| t.role.is_case_holding_social_worker())
        })
        .max_by_key(|(w, n)| (**n, std::cmp::Reverse(**w)))
        .map(|(w, _)| *w);
    let team = busiest.and_then(|w| model.workers[&w].terms_on(today).map(|t| t.team));
    let hash = web::auth::hash_password(DEMO_PASSWORD);
    let mut out = Vec::new();
    for role in Role::ALL {
        let username = format!("demo.{}", role.slug().replace('_', "."));
        let (name, worker, team) = match role {
            Role::Practitioner => (
                busiest.map_or_else(
                    || "Demo social worker".into(),
                    |w| model.workers[&w].name.clone(),
                ),
                busiest.map(|w| i64::from(w.0)),
                team.map(|t| i64::from(t.0)),
            ),
            Role::TeamManager => (
                format!("Demo {}", role.label().to_lowercase()),
                None,
                team.map(|t| i64::from(t.0)),
            ),
            // The director leads the improvement plan; the service manager is the head of
            // service who owns most of its open actions, so both can record its progress.
            Role::Director | Role::ServiceManager => {
                let worker = if role == Role::Director {
                    model.plan.lead
                } else {
                    busiest_owner(model)
                };
                (
                    worker.map_or_else(
                        || format!("Demo {}", role.label().to_lowercase()),
                        |w| model.workers[&w].name.clone(),
                    ),
                    worker.map(|w| i64::from(w.0)),
                    None,
                )
            }
            _ => (format!("Demo {}", role.label().to_lowercase()), None, None),
        };
        if store.user(&username).await?.is_none() {
            store
                .add_user(&store::NewUser {
                    username: username.clone(),
                    name,
                    role: role.slug().into(),
                    password_hash: hash.clone(),
                    worker,
                    team,
                })
                .await?;
        }
        out.push((role, username));
    }
    Ok(out)
}

/// Who owns most of the improvement plan's open actions, other than its lead.
fn busiest_owner(model: &domain::Model) -> Option<domain::WorkerId> {
    let mut open: std::collections::BTreeMap<domain::WorkerId, usize> = Default::default();
    for a in model.plan.actions.values() {
        if a.completed.is_none() && Some(a.owner) != model.plan.lead {
            *open.entry(a.owner).or_default() += 1;
        }
    }
    open.into_iter()
        .max_by_key(|(w, n)| (*n, std::cmp::Reverse(*w)))
        .map(|(w, _)| w)
}

/// The provider's settings from the options, with the secret from the environment.
fn oidc_config(args: &OidcArgs, base: &str) -> anyhow::Result<web::oidc::OidcConfig> {
    let issuer = args
        .oidc_issuer
        .clone()
        .context("--oidc-issuer is needed")?;
    let client_id = args.oidc_client_id.clone().context(
        "--oidc-client-id is needed with --oidc-issuer: Hearth's client id at the provider",
    )?;
    let client_secret = std::env::var("HEARTH_OIDC_CLIENT_SECRET").map_err(|_| {
        anyhow::anyhow!(
            "set HEARTH_OIDC_CLIENT_SECRET to Hearth's client secret at the provider (it is read from the environment so that it never appears in a process list)"
        )
    })?;
    Ok(web::oidc::OidcConfig {
        issuer,
        client_id,
        client_secret,
        redirect_url: args
            .oidc_redirect_url
            .clone()
            .unwrap_or_else(|| format!("{base}/sign-in/oidc/callback")),
        username_claim: args.oidc_username_claim.clone(),
        label: args.oidc_label.clone(),
    })
}

async fn run(
    store: Store,
    addr: &str,
    cal: &'static domain::calendar::Calendar,
    demo: bool,
    oidc: Option<&OidcArgs>,
    watching: Option<(std::path::PathBuf, std::time::Duration)>,
) -> anyhow::Result<()> {
    let bar = crate::progress::bar(store.last_seq().await?.max(0) as u64, "replay");
    let loaded = store::load_model(&store, None, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let sign_ins = if demo {
        demo_users(&store, &loaded.model).await?
    } else {
        Vec::new()
    };
    let mut state = web::AppState::new(store, loaded.model, loaded.last_seq, cal);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    if let Some(args) = oidc.filter(|a| a.oidc_issuer.is_some()) {
        let config = oidc_config(args, &format!("http://{local}"))?;
        println!("Signing in through {} is on", config.issuer);
        state.oidc = Some(std::sync::Arc::new(web::oidc::Oidc::new(config)?));
    }
    web::spawn_follower(state.clone());
    if let Some((dir, every)) = &watching {
        println!(
            "Taking each extract that lands in {} (looking every {} s; runs at /imports)",
            dir.display(),
            every.as_secs()
        );
        web::watch::spawn_ssd_watch(state.clone(), dir.clone(), *every);
    }
    state.watching = watching;
    println!("Hearth is running at http://{local}/ (Ctrl-C to stop)");
    if !sign_ins.is_empty() {
        println!("Sign in as any of these, each with the password {DEMO_PASSWORD}:");
        for (role, username) in &sign_ins {
            println!("  {username:<28} {}", role.label());
        }
    }
    axum::serve(listener, web::router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the web server stopped")?;
    Ok(())
}
