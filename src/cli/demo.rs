//! `brackets demo` (being built).

use anyhow::Result;
use std::process::ExitCode;

pub fn run(_args: &super::DemoArgs) -> Result<ExitCode> {
    anyhow::bail!("`brackets demo` is not available yet")
}
