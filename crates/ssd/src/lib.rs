//! The Standard Safeguarding Dataset (SSD): the sector's common extract of a case system, the
//! same tables out of Liquid Logic, Mosaic, Eclipse, CareDirector or Azeus. Hearth reads an
//! extract to work beside the case system a council already records in, and writes one from its
//! own records for the sector's other tools.
//!
//! - [`catalogue`]: the dataset's tables and fields.
//! - [`read`]: an extract read from its folder and checked, every fault by file, row and field.
//! - [`import`]: an extract made into Hearth's records.
//! - [`export`]: an extract written from Hearth's records.

pub mod catalogue;
pub mod export;
pub mod import;
pub mod read;
pub mod values;

pub use read::{Extract, Problem};

/// Hearth's exports add columns for what the dataset does not carry (when a contact was
/// decided, a return interview's times...), each named with this prefix after the dataset's
/// own. Other tools let them go; Hearth reads them back, and an extract from another system,
/// without them, gives those measures as not available.
pub const OWN_PREFIX: &str = "hearth_";
