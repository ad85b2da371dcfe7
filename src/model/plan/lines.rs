//! Cost lines as they are added: each is a quantity x the catalog's unit price
//! (with the user's override), and volume tiers split a quantity over their prices.

use super::*;

/// One volume tier's price for `Lines::add_tiered`.
pub(super) struct TierPrice {
    pub(super) key: PriceKey,
    pub(super) usd: f64,
    pub(super) confirmed: bool,
    pub(super) by_factor: bool,
}

pub(super) struct Lines<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) scenario: &'a Scenario,
    pub(super) lines: Vec<CostLine>,
}

impl Lines<'_> {
    pub(super) fn add(
        &mut self,
        kind: LineKind,
        item: impl Into<String>,
        quantity: f64,
        unit: &str,
        key: PriceKey,
        document_omits: bool,
    ) {
        self.add_scaled(kind, item, quantity, unit, key, 1.0, document_omits);
    }

    /// Adds a line whose unit price is `catalog price x scale` (e.g. per 1,000 requests, Spot).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add_scaled(
        &mut self,
        kind: LineKind,
        item: impl Into<String>,
        quantity: f64,
        unit: &str,
        key: PriceKey,
        scale: f64,
        document_omits: bool,
    ) {
        let quantity = clean(quantity);
        if quantity == 0.0 {
            return;
        }
        let p = self.catalog.price(&self.scenario.region, &key, &self.scenario.price_overrides);
        let unit_price = clean(p.usd * scale);
        self.lines.push(CostLine {
            component: kind.component(),
            kind,
            item: item.into(),
            quantity,
            unit: unit.into(),
            unit_price_usd: unit_price,
            monthly_usd: quantity * unit_price,
            price_key: key,
            confirmed: p.confirmed,
            overridden: p.overridden,
            regional_factor: p.by_factor,
            document_omits,
        });
    }

    /// Splits `volume` over volume tiers (sizes of all but the last) and adds one line per tier
    /// used. The first `free` units are not billed.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add_tiered(
        &mut self,
        kind: LineKind,
        item: &str,
        volume: f64,
        free: f64,
        tier_sizes: &[f64],
        prices: &[TierPrice],
        document_omits: bool,
    ) {
        let mut start = 0.0;
        for (i, TierPrice { key, usd: price, confirmed, by_factor }) in prices.iter().enumerate() {
            let size = tier_sizes.get(i).copied().unwrap_or(f64::INFINITY);
            let end = start + size;
            let billable = clean((volume.min(end) - start.max(free)).max(0.0));
            if billable > 0.0 {
                let overridden = self.scenario.price_overrides.contains_key(key);
                let unit_price = self
                    .scenario
                    .price_overrides
                    .get(key)
                    .copied()
                    .filter(|p| p.is_finite() && *p >= 0.0)
                    .unwrap_or(*price);
                let range = if size.is_finite() {
                    format!("tier {} ({:.0}-{:.0} TB)", i + 1, start / 1024.0, end / 1024.0)
                } else {
                    format!("tier {} (over {:.0} TB)", i + 1, start / 1024.0)
                };
                self.lines.push(CostLine {
                    component: kind.component(),
                    kind,
                    item: format!("{item}, {range}"),
                    quantity: billable,
                    unit: "GB".into(),
                    unit_price_usd: unit_price,
                    monthly_usd: billable * unit_price,
                    price_key: key.clone(),
                    confirmed: *confirmed || overridden,
                    overridden,
                    regional_factor: *by_factor && !overridden,
                    document_omits,
                });
            }
            start = end;
            if volume <= start {
                break;
            }
        }
    }
}
