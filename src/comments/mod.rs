//! Reviewers' comments on paragraphs, stored as JSON beside the draft and re-anchored to their
//! paragraph in later iterations.
