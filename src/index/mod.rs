//! The search index (tantivy): paragraphs, bracketed proposals and comments of every iteration,
//! and the query language over them.
