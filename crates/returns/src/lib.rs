//! The statutory returns: SSDA903 (children looked after), the CIN census and Ofsted's Annex A.
//! Read, validate, import and export a return; no database access.

pub mod annex_a;
pub mod cin;
pub mod dq;
pub mod history;
pub mod ssda903;
