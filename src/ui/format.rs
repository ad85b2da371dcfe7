//! Text formatting of engine figures (no figure is computed here).

pub use crate::model::display::usd;

pub fn num(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        "—".into()
    }
}

pub fn ms(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.0} ms"),
        _ => "saturated".into(),
    }
}

pub fn qty(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.0}", v)
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// A change against the baseline: `+$19.37, +4.4%`; `+$12.00, new` when the baseline had
/// nothing there; `no change` below half a cent.
pub fn delta(d: &crate::model::compare::Delta) -> String {
    if d.is_zero() {
        return "no change".into();
    }
    let sign = if d.usd > 0.0 { "+" } else { "−" };
    let money = format!("{sign}{}", usd(d.usd.abs()));
    match d.pct {
        Some(p) => format!("{money}, {}{:.1}%", if p > 0.0 { "+" } else { "−" }, p.abs()),
        None => format!("{money}, new"),
    }
}

/// A price or quantity as short exact text (float noise rounded away).
pub fn exact(v: f64) -> String {
    crate::model::display::tidy(v)
}

/// A change of p95 against the baseline: `+12 ms (was 95 ms)`, `saturated (was 95 ms)`,
/// `no change`.
pub fn ms_delta(d: &crate::model::compare::FigureDelta) -> String {
    match (d.change, d.base) {
        (Some(c), _) if c.abs() < 0.5 => "no change".into(),
        (Some(c), Some(b)) => {
            format!("{}{:.0} ms (was {b:.0} ms)", if c > 0.0 { "+" } else { "−" }, c.abs())
        }
        _ if d.now == d.base => "no change".into(),
        _ => format!("was {}", ms(d.base)),
    }
}

/// A change of headroom in percentage points: `+12 points (was 18%)`.
pub fn points_delta(d: &crate::model::compare::FigureDelta) -> String {
    match (d.change, d.base) {
        (Some(c), _) if c.abs() < 0.5 => "no change".into(),
        (Some(c), Some(b)) => format!(
            "{}{:.0} points (was {}%)",
            if c > 0.0 { "+" } else { "−" },
            c.abs(),
            num(b.max(-999.0), 0)
        ),
        _ => "no change".into(),
    }
}
