//! `hearth bench returns`: Hearth's SSDA903 and CIN census validators beside the public ones
//! (`csc-validator-be-903` and `csc-validator-be-cin`, installed from PyPI into a throwaway venv)
//! on the same sample returns, scaled up, in one run.
//!
//! Each validator runs as a process of its own that reads the files, runs every rule of the
//! 2025/26 rule set and writes its issues as CSV (`rule_code,tables_affected,row_id,...`): Hearth
//! as `hearth validate ... --format csv` from this binary, the peer through a small driver script
//! (`crates/hearth/bench/peers/`). Each is timed from start to exit, and its peak resident memory
//! read from `/proc/PID/status` (`VmHWM`) every 10 ms while it runs. Hearth is also timed reading
//! and validating alone, in this process, its peak counted afresh (`/proc/self/clear_refs`). Then
//! the two lists of (rule, table, row) are compared, overall and rule by rule.

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use returns::{cin, ssda903};
use std::collections::{BTreeSet, HashMap};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const YEAR_903: ssda903::Year = ssda903::Year::Y2025_26;
const YEAR_CIN: cin::CinYear = cin::CinYear::Y2025_26;
/// The 903 return is made for Richmond upon Thames: its DfE number for Hearth, its ONS code for
/// the peer (the code the peer's own command line uses).
const LA_DFE: &str = "318";
const LA_ONS: &str = "E09000027";
/// The peer, pinned; numpy too, as a later numpy breaks the 903 package.
const PEER_PACKAGES: [&str; 3] = [
    "csc-validator-be-903==0.1.17",
    "csc-validator-be-cin==0.1.13",
    "numpy==1.24.4",
];
const RUN_903: &str = include_str!("../../bench/peers/run903.py");
const RUN_CIN: &str = include_str!("../../bench/peers/runcin.py");
/// The bars, for the default sizes: seconds each, and peak memory in MB for both.
const BAR_903: (u32, f64) = (40, 5.0);
const BAR_CIN: (u32, f64) = (30_000, 2.0);
const BAR_MB: f64 = 1000.0;

pub fn run(
    scale903: u32,
    cin_children: u32,
    samples: Option<PathBuf>,
    no_peer: bool,
) -> anyhow::Result<()> {
    let samples = samples.unwrap_or_else(|| PathBuf::from("../shared/data/statutory"));
    let sample_903 = samples.join("903_validator_fake_data");
    let mut sample_cin = samples.join("cin_validator_fake_data/fake_CIN_data.xml");
    let repo_cin = Path::new("crates/returns/tests/data/fake_CIN_data.xml");
    if !sample_cin.is_file() && repo_cin.is_file() {
        sample_cin = repo_cin.to_path_buf();
    }
    if !sample_903.is_dir() {
        println!(
            "SSDA903: no sample at {} (give --samples DIR, the folder holding \
             903_validator_fake_data/). The project does not ship the public validator's 903 \
             sample; it is in its repository, SocialFinanceDigitalLabs/csc-validator-be-903, \
             tests/fake_data/. The 903 return is left out of this run.",
            sample_903.display()
        );
    }
    if !sample_cin.is_file() {
        println!(
            "CIN census: no sample at {}; the CIN census is left out of this run.",
            sample_cin.display()
        );
    }
    if !sample_903.is_dir() && !sample_cin.is_file() {
        bail!("no sample returns to measure: give --samples DIR");
    }

    let work = tempfile::tempdir().context("cannot make a temporary folder")?;
    let work = work.path();
    let mut cases = Vec::new();
    if sample_903.is_dir() {
        let dir = work.join("ssda903");
        let (rows, children) = scale_903(&sample_903, &dir, scale903)?;
        cases.push(Case {
            name: format!("SSDA903, the sample ×{scale903}"),
            size: format!("{} rows, {} children", count(rows), count(children)),
            input: Input::Ssda903(dir.clone()),
            hearth: vec![
                "ssda903".into(),
                "--year".into(),
                "2025/26".into(),
                dir.display().to_string(),
                "--la".into(),
                LA_DFE.into(),
            ],
            script: ("run903.py", RUN_903),
            peer: vec![
                dir.display().to_string(),
                YEAR_903.ruleset(),
                (YEAR_903.first_year() + 1).to_string(),
                LA_ONS.into(),
            ],
            bar: (scale903 == BAR_903.0).then_some(BAR_903.1),
            bar_name: format!("SSDA903 ×{} under {} s", BAR_903.0, BAR_903.1),
            leave_out_header: false,
            in_hearth: ssda903::rules(YEAR_903).iter().map(|r| r.code).collect(),
        });
    }
    if sample_cin.is_file() {
        let file = work.join("cin.xml");
        let (episodes, bytes) = scale_cin(&sample_cin, &file, cin_children as usize)?;
        cases.push(Case {
            name: format!("CIN census of {} children", count(cin_children.into())),
            size: format!(
                "{} CIN episodes, {:.1} MB of XML, from {}",
                count(episodes),
                bytes as f64 / 1e6,
                sample_cin.display()
            ),
            input: Input::Cin(file.clone()),
            hearth: vec![
                "cin".into(),
                "--year".into(),
                "2025/26".into(),
                file.display().to_string(),
            ],
            script: ("runcin.py", RUN_CIN),
            peer: vec![file.display().to_string(), YEAR_CIN.ruleset().into()],
            bar: (cin_children == BAR_CIN.0).then_some(BAR_CIN.1),
            bar_name: format!(
                "CIN census of {} children under {} s",
                count(BAR_CIN.0.into()),
                BAR_CIN.1
            ),
            leave_out_header: true,
            in_hearth: cin::rules::rules_for(YEAR_CIN).map(|r| r.code).collect(),
        });
    }

    let peer = if no_peer {
        None
    } else {
        let installed = install_peer(work);
        if let Err(why) = &installed {
            println!(
                "The public validators could not be installed, so only Hearth is measured.\n{why}"
            );
        }
        Some(installed)
    };

    let mut failures = Vec::new();
    let mut bars = Vec::new();
    for case in &cases {
        match bench(case, work, peer.as_ref()) {
            Ok((hearth, peer_failed)) => {
                bars.push((case, hearth));
                failures.extend(peer_failed);
            }
            Err(e) => failures.push(format!("{}: {e:#}", case.name)),
        }
    }

    println!(
        "\nThe bars, each under {} GB of peak memory:",
        BAR_MB / 1000.0
    );
    for (case, hearth) in &bars {
        let Some(secs) = case.bar else {
            println!(
                "  {}: not judged, as this run is of another size",
                case.bar_name
            );
            continue;
        };
        let judge = |took: &Took| {
            let met = took.secs < secs && took.peak_mb.is_some_and(|mb| mb < BAR_MB);
            let verdict = if met { "met" } else { "NOT met" };
            let peak = took
                .peak_mb
                .map_or("-".to_string(), |mb| count(mb.round() as u64));
            format!("{verdict} ({:.2} s, {peak} MB)", took.secs)
        };
        println!(
            "  {}: reading and validating {}; the whole hearth validate process {}",
            case.bar_name,
            judge(&hearth.here),
            judge(&hearth.process)
        );
    }
    match peer {
        Some(Err(_)) => {
            bail!("the public validators could not be installed; --no-peer measures Hearth alone")
        }
        _ if !failures.is_empty() => bail!("{}", failures.join("; ")),
        _ => Ok(()),
    }
}

/// One return measured: how to run each validator on the same input, and its bar.
struct Case {
    name: String,
    size: String,
    input: Input,
    /// `hearth validate` arguments, before `--format csv`.
    hearth: Vec<String>,
    /// The peer's driver script (file name and text), and its arguments before the output paths.
    script: (&'static str, &'static str),
    peer: Vec<String>,
    /// The bar in seconds, when this run is of the bar's size.
    bar: Option<f64>,
    bar_name: String,
    /// The CIN peer lists Header and whole-return issues apart from the rest, so those are
    /// compared only where both list them: rows of the other tables.
    leave_out_header: bool,
    /// The rule codes Hearth has for the year.
    in_hearth: BTreeSet<&'static str>,
}

/// A return's files, for reading in this process.
enum Input {
    Ssda903(PathBuf),
    Cin(PathBuf),
}

/// What a process took: wall seconds, and its peak resident memory in MB when it could be read.
#[derive(Debug, Clone, Copy)]
struct Took {
    secs: f64,
    peak_mb: Option<f64>,
}

/// What the peer's driver says about its run.
#[derive(Debug, serde::Deserialize)]
struct PeerStats {
    phases: Vec<(String, f64)>,
    rules: usize,
    crashed: Vec<String>,
    skipped: usize,
    peak_kib: u64,
}

/// Hearth's figures for one return: reading and validating in this process, and the whole
/// `hearth validate --format csv` process.
struct Hearth {
    here: Took,
    process: Took,
}

/// Runs Hearth, then the peer, on one return and prints both and how far they agree. Returns
/// Hearth's figures, and why the peer failed if it did; fails only if Hearth's run does.
fn bench(
    case: &Case,
    work: &Path,
    peer: Option<&Result<PathBuf, String>>,
) -> anyhow::Result<(Hearth, Option<String>)> {
    println!("\n{}: {}", case.name, case.size);
    println!(
        "  {:<38} {:>10} {:>12} {:>12}",
        "", "time", "peak memory", "findings"
    );
    let (here, read_secs, found) = read_and_validate(&case.input)?;
    let note = format!("read {read_secs:.2} s, then validate");
    line("Hearth, reading and validating", here, found, &note);

    let ours = work.join("hearth-issues.csv");
    let log = work.join("hearth.log");
    let process = measure(
        Command::new(std::env::current_exe().context("cannot find this program")?)
            .arg("validate")
            .args(&case.hearth)
            .args(["--format", "csv"])
            .stdout(File::create(&ours)?)
            .stderr(File::create(&log)?),
        "Hearth: hearth validate",
        &log,
    )?;
    let mut keys = Keys::default();
    let (ours_keys, ours_apart) = keys.read(&ours, case.leave_out_header)?;
    let size = std::fs::metadata(&ours)?.len() as f64 / 1e6;
    let note = format!("its process, writing {size:.0} MB of issues");
    let found = ours_keys.len() + ours_apart;
    line(
        "Hearth, hearth validate --format csv",
        process,
        found,
        &note,
    );
    let hearth = Hearth { here, process };

    let python = match peer {
        None => return Ok((hearth, None)),
        Some(Err(_)) => {
            println!("  the peer: not installed");
            return Ok((hearth, None));
        }
        Some(Ok(python)) => python,
    };
    let theirs = work.join("peer-issues.csv");
    let stats_path = work.join("peer-stats.json");
    let log = work.join("peer.log");
    let script = work.join(case.script.0);
    std::fs::write(&script, case.script.1)?;
    let output = File::create(&log)?;
    let took = measure(
        Command::new(python)
            .arg(&script)
            .args(&case.peer)
            .arg(&theirs)
            .arg(&stats_path)
            .stdout(output.try_clone()?)
            .stderr(output),
        "the public validator (minutes at the full sizes)",
        &log,
    );
    let mut took = match took {
        Ok(t) => t,
        Err(e) => {
            println!("  the peer failed: {e:#}");
            let why = format!("{}: the public validator failed: {e:#}", case.name);
            return Ok((hearth, Some(why)));
        }
    };
    let stats: PeerStats = serde_json::from_slice(&std::fs::read(&stats_path)?)
        .context("reading the peer driver's figures")?;
    // The driver's own reading of its peak is exact; the sampled one may miss its last 10 ms.
    let driver_mb = stats.peak_kib as f64 * 1024.0 / 1e6;
    took.peak_mb = Some(took.peak_mb.unwrap_or(0.0).max(driver_mb));
    let (theirs_keys, _) = keys.read(&theirs, case.leave_out_header)?;
    let size = std::fs::metadata(&theirs)?.len() as f64 / 1e6;
    let note = format!("its process, writing {size:.0} MB of issues");
    line(
        "the peer, from its driver script",
        took,
        theirs_keys.len(),
        &note,
    );
    let phases: Vec<String> = stats
        .phases
        .iter()
        .map(|(what, secs)| format!("{what} {secs:.1} s"))
        .collect();
    println!("    the peer's phases: {}", phases.join(", "));
    println!(
        "    its {} rules: {} crashed{}, {} skipped for want of a table",
        stats.rules,
        stats.crashed.len(),
        if stats.crashed.is_empty() {
            String::new()
        } else {
            format!(" ({})", stats.crashed.join(", "))
        },
        stats.skipped
    );
    let ratio = |peer: Option<f64>, ours: Option<f64>| match (peer, ours) {
        (Some(p), Some(o)) if o > 0.0 => format!("{:.0} ×", p / o),
        _ => "-".to_string(),
    };
    println!(
        "  the peer ÷ Hearth, process against process: {} the time, {} the memory \
         (against reading and validating: {}, {})",
        ratio(Some(took.secs), Some(process.secs)),
        ratio(took.peak_mb, process.peak_mb),
        ratio(Some(took.secs), Some(here.secs)),
        ratio(took.peak_mb, here.peak_mb),
    );
    if ours_apart > 0 {
        println!(
            "  Hearth's {} findings on the Header or the whole return are left out below: the \
             peer lists those apart",
            count(ours_apart as u64)
        );
    }
    agreement(&keys, &ours_keys, &theirs_keys, case, &stats.crashed);
    Ok((hearth, None))
}

/// One line of a return's figures.
fn line(what: &str, took: Took, findings: usize, note: &str) {
    let peak = took.peak_mb.map_or("-".to_string(), |mb| {
        format!("{} MB", count(mb.round() as u64))
    });
    println!(
        "  {what:<38} {:>8.2} s {peak:>12} {:>12}  {note}",
        took.secs,
        count(findings as u64)
    );
}

/// Reads and validates a return in this process: the time and peak memory of both (the peak
/// counted afresh from the start, through /proc/self/clear_refs), the time reading, and the
/// findings.
fn read_and_validate(input: &Input) -> anyhow::Result<(Took, f64, usize)> {
    let fresh = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let started = Instant::now();
    let (read, found) = match input {
        Input::Ssda903(dir) => {
            let tables = ssda903::read_dir(dir)?;
            let mut meta = ssda903::Metadata::for_year(YEAR_903);
            meta.la_code = Some(LA_DFE.into());
            let ret = ssda903::Return::new(meta, tables, Vec::new());
            let read = started.elapsed();
            (read, ssda903::validate(&ret, YEAR_903).len())
        }
        Input::Cin(file) => {
            let census = cin::read::read_xml_file(file)?;
            let read = started.elapsed();
            (read, cin::validate(&census, YEAR_CIN).len())
        }
    };
    let took = Took {
        secs: started.elapsed().as_secs_f64(),
        peak_mb: super::memory_mib("VmHWM:")
            .filter(|_| fresh)
            .map(|mib| mib * 1.048_576),
    };
    Ok((took, read.as_secs_f64(), found))
}

/// Prints how far two sorted, distinct key lists agree, overall and rule by rule.
fn agreement(keys: &Keys, ours: &[u64], theirs: &[u64], case: &Case, crashed: &[String]) {
    // For each rule: found by both, by Hearth alone, by the peer alone.
    let mut by_rule = vec![[0u64; 3]; keys.rules.len()];
    let (mut i, mut j) = (0, 0);
    while i < ours.len() || j < theirs.len() {
        let (key, side) = match (ours.get(i), theirs.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
                (*a, 0)
            }
            (Some(a), b) if b.is_none_or(|b| a < b) => {
                i += 1;
                (*a, 1)
            }
            (_, b) => {
                j += 1;
                (*b.expect("one side is left"), 2)
            }
        };
        by_rule[(key >> 48) as usize][side] += 1;
    }
    let total = by_rule
        .iter()
        .fold([0u64; 3], |t, r| [t[0] + r[0], t[1] + r[1], t[2] + r[2]]);
    let union = total.iter().sum::<u64>();
    println!(
        "  agreement: {} (rule, table, row) found by both, {} by Hearth alone, {} by the peer \
         alone: overlap {:.2} %",
        count(total[0]),
        count(total[1]),
        count(total[2]),
        100.0 * total[0] as f64 / union.max(1) as f64
    );
    let mut fired: Vec<(&str, [u64; 3])> = keys
        .rules
        .iter()
        .map(String::as_str)
        .zip(by_rule)
        .filter(|(_, n)| n.iter().sum::<u64>() > 0)
        .collect();
    // In code order: 103 before 1015, 392a after 392.
    fired.sort_by_key(|(code, _)| {
        let digits = code.len() - code.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        (code[..digits].parse::<u32>().unwrap_or(u32::MAX), *code)
    });
    let same = fired.iter().filter(|(_, n)| n[1] == 0 && n[2] == 0).count();
    println!(
        "  {} of the {} rules that fired in either find exactly the same rows ({:.1} %){}",
        same,
        fired.len(),
        100.0 * same as f64 / fired.len().max(1) as f64,
        if same < fired.len() {
            "; the others:"
        } else {
            ""
        }
    );
    if same < fired.len() {
        println!(
            "    {:<10} {:>10} {:>10} {:>10}",
            "rule", "Hearth", "peer", "both"
        );
    }
    for (code, n) in fired.iter().filter(|(_, n)| n[1] > 0 || n[2] > 0) {
        let note = if crashed.iter().any(|c| c == code) {
            "  crashed in the peer"
        } else if !case.in_hearth.contains(code) {
            "  not in Hearth"
        } else {
            ""
        };
        println!(
            "    {:<10} {:>10} {:>10} {:>10}{note}",
            code,
            count(n[0] + n[1]),
            count(n[0] + n[2]),
            count(n[0])
        );
    }
}

/// Rule codes and table names seen in issue files, each given a number, so that a
/// (rule, table, row) packs into one `u64`: rule in the top 16 bits, table in the next 8, row in
/// the low 40.
#[derive(Default)]
struct Keys {
    rules: Vec<String>,
    rule_ids: HashMap<String, u64>,
    tables: HashMap<String, u64>,
}

impl Keys {
    /// The distinct (rule, table, row) keys of an issues CSV, sorted; and how many were left out
    /// (those with no row, and the Header's when asked).
    fn read(&mut self, path: &Path, leave_out_header: bool) -> anyhow::Result<(Vec<u64>, usize)> {
        let mut reader = csv::Reader::from_path(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let headers = reader.headers()?.clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .with_context(|| format!("{} has no column {name}", path.display()))
        };
        let (rule, table, row) = (
            column("rule_code")?,
            column("tables_affected")?,
            column("row_id")?,
        );
        let (mut kept, mut apart) = (Vec::new(), Vec::new());
        for record in reader.records() {
            let record = record?;
            let r = match self.rule_ids.get(&record[rule]) {
                Some(&id) => id,
                None => {
                    let id = self.rules.len() as u64;
                    self.rules.push(record[rule].to_string());
                    self.rule_ids.insert(record[rule].to_string(), id);
                    id
                }
            };
            let n = self.tables.len() as u64;
            let t = *self.tables.entry(record[table].to_string()).or_insert(n);
            let row_id = record[row].parse::<f64>().ok().map(|r| r as u64);
            let key = (r << 48) | (t << 40) | row_id.unwrap_or((1 << 40) - 1);
            if row_id.is_none() || (leave_out_header && &record[table] == "Header") {
                apart.push(key);
            } else {
                kept.push(key);
            }
        }
        for keys in [&mut kept, &mut apart] {
            keys.sort_unstable();
            keys.dedup();
        }
        Ok((kept, apart.len()))
    }
}

/// Writes the 903 sample's CSV files (all but `placed_for_adoption_errors.csv`) into `to`, each
/// `copies` times over: every copy a new set of children, its CHILD ids offset (copy k of child
/// 566910 is k566910; of an id that is not a number, such as CHILD10, CHILD10Ck), every other
/// column as it was.
/// Returns the rows written and the children.
fn scale_903(from: &Path, to: &Path, copies: u32) -> anyhow::Result<(u64, u64)> {
    let mut files = Vec::new();
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.ends_with(".csv") && name != "placed_for_adoption_errors.csv" {
            let mut reader = csv::Reader::from_path(&path)?;
            let headers = reader.headers()?.clone();
            let child = headers
                .iter()
                .position(|h| h == "CHILD")
                .with_context(|| format!("{} has no CHILD column", path.display()))?;
            let rows = reader.records().collect::<Result<Vec<_>, _>>()?;
            files.push((name.to_string(), headers, child, rows));
        }
    }
    let ids: BTreeSet<&str> = files
        .iter()
        .flat_map(|(_, _, child, rows)| rows.iter().map(|r| &r[*child]))
        .filter(|id| !id.is_empty())
        .collect();
    // Numbers are offset by a power of ten above the largest.
    let largest = ids.iter().filter_map(|id| id.parse::<u64>().ok()).max();
    let span = 10u64.pow(largest.map_or(1, |n| n.to_string().len() as u32));
    std::fs::create_dir_all(to)?;
    let bar = crate::progress::bar(u64::from(copies), "903 copies");
    let mut writers = files
        .iter()
        .map(|(name, headers, ..)| {
            let mut w = csv::Writer::from_writer(BufWriter::new(File::create(to.join(name))?));
            w.write_record(headers)?;
            Ok(w)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut written = 0u64;
    for k in 0..u64::from(copies) {
        for ((_, _, child, rows), w) in files.iter().zip(&mut writers) {
            for row in rows {
                let id = &row[*child];
                let new_id = match id.parse::<u64>() {
                    _ if k == 0 || id.is_empty() => id.to_string(),
                    Ok(n) => (n + k * span).to_string(),
                    Err(_) => format!("{id}C{k}"),
                };
                w.write_record(
                    row.iter()
                        .enumerate()
                        .map(|(i, cell)| if i == *child { new_id.as_str() } else { cell }),
                )?;
                written += 1;
            }
        }
        bar.inc(1);
    }
    for w in &mut writers {
        w.flush()?;
    }
    bar.finish_and_clear();
    Ok((written, ids.len() as u64 * u64::from(copies)))
}

/// Writes a CIN census of `children` children into `to`: the sample's children over and over,
/// each pass with its LAchildIDs made new (RND000215205141 becomes RND000215205141C1 in the
/// second pass: letters and digits, as the rules on LA child ids ask), everything else as it
/// was. Returns the CIN episodes written and the file's size.
fn scale_cin(from: &Path, to: &Path, children: usize) -> anyhow::Result<(u64, u64)> {
    let xml =
        std::fs::read_to_string(from).with_context(|| format!("cannot read {}", from.display()))?;
    let (open, close) = ("<Child>", "</Child>");
    let first = xml.find(open);
    let last = xml.rfind(close).map(|i| i + close.len());
    let (Some(first), Some(last)) = (first, last) else {
        bail!("{}: no <Child> elements", from.display());
    };
    let mut blocks = Vec::new();
    let mut at = first;
    while let Some(start) = xml[at..last].find(open).map(|i| at + i) {
        let end = xml[start..last]
            .find(close)
            .map(|i| start + i + close.len())
            .with_context(|| format!("{}: a <Child> is not closed", from.display()))?;
        blocks.push(&xml[start..end]);
        at = end;
    }
    let mut out = BufWriter::new(File::create(to)?);
    out.write_all(&xml.as_bytes()[..first])?;
    let mut episodes = 0u64;
    for i in 0..children {
        let block = blocks[i % blocks.len()];
        let pass = i / blocks.len();
        match block.find("</LAchildID>") {
            Some(end) if pass > 0 => write!(out, "{}C{pass}{}", &block[..end], &block[end..])?,
            _ => out.write_all(block.as_bytes())?,
        }
        out.write_all(b"\n")?;
        episodes += block.matches("<CINdetails>").count() as u64;
    }
    out.write_all(&xml.as_bytes()[last..])?;
    out.flush()?;
    Ok((episodes, std::fs::metadata(to)?.len()))
}

/// Makes a venv in `work` and installs the public validators into it from PyPI: the venv's
/// python, or why not (the failing step and the end of its output).
fn install_peer(work: &Path) -> Result<PathBuf, String> {
    let venv = work.join("venv");
    let log = work.join("pip.log");
    let logged = || -> Result<(Stdio, Stdio), String> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(|e| format!("cannot write {}: {e}", log.display()))?;
        let copy = file.try_clone().map_err(|e| e.to_string())?;
        Ok((file.into(), copy.into()))
    };
    let (out, err) = logged()?;
    measure(
        Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .stdout(out)
            .stderr(err),
        "python3 -m venv",
        &log,
    )
    .map_err(|e| format!("{e:#}"))?;
    let (out, err) = logged()?;
    measure(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--disable-pip-version-check", "--no-input"])
            .args(PEER_PACKAGES)
            .stdout(out)
            .stderr(err),
        "pip install of the public validators from PyPI",
        &log,
    )
    .map_err(|e| format!("{e:#}"))?;
    Ok(venv.join("bin/python"))
}

/// Runs a command to its end with a spinner on a terminal: its wall time, and its peak resident
/// memory read from `/proc/PID/status` every 10 ms while it runs (a sample, so growth in its
/// last 10 ms may be missed; none for runs under 0.1 s). Fails if it cannot start or does not
/// succeed, with the end of its log.
fn measure(command: &mut Command, what: &str, log: &Path) -> anyhow::Result<Took> {
    let spinner = ProgressBar::new_spinner();
    if !std::io::stderr().is_terminal() {
        spinner.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        spinner.set_style(style);
    }
    spinner.set_message(what.to_string());
    spinner.enable_steady_tick(Duration::from_millis(200));

    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {what}"))?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib: Option<u64> = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if let Some(kib) = peak_memory_kib(&status_file) {
            peak_kib = peak_kib.max(Some(kib));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let secs = started.elapsed().as_secs_f64();
    spinner.finish_and_clear();
    // A run much shorter than the sampling may end before it is read.
    if secs < 0.1 {
        peak_kib = None;
    }
    if !status.success() {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        bail!(
            "{what} failed ({status}); the end of its output:\n{}",
            lines[lines.len().saturating_sub(15)..].join("\n")
        );
    }
    Ok(Took {
        secs,
        peak_mb: peak_kib.map(|k| k as f64 * 1024.0 / 1e6),
    })
}

/// A process's peak resident memory so far (`VmHWM`), in KiB.
fn peak_memory_kib(status_file: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_file).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 1037760 as `1,037,760`.
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_of_the_samples_are_new_children() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("903");
        std::fs::create_dir(&from).unwrap();
        std::fs::write(from.join("header.csv"), "CHILD,SEX\n566910,2\n42,1\n").unwrap();
        std::fs::write(from.join("DoLo.csv"), "CHILD,DOB\nCHILD10,05/12/1993\n").unwrap();
        std::fs::write(from.join("placed_for_adoption_errors.csv"), "CHILD\n1\n").unwrap();
        let to = dir.path().join("out");
        assert_eq!(scale_903(&from, &to, 3).unwrap(), (9, 9));
        let written = std::fs::read_to_string(to.join("header.csv")).unwrap();
        assert_eq!(
            written,
            "CHILD,SEX\n566910,2\n42,1\n1566910,2\n1000042,1\n2566910,2\n2000042,1\n"
        );
        let written = std::fs::read_to_string(to.join("DoLo.csv")).unwrap();
        assert_eq!(
            written,
            "CHILD,DOB\nCHILD10,05/12/1993\nCHILD10C1,05/12/1993\nCHILD10C2,05/12/1993\n"
        );
        assert!(!to.join("placed_for_adoption_errors.csv").exists());

        let episode = "<CINdetails><ReferralNFA>false</ReferralNFA></CINdetails>";
        let xml = format!(
            "<Message><Header/><Children>\n<Child><ChildIdentifiers><LAchildID>A1</LAchildID>\
             </ChildIdentifiers>{episode}</Child>\n<Child><ChildIdentifiers><LAchildID>B2\
             </LAchildID></ChildIdentifiers>{episode}{episode}</Child>\n</Children></Message>"
        );
        std::fs::write(dir.path().join("cin.xml"), xml).unwrap();
        let out = dir.path().join("big.xml");
        let (episodes, _) = scale_cin(&dir.path().join("cin.xml"), &out, 5).unwrap();
        assert_eq!(episodes, 1 + 2 + 1 + 2 + 1);
        let census = cin::read::read_xml_file(&out).unwrap();
        assert_eq!(census.children(), 5);
        let written = std::fs::read_to_string(&out).unwrap();
        for id in ["A1<", "B2<", "A1C1<", "B2C1<", "A1C2<"] {
            assert_eq!(written.matches(id).count(), 1, "{id}");
        }
        assert_eq!(count(1_037_760), "1,037,760");
        assert_eq!(count(999), "999");
    }
}
