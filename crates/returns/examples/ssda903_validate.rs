//! Validates an SSDA903 CSV return and prints the findings as CSV, with timings on standard error.
//!
//! ```sh
//! cargo run -p hearth-returns --example ssda903_validate -- 2025/26 header.csv episodes.csv ... \
//!     [--copies N] [--la CODE] > findings.csv
//! ```
//!
//! `--copies N` repeats every table N times under new child ids, to measure larger returns.

use returns::ssda903::{Metadata, Return, Table, Year, read_files, validate};
use std::path::PathBuf;
use std::time::Instant;

fn copies(tables: Vec<Table>, n: usize) -> Vec<Table> {
    tables
        .into_iter()
        .map(|t| {
            let names: Vec<String> = t.column_names().map(str::to_owned).collect();
            let child = names.iter().position(|c| c == "CHILD");
            let mut out = Table::new(t.name(), &names);
            let mut id = 0;
            for k in 0..n {
                for i in t.rows() {
                    let renamed = t.child_id(i).map(|c| format!("{c}_{k}"));
                    let cells = names.iter().enumerate().map(|(j, name)| {
                        if Some(j) == child {
                            renamed.as_deref()
                        } else {
                            t.col(name).text(i)
                        }
                    });
                    out.push_row(id, cells);
                    id += 1;
                }
            }
            out
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let year = Year::parse(&args.next().expect("a collection year, such as 2025/26"))
        .expect("a known year");
    let (mut files, mut n, mut la) = (Vec::new(), 1, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--copies" => {
                n = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--copies N")
            }
            "--la" => la = args.next(),
            _ => files.push(PathBuf::from(a)),
        }
    }
    let t = Instant::now();
    let tables = read_files(&files).unwrap_or_else(|e| panic!("{e}"));
    let tables = if n > 1 { copies(tables, n) } else { tables };
    let rows: usize = tables.iter().map(Table::len).sum();
    let mut meta = Metadata::for_year(year);
    meta.la_code = la;
    let r = Return::new(meta, tables, Vec::new());
    eprintln!(
        "read {rows} rows, {} children, in {:.2?}",
        r.child_count(),
        t.elapsed()
    );
    let t = Instant::now();
    let findings = validate(&r, year);
    eprintln!("{} findings in {:.2?}", findings.len(), t.elapsed());
    println!("rule_code,table,row_id,child_id");
    for f in &findings {
        println!(
            "{},{},{},{}",
            f.code,
            f.table,
            f.row_id,
            f.child_id.as_deref().unwrap_or("")
        );
    }
}
