//! A canvas backend for plotters that measures text without forcing page layout.

use plotters::prelude::DrawingBackend;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// plotters' canvas backend, measuring text with the canvas's own `measureText`. plotters'
/// default measures each label by adding a span to the page and reading `offsetHeight`, which
/// forces a layout of the whole page per label: that was most of the repaint time.
///
/// It draws in CSS pixels (`size`) on a canvas whose pixels are `ratio` times denser
/// (devicePixelRatio): the context is scaled, and plotters sees the CSS size.
///
/// With an `ink` canvas it draws there, off the page, and `present` copies the result onto the
/// shown canvas in one `drawImage`: setting `font` on a canvas in the page makes the browser
/// compute the page's styles first (they are stale after the slider moved the figures), which
/// cost a millisecond or more per chart and per move.
pub struct MeasuredCanvas {
    inner: CanvasBackend,
    context: web_sys::CanvasRenderingContext2d,
    size: (u32, u32),
    /// The font last set on the context by this backend: set again only when it changes.
    font_on_context: std::cell::RefCell<String>,
    /// The canvas in the page, when drawing happens on an ink canvas.
    shown: Option<HtmlCanvasElement>,
}

fn context_2d(canvas: &HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// A canvas that is not in the page: the ink a chart is drawn on before it is shown (see
/// `MeasuredCanvas`), and the contexts that measure text.
pub fn detached_canvas() -> Option<HtmlCanvasElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()?.document()?.create_element("canvas").ok()?.dyn_into().ok()
}

impl MeasuredCanvas {
    /// Draws on `ink` (resized to `shown`'s pixels) when given, else on `shown` itself.
    pub fn new(
        shown: HtmlCanvasElement,
        ink: Option<HtmlCanvasElement>,
        size: (u32, u32),
        ratio: f64,
    ) -> Option<MeasuredCanvas> {
        let (target, shown) = match ink {
            Some(ink) => {
                if ink.width() != shown.width() || ink.height() != shown.height() {
                    ink.set_width(shown.width());
                    ink.set_height(shown.height());
                }
                (ink, Some(shown))
            }
            None => (shown, None),
        };
        let context = context_2d(&target)?;
        context.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok()?;
        Some(MeasuredCanvas {
            inner: CanvasBackend::with_canvas_object(target)?,
            context,
            size,
            font_on_context: std::cell::RefCell::new(String::new()),
            shown,
        })
    }

    /// Copies the ink canvas onto the shown one, pixel for pixel.
    fn show(&self) {
        let Some(shown) = &self.shown else { return };
        let Some(ink) = self.context.canvas() else { return };
        let Some(context) = context_2d(shown) else { return };
        let _ = context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        let _ = context.draw_image_with_html_canvas_element(&ink, 0.0, 0.0);
    }
}

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
type BackendResult = Result<(), DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

impl DrawingBackend for MeasuredCanvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> BackendResult {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> BackendResult {
        self.inner.present()?;
        self.show();
        Ok(())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> BackendResult {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> BackendResult {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> BackendResult {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> BackendResult {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> BackendResult {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> BackendResult {
        self.inner.fill_polygon(vert, style)
    }
    /// plotters-canvas's `draw_text` (same baseline, alignment, colour and font), except that the
    /// font is set only when it changes. Rotated text (rare: axis titles) is left to it: it sets
    /// the font between save() and restore(), so the context's font is unchanged after it.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> BackendResult {
        use plotters_backend::text_anchor::{HPos, VPos};
        use plotters_backend::FontTransform;
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        if !matches!(style.transform(), FontTransform::None) {
            return self.inner.draw_text(text, style, pos);
        }
        self.context.set_text_baseline(match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        });
        self.context.set_text_align(match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        });
        let (r, g, b) = color.rgb;
        self.context.set_fill_style_str(&format!("rgba({r},{g},{b},{})", color.alpha));
        self.use_font(&font_of(style));
        match self.context.fill_text(text, f64::from(pos.0), f64::from(pos.1)) {
            Ok(()) => Ok(()),
            // plotters-canvas's error type cannot be built here: let it draw and report.
            Err(_) => self.inner.draw_text(text, style, pos),
        }
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let font = font_of(style);
        let width = measured_width(&font, text, || {
            measuring_context(&font)
                .and_then(|c| c.measure_text(text).ok())
                .map(|m| m.width())
                .unwrap_or_else(|| {
                    self.use_font(&font);
                    self.context.measure_text(text).map(|m| m.width()).unwrap_or(0.0)
                })
        });
        Ok((width.ceil() as u32, (style.size() * 1.2).round() as u32))
    }
}

impl MeasuredCanvas {
    fn use_font(&self, font: &str) {
        let mut on_context = self.font_on_context.borrow_mut();
        if on_context.as_str() != font {
            self.context.set_font(font);
            font.clone_into(&mut on_context);
        }
    }
}

/// The font string plotters-canvas draws with.
fn font_of<S: BackendTextStyle>(style: &S) -> String {
    format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str())
}

thread_local! {
    /// One detached canvas context per font, its font set once: measuring a label never
    /// changes the drawing context's font (the charts alternate title, label and axis fonts).
    static MEASURING: std::cell::RefCell<Vec<(String, web_sys::CanvasRenderingContext2d)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn measuring_context(font: &str) -> Option<web_sys::CanvasRenderingContext2d> {
    if let Some(c) =
        MEASURING.with(|m| m.borrow().iter().find(|e| e.0 == font).map(|e| e.1.clone()))
    {
        return Some(c);
    }
    let context = context_2d(&detached_canvas()?)?;
    context.set_font(font);
    MEASURING.with(|m| {
        let mut m = m.borrow_mut();
        // The charts use a handful of fonts; bounded all the same.
        if m.len() >= 16 {
            m.clear();
        }
        m.push((font.to_string(), context.clone()));
    });
    Some(context)
}

/// Widths already measured, by font and text. Setting the context's `font` parses the font
/// string and was a quarter of a slider move's time (the bar charts fit every label, letter by
/// letter); the labels are mostly the same from one paint to the next.
const MEASURED_KEPT: usize = 2048;
thread_local! {
    // FxHash (as Leptos's own maps): the keys are our labels, and std's keyed SipHash would add
    // its code and random keys to the page for nothing.
    static MEASURED: std::cell::RefCell<rustc_hash::FxHashMap<(String, String), f64>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

fn measured_width(font: &str, text: &str, measure: impl FnOnce() -> f64) -> f64 {
    let key = (font.to_string(), text.to_string());
    if let Some(w) = MEASURED.with(|m| m.borrow().get(&key).copied()) {
        return w;
    }
    let width = measure();
    MEASURED.with(|m| {
        let mut m = m.borrow_mut();
        // Bounded: a long session with ever new labels does not grow memory.
        if m.len() >= MEASURED_KEPT {
            m.clear();
        }
        m.insert(key, width);
    });
    width
}
