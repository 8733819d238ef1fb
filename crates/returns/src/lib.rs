//! hearth returns
