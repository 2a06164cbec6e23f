//! Who proposed what: each bracketed proposal followed through a draft's history, its outcome,
//! and the per-actor figures built from that.
