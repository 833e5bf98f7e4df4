//! The emergency expert pool as the duty officer uses it: search as you type (characters,
//! pinyin, initials, specialties), import from a spreadsheet, an offline copy, and the
//! `watchroom experts` command.
//!
//! The view builds one [`ExpertIndex`] per directory it receives and calls
//! [`ExpertIndex::search`] on every keystroke; [`Hit`]s carry what to highlight.

pub mod cache;
pub mod cli;
pub mod import;
mod index;
mod matcher;
mod readings;
mod search;

pub use index::ExpertIndex;
pub use search::{Field, Filters, Hit, Rank, ranges};
