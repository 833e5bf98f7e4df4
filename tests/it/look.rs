//! Keymaps, themes and the config check: shipped files parse, user files load or fail with
//! `file:line`, help follows the keymap, each theme paints what its file says.

use crate::support::fixture::*;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::path::{Path, PathBuf};
use std::process::Command;
use watchroom::app::keymap::{Keymap, Layer, Mode};
use watchroom::app::{Lang, State, update};
use watchroom::look::{Env, Inputs, resolve_theme};
use watchroom::ui::theme::{Role, Theme};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_shipped_keymap_and_theme_parses_and_is_built_in() {
    let keymaps = toml_files(&repo("keymaps"));
    assert!(keymaps.len() >= 2);
    for p in &keymaps {
        let text = std::fs::read_to_string(p).unwrap();
        Keymap::parse(&text, &p.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            Keymap::builtin(&stem(p)).is_some(),
            "{} is not built in",
            p.display()
        );
    }
    let themes = toml_files(&repo("themes"));
    for name in [
        "dark",
        "light",
        "high-contrast",
        "night",
        "ansi16",
        "no-color",
    ] {
        assert!(
            themes.iter().any(|p| stem(p) == name),
            "no themes/{name}.toml"
        );
    }
    for p in &themes {
        let text = std::fs::read_to_string(p).unwrap();
        let t = Theme::parse(&text, &p.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.name, stem(p), "a theme's name is its file name");
        assert_eq!(
            Theme::builtin(&stem(p)),
            Some(t),
            "{} is not built in",
            p.display()
        );
    }
}

/// Load a user file the way the console would, by the kind its name says.
fn load_user_file(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap();
    let origin = path.display().to_string();
    let name = stem(path);
    let err = |e: watchroom::file_error::FileErrors| e.to_string();
    if name.starts_with("layer-") {
        let layer = Layer::parse(&text, &origin).map_err(err)?;
        for base in Keymap::builtin_names() {
            Keymap::builtin(base)
                .unwrap()
                .with_layer(&layer)
                .map_err(err)?;
        }
        Ok(())
    } else if name.starts_with("keymap-") {
        Keymap::parse(&text, &origin).map(drop).map_err(err)
    } else if name.starts_with("theme-") {
        Theme::parse(&text, &origin).map(drop).map_err(err)
    } else {
        panic!("{origin}: name it layer-, keymap- or theme-")
    }
}

#[test]
fn valid_user_files_load() {
    let files = toml_files(&repo("tests/fixtures/user-files/valid"));
    assert!(files.len() >= 4);
    for p in files {
        if let Err(e) = load_user_file(&p) {
            panic!("{} should load:\n{e}", p.display());
        }
    }
}

#[test]
fn invalid_user_files_are_reported_at_the_marked_lines() {
    let files = toml_files(&repo("tests/fixtures/user-files/invalid"));
    assert!(files.len() >= 10);
    for p in files {
        let origin = p.display().to_string();
        let text = std::fs::read_to_string(&p).unwrap();
        let marks: Vec<(usize, String)> = text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| {
                l.split_once("# error:")
                    .map(|(_, what)| (i + 1, what.trim().to_owned()))
            })
            .collect();
        assert!(
            !marks.is_empty(),
            "{origin}: mark the bad line(s) with # error:"
        );
        let err = match load_user_file(&p) {
            Ok(()) => panic!("{origin} should fail to load"),
            Err(e) => e,
        };
        for (line, what) in &marks {
            let at = format!("{origin}:{line}: ");
            let reported = err
                .lines()
                .find(|l| l.starts_with(&at))
                .unwrap_or_else(|| panic!("expected an error at {at}\ngot:\n{err}"));
            assert!(
                reported.contains(what.as_str()),
                "{at} should say {what:?}; got:\n{err}"
            );
        }
        for reported in err.lines() {
            assert!(
                marks
                    .iter()
                    .any(|(line, _)| reported.starts_with(&format!("{origin}:{line}: "))),
                "an error at an unmarked line: {reported}"
            );
        }
    }
}

fn help_text(s: &State) -> Vec<String> {
    watchroom::ui::help::lines(s)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[test]
fn help_lists_every_bound_action_of_the_default_and_vim_keymaps() {
    for name in ["default", "vim"] {
        for lang in Lang::ALL {
            let mut s = state();
            s.session.keymap = Keymap::builtin(name).unwrap();
            s.session.lang = lang;
            let help = help_text(&s);
            for b in &s.session.keymap.bindings {
                let keys = b.key_names.join(" / ");
                let words = b.text(lang);
                assert!(
                    help.iter().any(|l| l.contains(&keys) && l.contains(words)),
                    "{name} help ({lang:?}) lacks {keys} {words}:\n{}",
                    help.join("\n")
                );
            }
            // Every mode with a binding has its section.
            let sections = Mode::ALL
                .iter()
                .filter(|m| s.session.keymap.in_mode(**m).next().is_some())
                .count();
            // …and the `:` commands have one more.
            let titles = help.iter().filter(|l| !l.starts_with(' ') && !l.is_empty());
            assert_eq!(titles.count(), sections + 1, "{name}");
        }
    }
}

#[test]
fn the_vim_keymap_drives_the_console_and_a_user_layer_changes_it() {
    let mut s = state();
    s.session.keymap = Keymap::builtin("vim").unwrap();
    let first = s.view.focus;
    update(&mut s, key('l'));
    assert_ne!(s.view.focus, first, "l moves to the next pane");
    update(&mut s, key('h'));
    assert_eq!(s.view.focus, first);
    let layer = Layer::parse(
        &std::fs::read_to_string(repo("tests/fixtures/user-files/valid/layer-rebind.toml"))
            .unwrap(),
        "layer-rebind.toml",
    )
    .unwrap();
    let km = Keymap::embedded().with_layer(&layer).unwrap();
    let ack = km
        .in_mode(Mode::Watch)
        .find(|b| b.action == watchroom::app::Action::Ack)
        .unwrap();
    assert_eq!(ack.key_names, ["A"]);
    assert_eq!(ack.text(Lang::Zh), "确认预警（大写A）");
    assert_eq!(
        ack.text(Lang::En),
        "Acknowledge alert",
        "a language the layer gives no text for reads the catalogue's"
    );
    assert!(
        km.in_mode(Mode::Watch)
            .all(|b| b.action != watchroom::app::Action::Intake),
        "keys = [] unbinds"
    );
}

/// The row holding `needle`, and the column where the first `first` character sits.
fn find(buf: &Buffer, needle: &str, first: &str) -> (u16, u16) {
    for y in 0..buf.area.height {
        let row = row_text(buf, y);
        if row.contains(needle) {
            let x = (0..buf.area.width)
                .find(|x| buf[(*x, y)].symbol() == first)
                .unwrap_or_else(|| panic!("no {first:?} in {row}"));
            return (x, y);
        }
    }
    panic!("no row contains {needle:?}");
}

/// What the theme file itself says a role's colour is, read without the theme code.
fn file_colour(theme: &str, role: &str, which: &str) -> Color {
    let text = std::fs::read_to_string(repo(&format!("themes/{theme}.toml"))).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    match doc["roles"][role].get(which) {
        None => Color::Reset,
        Some(toml::Value::Integer(i)) => Color::Indexed(*i as u8),
        Some(toml::Value::String(s)) => s.parse().unwrap(),
        Some(v) => panic!("{theme}: {role}.{which} = {v}"),
    }
}

#[test]
fn each_theme_paints_the_red_alert_as_its_file_says_and_differently() {
    let mut seen: Vec<(&str, Color, Color)> = Vec::new();
    for name in ["dark", "light", "high-contrast", "night", "ansi16"] {
        let mut s = state();
        s.session.theme = Theme::builtin(name).unwrap();
        let buf = render(&mut s, 120, 40);
        let (x, y) = find(&buf, "台风红色预警信号", "红");
        let cell = &buf[(x, y)];
        let (fg, bg) = (
            file_colour(name, "alert.red", "fg"),
            file_colour(name, "alert.red", "bg"),
        );
        assert_eq!((cell.fg, cell.bg), (fg, bg), "{name}: red label");
        // The blue one too, and it is not the red one.
        let (bx, by) = find(&buf, "发热门诊哨点异常报告", "蓝");
        let blue = &buf[(bx, by)];
        assert_eq!(
            (blue.fg, blue.bg),
            (
                file_colour(name, "alert.blue", "fg"),
                file_colour(name, "alert.blue", "bg")
            ),
            "{name}: blue label"
        );
        assert_ne!((blue.fg, blue.bg), (cell.fg, cell.bg), "{name}");
        for (other, ofg, obg) in &seen {
            assert_ne!((*ofg, *obg), (fg, bg), "{name} and {other} paint red alike");
        }
        seen.push((name, fg, bg));
    }
}

#[test]
fn the_16_colour_theme_uses_only_the_16_ansi_colours() {
    let text = std::fs::read_to_string(repo("themes/ansi16.toml")).unwrap();
    let t = Theme::parse(&text, "ansi16").unwrap();
    let ansi = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    for &role in Role::ALL {
        let st = t.get(role);
        for c in [st.fg, st.bg].into_iter().flatten() {
            assert!(ansi.contains(&c), "ansi16 {role}: {c:?}");
        }
    }
}

/// The xterm 256-colour palette's RGB for an index ≥ 16.
fn rgb(i: u8) -> (u8, u8, u8) {
    match i {
        16..=231 => {
            let l = [0, 95, 135, 175, 215, 255];
            let n = i - 16;
            (
                l[(n / 36) as usize],
                l[((n / 6) % 6) as usize],
                l[(n % 6) as usize],
            )
        }
        232..=255 => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
        _ => panic!("palette-dependent colour {i}"),
    }
}

#[test]
fn the_night_theme_keeps_blue_light_low_and_nothing_bright() {
    let t = Theme::builtin("night").unwrap();
    for &role in Role::ALL {
        let st = t.get(role);
        for c in [st.fg, st.bg].into_iter().flatten() {
            let Color::Indexed(i) = c else {
                panic!("night {role}: {c:?} (use 256-colour indices, not palette names)");
            };
            let (r, g, b) = rgb(i);
            assert!(b <= 135, "night {role}: colour {i} has blue {b}");
            assert!(r.max(g).max(b) <= 215, "night {role}: colour {i} is bright");
        }
    }
}

#[test]
fn no_color_keeps_the_selection_and_the_levels_visible_without_colour() {
    let inputs = Inputs {
        env: Env {
            no_color: true,
            locale: None,
        },
        ..Inputs::default()
    };
    let mut s = state();
    s.session.theme = resolve_theme(&inputs).unwrap().value;
    let buf = render(&mut s, 120, 40);
    for cell in buf.content() {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "colour in NO_COLOR"
        );
    }
    // The red alert is selected (first); its title is in reverse video, an unselected
    // alert's title is not.
    let (rx, ry) = find(&buf, "台风红色预警信号", "台");
    let title_x = (rx + 1..buf.area.width)
        .find(|x| buf[(*x, ry)].symbol() == "红" && buf[(*x + 2, ry)].symbol() == "色")
        .expect("title cell");
    assert!(buf[(title_x, ry)].modifier.contains(Modifier::REVERSED));
    let (ox, oy) = find(&buf, "暴雨橙色预警信号", "橙");
    let orange_title = (ox + 1..buf.area.width)
        .find(|x| buf[(*x, oy)].symbol() == "橙")
        .expect("title cell");
    assert!(
        !buf[(orange_title, oy)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    // The level labels differ by their modifiers, not only by their words.
    let (lx, ly) = find(&buf, "台风红色预警信号", "红");
    let (bx, by) = find(&buf, "发热门诊哨点异常报告", "蓝");
    let (red, blue) = (buf[(lx, ly)].modifier, buf[(bx, by)].modifier);
    assert_ne!(red, blue);
    assert!(red.contains(Modifier::BOLD), "{red:?}");
    let (yx, yy) = find(&buf, "地质灾害气象风险预警", "黄");
    let (ox, oy) = (ox, oy);
    let levels = [red, buf[(ox, oy)].modifier, buf[(yx, yy)].modifier, blue];
    for (i, a) in levels.iter().enumerate() {
        for b in &levels[i + 1..] {
            assert_ne!(a, b, "two levels look alike: {levels:?}");
        }
    }
}

fn watchroom(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_watchroom"));
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("NO_COLOR")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8");
    cmd
}

#[test]
fn check_config_passes_a_good_config_and_fails_a_bad_one_with_file_lines() {
    let home = tempfile::tempdir().unwrap();
    let good = repo("tests/fixtures/check-config/good/config.toml");
    let out = watchroom(home.path())
        .args(["check-config", "--config"])
        .arg(&good)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("keymap:       vim"), "{stdout}");
    assert!(stdout.contains("keymap.toml laid over it"), "{stdout}");
    assert!(stdout.contains("theme:        mine"), "{stdout}");
    assert!(stdout.contains("keymap wall:"), "{stdout}");

    let bad_dir = repo("tests/fixtures/check-config/bad");
    let out = watchroom(home.path())
        .args(["check-config", "--config"])
        .arg(bad_dir.join("config.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let at = |file: &str, line: usize| format!("{}:{line}: ", bad_dir.join(file).display());
    for (file, line, what) in [
        ("config.toml", 6, "dusk"),
        ("keymap.toml", 8, "bound to both"),
        ("themes/broken.toml", 5, "sky"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&at(file, line)) && l.contains(what)),
            "expected {}… {what}:\n{stderr}",
            at(file, line)
        );
    }
    assert!(stderr.contains("3 problems"), "{stderr}");
}

#[test]
fn check_config_reports_a_misspelt_role_in_a_user_theme_at_its_line() {
    let home = tempfile::tempdir().unwrap();
    let dir = repo("tests/fixtures/check-config/typo");
    let out = watchroom(home.path())
        .args(["check-config", "--config"])
        .arg(dir.join("config.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let at = format!("{}:8: ", dir.join("themes/watch.toml").display());
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(&at) && l.contains("unknown role \"alert.rde\"")),
        "expected {at}… unknown role \"alert.rde\":\n{stderr}"
    );
    // Found both as the chosen theme and among the user's themes, and said once.
    assert!(stderr.contains("1 problem found"), "{stderr}");
}

#[test]
fn check_config_without_any_file_is_all_good() {
    let home = tempfile::tempdir().unwrap();
    let out = watchroom(home.path()).arg("check-config").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("not found; defaults in use"), "{stdout}");
}

#[test]
fn info_prints_paths_and_where_the_looks_came_from() {
    let home = tempfile::tempdir().unwrap();
    let cfg = home.path().join("config/watchroom");
    std::fs::create_dir_all(cfg.join("themes")).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        "[console]\nkeymap = \"vim\"\ntheme = \"mine\"\n",
    )
    .unwrap();
    std::fs::write(
        cfg.join("themes/mine.toml"),
        "name = \"mine\"\nextends = \"light\"\n[roles]\n",
    )
    .unwrap();
    let out = watchroom(home.path())
        .env("LANG", "en_GB.UTF-8")
        .arg("info")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let line = |label: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label}:\n{stdout}"))
            .to_owned()
    };
    let root = home.path().display().to_string();
    for label in ["config file:", "data dir:", "cache dir:", "log dir:"] {
        assert!(line(label).contains(&root), "{}", line(label));
    }
    assert!(line("keymap:").contains("vim") && line("keymap:").contains("config.toml:2"));
    assert!(line("theme:").contains("mine") && line("theme:").contains("themes/mine.toml"));
    assert!(line("language:").contains("en") && line("language:").contains("LANG=en_GB"));
    // The flag wins over the config file; NO_COLOR gives way to a named theme.
    let out = watchroom(home.path())
        .env("NO_COLOR", "1")
        .args(["--theme", "high-contrast", "info"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("theme:        high-contrast") && stdout.contains("command line"),
        "{stdout}"
    );
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = watchroom(home.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(
            script.contains("check-config") && script.contains("theme"),
            "{shell}:\n{script}"
        );
    }
    let out = watchroom(home.path()).arg("man").output().unwrap();
    assert!(out.status.success());
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(
        man.contains(".TH watchroom") && man.contains("keymap"),
        "{man}"
    );
}

#[test]
fn the_readme_example_config_parses_and_its_theme_and_keymap_resolve() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let block = readme
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .find(|b| b.contains("theme ="))
        .expect("an example config with theme = in README.md");
    let config = watchroom::config::parse(block, "README.md").unwrap_or_else(|e| panic!("{e}"));
    let inputs = Inputs {
        console: config.console,
        ..Inputs::default()
    };
    let look = watchroom::look::Look::resolve(&inputs).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(look.theme.value.name, "night");
    assert_eq!(look.keymap.name, "vim");
}
