//! The officer's actions on their way to the backend: queued in order, each under an
//! idempotency key unique to this console run, so a retry is never counted twice.

use crate::app::command::Pending;

#[derive(Debug, Clone)]
pub struct Actions {
    /// Actions not yet accepted by the backend, oldest first.
    pub queue: Vec<Pending>,
    /// Idempotency keys are `{key_prefix}-{n}`: the prefix is unique per console run.
    pub key_prefix: String,
    pub next_key: u64,
    /// Actions queued for another backend than this one (kept, not sent).
    pub elsewhere: usize,
}

impl Default for Actions {
    fn default() -> Self {
        Actions {
            queue: Vec::new(),
            key_prefix: "wr".to_owned(),
            next_key: 1,
            elsewhere: 0,
        }
    }
}
