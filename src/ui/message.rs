//! A control's own message line: what happened to the file or value it was given, beside it,
//! announced to screen readers (a live region present before the text arrives) and scrolled
//! into view if it is not. The page's notice bar is for what has no control (a bad link).

use super::browser;
use leptos::prelude::*;

/// What a control says about its last use.
#[derive(Clone, Debug, PartialEq)]
pub enum Said {
    Done(String),
    Refused(String),
}

/// The message line under a control; `said` set by the control's handler.
/// Sets a control's message and brings its line into view once it is laid out.
pub fn say(said: RwSignal<Option<Said>>, id: &'static str, s: Said) {
    said.set(Some(s));
    bring_when_laid_out(id, 20);
}

/// The line is laid out once it has text (empty, it takes no space), and what the message
/// changes may move it again (a panel re-rendered around it): checked on each of the next
/// frames, and brought back into view whenever it is out of it (`bring_into_view` does
/// nothing while it is in view).
fn bring_when_laid_out(id: &'static str, frames: u32) {
    request_animation_frame(move || {
        if browser::has_height(id) {
            browser::bring_into_view(id);
        }
        if frames > 0 {
            bring_when_laid_out(id, frames - 1);
        }
    });
}

/// The message line under a control; set by the control's handler through `say`.
#[component]
pub fn Message(id: &'static str, said: RwSignal<Option<Said>>) -> impl IntoView {
    view! {
        <p
            id=id
            class="control-msg"
            class:critical=move || said.with(|s| matches!(s, Some(Said::Refused(_))))
            class:status=move || said.with(|s| matches!(s, Some(Said::Done(_))))
            role="status"
            aria-live="polite"
        >
            {move || {
                said.get()
                    .map(|s| match s {
                        Said::Done(t) | Said::Refused(t) => t,
                    })
            }}
        </p>
    }
}
