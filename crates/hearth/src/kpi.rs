//! `hearth kpi` and `hearth worklist`: the measures and the clocks, from the command line.

use crate::cli::{Db, KpiArgs, ListFormat, WorklistArgs};
use anyhow::{Context, bail};
use chrono::{NaiveDate, TimeZone, Utc};
use domain::Model;
use kpi::clocks::{self, Owner};
use kpi::report::{self, Row, Source};
use kpi::{Index, Measure, Period, Scope};
use std::io::Write;
use store::{OpenMode, Store};

/// The model as known at the end of `on` (or now), and the date clocks are read against.
async fn load(db: &Db, on: Option<NaiveDate>) -> anyhow::Result<(Model, NaiveDate)> {
    let store = Store::open(&db.db, OpenMode::MustExist).await?;
    let until = on.map(|d| {
        Utc.from_utc_datetime(
            &(d + chrono::Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .expect("midnight"),
        )
    });
    let total = store.last_seq().await?.max(0) as u64;
    let bar = crate::progress::bar(total, "replay");
    let loaded = store::load_model(&store, until, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    store.close().await;
    let today = on.unwrap_or_else(|| chrono::Local::now().date_naive());
    Ok((loaded.model, today))
}

fn check_scope(model: &Model, scope: Scope) -> anyhow::Result<()> {
    match scope {
        Scope::Team(t) if !model.teams.contains_key(&t) => {
            let ids = model.teams.keys();
            match (ids.clone().next(), ids.last()) {
                (Some(a), Some(b)) => bail!(
                    "there is no team {}; teams run from {} to {}",
                    t.0,
                    a.0,
                    b.0
                ),
                _ => bail!("there is no team {}; the database has no teams", t.0),
            }
        }
        Scope::Worker(w) if !model.workers.contains_key(&w) => bail!("there is no worker {}", w.0),
        _ => Ok(()),
    }
}

pub async fn run(args: KpiArgs) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if args.list {
        return list(&mut out, args.format);
    }
    let measures: Vec<&'static Measure> = if args.measure.is_empty() {
        kpi::catalogue().iter().collect()
    } else {
        args.measure
            .iter()
            .map(|id| kpi::engine::find_measure(id).map_err(anyhow::Error::msg))
            .collect::<anyhow::Result<_>>()?
    };
    let breakdown = args
        .breakdown
        .as_deref()
        .map(str::parse::<report::Dimension>)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let targets = match &args.targets {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read targets from {}", path.display()))?;
            kpi::targets::parse_csv(
                &path.display().to_string(),
                &text,
                chrono::Local::now().date_naive(),
            )?
        }
        None => Vec::new(),
    };
    let cal = crate::cli::calendar(&args.db)?;
    let (mut model, today) = load(&args.db, args.as_known_on).await?;
    for t in targets {
        model.council.targets.insert(t.measure.clone(), t);
    }
    if model.events_applied == 0 {
        match args.as_known_on {
            Some(d) => bail!("nothing had been recorded by the end of {d}"),
            None => bail!("the database holds no records yet"),
        }
    }
    check_scope(&model, args.scope)?;
    let period = args
        .period
        .unwrap_or_else(|| Period::last_whole_month_before(today));
    if period.first() > today {
        bail!("{period} has not begun: the records are read as on {today}");
    }
    let ix = Index::new(&model);
    let src = Source {
        model: &model,
        cal,
        ix: &ix,
        today,
    };
    let drill = args.children || breakdown.is_some();
    let mut rows: Vec<Row> = measures
        .iter()
        .map(|m| report::row(&src, m, period, args.scope, drill))
        .collect();
    if let Some(dim) = breakdown {
        for (m, r) in measures.iter().zip(rows.iter_mut()) {
            let items = r.children.as_ref().map_or(&[][..], |d| &d.items[..]);
            r.breakdown = Some(report::breakdown(&model, m, period, items, dim));
        }
    }
    if !args.children {
        rows.iter_mut().for_each(|r| r.children = None);
    }
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        // A download is one table: the breakdown's when one is asked for.
        ListFormat::Csv if breakdown.is_some() => write_breakdown_csv(&mut out, &rows)?,
        ListFormat::Csv => write_csv(&mut out, &rows, args.children)?,
        ListFormat::Table => {
            write_table(&mut out, &model, &rows, args.children)?;
            for r in &rows {
                let Some(groups) = &r.breakdown else { continue };
                writeln!(out, "\n{} {}", r.id, r.name)?;
                writeln!(
                    out,
                    "  {:<28} {:>10} {:>10} {:>10}",
                    "group", "num", "den", "value"
                )?;
                for g in groups {
                    writeln!(
                        out,
                        "  {:<28} {:>10} {:>10} {:>10}",
                        g.group,
                        g.numerator,
                        g.denominator,
                        show(g.value)
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v}"))
}

fn list(out: &mut impl Write, format: ListFormat) -> anyhow::Result<()> {
    let all = kpi::catalogue();
    match format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, all)?;
            writeln!(out)?;
        }
        ListFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["id", "name", "unit", "polarity", "priority", "definition"])?;
            for m in all {
                w.write_record([
                    m.id.as_str(),
                    &m.name,
                    &m.unit,
                    &format!("{:?}", m.polarity).to_lowercase(),
                    m.priority.as_deref().unwrap_or(""),
                    &m.definition,
                ])?;
            }
            w.flush()?;
        }
        ListFormat::Table => {
            for m in all {
                writeln!(out, "{:<8} {} ({})", m.id, m.name, m.unit)?;
            }
        }
    }
    Ok(())
}

fn cells(r: &Row) -> Vec<String> {
    let b = r.benchmarks.as_ref();
    vec![
        r.id.to_string(),
        r.name.to_string(),
        r.period_label.to_string(),
        r.scope.to_string(),
        match r.no_value {
            Some(why) if why == kpi::engine::NOT_AVAILABLE => why.to_string(),
            _ => show(r.value),
        },
        r.unit.to_string(),
        show(r.numerator),
        show(r.denominator),
        show(r.target),
        show(r.trajectory),
        r.rag.map_or("", |g| g.label()).to_string(),
        b.map_or(String::new(), |b| b.year.to_string()),
        show(b.and_then(|b| b.council)),
        show(b.and_then(|b| b.neighbours_mean)),
        show(b.and_then(|b| b.neighbours_median)),
        show(b.and_then(|b| b.region)),
        show(b.and_then(|b| b.england)),
        r.left_out.to_string(),
    ]
}

const HEADER: &[&str] = &[
    "id",
    "name",
    "period",
    "scope",
    "value",
    "unit",
    "numerator",
    "denominator",
    "target",
    "trajectory",
    "rag",
    "published_year",
    "published_council",
    "neighbours_mean",
    "neighbours_median",
    "region",
    "england",
    "left_out",
];

fn write_csv(out: &mut impl Write, rows: &[Row], children: bool) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    if children {
        w.write_record([
            "id",
            "subject",
            "record",
            "date",
            "numerator",
            "denominator",
            "value",
            "team",
            "worker",
            "left_out_because",
        ])?;
        for r in rows {
            let Some(d) = &r.children else { continue };
            for i in &d.items {
                w.write_record([
                    r.id.to_string(),
                    subject(i.subject),
                    i.record.map_or(String::new(), |x| x.to_string()),
                    i.date.to_string(),
                    i.num.to_string(),
                    i.den.to_string(),
                    show(i.value),
                    i.team.map_or(String::new(), |t| t.0.to_string()),
                    i.worker.map_or(String::new(), |t| t.0.to_string()),
                    String::new(),
                ])?;
            }
            for l in &d.left {
                w.write_record([
                    r.id.to_string(),
                    subject(l.subject),
                    l.record.map_or(String::new(), |x| x.to_string()),
                    l.date.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    l.team.map_or(String::new(), |t| t.0.to_string()),
                    l.worker.map_or(String::new(), |t| t.0.to_string()),
                    l.reason.to_string(),
                ])?;
            }
        }
    } else {
        w.write_record(HEADER)?;
        for r in rows {
            w.write_record(cells(r))?;
        }
    }
    w.flush()?;
    Ok(())
}

fn write_breakdown_csv(out: &mut impl Write, rows: &[Row]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "name",
        "period",
        "scope",
        "group",
        "numerator",
        "denominator",
        "value",
    ])?;
    for r in rows {
        for g in r.breakdown.iter().flatten() {
            w.write_record([
                r.id.to_string(),
                r.name.to_string(),
                r.period.to_string(),
                r.scope.to_string(),
                g.group.clone(),
                g.numerator.to_string(),
                g.denominator.to_string(),
                show(g.value),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn subject(s: kpi::Subject) -> String {
    match s {
        kpi::Subject::Child(c) => c.to_string(),
        kpi::Subject::Worker(w) => w.to_string(),
    }
}

fn write_table(
    out: &mut impl Write,
    model: &Model,
    rows: &[Row],
    children: bool,
) -> anyhow::Result<()> {
    if let Some(r) = rows.first() {
        writeln!(out, "{} · {} · {}", model.council.name, r.scope, r.period)?;
    }
    writeln!(
        out,
        "{:<8} {:<58} {:>9} {:>9} {:>9} {:>8} {:>8} {:<6} {:>8} {:>8} {:>8}",
        "id",
        "measure",
        "value",
        "num",
        "den",
        "target",
        "traj",
        "rag",
        "SN mean",
        "region",
        "England"
    )?;
    for r in rows {
        let c = cells(r);
        let mut name = r.name.to_string();
        if name.chars().count() > 58 {
            name = name.chars().take(57).collect::<String>() + "…";
        }
        writeln!(
            out,
            "{:<8} {:<58} {:>9} {:>9} {:>9} {:>8} {:>8} {:<6} {:>8} {:>8} {:>8}",
            c[0], name, c[4], c[6], c[7], c[8], c[9], c[10], c[13], c[15], c[16]
        )?;
        if children && let Some(d) = &r.children {
            for i in &d.items {
                let name = match i.subject {
                    kpi::Subject::Child(id) => model
                        .children
                        .get(&id)
                        .map(|c| format!("{} {}", c.details.given_name, c.details.family_name))
                        .unwrap_or_default(),
                    kpi::Subject::Worker(id) => model
                        .workers
                        .get(&id)
                        .map(|w| w.name.clone())
                        .unwrap_or_default(),
                };
                let counted = if i.num > 0.0 {
                    "numerator"
                } else {
                    "denominator only"
                };
                writeln!(
                    out,
                    "    {:<14} {:<28} {} {:<17} value {}",
                    subject(i.subject),
                    name,
                    i.date,
                    counted,
                    show(i.value)
                )?;
            }
            for l in &d.left {
                writeln!(
                    out,
                    "    {:<14} left out: {} ({})",
                    subject(l.subject),
                    l.reason,
                    l.date
                )?;
            }
        }
    }
    Ok(())
}

pub async fn worklist(args: WorklistArgs) -> anyhow::Result<()> {
    let cal = crate::cli::calendar(&args.db)?;
    let (model, today) = load(&args.db, args.on).await?;
    let owner = match (args.team, args.worker) {
        (Some(t), None) => {
            check_scope(&model, Scope::Team(domain::TeamId(t)))?;
            Owner::Team(domain::TeamId(t))
        }
        (None, Some(w)) => {
            check_scope(&model, Scope::Worker(domain::WorkerId(w)))?;
            Owner::Worker(domain::WorkerId(w))
        }
        _ => Owner::All,
    };
    let mut list = clocks::worklist(&model, cal, today, owner, args.within);
    if !args.all {
        list.retain(|c| c.status != clocks::ClockStatus::Later);
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        ListFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "status",
                "due",
                "working_days_left",
                "clock",
                "child",
                "record",
                "started",
                "team",
                "worker",
            ])?;
            for c in &list {
                w.write_record([
                    c.status.label().to_string(),
                    c.due.to_string(),
                    c.working_days_left.to_string(),
                    c.kind.label().to_string(),
                    c.child.to_string(),
                    c.record.map_or(String::new(), |r| r.to_string()),
                    c.started.to_string(),
                    c.team.map_or(String::new(), |t| t.0.to_string()),
                    c.worker.map_or(String::new(), |t| t.0.to_string()),
                ])?;
            }
            w.flush()?;
        }
        ListFormat::Table => {
            writeln!(out, "Worklist on {today}: {} clocks", list.len())?;
            writeln!(
                out,
                "{:<10} {:<10} {:>5}  {:<50} {:<14} worker",
                "status", "due", "WD", "clock", "child"
            )?;
            for c in &list {
                let worker = c
                    .worker
                    .and_then(|w| model.workers.get(&w))
                    .map_or("unallocated".to_string(), |w| w.name.clone());
                writeln!(
                    out,
                    "{:<10} {:<10} {:>5}  {:<50} {:<14} {}",
                    c.status.label(),
                    c.due,
                    c.working_days_left,
                    c.kind.label(),
                    c.child.to_string(),
                    worker
                )?;
            }
        }
    }
    Ok(())
}
