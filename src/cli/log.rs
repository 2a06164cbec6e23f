//! `brackets log` (being built).

use anyhow::Result;
use std::process::ExitCode;

pub fn run(_args: &super::LogArgs, _out: &super::Output) -> Result<ExitCode> {
    anyhow::bail!("`brackets log` is not available yet")
}
