//! hearth web
