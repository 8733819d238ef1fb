//! What each role may read and record: one table, [`Role::may`], that every page, form and API
//! operation consults.
//!
//! A handler states the power it needs in its signature by taking a [`Can<P>`]: the extractor
//! lets the request in only when the signed-in person's role has that power, so a handler cannot
//! be reached by someone who may not do what it does. Recording goes through
//! [`crate::recording`], which checks the power each kind of record needs against the same table.

use crate::AppState;
use crate::auth::{Role, SignedIn};
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use std::marker::PhantomData;

/// Something a role may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Power {
    /// Open a child's record, and see the children behind a measure.
    ReadChildren,
    /// See the scorecard, measures, dashboards and workforce figures (without children's names
    /// unless [`Power::ReadChildren`] is held too).
    ReadMeasures,
    /// Record contacts, early help, and who a child is, at the front door.
    RecordFrontDoor,
    /// Record the casework of a child's journey: referrals, assessments, enquiries, plans,
    /// visits, care episodes, missing episodes, case notes...
    RecordCasework,
    /// Make the decisions a manager signs: a contact's decision, authorising an assessment,
    /// allocation and transfer, case supervision, closure, withdrawing a record made in error.
    Decide,
    /// Record what an independent reviewing officer or conference chair does: conferences, CP
    /// and CLA reviews, disputes.
    ChairReviews,
    /// Audit a case and close the audit's actions; record and answer complaints.
    QualityAssure,
    /// Send a contact about a child to the front door, and follow what became of one's own.
    SubmitContact,
    /// See who opened a child's record, when and why.
    ReadAccessLog,
    /// Record the council's staff and teams: who joins, moves, trains and leaves.
    ManageStaff,
    /// See each import of the case system's extract: when it ran and what it changed.
    SeeImports,
}

impl Power {
    pub const ALL: [Power; 11] = [
        Power::ReadChildren,
        Power::ReadMeasures,
        Power::RecordFrontDoor,
        Power::RecordCasework,
        Power::Decide,
        Power::ChairReviews,
        Power::QualityAssure,
        Power::SubmitContact,
        Power::ReadAccessLog,
        Power::ManageStaff,
        Power::SeeImports,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Power::ReadChildren => "Open children's records",
            Power::ReadMeasures => "See measures and dashboards",
            Power::RecordFrontDoor => "Record contacts and early help",
            Power::RecordCasework => "Record casework",
            Power::Decide => "Decide and authorise",
            Power::ChairReviews => "Chair conferences and reviews",
            Power::QualityAssure => "Audit cases and answer complaints",
            Power::SubmitContact => "Submit a contact as a partner",
            Power::ReadAccessLog => "Read the access log",
            Power::ManageStaff => "Record staff and teams",
            Power::SeeImports => "See imports from the case system",
        }
    }
}

impl Role {
    /// The one table of who may do what.
    pub fn may(self, power: Power) -> bool {
        use Power::*;
        match self {
            Role::Practitioner => matches!(
                power,
                ReadChildren | ReadMeasures | RecordFrontDoor | RecordCasework
            ),
            Role::TeamManager => matches!(
                power,
                ReadChildren | ReadMeasures | RecordFrontDoor | RecordCasework | Decide
            ),
            Role::ServiceManager => matches!(
                power,
                ReadChildren
                    | ReadMeasures
                    | RecordFrontDoor
                    | RecordCasework
                    | Decide
                    | QualityAssure
                    | ReadAccessLog
                    | ManageStaff
            ),
            Role::Director => matches!(
                power,
                ReadChildren | ReadMeasures | Decide | QualityAssure | ReadAccessLog | ManageStaff
            ),
            Role::Iro => matches!(power, ReadChildren | ReadMeasures | ChairReviews),
            Role::PerformanceOfficer => matches!(power, ReadChildren | ReadMeasures | SeeImports),
            Role::PartnerAgency => matches!(power, SubmitContact),
            Role::Administrator => matches!(power, ReadAccessLog | ManageStaff | SeeImports),
            Role::BoardMember => matches!(power, ReadMeasures),
        }
    }
}

/// The roles and their powers as a Markdown table, for the documentation (`docs/roles.md`
/// holds it, and a test keeps the two the same).
pub fn table_markdown() -> String {
    let mut out = String::from("| role |");
    for p in Power::ALL {
        out.push_str(&format!(" {} |", p.label()));
    }
    out.push_str("\n|---|");
    for _ in Power::ALL {
        out.push_str(":-:|");
    }
    out.push('\n');
    for role in Role::ALL {
        out.push_str(&format!("| {} |", role.label()));
        for p in Power::ALL {
            out.push_str(if role.may(p) { " yes |" } else { " |" });
        }
        out.push('\n');
    }
    out
}

/// A power as a type, so that a handler can name the power it needs in its signature.
pub trait Grant: Send + Sync + 'static {
    const POWER: Power;
}

macro_rules! grants {
    ($($name:ident),+) => {
        /// The powers as types, for [`Can`].
        pub mod needs {
            $(
                #[derive(Debug, Clone, Copy)]
                pub struct $name;
                impl super::Grant for $name {
                    const POWER: super::Power = super::Power::$name;
                }
            )+
        }
    };
}

grants!(
    ReadChildren,
    ReadMeasures,
    RecordFrontDoor,
    RecordCasework,
    Decide,
    ChairReviews,
    QualityAssure,
    SubmitContact,
    ReadAccessLog,
    ManageStaff,
    SeeImports
);

/// Someone signed in whose role has the power `P`. Anyone not signed in is sent to sign in;
/// anyone signed in without the power is told they may not, with a 403.
#[derive(Debug, Clone)]
pub struct Can<P> {
    pub who: SignedIn,
    power: PhantomData<P>,
}

impl<P> std::ops::Deref for Can<P> {
    type Target = SignedIn;
    fn deref(&self) -> &SignedIn {
        &self.who
    }
}

impl<P: Grant> FromRequestParts<AppState> for Can<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let who = SignedIn::from_request_parts(parts, state).await?;
        if !who.role.may(P::POWER) {
            return Err(forbidden(&who, P::POWER));
        }
        Ok(Can {
            who,
            power: PhantomData,
        })
    }
}

/// The page for someone signed in who may not do what they asked.
pub fn forbidden(who: &SignedIn, power: Power) -> Response {
    tracing::info!(user = %who.user.username, role = who.role.slug(), ?power, "refused: the role lacks the power");
    crate::pages::error_page_for(
        Some(who),
        StatusCode::FORBIDDEN,
        "You cannot see or do this",
        &format!(
            "Your role ({}) does not allow this: it needs the power to {}. Ask your manager if you think you should have it.",
            who.role.label(),
            power.label().to_lowercase()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_power_is_held_by_someone_and_partners_and_board_members_see_no_child() {
        for p in Power::ALL {
            assert!(
                Role::ALL.iter().any(|r| r.may(p)),
                "{p:?} is held by nobody"
            );
        }
        assert!(!Role::PartnerAgency.may(Power::ReadChildren));
        assert!(!Role::PartnerAgency.may(Power::ReadMeasures));
        assert!(!Role::BoardMember.may(Power::ReadChildren));
        assert!(!Role::Administrator.may(Power::ReadChildren));
        assert!(Role::TeamManager.may(Power::Decide));
        assert!(!Role::Practitioner.may(Power::Decide));
    }

    #[test]
    fn the_documented_table_is_the_one_enforced() {
        let doc = include_str!("../../../docs/roles.md");
        let table = table_markdown();
        assert!(
            doc.contains(&table),
            "docs/roles.md does not hold the table the server enforces; replace its table with:\n{table}"
        );
    }
}

/// Restricted records opened lately, by whom: someone who gave a reason to open one may go on
/// working on it for a while without giving it again.
#[derive(Default)]
pub struct Opened(
    std::sync::Mutex<rustc_hash::FxHashMap<(String, domain::ChildId), std::time::Instant>>,
);

impl Opened {
    /// How long a reason, once given, opens the record for.
    pub const FOR: std::time::Duration = std::time::Duration::from_secs(30 * 60);

    pub fn grant(&self, who: &SignedIn, child: domain::ChildId) {
        let mut opened = self.0.lock().unwrap_or_else(|e| e.into_inner());
        opened.retain(|_, at| at.elapsed() < Self::FOR);
        opened.insert(
            (who.user.username.clone(), child),
            std::time::Instant::now(),
        );
    }

    fn holds(&self, who: &SignedIn, child: domain::ChildId) -> bool {
        let opened = self.0.lock().unwrap_or_else(|e| e.into_inner());
        opened
            .get(&(who.user.username.clone(), child))
            .is_some_and(|at| at.elapsed() < Self::FOR)
    }
}

/// The words an access-log line for a restricted record opened with a reason begins with.
pub const OPENED_WITH_REASON: &str = "restricted record opened: ";

/// Whether this person may open the child's record now: anyone with the power to read
/// children's records, unless the record is restricted, when only those it names, or those who
/// have lately given a reason to open it.
pub fn may_open(opened: &Opened, who: &SignedIn, child: &domain::model::Child) -> bool {
    who.role.may(Power::ReadChildren)
        && child
            .restricted
            .as_ref()
            .is_none_or(|r| r.named.contains(&who.user.username) || opened.holds(who, child.id()))
}
