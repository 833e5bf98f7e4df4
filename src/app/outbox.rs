//! The officer's acts on their way to the backend: each gets an idempotency key, changes
//! the screen at once (`pending`), waits in the queue, and leaves it when the backend
//! accepts or refuses it.

use super::command::{Command, CommandBody, Outcome, Pending};
use super::flash::{NOTICE_FOR, flash, keep_flash};
use super::msg::Effect;
use super::state::State;

/// Only the duty API takes actions; other feeds are read-only sources.
pub const ACTION_SOURCE: &str = "duty_api";

pub(super) fn new_key(state: &mut State) -> String {
    let key = format!("{}-{}", state.actions.key_prefix, state.actions.next_key);
    state.actions.next_key += 1;
    key
}

pub(super) fn queue(state: &mut State, body: CommandBody) -> Effect {
    let command = Command {
        key: new_key(state),
        created_at: state.now,
        body,
    };
    super::pending::apply_locally(state, &command);
    state.actions.queue.push(Pending {
        command: command.clone(),
        last_error: None,
    });
    Effect::Send(command)
}

/// The backend answered a command.
pub fn on_result(state: &mut State, key: &str, outcome: Outcome) {
    match outcome {
        Outcome::Accepted => state.actions.queue.retain(|p| p.command.key != key),
        Outcome::Retrying(why) => {
            if let Some(p) = state
                .actions
                .queue
                .iter_mut()
                .find(|p| p.command.key == key)
            {
                p.last_error = Some(why);
            }
        }
        Outcome::Rejected(why) => {
            let what = state
                .actions
                .queue
                .iter()
                .find(|p| p.command.key == key)
                .map(|p| p.command.body.describe_in(state.lang()))
                .unwrap_or_default();
            state.actions.queue.retain(|p| p.command.key != key);
            flash(
                state,
                state
                    .lang()
                    .f("workflow.rejected", &[("what", &what), ("why", &why)]),
            );
            keep_flash(state, NOTICE_FOR);
        }
    }
}
