//! What a desktop notification says, in the console's language.

use crate::app::Lang;
use crate::model::text::truncate;
use crate::model::{Alert, Colour, Incident};

/// How insistently the desktop should show it (freedesktop urgency levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Low,
    Normal,
    /// Stays on screen until dismissed, on most notification daemons.
    Critical,
}

impl Urgency {
    /// The byte the freedesktop `urgency` hint carries.
    pub fn hint(self) -> u8 {
        match self {
            Urgency::Low => 0,
            Urgency::Normal => 1,
            Urgency::Critical => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub summary: String,
    pub body: String,
    pub urgency: Urgency,
    /// Ring the bell when the desktop cannot show it (false when it has rung already).
    pub bell_if_undelivered: bool,
}

/// Long texts are cut: notification bubbles are small and the wall has the rest.
const AREA_WIDTH: usize = 40;
const BODY_WIDTH: usize = 200;

/// A CAP exercise is announced like the real thing but marked as a drill.
pub fn is_exercise(a: &Alert) -> bool {
    a.status.eq_ignore_ascii_case("exercise")
}

/// "红色预警 暴雨 — 南山区", body the headline.
pub fn for_alert(a: &Alert, lang: Lang) -> Notice {
    let colour = match a.colour {
        Colour::Blue => lang.t("notify.blue_warning"),
        Colour::Yellow => lang.t("notify.yellow_warning"),
        Colour::Orange => lang.t("notify.orange_warning"),
        Colour::Red => lang.t("notify.red_warning"),
    };
    let mut summary = String::new();
    if is_exercise(a) {
        summary.push_str(lang.t("notify.exercise"));
    }
    summary.push_str(colour);
    if !a.signal_type.is_empty() {
        summary.push(' ');
        summary.push_str(&a.signal_type);
    }
    if !a.area.is_empty() {
        summary.push_str(" — ");
        summary.push_str(&truncate(&a.area, AREA_WIDTH));
    }
    let headline = if a.extra.headline.is_empty() {
        a.title()
    } else {
        &a.extra.headline
    };
    Notice {
        summary,
        body: truncate(headline, BODY_WIDTH),
        urgency: if a.colour == Colour::Red {
            Urgency::Critical
        } else {
            Urgency::Normal
        },
        bell_if_undelivered: true,
    }
}

/// "报告逾期 电话初报", body the incident.
pub fn for_overdue(i: &Incident, label: &str, lang: Lang) -> Notice {
    Notice {
        summary: lang.f("notify.overdue", &[("label", &label)]),
        body: truncate(
            &lang.f(
                "notify.overdue_body",
                &[
                    ("title", &i.title),
                    ("grade", &crate::app::words::grade(lang, i.grade)),
                ],
            ),
            BODY_WIDTH,
        ),
        urgency: Urgency::Critical,
        bell_if_undelivered: true,
    }
}
