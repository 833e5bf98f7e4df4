//! What a key can ask for. Keymaps name these in snake_case.

use serde::{Deserialize, Serialize};

/// The enum and the list of every action from one list, so neither can miss one.
macro_rules! actions {
    ($($(#[doc = $doc:literal])* $action:ident,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $($(#[doc = $doc])* $action,)*
        }

        impl Action {
            /// Every action, in the order of the list below.
            pub const ALL: &[Action] = &[$(Action::$action,)*];
        }
    };
}

actions! {
    Quit,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Close,
    Help,
    /// Acknowledge the selected alert (with an optional note).
    Ack,
    /// Add a duty-log entry to the selected incident's timeline.
    Log,
    /// Correct (更正) an entry of the selected incident's timeline with a new entry.
    Correct,
    /// Intake (接报): open a new incident.
    Intake,
    /// Choose who is on duty at this console.
    Officer,
    Submit,
    NextField,
    PrevField,
    /// Open the expert lookup.
    Experts,
    /// Back to the search box of the expert lookup.
    Search,
    /// Copy the selected expert's phone number (OSC 52).
    Copy,
    /// Show only experts who can be reached.
    ToggleAvailable,
    /// Leave the expert lookup.
    CloseView,
    /// Silence the selected alert for a while, with a reason (or lift its silence).
    Silence,
    /// List the active silences.
    Silences,
    /// Alerts no longer in force: expired, updated, cancelled, resolved.
    History,
    /// Every source's health in full.
    Sources,
    /// What is overdue, worst first.
    Overdue,
    /// Switch the theme: opens the command line at `:theme `.
    Theme,
    /// Switch the language of the screen: opens the command line at `:lang `.
    Lang,
    /// Record a leader instruction (领导批示) on the selected incident.
    Instruct,
    /// List the leader instructions being followed up (督办).
    Instructions,
    /// Record progress on (督办), or close (办结), the selected leader instruction.
    FollowUp,
    /// Open the shift handover review.
    Handover,
    /// The outgoing officer signs the handover.
    Sign,
    /// The incoming officer confirms the handover (接班).
    Confirm,
    /// Open the `:` command line.
    Command,
    /// Narrow the focused list (`/`).
    Filter,
    /// Complete the command, or its argument, being typed.
    Complete,
}

impl Action {
    /// Actions that change something on the backend: gone in read-only mode.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Action::Ack
                | Action::Log
                | Action::Correct
                | Action::Intake
                | Action::Officer
                | Action::Silence
                | Action::Instruct
                | Action::FollowUp
                | Action::Sign
                | Action::Confirm
        )
    }
}
