//! Postcode facts from the ONS postcode directory: each postcode's local authority and grid
//! reference, from which a placement's local authority, whether it is in the council's own area,
//! and its distance from home are derived (the `PL_LA`, `PL_LOCATION` and `PL_DISTANCE` the DfE
//! derives for every episode).
//!
//! The file is a CSV with the directory's own column names: `pcd` (the postcode), `laua` (the
//! local authority district), `oseast1m` and `osnrth1m` (easting and northing in metres), and
//! optionally `cty` (the county, for districts of a two-tier area). The ONS Postcode Directory
//! proper names two of them `oslaua` and `oscty`, which are read too. Other columns are ignored,
//! so the ONS file itself will do.

use super::tables::Table;
use rustc_hash::FxHashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One postcode's facts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place<'a> {
    /// The local authority district (lower tier), such as `E07000041`; a few postcodes have none.
    pub district: Option<&'a str>,
    /// The county of a two-tier area (an `E10` code), when known.
    pub county: Option<&'a str>,
    pub easting: Option<f64>,
    pub northing: Option<f64>,
}

impl<'a> Place<'a> {
    /// The council with children's services for the postcode: the county in a two-tier area,
    /// otherwise the district itself; outside England, the country (`WAL`, `SCO`, `NIR`) as the
    /// return writes it.
    pub fn children_services_la(&self) -> Option<&'a str> {
        let district = self.district?;
        Some(match district.as_bytes().first() {
            Some(b'W') => "WAL",
            Some(b'S') => "SCO",
            Some(b'N') => "NIR",
            _ => self
                .county
                .filter(|c| c.starts_with("E10"))
                .unwrap_or(district),
        })
    }

    fn grid(&self) -> Option<(f64, f64)> {
        Some((self.easting?, self.northing?))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PostcodesError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{}: no {column} column (the postcode file needs pcd, laua, oseast1m and osnrth1m)", path.display())]
    MissingColumn { path: PathBuf, column: &'static str },
}

/// A postcode without spaces in at most 7 bytes, the form it is stored under: the whole
/// directory (some 2.7 million postcodes) then takes tens of megabytes, not hundreds. `None`
/// for text that cannot be a postcode.
fn key(postcode: &str) -> Option<[u8; 7]> {
    let mut k = [0u8; 7];
    let mut n = 0;
    for b in postcode.bytes().filter(|b| !b.is_ascii_whitespace()) {
        if n == 7 || !b.is_ascii_alphanumeric() {
            return None;
        }
        k[n] = b.to_ascii_uppercase();
        n += 1;
    }
    (n > 0).then_some(k)
}

/// No local authority code recorded.
const NO_CODE: u16 = u16::MAX;

/// What is stored for a postcode: its district and county as indexes into the code list, and its
/// grid reference in metres (the directory's are whole metres).
#[derive(Debug, Clone, Copy)]
struct Stored {
    district: u16,
    county: u16,
    easting: Option<i32>,
    northing: Option<i32>,
}

/// The postcodes a return may name, by postcode in capitals without spaces.
#[derive(Debug, Clone, Default)]
pub struct Postcodes {
    by_postcode: FxHashMap<[u8; 7], Stored>,
    /// Each local authority code once (there are a few hundred).
    codes: Vec<String>,
    code_index: FxHashMap<String, u16>,
}

/// Miles between two grid references, to one decimal place, by the DfE's formula (metres over
/// 1000, over 1.6093). Halves round to even, as the DfE's tools do.
pub fn miles(from: (f64, f64), to: (f64, f64)) -> f64 {
    let metres = (from.0 - to.0).hypot(from.1 - to.1);
    (metres / 1000.0 / 1.6093 * 10.0).round_ties_even() / 10.0
}

impl Postcodes {
    pub fn new() -> Postcodes {
        Postcodes::default()
    }

    fn code(&mut self, code: Option<&str>) -> u16 {
        let Some(code) = code else { return NO_CODE };
        if let Some(&i) = self.code_index.get(code) {
            return i;
        }
        let i = u16::try_from(self.codes.len())
            .ok()
            .filter(|&i| i != NO_CODE)
            .expect("fewer than 65,535 local authority codes");
        self.codes.push(code.to_owned());
        self.code_index.insert(code.to_owned(), i);
        i
    }

    /// Adds a postcode (one that cannot be a postcode is ignored). Grid references are kept to
    /// the metre.
    pub fn insert(&mut self, postcode: &str, place: Place<'_>) {
        let Some(k) = key(postcode) else { return };
        let stored = Stored {
            district: self.code(place.district),
            county: self.code(place.county),
            easting: place.easting.map(|e| e.round() as i32),
            northing: place.northing.map(|n| n.round() as i32),
        };
        self.by_postcode.insert(k, stored);
    }

    pub fn len(&self) -> usize {
        self.by_postcode.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_postcode.is_empty()
    }

    /// The facts for a postcode, written with or without spaces, in any case.
    pub fn get(&self, postcode: &str) -> Option<Place<'_>> {
        let stored = self.by_postcode.get(&key(postcode)?)?;
        let code = |i: u16| self.codes.get(usize::from(i)).map(String::as_str);
        Some(Place {
            district: code(stored.district),
            county: code(stored.county),
            easting: stored.easting.map(f64::from),
            northing: stored.northing.map(f64::from),
        })
    }

    pub fn read_file(path: &Path) -> Result<Postcodes, PostcodesError> {
        let file = std::fs::File::open(path).map_err(|source| PostcodesError::Io {
            path: path.to_owned(),
            source,
        })?;
        Postcodes::read(path, std::io::BufReader::new(file))
    }

    /// Reads the CSV (`path` names it in errors).
    pub fn read(path: &Path, input: impl Read) -> Result<Postcodes, PostcodesError> {
        let csv_error = |source| PostcodesError::Csv {
            path: path.to_owned(),
            source,
        };
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let headers = reader.headers().map_err(csv_error)?.clone();
        let find = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.iter().any(|n| h.trim_start_matches('\u{feff}') == *n))
        };
        let need = |names: &[&'static str]| {
            find(names).ok_or(PostcodesError::MissingColumn {
                path: path.to_owned(),
                column: names[0],
            })
        };
        let pcd = need(&["pcd"])?;
        let laua = need(&["laua", "oslaua"])?;
        let east = need(&["oseast1m"])?;
        let north = need(&["osnrth1m"])?;
        let cty = find(&["cty", "oscty"]);
        let mut postcodes = Postcodes::new();
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).map_err(csv_error)? {
            let field = |i: usize| record.get(i).map(str::trim).filter(|s| !s.is_empty());
            let Some(code) = field(pcd) else { continue };
            let number = |i| field(i).and_then(|s| s.parse::<f64>().ok());
            postcodes.insert(
                code,
                Place {
                    district: field(laua),
                    county: cty.and_then(field),
                    easting: number(east),
                    northing: number(north),
                },
            );
        }
        Ok(postcodes)
    }

    /// Adds (or replaces) an episodes table's derived columns: `PL_LA` (the placement
    /// postcode's council), `PL_LOCATION` (`IN` the council `own`'s area or `OUT` of it; blank
    /// when the postcode is unknown) and `PL_DISTANCE` (miles from home, when both postcodes
    /// have a grid reference).
    pub fn derive(&self, episodes: &mut Table, own: Option<&str>) {
        let (home, placed) = (episodes.col("HOME_POST"), episodes.col("PL_POST"));
        let n = episodes.len();
        let (mut la, mut location, mut distance) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for i in 0..n {
            let place = placed.text(i).and_then(|p| self.get(p));
            let from = home.text(i).and_then(|p| self.get(p));
            let this_la = place.and_then(|p| p.children_services_la());
            la.push(this_la.map(str::to_owned));
            location.push(this_la.map(|l| {
                if Some(l) == own {
                    "IN".to_owned()
                } else {
                    "OUT".to_owned()
                }
            }));
            distance.push(
                from.and_then(|p| p.grid())
                    .zip(place.and_then(|p| p.grid()))
                    .map(|(a, b)| format!("{:.1}", miles(a, b))),
            );
        }
        episodes.set_column("PL_LA", la);
        episodes.set_column("PL_LOCATION", location);
        episodes.set_column("PL_DISTANCE", distance);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssda903::tables::TableName;

    const FILE: &str = "pcd,laua,cty,oseast1m,osnrth1m,other
TW9  1AA,E09000027,E99999999,518000,175000,x
TW10 6AA,E09000027,E99999999,518000,173391,x
CB1  1AA,E07000008,E10000003,545000,258000,x
CF10 1AA,W06000015,W99999999,318000,176000,x
ZZ9  9ZZ,,,,,x
";

    #[test]
    fn reads_and_normalises() {
        let p = Postcodes::read(Path::new("p.csv"), FILE.as_bytes()).unwrap();
        assert_eq!(p.len(), 5);
        assert_eq!(p.get("tw9 1aa").unwrap().district, Some("E09000027"));
        assert_eq!(p.get("TW91AA"), p.get(" TW9   1AA"));
        let la = |code| p.get(code).unwrap().children_services_la();
        assert_eq!(la("CB1 1AA"), Some("E10000003"));
        assert_eq!(la("CF10 1AA"), Some("WAL"));
        // In the directory, but with no district: a postcode, in no known LA.
        assert_eq!(la("ZZ9 9ZZ"), None);
        let e = Postcodes::read(Path::new("p.csv"), "pcd,laua\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("oseast1m"), "{e}");
    }

    #[test]
    fn derives_placement_la_location_and_distance() {
        let p = Postcodes::read(Path::new("p.csv"), FILE.as_bytes()).unwrap();
        let mut eps = Table::new(TableName::Episodes, &["CHILD", "HOME_POST", "PL_POST"]);
        eps.push_row(0, [Some("1"), Some("TW9 1AA"), Some("TW10 6AA")]);
        eps.push_row(1, [Some("1"), Some("TW9 1AA"), Some("CB1 1AA")]);
        eps.push_row(2, [Some("1"), Some("NOPE"), Some("XX1 1XX")]);
        p.derive(&mut eps, Some("E09000027"));
        let (la, loc, dist) = (
            eps.col("PL_LA"),
            eps.col("PL_LOCATION"),
            eps.col("PL_DISTANCE"),
        );
        assert_eq!(
            (la.text(0), loc.text(0), dist.text(0)),
            (Some("E09000027"), Some("IN"), Some("1.0"))
        );
        assert_eq!((la.text(1), loc.text(1)), (Some("E10000003"), Some("OUT")));
        assert_eq!((la.text(2), loc.text(2), dist.text(2)), (None, None, None));
    }
}
