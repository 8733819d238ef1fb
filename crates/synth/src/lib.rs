//! hearth synth
