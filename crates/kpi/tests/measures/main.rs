//! Every measure on a hand-made history, its answer worked out by hand in the comments.

mod history;

mod care;
mod clocks;
mod front_door;
mod leavers;
mod legal;
mod missing;
mod protection;
mod quality;
mod scorecard;
mod workforce;
