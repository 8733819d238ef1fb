//! hearth kpi
