//! Ofsted's Annex A: the eleven lists of children an inspection asks for, from the records.
