//! Calling the duty officer: desktop notifications (freedesktop, over D-Bus) and the terminal
//! bell. `policy` decides, purely, from the state and the injected clock; `desktop` delivers,
//! off the UI task and under a timeout; `check` is `watchroom check-notify`.

pub mod check;
pub mod desktop;
pub mod notice;
pub mod policy;
pub mod settings;

pub use notice::{Notice, Urgency};
pub use policy::NotifyState;
pub use settings::{NotifySettings, QuietHours};
