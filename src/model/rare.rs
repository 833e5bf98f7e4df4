//! Fields most records leave empty, held behind one pointer that is null when they are.
//!
//! A wall of 100,000 alerts pays for every byte of `Alert` 100,000 times; fields that are
//! nearly always empty (an alert's references and headline, an area's shapes) cost 8 bytes
//! this way instead of 24 to 72 each.

use std::ops::{Deref, DerefMut};

/// A record of rare fields with an empty value to read when none is held.
pub trait Empty: Default + PartialEq + 'static {
    /// The value read when nothing is held.
    fn empty() -> &'static Self;
}

/// `T` held only when something in it is set. Reading through it sees `T::empty()` when
/// there is none; writing through it makes one. Nothing held compares equal to an empty
/// `T`.
#[derive(Debug, Clone, Default)]
pub struct Rare<T>(Option<Box<T>>);

impl<T: Empty> Rare<T> {
    /// The fields to change in place, if any are held (no allocation when none are).
    pub fn if_held(&mut self) -> Option<&mut T> {
        self.0.as_deref_mut()
    }

    /// Whether anything is held (an empty `T` written through `DerefMut` counts).
    pub fn is_held(&self) -> bool {
        self.0.is_some()
    }
}

impl<T: Empty> From<T> for Rare<T> {
    fn from(t: T) -> Rare<T> {
        Rare((t != *T::empty()).then(|| Box::new(t)))
    }
}

impl<T: Empty> Deref for Rare<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.0 {
            Some(t) => t,
            None => T::empty(),
        }
    }
}

impl<T: Empty> DerefMut for Rare<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Empty> PartialEq for Rare<T> {
    fn eq(&self, other: &Rare<T>) -> bool {
        **self == **other
    }
}
