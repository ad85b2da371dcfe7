//! Text formatting of engine figures (no figure is computed here).

pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let cents = (v * 100.0).round() as i64;
    let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}${grouped}.{frac:02}", if cents < 0 { "-" } else { "" })
}

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
