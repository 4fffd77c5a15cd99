//! Printing: lines that end quietly on a closed pipe, and reports as text or JSON.
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::args::ReportFormat;

/// Prints a line; a closed pipe (`musubi … | head`) ends the program quietly
/// instead of panicking as `println!` would.
pub fn print_line(line: &str) {
    if let Err(e) = writeln!(std::io::stdout(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Prints an evaluation report as text or as JSON.
pub fn print_report<R: serde::Serialize>(
    format: ReportFormat,
    report: &R,
    to_text: impl Fn(&R) -> String,
) -> Result<ExitCode> {
    match format {
        ReportFormat::Text => print_line(to_text(report).trim_end()),
        ReportFormat::Json => print_line(&serde_json::to_string_pretty(report)?),
    }
    Ok(ExitCode::SUCCESS)
}
