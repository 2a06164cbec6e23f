//! `brackets index` and `brackets search`.

use anyhow::{Result, bail};
use clap::Args;
use std::process::ExitCode;

use super::Output;

#[derive(Args, Debug)]
pub struct IndexArgs {
    /// Throw the index away and build it again.
    #[arg(long)]
    pub rebuild: bool,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The query: words, "phrases", actor:EGY stance:oppose, AND/OR/NOT.
    #[arg(value_name = "QUERY")]
    pub query: String,
}

pub fn run_index(_args: &IndexArgs, _out: &Output) -> Result<ExitCode> {
    bail!("`brackets index` is not built yet")
}

pub fn run_search(_args: &SearchArgs, _out: &Output) -> Result<ExitCode> {
    bail!("`brackets search` is not built yet")
}
