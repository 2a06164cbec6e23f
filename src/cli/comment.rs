//! `brackets comment add|list|resolve`.

use anyhow::{Result, bail};
use clap::Args;
use std::process::ExitCode;

use super::Output;

#[derive(Args, Debug)]
pub struct CommentArgs {}

pub fn run(_args: &CommentArgs, _out: &Output) -> Result<ExitCode> {
    bail!("`brackets comment` is not built yet")
}
