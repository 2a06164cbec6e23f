//! `brackets actor`, `report`, `matrix`, `progress` and `actors --history`.

use anyhow::{Result, bail};
use clap::Args;
use std::process::ExitCode;

use super::Output;

#[derive(Args, Debug)]
pub struct ActorArgs {}

#[derive(Args, Debug)]
pub struct ReportArgs {}

#[derive(Args, Debug)]
pub struct MatrixArgs {}

#[derive(Args, Debug)]
pub struct ProgressArgs {}

pub fn run_actor(_args: &ActorArgs, _out: &Output) -> Result<ExitCode> {
    bail!("`brackets actor` is not built yet")
}

pub fn run_report(_args: &ReportArgs, _out: &Output) -> Result<ExitCode> {
    bail!("`brackets report` is not built yet")
}

pub fn run_matrix(_args: &MatrixArgs, _out: &Output) -> Result<ExitCode> {
    bail!("`brackets matrix` is not built yet")
}

pub fn run_progress(_args: &ProgressArgs, _out: &Output) -> Result<ExitCode> {
    bail!("`brackets progress` is not built yet")
}
