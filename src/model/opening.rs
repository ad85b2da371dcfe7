//! What the page opens with, from what it found: a link in the address bar and the autosave
//! of the last visit (each already decoded, or why it could not be). Pure, so the rules are
//! tested natively; `ui::initial_scenario` reads the browser and calls it.
//!
//! A link is a stranger's scenario: it is shown, but the user's autosaved work is not replaced
//! before the user changes something (`keep_autosave`), and the page offers to go back to it
//! (`autosave`). A link that overrides prices says so first (`display::override_warning`).

use super::scenario::ScenarioError;
use super::share::LinkError;
use super::Scenario;

/// The first scenario and what the page says and keeps about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    pub scenario: Scenario,
    /// Messages for the notice line (a link or autosave that could not be read).
    pub notes: Vec<String>,
    /// The address bar holds a link that could not be opened (left there until an edit).
    pub bad_link: bool,
    /// The scenario came from the link.
    pub from_link: bool,
    /// The autosave must not be written until the user changes something: the scenario on
    /// screen is the link's, and the autosave holds the user's own work.
    pub keep_autosave: bool,
    /// The user's autosaved scenario the link replaced on screen (when it differs): the page
    /// offers to go back to it.
    pub autosave: Option<Scenario>,
}

/// The link's scenario if it opens, else the autosave, else `fallback`.
pub fn opening(
    link: Option<Result<Scenario, LinkError>>,
    saved: Option<Result<Scenario, ScenarioError>>,
    fallback: impl FnOnce() -> Scenario,
) -> Opening {
    let mut notes = Vec::new();
    let saved = saved.and_then(|r| match r {
        Ok(s) => Some(s),
        Err(e) => {
            notes.push(format!(
                "Your autosaved scenario could not be restored ({e}); it was left in storage \
                    untouched."
            ));
            None
        }
    });
    let bad_link = match link {
        Some(Ok(s)) => {
            let autosave = saved.filter(|a| *a != s);
            return Opening {
                scenario: s,
                notes,
                bad_link: false,
                from_link: true,
                keep_autosave: true,
                autosave,
            };
        }
        Some(Err(e)) => {
            notes.push(format!(
                "This link could not be opened: {e}. Showing your last scenario instead."
            ));
            true
        }
        None => false,
    };
    Opening {
        scenario: saved.unwrap_or_else(fallback),
        notes,
        bad_link,
        from_link: false,
        keep_autosave: false,
        autosave: None,
    }
}
