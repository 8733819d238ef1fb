//! Who a figure is for: the council, a service, a team or one worker.

use domain::codes::Service;
use domain::{TeamId, WorkerId};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Council,
    Service(Service),
    Team(TeamId),
    Worker(WorkerId),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a scope: use `la`, `service:CODE` (front_door, assessment, family_safeguarding, \
     children_in_care, care_leavers, exploitation_hub, disabled_children, early_help, safeguarding, \
     fostering), `team:ID` or `worker:ID`"
)]
pub struct ScopeError(pub String);

impl FromStr for Scope {
    type Err = ScopeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ScopeError(s.to_string());
        let t = s.trim();
        if t.eq_ignore_ascii_case("la") || t.eq_ignore_ascii_case("council") {
            return Ok(Scope::Council);
        }
        let (kind, id) = t.split_once([':', '/']).ok_or_else(err)?;
        match kind {
            "service" => Service::from_code(id).map(Scope::Service).ok_or_else(err),
            "team" => id
                .parse()
                .map(|n| Scope::Team(TeamId(n)))
                .map_err(|_| err()),
            "worker" => id
                .parse()
                .map(|n| Scope::Worker(WorkerId(n)))
                .map_err(|_| err()),
            _ => Err(err()),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Council => f.write_str("la"),
            Scope::Service(s) => write!(f, "service:{}", s.code()),
            Scope::Team(t) => write!(f, "team:{}", t.0),
            Scope::Worker(w) => write!(f, "worker:{}", w.0),
        }
    }
}

impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_print() {
        for s in ["la", "service:front_door", "team:3", "worker:41"] {
            assert_eq!(s.parse::<Scope>().unwrap().to_string(), s);
        }
        assert_eq!("team/3".parse::<Scope>().unwrap(), Scope::Team(TeamId(3)));
        for bad in ["", "team:", "team:x", "service:mash", "dept:1"] {
            assert!(bad.parse::<Scope>().is_err(), "{bad}");
        }
    }
}
