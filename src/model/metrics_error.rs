//! What is wrong with a metrics file (`get-metric-data` output), in words that say what the
//! file is instead or which series is at fault.

use super::metric_data::{format_time, EARLIEST_TIME, LATEST_TIME, MAX_METRICS_BYTES};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum MetricsError {
    TooLarge {
        bytes: u64,
    },
    Empty,
    /// serde's words.
    NotJson(String),
    NotAnObject,
    /// The output of another command (its name).
    OtherCommand(&'static str),
    /// No `MetricDataResults`: the file's first keys.
    NoResults {
        keys: Vec<String>,
    },
    ResultsNotAList,
    NoSeries,
    NoId {
        index: usize,
    },
    NotAList {
        id: String,
        key: String,
    },
    LengthMismatch {
        id: String,
        timestamps: usize,
        values: usize,
    },
    NotATimestamp {
        id: String,
        text: String,
    },
    OutsideWindow {
        id: String,
        text: String,
    },
    NotANumber {
        id: String,
        text: String,
    },
    SpanTooLong {
        id: String,
        first: i64,
        last: i64,
    },
    /// A metric no series names.
    Missing {
        metric: &'static str,
        id: &'static str,
        name: String,
    },
    /// Series could be this metric or another of the same name: the message says which Ids.
    Ambiguous {
        detail: String,
    },
}

impl fmt::Display for MetricsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MetricsError::*;
        match self {
            TooLarge { bytes } => write!(
                f,
                "the metrics file is {:.1} MB; calibration reads at most {} MB (15 days of \
                 one-minute data is about 10 MB): fetch a shorter window (DAYS) or a longer PERIOD",
                *bytes as f64 / 1e6,
                MAX_METRICS_BYTES / 1024 / 1024
            ),
            Empty => f.write_str(
                "the metrics file is empty: run the fetch command again and check that it printed \
                 JSON",
            ),
            NotJson(e) => write!(
                f,
                "the metrics file is not JSON ({e}); it must be the output of `aws cloudwatch \
                 get-metric-data --output json`"
            ),
            NotAnObject => f.write_str(
                "the metrics file is JSON but not an object with `MetricDataResults`: it is not \
                 get-metric-data output",
            ),
            OtherCommand(what) => write!(
                f,
                "this file comes from {what}, not from `aws cloudwatch get-metric-data`: it has no \
                 `MetricDataResults`"
            ),
            NoResults { keys } => write!(
                f,
                "the metrics file has no `MetricDataResults` (its keys: {}); it must be the output \
                 of `aws cloudwatch get-metric-data`",
                if keys.is_empty() { "none".to_string() } else { keys.join(", ") }
            ),
            ResultsNotAList => f.write_str("`MetricDataResults` is not a list"),
            NoSeries => f.write_str(
                "`MetricDataResults` is empty: the fetch returned no series (check the names and \
                 the region)",
            ),
            NoId { index } => write!(f, "MetricDataResults[{index}] has no `Id`"),
            NotAList { id, key } => write!(f, "series `{id}`: `{key}` is not a list"),
            LengthMismatch { id, timestamps, values } => write!(
                f,
                "series `{id}` has {timestamps} timestamps but {values} values: the file is damaged"
            ),
            NotATimestamp { id, text } => write!(f, "series `{id}`: `{text}` is not a timestamp"),
            OutsideWindow { id, text } => write!(
                f,
                "series `{id}`: the timestamp `{text}` is outside {} to {}: the file is damaged",
                format_time(EARLIEST_TIME),
                format_time(LATEST_TIME)
            ),
            NotANumber { id, text } => write!(f, "series `{id}`: `{text}` is not a number"),
            SpanTooLong { id, first, last } => write!(
                f,
                "series `{id}` spans {} to {}, more than the 455 days CloudWatch keeps: fetch one \
                 window",
                format_time(*first),
                format_time(*last)
            ),
            Missing { metric, id, name } => write!(
                f,
                "{name} is missing: no series has the Id `{id}` or a label naming {metric}"
            ),
            Ambiguous { detail } => f.write_str(detail),
        }
    }
}

impl std::error::Error for MetricsError {}
