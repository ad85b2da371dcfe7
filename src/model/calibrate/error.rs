//! Why calibration could not run at all (`CalibrationError`), and why one figure could not be
//! measured (`Unavailable`: its row keeps the value and says why).

use crate::model::metric_data::MetricsError;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum CalibrationError {
    Metrics(MetricsError),
    /// None of the series calibration reads: the file's first Ids.
    NoKnownSeries {
        ids: Vec<String>,
    },
    TooFewPoints,
    /// The base series' period is neither 60 nor 300 seconds.
    OtherPeriod {
        series: String,
        period: i64,
    },
    /// No row could be calibrated: the first rows' reasons.
    NothingCalibrated {
        why: Vec<String>,
    },
    /// The calibrated scenario fails validation (the validator's words).
    Invalid(String),
}

impl fmt::Display for CalibrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalibrationError::Metrics(e) => e.fmt(f),
            CalibrationError::NoKnownSeries { ids } => write!(
                f,
                "none of the series calibration reads is in the file (it has {}); fetch with the \
                 command `scaling-plan calibrate --help` prints",
                ids.join(", ")
            ),
            CalibrationError::TooFewPoints => f.write_str(
                "every series in the file has fewer than two data points: fetch a longer window \
                 (two weeks)",
            ),
            CalibrationError::OtherPeriod { series, period } => write!(
                f,
                "{series} has {period}-second periods; calibration reads 60 or 300 (set \
                 \"Period\": 60 or 300 in the queries, as the fetch command does)"
            ),
            CalibrationError::NothingCalibrated { why } => write!(
                f,
                "nothing in the metrics file can calibrate the scenario ({})",
                why.join("; ")
            ),
            CalibrationError::Invalid(e) => write!(
                f,
                "the calibrated scenario is not valid ({e}); the scenario in use is unchanged"
            ),
        }
    }
}

impl std::error::Error for CalibrationError {}

impl From<MetricsError> for CalibrationError {
    fn from(e: MetricsError) -> CalibrationError {
        CalibrationError::Metrics(e)
    }
}

/// Why one figure could not be measured from the file (a series missing, unusable, or without
/// data where it is needed); the row that needed it keeps its value and shows this.
#[derive(Debug, Clone, PartialEq)]
pub struct Unavailable(pub String);

/// Serialized as its words (the calibration JSON has always carried the reason as text).
impl serde::Serialize for Unavailable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<MetricsError> for Unavailable {
    fn from(e: MetricsError) -> Unavailable {
        Unavailable(e.to_string())
    }
}

impl From<&str> for Unavailable {
    fn from(why: &str) -> Unavailable {
        Unavailable(why.to_string())
    }
}

impl From<String> for Unavailable {
    fn from(why: String) -> Unavailable {
        Unavailable(why)
    }
}
