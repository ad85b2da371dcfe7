//! How much of a plan's total rests on estimated prices: lines priced from us-east-1's price
//! times the region's factor (the feeds lack the region's row), and CloudFront transfer but the
//! United States' first 10 TB (the feed's other transfer rows carry no geography). Shown in the
//! plan's header
//! (page, text, JSON) so nothing estimated reads as exact.

use super::plan::{CostLine, Plan};
use super::price_key::PriceKey;
use super::scenario::CdnGeo;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Estimates {
    /// Lines with a cost whose price is an estimate.
    pub lines: usize,
    /// Lines with a cost.
    pub of_lines: usize,
    pub monthly_usd: f64,
    /// Share of the monthly total the estimated lines carry (0-1).
    pub share: f64,
}

/// Whether a line's price is an estimate (not the region's own published price).
pub fn is_estimated(line: &CostLine) -> bool {
    if line.overridden {
        return false;
    }
    // CloudFront transfer: the feed identifies only the United States' first tier.
    line.regional_factor
        || matches!(line.price_key, PriceKey::CloudFrontTransfer(geo, tier)
            if geo != CdnGeo::Us || tier > 1)
}

pub fn estimates(plan: &Plan) -> Estimates {
    of_lines(&plan.cost_lines, plan.monthly_total_usd)
}

/// The estimates among `lines` whose total is `total`.
pub fn of_lines(lines: &[CostLine], total: f64) -> Estimates {
    let costed: Vec<&CostLine> = lines.iter().filter(|l| l.monthly_usd > 0.0).collect();
    let estimated: Vec<&&CostLine> = costed.iter().filter(|l| is_estimated(l)).collect();
    // fold from 0.0: an empty f64 sum is -0.0, which the JSON would show.
    let monthly: f64 = estimated.iter().fold(0.0, |sum, l| sum + l.monthly_usd);
    Estimates {
        lines: estimated.len(),
        of_lines: costed.len(),
        monthly_usd: monthly,
        share: if total > 0.0 { monthly / total } else { 0.0 },
    }
}

impl Estimates {
    /// "3 of 17 lines (4.2% of the total) are estimated from us-east-1 prices", or "".
    pub fn sentence(&self, region: &str) -> String {
        if self.lines == 0 {
            return format!("every price is {region}'s own published price or yours");
        }
        format!(
            "{} of {} lines ({:.1}% of the total) are estimated for {region} from the us-east-1 \
             price",
            self.lines,
            self.of_lines,
            self.share * 100.0
        )
    }
}
