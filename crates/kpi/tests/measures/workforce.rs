use crate::history::*;
