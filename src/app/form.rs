//! Modal forms: acknowledging an alert, a duty-log entry, a correction (更正), an intake
//! (接报), and choosing who is on duty at this console. Field definitions live here; the view only draws them.

use super::flash::flash;
use super::line_edit::LineEdit;
use super::msg::Effect;
use super::state::{Overlay, State};
use crate::words;
use crossterm::event::{KeyCode, KeyEvent};

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    Officer,
    Ack {
        alert_id: String,
        origin: String,
    },
    Log {
        incident_id: String,
    },
    Intake,
    Silence {
        alert_id: String,
        origin: String,
    },
    Instruction {
        incident_id: String,
    },
    FollowUp {
        incident_id: String,
        entry_id: String,
    },
    /// A correction (更正) of one of the incident's entries.
    Correction {
        incident_id: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: &'static str,
    /// The key of its label in `words/`.
    pub label: &'static str,
    pub input: LineEdit,
    /// Submitting is refused while a required field is blank.
    pub required: bool,
    /// One of the elements an intake should have; a blank one is flagged, not refused.
    pub element: bool,
    /// When not empty, the field is a choice (←/→) instead of free text.
    pub choices: Vec<String>,
    pub choice: usize,
}

impl Field {
    fn text(key: &'static str, label: &'static str) -> Field {
        Field {
            key,
            label,
            input: LineEdit::default(),
            required: false,
            element: false,
            choices: Vec::new(),
            choice: 0,
        }
    }

    fn required(mut self) -> Field {
        self.required = true;
        self
    }

    fn element(mut self) -> Field {
        self.element = true;
        self
    }

    fn choices(mut self, choices: &[&str]) -> Field {
        self.choices = choices.iter().map(|c| (*c).to_owned()).collect();
        self
    }

    fn prefilled(mut self, text: &str) -> Field {
        self.input = LineEdit::with_text(text);
        self
    }

    pub fn value(&self) -> String {
        if self.choices.is_empty() {
            self.input.text().trim().to_owned()
        } else {
            self.choices.get(self.choice).cloned().unwrap_or_default()
        }
    }

    pub fn is_blank(&self) -> bool {
        self.value().is_empty()
    }
}

/// Timeline entry kinds a duty officer logs; the log form adds any other kind the
/// reporting rules wait for, so every report they expect can be logged.
pub const LOG_KINDS: &[&str] = &[
    "记录",
    "接报",
    "核实",
    "批示",
    "处置",
    "初报",
    "书面报告",
    "续报",
    "终报",
];
/// How long a silence lasts, as offered on the silence form (minutes; 0 lifts one).
pub const SILENCE_CHOICES: &[(&str, i64)] = &[
    ("30 分钟", 30),
    ("1 小时", 60),
    ("2 小时", 120),
    ("4 小时", 240),
    ("8 小时", 480),
    ("15 分钟", 15),
    ("解除静默", 0),
];
/// What a follow-up on a leader instruction records.
pub const FOLLOW_UP_KINDS: &[&str] = &[
    crate::model::instruction::FOLLOW_UP,
    crate::model::instruction::CLOSE,
];
/// The field of the correction form that names the entry corrected: its choices are entry
/// ids, drawn as the entries they name.
pub const CORRECTS: &str = "corrects";
/// Event grades as offered on the intake form, mildest first.
pub const GRADES: &[&str] = &["一般 Ⅳ", "较大 Ⅲ", "重大 Ⅱ", "特别重大 Ⅰ"];

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Indexes of fields flagged after a submit attempt.
    pub flagged: Vec<usize>,
    /// Set when the officer was told about missing intake elements: the next submit goes.
    pub confirm_missing: bool,
}

impl Form {
    fn new(kind: FormKind, fields: Vec<Field>) -> Form {
        Form {
            kind,
            fields,
            focus: 0,
            flagged: Vec::new(),
            confirm_missing: false,
        }
    }

    pub fn officer(people: &[String]) -> Form {
        let mut fields = Vec::new();
        if !people.is_empty() {
            let names: Vec<&str> = people.iter().map(String::as_str).collect();
            fields.push(Field::text("pick", words::key("form.officer_pick")).choices(&names));
        }
        fields.push(Field::text("name", words::key("form.officer_name")));
        Form::new(FormKind::Officer, fields)
    }

    pub fn ack(alert_id: String, origin: String) -> Form {
        Form::new(
            FormKind::Ack { alert_id, origin },
            vec![Field::text("note", words::key("form.ack_note"))],
        )
    }

    /// A duty-log entry; `reported` are the kinds the reporting rules wait for.
    pub fn log<'a>(incident_id: String, reported: impl IntoIterator<Item = &'a str>) -> Form {
        let mut kinds = LOG_KINDS.to_vec();
        for k in reported {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        Form::new(
            FormKind::Log { incident_id },
            vec![
                Field::text("kind", words::key("form.log_kind")).choices(&kinds),
                Field::text("text", words::key("form.log_text")).required(),
            ],
        )
    }

    /// The intake form: the elements a 接报 record should have (时间、地点、来源、性质、
    /// 伤亡、措施、报告人). `now_hm` pre-fills the time of the event.
    pub fn intake(now_hm: &str) -> Form {
        Form::new(
            FormKind::Intake,
            vec![
                Field::text("title", words::key("form.intake_title")).required(),
                Field::text("grade", words::key("form.intake_grade")).choices(GRADES),
                Field::text("time", words::key("form.intake_time"))
                    .prefilled(now_hm)
                    .required(),
                Field::text("place", words::key("form.intake_place")).element(),
                Field::text("category", words::key("form.intake_category")).element(),
                Field::text("channel", words::key("form.intake_channel")).element(),
                Field::text("casualties", words::key("form.intake_casualties")).element(),
                Field::text("measures", words::key("form.intake_measures")).element(),
                Field::text("unit", words::key("form.intake_unit")).element(),
                Field::text("caller", words::key("form.intake_caller")).element(),
                Field::text("phone", words::key("form.intake_phone")).element(),
            ],
        )
    }

    pub fn silence(alert_id: String, origin: String) -> Form {
        let choices: Vec<&str> = SILENCE_CHOICES.iter().map(|(label, _)| *label).collect();
        Form::new(
            FormKind::Silence { alert_id, origin },
            vec![
                Field::text("duration", words::key("form.silence_duration")).choices(&choices),
                Field::text("reason", words::key("form.silence_reason")).required(),
            ],
        )
    }

    /// `leader`: the 带班领导 on duty, pre-filled.
    pub fn instruction(incident_id: String, leader: &str) -> Form {
        Form::new(
            FormKind::Instruction { incident_id },
            vec![
                Field::text("text", words::key("form.instruction_text")).required(),
                Field::text("leader", words::key("form.instruction_leader"))
                    .prefilled(leader)
                    .required(),
                Field::text("assignee", words::key("form.instruction_assignee")),
            ],
        )
    }

    pub fn follow_up(incident_id: String, entry_id: String) -> Form {
        Form::new(
            FormKind::FollowUp {
                incident_id,
                entry_id,
            },
            vec![
                Field::text("kind", words::key("form.follow_up_kind")).choices(FOLLOW_UP_KINDS),
                Field::text("text", words::key("form.follow_up_text")).required(),
            ],
        )
    }

    /// `entry_ids`: the entries it may correct, newest first (the first is chosen).
    pub fn correction(incident_id: String, entry_ids: Vec<String>) -> Form {
        let mut corrects = Field::text(CORRECTS, words::key("form.correction_entry"));
        corrects.choices = entry_ids;
        Form::new(
            FormKind::Correction { incident_id },
            vec![
                corrects,
                Field::text("text", words::key("form.correction_text")).required(),
            ],
        )
    }

    pub fn value(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(Field::value)
            .unwrap_or_default()
    }

    pub fn focused(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    pub fn move_focus(&mut self, by: isize) {
        let n = self.fields.len() as isize;
        if n > 0 {
            self.focus = (self.focus as isize + by).rem_euclid(n) as usize;
        }
    }

    pub fn missing_required(&self) -> Vec<usize> {
        (0..self.fields.len())
            .filter(|&i| self.fields[i].required && self.fields[i].is_blank())
            .collect()
    }

    pub fn missing_elements(&self) -> Vec<usize> {
        (0..self.fields.len())
            .filter(|&i| self.fields[i].element && self.fields[i].is_blank())
            .collect()
    }
}

/// Keys a form's keymap does not bind edit the focused field.
pub fn edit(state: &mut State, key: KeyEvent) -> bool {
    let Overlay::Form(form) = &mut state.view.overlay else {
        return false;
    };
    let Some(field) = form.focused() else {
        return false;
    };
    if !field.choices.is_empty() {
        let n = field.choices.len();
        match key.code {
            KeyCode::Left => field.choice = (field.choice + n - 1) % n,
            KeyCode::Right | KeyCode::Char(' ') => field.choice = (field.choice + 1) % n,
            _ => return false,
        }
        return true;
    }
    if !field.input.handle_key(key) {
        return false;
    }
    form.flagged.clear();
    form.confirm_missing = false;
    true
}

/// Submit the open form: refuse with the fields flagged, or apply it and close.
pub fn submit(state: &mut State) -> Vec<Effect> {
    let Overlay::Form(form) = &mut state.view.overlay else {
        return Vec::new();
    };
    let missing = form.missing_required();
    if !missing.is_empty() {
        form.focus = missing[0];
        form.flagged = missing;
        return Vec::new();
    }
    if form.kind == FormKind::Intake {
        let elements = form.missing_elements();
        if !elements.is_empty() && !form.confirm_missing {
            form.flagged = elements;
            form.confirm_missing = true;
            let text = state.lang().t("workflow.elements_missing").to_owned();
            flash(state, text);
            return Vec::new();
        }
    }
    let Overlay::Form(form) = std::mem::replace(&mut state.view.overlay, Overlay::None) else {
        return Vec::new();
    };
    match form.kind.clone() {
        FormKind::Officer => {
            let typed = form.value("name");
            let name = if typed.is_empty() {
                form.value("pick")
            } else {
                typed
            };
            if name.is_empty() {
                state.view.overlay = Overlay::Form(form);
                return Vec::new();
            }
            flash(
                state,
                state.lang().f("workflow.officer", &[("name", &name)]),
            );
            state.session.officer = Some(name);
            Vec::new()
        }
        FormKind::Ack { alert_id, origin } => {
            super::ack::ack(state, &alert_id, &origin, form.value("note"))
        }
        FormKind::Log { incident_id } => {
            let draft = super::duty_log::EntryDraft::new(&form.value("kind"), form.value("text"));
            super::duty_log::log_entry(state, &incident_id, draft)
                .into_iter()
                .collect()
        }
        FormKind::Intake => super::intake::intake(state, &form),
        FormKind::Silence { alert_id, origin } => super::silences::submit(
            state,
            &alert_id,
            &origin,
            &form.value("duration"),
            form.value("reason"),
        ),
        FormKind::Instruction { incident_id } => super::instructions::submit_instruction(
            state,
            &incident_id,
            form.value("text"),
            form.value("leader"),
            form.value("assignee"),
        ),
        FormKind::FollowUp {
            incident_id,
            entry_id,
        } => super::instructions::submit_follow_up(
            state,
            &incident_id,
            &entry_id,
            &form.value("kind"),
            form.value("text"),
        ),
        FormKind::Correction { incident_id } => super::corrections::submit(
            state,
            &incident_id,
            &form.value(CORRECTS),
            form.value("text"),
        ),
    }
}
