//! The performance framework: the measure catalogue, the engine that computes any measure for any
//! scope and period from the case model, targets and trajectories, the published benchmarks, and
//! the clocks behind every worklist. Pure functions over `domain`: no I/O.

pub mod benchmarks;
pub mod catalogue;
pub mod clocks;
pub mod engine;
pub mod index;
pub mod measures;
pub mod period;
pub mod plan;
pub mod report;
pub mod scope;
pub mod targets;

pub use catalogue::{Measure, catalogue};
pub use engine::{Item, Left, Outcome, Subject, Tally};
pub use index::Index;
pub use period::Period;
pub use scope::Scope;
