//! Chart drawing with plotters on a canvas. Each function maps engine data to pixels and
//! returns the points a reader can inspect (hover, tap or arrow keys show their exact values);
//! no planning figure is computed here.
//!
//! Canvases are drawn at the size they are shown (CSS pixels) times `devicePixelRatio`, so text
//! stays sharp and at its stated size on phones and high-density screens. Legends are HTML
//! under the canvas, so they never cover data.

mod axes;
mod capacity;
mod chart;
mod commitment;
mod cost;
mod growth;
mod pareto;
mod simulation;

pub use capacity::draw_capacity;
pub use chart::Chart;
pub use commitment::{draw_savings_plan, savings_plan_legend};
pub use cost::{borrowed, curve_legend, draw_cost_curve, draw_tier_stack};
pub use growth::{draw_growth, growth_legend};
pub use pareto::{draw_pareto, pareto_legend};
pub use simulation::{draw_sim_costs, draw_simulation, sim_cost_legend, simulation_legend};

use super::canvas::MeasuredCanvas;
use crate::model::Component;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// Smallest text on a chart, CSS pixels (readable on a phone).
const LABEL_PX: u32 = 12;

pub fn component_color(c: Component) -> RGBColor {
    PALETTE[Component::ALL.iter().position(|&x| x == c).unwrap_or(7) % PALETTE.len()]
}

type Area = DrawingArea<MeasuredCanvas, Shift>;

/// A point or bar a reader can inspect: where it is (CSS pixels on the canvas) and what it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The region that answers to the pointer: x0, y0, x1, y1.
    pub rect: (f64, f64, f64, f64),
    pub text: String,
}

impl Hit {
    fn point(p: (i32, i32), text: String) -> Hit {
        let (x, y) = (p.0 as f64, p.1 as f64);
        Hit { rect: (x, y, x, y), text }
    }
    fn bar(a: (i32, i32), b: (i32, i32), text: String) -> Hit {
        Hit {
            rect: (
                a.0.min(b.0) as f64,
                a.1.min(b.1) as f64,
                a.0.max(b.0) as f64,
                a.1.max(b.1) as f64,
            ),
            text,
        }
    }
    fn distance(&self, x: f64, y: f64) -> f64 {
        let dx = (self.rect.0 - x).max(x - self.rect.2).max(0.0);
        let dy = (self.rect.1 - y).max(y - self.rect.3).max(0.0);
        (dx * dx + dy * dy).sqrt()
    }
    /// Where the value box points: the middle of the top edge.
    fn anchor(&self) -> (f64, f64) {
        ((self.rect.0 + self.rect.2) / 2.0, self.rect.1)
    }
}

pub type DrawResult = Result<Vec<Hit>, Box<dyn std::error::Error>>;

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub enum Swatch {
    Box,
    Line,
    Dot,
    Triangle,
}

/// A legend entry (HTML, under the chart).
pub type LegendEntry = (&'static str, RGBColor, Swatch);

pub fn component_legend() -> Vec<LegendEntry> {
    Component::ALL.iter().map(|&c| (c.label(), component_color(c), Swatch::Box)).collect()
}

/// The page's width in CSS pixels, updated on resize: charts measure themselves again only
/// then (reading a size on every repaint would force a page layout per chart).
#[derive(Clone, Copy)]
pub struct Viewport(pub RwSignal<f64>);

/// While true, every chart draws whether or not it is in view (printing, one PNG of all).
#[derive(Clone, Copy)]
pub struct PaintAll(pub RwSignal<bool>);

/// While true the page is being printed: each chart draws at its print width (`Chart`'s
/// `print_width`), which the print style sheet scales to a set size on paper, so that its
/// 12 px labels print at 9 pt or more (a screen-wide canvas shrunk to 60 mm printed 6-7 pt).
#[derive(Clone, Copy)]
pub struct Printing(pub RwSignal<bool>);

/// A chart's logical width in print unless it says otherwise: printed 110 mm wide (style
/// sheet), its 12 px labels come out 12 x 110 / 400 = 3.3 mm, 9.4 pt.
const PRINT_WIDTH: u32 = 400;

/// Below this width (CSS px) a chart is laid out for a phone.
const NARROW: u32 = 480;

/// Pointer within this distance (CSS px) of a point or bar shows its value.
const HIT_RADIUS: f64 = 28.0;

fn nearest(hits: &[Hit], x: f64, y: f64) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, h) in hits.iter().enumerate() {
        let d = h.distance(x, y);
        if d <= HIT_RADIUS && best.is_none_or(|b| d < b.1) {
            best = Some((i, d));
        }
    }
    best.map(|b| b.0)
}

/// A chart waiting for its data: a line of text instead of an empty box.
pub fn draw_waiting(root: &Area, text: &str) -> DrawResult {
    let (w, h) = root.dim_in_pixel();
    root.draw(&Text::new(
        text.to_string(),
        (w as i32 / 2, h as i32 / 2),
        ("sans-serif", 14).into_font().color(&PALETTE[7]).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(Vec::new())
}
