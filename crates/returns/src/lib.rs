//! The statutory returns: SSDA903 (children looked after), and later the CIN census and Annex A.
//! Read, hold and validate a return; no database access.

pub mod cin;
pub mod ssda903;
