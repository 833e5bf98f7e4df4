//! How the local store (the cache of every source and the outbox) is doing.

/// The local store the console keeps its data and outbox in.
#[derive(Debug, Clone, Default)]
pub struct Store {
    /// Sources whose data changed since it was last written to the local store.
    pub unsaved: std::collections::BTreeSet<String>,
    /// The local store could not be used: actions are not durable; say so.
    pub problem: Option<String>,
}
