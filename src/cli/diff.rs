//! `brackets diff` (being built).

use anyhow::Result;
use std::process::ExitCode;

pub fn run(_args: &super::DiffArgs, _out: &super::Output) -> Result<ExitCode> {
    anyhow::bail!("`brackets diff` is not available yet")
}
