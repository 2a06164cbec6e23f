//! The terminal UI without a terminal: key handling on the app state, and every view drawn on
//! ratatui's TestBackend (text snapshots with insta) on the bundled example.

use brackets::tui::app::{App, KindFilter, TabId};
use brackets::tui::drafting::Mode;
use brackets::tui::keys::Action;
use brackets::tui::load::Start;
use brackets::tui::theme::Theme;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The bundled example, built once per test binary in a temporary cache folder.
fn cache() -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        brackets::example::materialise_in(dir.path()).unwrap();
        dir
    });
    dir.path().to_path_buf()
}

fn demo() -> App {
    let app = App::loaded(Start::ExampleIn(cache()), Theme::mono());
    assert!(app.error.is_none(), "{:?}", app.error);
    app
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn terminal(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| brackets::tui::draw(f, app)).unwrap();
    t
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let t = terminal(app, w, h);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn draft(app: &App) -> &str {
    &app.current_draft().unwrap().path
}

#[test]
fn opens_on_the_draft_changed_last_with_everything_parsed() {
    let app = demo();
    assert_eq!(app.tab, TabId::Drafts);
    assert_eq!(draft(&app), "resolution/people-centred-smart-cities.md");
    let d = app.current_draft().unwrap();
    assert_eq!(d.iterations.len(), 6);
    assert!(d.iterations.iter().all(|i| i.doc.is_some()));
    assert_eq!(d.iterations[1].label, "compilation-1");
    assert_eq!(d.iterations[1].counts.unwrap().open_brackets, 63);
    assert_eq!(app.drafts.iteration, 5, "the newest iteration is selected");
    assert_eq!((app.compare.old, app.compare.new), (4, 5));
}

#[test]
fn drafts_view() {
    let app = demo();
    insta::assert_snapshot!(terminal(&app, 100, 30).backend());
}

#[test]
fn enter_in_the_drafts_list_reads_the_selected_iteration() {
    let mut app = demo();
    keys(&mut app, "h");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, TabId::Read);
    assert_eq!(app.read.iteration, 5, "the newest iteration, as selected");
}

#[test]
fn tabs_switch_with_tab_numbers_and_esc_goes_back() {
    let mut app = demo();
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.tab, TabId::Read);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.tab, TabId::Drafts);
    keys(&mut app, "3");
    assert_eq!(app.tab, TabId::Compare);
    keys(&mut app, "/");
    assert_eq!(app.tab, TabId::Search);
    // The first Esc stops typing the query, the second goes back.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab, TabId::Search);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab, TabId::Compare);
    // Back through the views visited: Drafts, Read, Drafts, then quit.
    for tab in [TabId::Drafts, TabId::Read, TabId::Drafts] {
        key(&mut app, KeyCode::Esc);
        assert_eq!(app.tab, tab);
        assert!(!app.quit);
    }
    key(&mut app, KeyCode::Esc);
    assert!(app.quit, "Esc at the start quits");
    let mut app = demo();
    keys(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn help_lists_the_keys_of_the_current_view_and_closes() {
    let mut app = demo();
    keys(&mut app, "3?");
    assert!(app.help);
    let s = screen(&app, 100, 40);
    assert!(s.contains("Compare view"), "{s}");
    assert!(s.contains("inline / side by side"), "{s}");
    assert!(s.contains("Everywhere"), "{s}");
    // Keys other than close do nothing while help is open.
    keys(&mut app, "j");
    assert!(app.help);
    key(&mut app, KeyCode::Esc);
    assert!(!app.help);
    assert_eq!(app.tab, TabId::Compare);
    keys(&mut app, "2?");
    insta::assert_snapshot!(terminal(&app, 100, 30).backend());
}

#[test]
fn drafts_keys_move_between_drafts_and_iterations() {
    let mut app = demo();
    keys(&mut app, "k");
    assert_eq!(app.drafts.iteration, 4);
    keys(&mut app, "g");
    assert_eq!(app.drafts.iteration, 0);
    key(&mut app, KeyCode::End);
    assert_eq!(app.drafts.iteration, 5);
    keys(&mut app, "hk");
    assert_eq!(
        draft(&app),
        "guidelines/people-centred-smart-cities-guidelines.md"
    );
    assert_eq!(app.drafts.iteration, 2);
    keys(&mut app, "l");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, TabId::Read);
    assert_eq!(app.read.iteration, 2);
}

#[test]
fn read_view_compilation_and_agreed_text() {
    let mut app = demo();
    keys(&mut app, "kk");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.read.iteration, 3);
    insta::assert_snapshot!("read_compilation", terminal(&app, 100, 30).backend());
    keys(&mut app, "n");
    let doc = app.doc(3).unwrap().clone();
    let p = &doc.paragraphs[app.read.paragraph];
    assert!(
        !p.brackets.is_empty(),
        "n goes to a paragraph with brackets"
    );
    let first = app.read.paragraph;
    keys(&mut app, "n");
    assert!(app.read.paragraph > first);
    keys(&mut app, "N");
    assert_eq!(app.read.paragraph, first);
    keys(&mut app, "a");
    assert!(app.read.agreed_view);
    let s = screen(&app, 100, 30);
    assert!(s.contains("agreed-text view"));
    assert!(s.contains("[…]"), "open brackets are marked: {s}");
    assert!(!s.contains("{CHE"), "attributions are hidden: {s}");
    insta::assert_snapshot!("read_agreed", terminal(&app, 100, 30).backend());
}

#[test]
fn read_filters_to_one_actor_and_walks_iterations() {
    let mut app = demo();
    keys(&mut app, "2");
    keys(&mut app, "[[");
    assert_eq!(app.read.iteration, 3);
    keys(&mut app, "f");
    let actor = app.read.actor.clone().expect("an actor filter");
    let shown = app.read_paragraphs();
    assert!(!shown.is_empty());
    let doc = app.doc(3).unwrap().clone();
    assert!(
        shown
            .iter()
            .all(|&p| doc.paragraphs[p].actors().any(|a| a == actor))
    );
    assert!(shown.len() < doc.paragraphs.len());
    assert!(screen(&app, 100, 30).contains(&format!("actor: {actor}")));
    keys(&mut app, "x");
    assert!(app.read.actor.is_none());
    keys(&mut app, "]]]");
    assert_eq!(app.read.iteration, 5);
    assert!(app.message.is_some(), "says there is no newer iteration");
}

#[test]
fn compare_defaults_to_previous_and_current_and_walks_changes() {
    let mut app = demo();
    keys(&mut app, "3");
    assert_eq!((app.compare.old, app.compare.new), (4, 5));
    let c = app.selected_change().unwrap();
    assert!(c.is_change(), "starts on the first change");
    keys(&mut app, "[[");
    assert_eq!((app.compare.old, app.compare.new), (2, 3));
    insta::assert_snapshot!("compare_inline", terminal(&app, 100, 30).backend());
    let before = app.compare.selected;
    keys(&mut app, "n");
    assert!(app.compare.selected > before);
    assert!(app.selected_change().unwrap().is_change());
    keys(&mut app, "s");
    assert!(app.compare.side_by_side);
    let s = screen(&app, 100, 30);
    assert!(s.contains(" │ "), "{s}");
    insta::assert_snapshot!("compare_side_by_side", terminal(&app, 100, 30).backend());
    keys(&mut app, "<");
    assert_eq!((app.compare.old, app.compare.new), (1, 3));
    keys(&mut app, ">");
    assert_eq!((app.compare.old, app.compare.new), (2, 3));
}

#[test]
fn compare_counts_only_changed_paragraphs_as_changed() {
    let mut app = demo();
    keys(&mut app, "3[[[<");
    let label = |app: &App, i: usize| app.iteration(i).unwrap().label.clone();
    assert_eq!(
        (label(&app, app.compare.old), label(&app, app.compare.new)),
        ("zero-draft".to_string(), "rev1".to_string())
    );
    // PP1 and PP3 read the same in both; they are newly agreed (✓), not changed.
    let s = screen(&app, 100, 40);
    assert!(s.contains("= ✓ PP1"), "{s}");
    assert!(s.contains(" 25 of 27 changed "), "{s}");
}

#[test]
fn compare_filters_by_kind_and_actor_and_opens_read() {
    let mut app = demo();
    keys(&mut app, "3[[t");
    assert_eq!(app.compare.kind, KindFilter::Changes);
    let rows = app.compare_rows();
    let diff = app.compare.diff.clone().unwrap().1;
    assert!(rows.iter().all(|&r| diff.changes[r].is_change()));
    keys(&mut app, "t");
    assert_eq!(
        app.compare.kind,
        KindFilter::Only(brackets::diff::ChangeKind::Modified)
    );
    keys(&mut app, "f");
    let actor = app.compare.actor.clone().unwrap();
    for &r in &app.compare_rows() {
        assert!(brackets::tui::app::change_actors(&diff.changes[r]).contains(&actor));
    }
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.compare.kind, KindFilter::All);
    assert!(app.compare.actor.is_none());
    keys(&mut app, "n");
    let c = app.selected_change().unwrap().clone();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, TabId::Read);
    assert_eq!(app.read.iteration, 3);
    let doc = app.doc(3).unwrap().clone();
    assert_eq!(doc.paragraphs[app.read.paragraph].id, c.new[0]);
}

/// Starts the search worker on the app's repository and applies its messages until `done`.
fn pump_search(app: &mut App, done: impl Fn(&App) -> bool) {
    let (tx, rx) = std::sync::mpsc::channel();
    let root = app.workspace.as_ref().unwrap().root.clone();
    if app.search_requests.is_none() {
        let sender = brackets::tui::search::spawn(root, move |m| tx.send(m).is_ok()).unwrap();
        app.search_requests = Some(sender);
        PUMP.with(|p| *p.borrow_mut() = Some(rx));
    }
    PUMP.with(|p| {
        let p = p.borrow();
        let rx = p.as_ref().unwrap();
        while !done(app) {
            let m = rx
                .recv_timeout(std::time::Duration::from_secs(120))
                .expect("the search worker answers");
            app.apply(m);
        }
    });
}

thread_local! {
    static PUMP: std::cell::RefCell<Option<std::sync::mpsc::Receiver<brackets::tui::load::Loaded>>> =
        const { std::cell::RefCell::new(None) };
}

#[test]
fn search_updates_as_you_type_and_enter_reads_the_hit() {
    let mut app = demo();
    keys(&mut app, "/");
    assert_eq!(app.tab, TabId::Search);
    assert!(app.search.editing, "the query line has the keys");
    pump_search(&mut app, |a| {
        a.search.ready || a.search.unavailable.is_some()
    });
    assert!(
        app.search.unavailable.is_none(),
        "{:?}",
        app.search.unavailable
    );
    // The view as drawn, on a query with one hit so that the order cannot vary. (In this
    // test rather than its own: two search workers on the shared demo repository at once
    // would race for the index.)
    let one = "draft:resolution \"inclusive consultative process\"";
    keys(&mut app, one);
    pump_search(&mut app, |a| {
        a.search
            .answer
            .as_ref()
            .is_some_and(|x| x.request.query == one)
    });
    assert_eq!(app.search.answer.as_ref().unwrap().results.hits.len(), 1);
    insta::assert_snapshot!("search_one_hit", terminal(&app, 100, 30).backend());
    for _ in 0..one.chars().count() {
        key(&mut app, KeyCode::Backspace);
    }
    // q is typed, not quit, while typing.
    keys(&mut app, "actor:USA stance:oppose");
    assert!(!app.quit);
    pump_search(&mut app, |a| {
        a.search
            .answer
            .as_ref()
            .is_some_and(|x| x.request.query == "actor:USA stance:oppose")
    });
    // The adopted text has no brackets left: nothing in the newest iterations.
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char('a'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.search.all);
    pump_search(&mut app, |a| {
        a.search
            .answer
            .as_ref()
            .is_some_and(|x| x.request.all && !x.results.hits.is_empty())
    });
    let s = screen(&app, 100, 30);
    assert!(
        s.contains("Search (all iterations): actor:USA stance:oppose"),
        "{s}"
    );
    assert!(s.contains("hits"), "{s}");
    // No snapshot: hits with equal scores may come in either order.
    assert!(s.contains("found in"), "the preview: {s}");
    // A mistyped field: its problem is shown first, and the hits said to be for the query
    // before it.
    if !app.search.editing {
        keys(&mut app, "/");
    }
    keys(&mut app, "/");
    let typo = "actor:USA stance:oppose/";
    assert_eq!(app.search.query, typo);
    pump_search(&mut app, |a| {
        a.search
            .answer
            .as_ref()
            .is_some_and(|x| x.request.query == typo)
    });
    let s = screen(&app, 100, 30);
    let info = s.lines().nth(2).unwrap_or_default();
    assert!(info.starts_with("unknown stance"), "{s}");
    assert!(s.contains("hits of the query up to the problem"), "{s}");
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Esc);
    pump_search(&mut app, |a| {
        a.search
            .answer
            .as_ref()
            .is_some_and(|x| x.request.query == "actor:USA stance:oppose")
    });
    let hit = app.search.answer.as_ref().unwrap().results.hits[0].clone();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, TabId::Read);
    let it = app.iteration(app.read.iteration).unwrap();
    assert_eq!(it.label, hit.revision);
    let doc = it.doc.clone().unwrap();
    assert_eq!(doc.paragraphs[app.read.paragraph].id, hit.paragraph);
    assert_eq!(app.current_draft().unwrap().path, hit.draft);
}

#[test]
fn comments_add_reply_resolve() {
    // A copy of the example of its own, opened as a plain repository: this test writes a
    // comments file (the bundled example itself is read-only).
    let dir = tempfile::tempdir().unwrap();
    let demo = brackets::example::materialise_in(dir.path()).unwrap();
    let mut app = App::loaded(Start::Path(demo.path), Theme::mono());
    keys(&mut app, "2[[n");
    let (para, _) = app.current_paragraph().unwrap();
    keys(&mut app, "6");
    assert_eq!(app.tab, TabId::Comments);
    assert!(app.comments.store.is_some(), "{:?}", app.comments.error);
    assert!(screen(&app, 100, 30).contains("No comments on this draft yet"));
    insta::assert_snapshot!("comments_empty", terminal(&app, 100, 30).backend());
    keys(&mut app, "a");
    assert!(app.comments.input.is_some());
    keys(&mut app, "Check this wording, q and j are typed");
    assert!(!app.quit);
    key(&mut app, KeyCode::Enter);
    assert!(app.comments.input.is_none());
    let rows = app.comment_rows();
    assert_eq!(rows.len(), 1);
    let store = &app.comments.store.as_ref().unwrap().1;
    let c = &store.comments()[rows[0]];
    assert_eq!(c.paragraph, para);
    assert_eq!(c.text, "Check this wording, q and j are typed");
    let id = c.id.clone();
    keys(&mut app, "r");
    keys(&mut app, "Agreed");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "x");
    // Saved on disk: a new store reads it back.
    let root = app.workspace.as_ref().unwrap().root.clone();
    let path = app.current_draft().unwrap().path.clone();
    let back = brackets::comments::Store::open(&root, &path).unwrap();
    let c = back.comments().iter().find(|c| c.id == id).unwrap();
    assert_eq!(c.replies.len(), 1);
    assert_eq!(c.status, brackets::comments::Status::Resolved);
    let s = screen(&app, 100, 30);
    assert!(s.contains("resolved"), "{s}");
    assert!(s.contains("Agreed"), "{s}");
    // On another paragraph the list is empty; o shows them all.
    keys(&mut app, "2j6");
    assert!(app.comment_rows().is_empty());
    keys(&mut app, "o");
    assert_eq!(app.comment_rows().len(), 1);
    // Esc cancels writing.
    keys(&mut app, "a");
    key(&mut app, KeyCode::Esc);
    assert!(app.comments.input.is_none());
}

#[test]
fn comments_on_the_bundled_example_are_refused_as_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let demo = brackets::example::materialise_in(dir.path()).unwrap();
    // A comment already there (written on a copy opened as a plain repository).
    let mut copy = App::loaded(Start::Path(demo.path.clone()), Theme::mono());
    assert!(!copy.workspace.as_ref().unwrap().example);
    keys(&mut copy, "6a");
    keys(&mut copy, "Already here");
    key(&mut copy, KeyCode::Enter);
    assert_eq!(copy.comment_rows().len(), 1, "{:?}", copy.message);
    let root = copy.workspace.as_ref().unwrap().root.clone();
    let path = copy.current_draft().unwrap().path.clone();
    let file = root.join(format!("{path}.comments.json"));
    let before = std::fs::read(&file).unwrap();
    let refused = |app: &App| {
        assert!(
            app.message
                .as_deref()
                .is_some_and(|m| m.contains("the bundled example is read-only")),
            "{:?}",
            app.message
        );
        assert!(app.comments.input.is_none() && app.mode.is_none());
        assert_eq!(std::fs::read(&file).unwrap(), before);
    };
    let mut app = App::loaded(Start::ExampleIn(dir.path().to_path_buf()), Theme::mono());
    assert!(app.workspace.as_ref().unwrap().example);
    // In Comments: add, reply, resolve.
    for k in ["a", "r", "x"] {
        app.message = None;
        keys(&mut app, "6");
        keys(&mut app, k);
        refused(&app);
    }
    assert_eq!(app.comment_rows().len(), 1);
    // In Read, on the commented paragraph: comment, reply, resolve.
    keys(&mut app, "6");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, TabId::Read);
    for k in [";", "r", "X"] {
        app.message = None;
        keys(&mut app, k);
        refused(&app);
    }
    let store = brackets::comments::Store::open(&root, &path).unwrap();
    assert_eq!(store.comments().len(), 1);
    assert_eq!(store.comments()[0].status, brackets::comments::Status::Open);
}

#[test]
fn every_view_draws_at_every_small_size_without_panic() {
    let mut app = demo();
    for tab in ["1", "2", "3", "4", "5", "6", "6a", "5m", "3s", "2a?"] {
        keys(&mut app, tab);
        for w in (1..=50).step_by(7).chain([20, 39, 40, 41, 200]) {
            for h in (1..=14).chain([60]) {
                let _ = screen(&app, w, h);
            }
        }
        key(&mut app, KeyCode::Esc);
    }
    let s = screen(&app, 20, 5);
    assert!(s.contains("too small"), "{s}");
}

#[test]
fn the_first_frame_needs_no_loading() {
    let app = App::new(Theme::mono());
    let s = screen(&app, 60, 12);
    assert!(s.contains("opening"), "{s}");
    assert!(s.contains("1 Drafts"), "{s}");
}

#[test]
fn control_characters_in_a_draft_are_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evil.txt");
    std::fs::write(
        &file,
        "Title \u{1b}]0;owned\u{7}\n\nThe Assembly,\n\n1. Decides [to act \u{1b}[31mnow] {USA+ FRA-};\n",
    )
    .unwrap();
    let mut app = App::loaded(Start::Path(file), Theme::colored());
    assert!(app.error.is_none(), "{:?}", app.error);
    assert_eq!(app.tab, TabId::Read, "a draft file opens in Read");
    let s = screen(&app, 80, 20);
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'), "{s}");
    assert!(s.contains("^["), "{s}");
    keys(&mut app, "1");
    let s = screen(&app, 80, 20);
    assert!(s.contains("file"), "{s}");
}

#[test]
fn stances_are_coloured_and_no_color_means_no_colour() {
    use ratatui::style::Color;
    let mut app = App::loaded(Start::ExampleIn(cache()), Theme::colored());
    keys(&mut app, "2[[n");
    let t = terminal(&app, 120, 40);
    let buf = t.backend().buffer();
    let mut colours = std::collections::HashSet::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            colours.insert(buf[(x, y)].fg);
        }
    }
    assert!(colours.contains(&Color::Green), "support is green");
    assert!(colours.contains(&Color::Red), "opposition is red");
    assert!(colours.contains(&Color::Yellow), "brackets are yellow");
    // Nothing paints a background: the terminal's own shows through, dark or light.
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            assert_eq!(buf[(x, y)].bg, Color::Reset);
        }
    }
    let mut app = demo();
    for k in ["1", "2", "3"] {
        keys(&mut app, k);
        let t = terminal(&app, 100, 30);
        let buf = t.backend().buffer();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                assert_eq!(buf[(x, y)].fg, Color::Reset, "no colour in mono at {x},{y}");
            }
        }
    }
}

#[test]
fn mouse_clicks_select_and_the_wheel_scrolls() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = demo();
    let _ = screen(&app, 100, 30);
    let click = |app: &mut App, x, y| {
        app.handle_event(&Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        }))
    };
    // The iterations table: border, header, then rows from the oldest.
    let (x, y) = (60, 4);
    click(&mut app, x, y);
    assert_eq!(app.drafts.iteration, 1);
    // The tab bar.
    click(&mut app, 12, 0);
    assert_eq!(app.tab, TabId::Read);
    let _ = screen(&app, 100, 30);
    let before = app.read.paragraph;
    app.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    }));
    assert!(app.read.paragraph > before);
    let _ = Action::Down;
}

/// Every word of paragraph `id` (as read, punctuation aside).
fn words_of_paragraph(app: &App, id: &str) -> Vec<String> {
    let doc = app.doc(app.read.iteration).unwrap();
    let p = doc.paragraph(id).unwrap();
    p.plain_text(&doc.source)
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn read_scrolls_through_a_paragraph_taller_than_the_view() {
    let on_pp6 = || {
        let mut app = demo();
        keys(&mut app, "2");
        for _ in 0..40 {
            if para(&app) == "PP6" {
                break;
            }
            keys(&mut app, "j");
        }
        assert_eq!(para(&app), "PP6");
        app
    };
    let wheel = |app: &mut App| {
        app.handle_event(&Event::Mouse(crossterm::event::MouseEvent {
            kind: crossterm::event::MouseEventKind::ScrollDown,
            column: 10,
            row: 5,
            modifiers: KeyModifiers::NONE,
        }))
    };
    for how in ["pgdn", "wheel"] {
        let mut app = on_pp6();
        let first = screen(&app, 40, 10);
        let words = words_of_paragraph(&app, "PP6");
        let last = words.last().unwrap().clone();
        assert!(!first.contains(&last), "PP6 is taller than 40x10: {first}");
        let mut seen = first.clone();
        for _ in 0..60 {
            match how {
                "pgdn" => key(&mut app, KeyCode::PageDown),
                _ => wheel(&mut app),
            }
            if para(&app) != "PP6" {
                break;
            }
            seen.push_str(&screen(&app, 40, 10));
        }
        // Every word was on screen at some point, then the next paragraph came.
        for w in &words {
            assert!(seen.contains(w.as_str()), "{how}: {w} never shown");
        }
        assert_eq!(para(&app), "PP7", "{how}");
    }
    // PgUp goes back through it to its top, then to the paragraph before.
    let mut app = on_pp6();
    let body = |s: &str| s.lines().take(9).collect::<Vec<_>>().join("\n");
    let first = body(&screen(&app, 40, 10));
    key(&mut app, KeyCode::PageDown);
    let second = body(&screen(&app, 40, 10));
    assert_ne!(second, first);
    assert_eq!(para(&app), "PP6");
    key(&mut app, KeyCode::PageUp);
    assert_eq!(body(&screen(&app, 40, 10)), first);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(para(&app), "PP5");
}

#[test]
fn actors_table_timeline_and_jump_to_read() {
    let mut app = demo();
    keys(&mut app, "5");
    let l = app.ledger().expect("the ledger is built").clone();
    assert!(l.summary.len() > 15, "the example has many delegations");
    let usa = l.summary.iter().position(|a| a.actor == "USA").unwrap();
    for _ in 0..usa {
        keys(&mut app, "j");
    }
    assert_eq!(app.actors.timeline.as_ref().unwrap().0.1, "USA");
    insta::assert_snapshot!("actors_timeline", terminal(&app, 100, 30).backend());
    // f reads the draft filtered to the actor.
    keys(&mut app, "f");
    assert_eq!(app.tab, TabId::Read);
    assert_eq!(app.read.actor.as_deref(), Some("USA"));
    assert!(
        !app.read_paragraphs().is_empty(),
        "an iteration where USA speaks"
    );
    keys(&mut app, "5");
    keys(&mut app, "lj");
    let entry = app.actors.timeline.as_ref().unwrap().1.entries[1].clone();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, TabId::Read);
    assert_eq!(app.read.iteration, entry.last);
    let doc = app.doc(entry.last).unwrap().clone();
    assert_eq!(doc.paragraphs[app.read.paragraph].id, entry.paragraph);
}

#[test]
fn the_position_matrix_is_a_navigable_heat_map() {
    let mut app = demo();
    keys(&mut app, "2[[5m");
    assert!(app.actors.matrix);
    let m = app.actors.matrix_data.clone().unwrap().1;
    assert_eq!(app.actors.matrix_data.as_ref().unwrap().0, (app.draft, 3));
    assert!(!m.rows.is_empty());
    keys(&mut app, "lllj");
    assert_eq!(app.actors.cell, (1, 3));
    let s = screen(&app, 100, 30);
    assert!(s.contains("against"), "{s}");
    assert!(s.contains(&format!("on {}", m.paragraphs[3])), "{s}");
    insta::assert_snapshot!("actors_matrix", terminal(&app, 100, 30).backend());
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, TabId::Read);
    let doc = app.doc(3).unwrap().clone();
    assert_eq!(doc.paragraphs[app.read.paragraph].id, m.paragraphs[3]);
}

#[test]
fn uncommitted_changes_are_the_newest_iteration() {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path()).unwrap();
    let file = dir.path().join("draft.md");
    std::fs::write(&file, "The Assembly,\n\n1. Decides to act;\n").unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(std::path::Path::new("draft.md")).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::new(
        "Secretariat",
        "s@example.org",
        &git2::Time::new(1_700_000_000, 0),
    )
    .unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "Zero draft", &tree, &[])
        .unwrap();
    std::fs::write(
        &file,
        "The Assembly,\n\n1. Decides [to act now] {USA+ FRA-};\n",
    )
    .unwrap();
    let mut app = App::loaded(Start::Path(dir.path().to_path_buf()), Theme::mono());
    assert!(app.error.is_none(), "{:?}", app.error);
    let d = app.current_draft().unwrap();
    assert_eq!(d.path, "draft.md");
    let labels: Vec<&str> = d.iterations.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels[1], "worktree");
    assert_eq!(d.iterations[1].counts.unwrap().open_brackets, 1);
    keys(&mut app, "3");
    assert_eq!((app.compare.old, app.compare.new), (0, 1));
    assert!(app.selected_change().unwrap().is_change());
}

/// Not a test: timings for benches/README.md, printed, never asserted.
/// `cargo test --release --test tui -- --ignored --nocapture frame_times`
/// (`BRACKETS_TUI_BENCH_REPO=target/corpus/large` for the large corpus).
#[test]
#[ignore]
fn frame_times() {
    use std::time::Instant;
    let start = match std::env::var_os("BRACKETS_TUI_BENCH_REPO") {
        Some(p) => Start::Path(PathBuf::from(p)),
        None => Start::ExampleIn(cache()),
    };
    let t0 = Instant::now();
    let app = App::new(Theme::colored());
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    term.draw(|f| brackets::tui::draw(f, &app)).unwrap();
    println!("first frame (before any loading): {:?}", t0.elapsed());
    // Synchronous loading of only what the first screen needs: the first draft.
    let t0 = Instant::now();
    let mut app = App::new(Theme::colored());
    let (tx, rx) = std::sync::mpsc::channel::<usize>();
    let mut messages = Vec::new();
    let mut parsed = 0;
    drop(tx);
    brackets::tui::load::load(start, Some(rx), &mut |m| {
        if matches!(m, brackets::tui::load::Loaded::Parsed { .. }) {
            parsed += 1;
        }
        messages.push(m);
        true
    });
    let n = messages.len();
    for m in messages {
        app.apply(m);
    }
    println!(
        "loading ({n} messages, {parsed} iterations parsed): {:?}",
        t0.elapsed()
    );
    for (tab, key_seq) in [
        ("1", "j"),
        ("2", "n"),
        ("3", "n"),
        ("3", "["),
        ("5", "j"),
        ("5", "m"),
    ] {
        keys(&mut app, tab);
        term.draw(|f| brackets::tui::draw(f, &app)).unwrap();
        let rounds = 50;
        let t0 = Instant::now();
        for _ in 0..rounds {
            keys(&mut app, key_seq);
            term.draw(|f| brackets::tui::draw(f, &app)).unwrap();
        }
        println!(
            "view {tab}, key {key_seq} + frame at 200x60: {:?}",
            t0.elapsed() / rounds
        );
        if key_seq == "m" {
            keys(&mut app, "m");
        }
    }
}

#[test]
fn diffs_run_on_the_worker_and_stale_ones_are_dropped() {
    let mut app = demo();
    let (tx, rx) = std::sync::mpsc::channel();
    app.diff_requests =
        Some(brackets::tui::app::spawn_diff_worker(move |m| tx.send(m).is_ok()).unwrap());
    keys(&mut app, "3[");
    assert!(app.compare.diff.is_none(), "the frame does not wait");
    assert!(screen(&app, 100, 30).contains("Comparing…"));
    keys(&mut app, "[");
    let want = (app.draft, 2, 3);
    assert_eq!(app.compare.pending, Some(want));
    while app.compare.diff.is_none() {
        let m = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("the diff worker answers");
        app.apply(m);
    }
    assert_eq!(app.compare.diff.as_ref().unwrap().0, want);
    assert!(app.selected_change().unwrap().is_change());
}

// ----- drafting (issue 8) -----

/// A repository with one committed draft and a local identity; the app opened on the draft.
fn drafting_repo(text: &str) -> (Sandbox, App) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = Sandbox {
        path: tmp.path().join("negotiation"),
        _tmp: tmp,
    };
    let repo = git2::Repository::init(dir.path()).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Secretariat").unwrap();
    config.set_str("user.email", "s@example.org").unwrap();
    std::fs::write(dir.path().join("draft.md"), text).unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(std::path::Path::new("draft.md")).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::new(
        "Secretariat",
        "s@example.org",
        &git2::Time::new(1_700_000_000, 0),
    )
    .unwrap();
    let oid = repo
        .commit(Some("HEAD"), &sig, &sig, "Zero draft", &tree, &[])
        .unwrap();
    repo.tag_lightweight("rev1", &repo.find_object(oid, None).unwrap(), false)
        .unwrap();
    let app = App::loaded(Start::Path(dir.path().join("draft.md")), Theme::mono());
    assert!(app.error.is_none(), "{:?}", app.error);
    assert_eq!(app.tab, TabId::Read);
    (dir, app)
}

/// The labels of the iterations of the draft being read, oldest first.
fn iteration_labels(app: &App) -> Vec<String> {
    app.current_draft()
        .unwrap()
        .iterations
        .iter()
        .map(|i| i.label.clone())
        .collect()
}

/// A repository folder with a fixed name (it shows in the status bar), removed when dropped.
struct Sandbox {
    path: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Sandbox {
    fn path(&self) -> &std::path::Path {
        &self.path
    }
}

const DRAFT: &str = "Draft resolution\n\nThe Assembly,\n\nNoting the report,\n\n1. Decides [to act now] {USA+ FRA-};\n\n2. Requests the secretariat to report;\n";

fn ctrl(app: &mut App, c: char) {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn para(app: &App) -> String {
    app.current_paragraph().unwrap().0
}

fn text(app: &App) -> String {
    app.drafting.as_ref().unwrap().text.clone()
}

fn code(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.handle_event(&Event::Key(KeyEvent::new(code, mods)));
}

#[test]
fn drafting_edits_a_paragraph_in_place_with_undo_and_redo() {
    let (dir, mut app) = drafting_repo(DRAFT);
    keys(&mut app, "j");
    assert_eq!(para(&app), "OP1");
    keys(&mut app, "e");
    assert!(matches!(app.mode, Some(Mode::Editor { .. })));
    insta::assert_snapshot!("drafting_editor", terminal(&app, 80, 20).backend());
    // F1 lists the editor's keys (`?` is typed); Esc closes the list, not the editor.
    key(&mut app, KeyCode::F(1));
    assert!(app.help);
    let s = screen(&app, 100, 40);
    assert!(
        s.contains("Editing a paragraph") && s.contains("word left"),
        "{s}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(!app.help);
    assert!(matches!(app.mode, Some(Mode::Editor { .. })));
    // To the end of the text, before the semicolon, and type there.
    code(&mut app, KeyCode::End, KeyModifiers::CONTROL);
    key(&mut app, KeyCode::Left);
    keys(&mut app, " firmlx");
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "y");
    // A word back and forth, then Delete at the start of the row.
    code(&mut app, KeyCode::Left, KeyModifiers::CONTROL);
    keys(&mut app, "very ");
    code(&mut app, KeyCode::Right, KeyModifiers::CONTROL);
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Delete);
    keys(&mut app, "1");
    key(&mut app, KeyCode::Esc);
    assert!(app.mode.is_none(), "{:?}", app.message);
    assert!(
        text(&app).contains("1. Decides [to act now] {USA+ FRA-} very firmly;\n"),
        "{}",
        text(&app)
    );
    assert_eq!(para(&app), "OP1", "the view stays on the paragraph");
    assert!(app.unsaved());
    // The new text is parsed: the Read view shows it, and Compare compares it.
    assert!(screen(&app, 100, 30).contains("firmly"));
    keys(&mut app, "3");
    assert_eq!(app.iteration(app.compare.new).unwrap().label, "worktree");
    assert!(app.selected_change().unwrap().is_change());
    keys(&mut app, "2");
    keys(&mut app, "u");
    assert_eq!(text(&app), DRAFT);
    assert!(!app.unsaved());
    ctrl(&mut app, 'r');
    assert!(text(&app).contains("very firmly;"));
    // A blank line would split the paragraph: refused, the editor stays open.
    keys(&mut app, "e");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "x");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, Some(Mode::Editor { .. })));
    // Ctrl-c on a changed text asks for a second Ctrl-c before discarding it.
    ctrl(&mut app, 'c');
    assert!(matches!(app.mode, Some(Mode::Editor { .. })));
    ctrl(&mut app, 'c');
    assert!(app.mode.is_none());
    // Saved atomically to the working tree.
    keys(&mut app, "w");
    assert!(!app.unsaved());
    let on_disk = std::fs::read_to_string(dir.path().join("draft.md")).unwrap();
    assert_eq!(on_disk, text(&app));
    assert!(on_disk.contains("very firmly;"));
}

#[test]
fn drafting_brackets_words_with_completion_then_accepts_and_acts() {
    let (_dir, mut app) = drafting_repo(DRAFT);
    keys(&mut app, "G");
    assert_eq!(para(&app), "OP2");
    // Select "the secretariat": one word right, then extend by one.
    keys(&mut app, "vlL");
    insta::assert_snapshot!("drafting_selection", terminal(&app, 80, 20).backend());
    // The selected words are marked in the text itself too.
    let t = terminal(&app, 80, 20);
    let buf = t.backend().buffer();
    let row = (0..buf.area.height)
        .find(|&y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .starts_with("OP2  Requests the secretariat")
        })
        .expect("OP2 is on screen");
    let reversed = |x: u16| {
        buf[(x, row)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    };
    assert!(!reversed(5), "Requests is not selected");
    assert!(reversed(14) && reversed(20), "the secretariat is");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Some(Mode::Prompt(_))));
    keys(&mut app, "E");
    insta::assert_snapshot!(
        "drafting_prompt_completion",
        terminal(&app, 80, 20).backend()
    );
    keys(&mut app, "g");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "+ XYZ");
    key(&mut app, KeyCode::Enter);
    // An unknown code: the prompt stays open with the reason.
    assert!(matches!(app.mode, Some(Mode::Prompt(_))));
    assert!(
        app.message.as_deref().unwrap().contains("unknown actor"),
        "{:?}",
        app.message
    );
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "RUS reserve");
    key(&mut app, KeyCode::Enter);
    assert!(app.mode.is_none(), "{:?}", app.message);
    assert!(
        text(&app).contains("2. Requests [the secretariat] {EGY+, RUS reserve} to report;"),
        "{}",
        text(&app)
    );
    assert_eq!(para(&app), "OP2");
    // A position on the one bracket of OP1, then accept it at the Chair's request.
    keys(&mut app, "k+");
    keys(&mut app, "CHN-");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app).contains("{USA+ FRA- CHN-}"), "{}", text(&app));
    keys(&mut app, "+{RUS reserve}");
    key(&mut app, KeyCode::Enter);
    assert!(
        text(&app).contains("{USA+ FRA- CHN-}{RUS reserve}"),
        "{}",
        text(&app)
    );
    keys(&mut app, "A");
    keys(&mut app, "Chair");
    key(&mut app, KeyCode::Enter);
    assert!(
        text(&app).contains("1. Decides to act now;"),
        "{}",
        text(&app)
    );
    assert_eq!(app.drafting.as_ref().unwrap().proposed_by, ["Chair"]);
    // Two brackets in OP2 now? No: one; drop it at EGY's request.
    keys(&mut app, "jD");
    keys(&mut app, "EGY");
    key(&mut app, KeyCode::Enter);
    assert!(
        text(&app).contains("2. Requests to report;"),
        "{}",
        text(&app)
    );
    // A note, a bis paragraph proposed by someone, an alternative, a stamp.
    keys(&mut app, "m");
    keys(&mut app, "FRA suggest to merge with OP1");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app).contains("to report; {FRA suggest to merge with OP1}"));
    keys(&mut app, "I");
    keys(&mut app, "Urges action {EGY+}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(para(&app), "OP2bis", "the view follows the new paragraph");
    assert!(
        text(&app).contains("[2bis. Urges action] {EGY+}"),
        "{}",
        text(&app)
    );
    keys(&mut app, "kO");
    keys(&mut app, "Decides to act later;");
    key(&mut app, KeyCode::Enter);
    assert!(
        text(&app).contains("Alt1. Decides to act later;"),
        "{}",
        text(&app)
    );
    keys(&mut app, "gjS");
    assert_eq!(para(&app), "OP1");
    assert!(
        app.doc(app.read.iteration).unwrap().paragraphs[app.read.paragraph]
            .agreed
            .is_some(),
        "{:?}",
        app.message
    );
    // Undo walks back through every action.
    let before = app.drafting.as_ref().unwrap().undo.len();
    assert_eq!(before, 9);
    for _ in 0..before {
        keys(&mut app, "u");
    }
    assert_eq!(text(&app), DRAFT);
    keys(&mut app, "u");
    assert_eq!(app.message.as_deref(), Some("nothing to undo"));
}

/// An edit shows in the Actors view at once, not only after a commit: the ledger is built
/// again with the working tree, and the selected actor stays selected.
#[test]
fn drafting_an_edit_shows_in_the_actors_view() {
    let (_dir, mut app) = drafting_repo(DRAFT);
    let actors = |app: &App| -> Vec<String> {
        app.ledger()
            .unwrap()
            .summary
            .iter()
            .map(|s| s.actor.clone())
            .collect()
    };
    assert!(!actors(&app).contains(&"CHN".to_string()));
    keys(&mut app, "5");
    let fra = actors(&app).iter().position(|a| a == "FRA").unwrap();
    for _ in 0..fra {
        keys(&mut app, "j");
    }
    keys(&mut app, "2j+");
    keys(&mut app, "CHN-");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app).contains("{USA+ FRA- CHN-}"), "{}", text(&app));
    assert!(
        actors(&app).contains(&"CHN".to_string()),
        "{:?}",
        actors(&app)
    );
    keys(&mut app, "5");
    let s = screen(&app, 100, 30);
    assert!(s.contains("3 actors over 2 iterations"), "{s}");
    assert!(s.contains("CHN"), "{s}");
    let selected = &app.ledger().unwrap().summary[app.actors.selected];
    assert_eq!(selected.actor, "FRA");
    let timeline = &app.actors.timeline.as_ref().unwrap().0;
    assert_eq!(timeline.1, "FRA");
}

/// The ledger worker builds the ledger of an edit off the UI thread; an answer older than the
/// newest request (or than a commit's ledger) is dropped.
#[test]
fn drafting_the_ledger_worker_answers_the_newest_request_only() {
    use brackets::tui::load::Loaded;
    let (_dir, mut app) = drafting_repo(DRAFT);
    let (tx, rx) = std::sync::mpsc::channel();
    app.ledger_requests =
        Some(brackets::tui::app::spawn_ledger_worker(move |m| tx.send(m).is_ok()).unwrap());
    // Starting the session asks too, so answers are told apart by their generation.
    let answer_to = |wanted: u64| loop {
        let m = rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap();
        if matches!(m, Loaded::RebuiltLedger { generation, .. } if generation == wanted) {
            return m;
        }
    };
    let has = |app: &App, actor: &str| {
        app.ledger()
            .unwrap()
            .summary
            .iter()
            .any(|s| s.actor == actor)
    };
    keys(&mut app, "j+");
    keys(&mut app, "CHN-");
    key(&mut app, KeyCode::Enter);
    let first = answer_to(app.ledger_generation);
    assert!(!has(&app, "CHN"), "not built on the UI thread");
    keys(&mut app, "+");
    keys(&mut app, "BRA+");
    key(&mut app, KeyCode::Enter);
    let second = answer_to(app.ledger_generation);
    // The first answer arrives late: dropped.
    app.apply(first);
    assert!(!has(&app, "CHN"));
    app.apply(second);
    assert!(has(&app, "CHN") && has(&app, "BRA"));
}

/// Editing a working tree already read on opening changes nothing the ledger knows: it is not
/// built again until the first edit.
#[test]
fn drafting_a_working_tree_already_read_keeps_its_ledger_until_the_first_edit() {
    let (dir, _) = drafting_repo(DRAFT);
    std::fs::write(
        dir.path().join("draft.md"),
        DRAFT.replace("the secretariat", "[the secretariat] {EGY+}"),
    )
    .unwrap();
    let mut app = App::loaded(Start::Path(dir.path().join("draft.md")), Theme::mono());
    let labels = iteration_labels(&app);
    assert_eq!(labels, ["rev1", "worktree"]);
    keys(&mut app, "5");
    assert!(app.ledger().is_some());
    let generation = app.ledger_generation;
    keys(&mut app, "2j+");
    assert!(app.drafting.is_some(), "{:?}", app.message);
    assert_eq!(app.ledger_generation, generation, "no edit yet");
    keys(&mut app, "CHN-");
    key(&mut app, KeyCode::Enter);
    assert!(app.ledger_generation > generation);
    assert!(
        app.ledger()
            .unwrap()
            .summary
            .iter()
            .any(|s| s.actor == "CHN")
    );
}

/// The Actors view reads the same ledger as `brackets actor`: the commits' `Proposed-by:` and
/// `On-behalf-of:` trailers say who asked for a bracket to be accepted or dropped.
#[test]
fn the_actors_view_reads_the_same_ledger_as_the_command_line() {
    let app = demo();
    let w = app.workspace.as_ref().unwrap();
    let repo = brackets::repo::Repo::open(&w.root).unwrap();
    let mut compared = 0;
    for (k, d) in w.drafts.iter().enumerate() {
        let Some(tui) = app.ledgers.get(k).and_then(|l| l.as_ref()) else {
            continue;
        };
        let cli = brackets::ledger::Ledger::build(&repo, &d.path).unwrap();
        let shown = serde_json::to_value(tui.ledger.proposals()).unwrap();
        let told = serde_json::to_value(cli.proposals()).unwrap();
        assert_eq!(shown, told, "{}", d.path);
        for s in &tui.summary {
            let shown = serde_json::to_value(tui.ledger.timeline(&s.actor)).unwrap();
            let told = serde_json::to_value(cli.timeline(&s.actor)).unwrap();
            assert_eq!(shown, told, "{} {}", d.path, s.actor);
            compared += 1;
        }
    }
    assert!(compared > 10, "{compared}");
}

#[test]
fn drafting_a_change_on_disk_is_detected_and_never_overwritten_silently() {
    let (dir, mut app) = drafting_repo(DRAFT);
    let file = dir.path().join("draft.md");
    keys(&mut app, "Gm");
    keys(&mut app, "FRA suggest deletion");
    key(&mut app, KeyCode::Enter);
    assert!(app.unsaved());
    let theirs = DRAFT.replace("Noting the report", "Noting with appreciation the report");
    std::fs::write(&file, &theirs).unwrap();
    keys(&mut app, "w");
    assert!(matches!(app.mode, Some(Mode::Conflict { .. })));
    insta::assert_snapshot!("drafting_conflict", terminal(&app, 80, 20).backend());
    // Keep editing: nothing written.
    keys(&mut app, "k");
    assert!(app.mode.is_none());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    assert!(app.unsaved());
    // Reload: their text, ours still in undo.
    keys(&mut app, "w");
    keys(&mut app, "r");
    assert_eq!(text(&app), theirs);
    assert!(!app.unsaved());
    keys(&mut app, "u");
    assert!(text(&app).contains("{FRA suggest deletion}"));
    // Ours was written on the file their change replaced: saving it asks again.
    keys(&mut app, "w");
    assert!(matches!(app.mode, Some(Mode::Conflict { .. })));
    keys(&mut app, "o");
    assert!(!app.unsaved());
    // With nothing unsaved, a change on disk is taken before the next action.
    let newer = theirs.replace("Requests", "Also requests");
    std::fs::write(&file, &newer).unwrap();
    keys(&mut app, "S");
    assert_eq!(text(&app), newer, "{:?}", app.message);
    assert!(!app.unsaved());
    keys(&mut app, "S");
    assert!(app.unsaved(), "{:?}", app.message);
    // Overwrite, when chosen.
    std::fs::write(&file, "someone else's\n").unwrap();
    keys(&mut app, "w");
    assert!(matches!(app.mode, Some(Mode::Conflict { .. })));
    keys(&mut app, "o");
    assert!(app.mode.is_none());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text(&app));
    assert!(!app.unsaved());
}

#[test]
fn drafting_undo_across_a_reload_still_asks_before_overwriting_their_change() {
    let (dir, mut app) = drafting_repo(DRAFT);
    let file = dir.path().join("draft.md");
    keys(&mut app, "Ge");
    keys(&mut app, " MINE");
    key(&mut app, KeyCode::Esc);
    assert!(app.unsaved(), "{:?}", app.message);
    let theirs = DRAFT.replace("Noting the report", "Noting THEIRS the report");
    std::fs::write(&file, &theirs).unwrap();
    keys(&mut app, "w");
    assert!(matches!(app.mode, Some(Mode::Conflict { .. })));
    keys(&mut app, "r");
    assert_eq!(text(&app), theirs);
    // Undo brings our text back, but it was written on the old file: saving it asks again.
    keys(&mut app, "u");
    assert!(text(&app).contains("MINE") && !text(&app).contains("THEIRS"));
    keys(&mut app, "w");
    assert!(
        matches!(app.mode, Some(Mode::Conflict { .. })),
        "{:?}",
        app.message
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    keys(&mut app, "k");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    // Redo goes back to their text, which is what is on disk: nothing to ask.
    ctrl(&mut app, 'r');
    assert_eq!(text(&app), theirs);
    assert!(!app.unsaved());
    // Undo past our own save is still ours to save.
    keys(&mut app, "u");
    keys(&mut app, "w");
    keys(&mut app, "o");
    assert!(std::fs::read_to_string(&file).unwrap().contains("MINE"));
    keys(&mut app, "S");
    keys(&mut app, "w");
    assert!(std::fs::read_to_string(&file).unwrap().contains("Ad ref"));
    keys(&mut app, "u");
    keys(&mut app, "w");
    assert!(app.mode.is_none(), "{:?}", app.message);
    let on_disk = std::fs::read_to_string(&file).unwrap();
    assert!(on_disk.contains("MINE") && !on_disk.contains("Ad ref"));
}

#[test]
fn drafting_quitting_with_unsaved_edits_asks_first() {
    let (dir, mut app) = drafting_repo(DRAFT);
    keys(&mut app, "GS");
    keys(&mut app, "q");
    assert!(!app.quit);
    assert!(matches!(app.mode, Some(Mode::ConfirmQuit)));
    assert!(screen(&app, 80, 20).contains("Unsaved edits"));
    key(&mut app, KeyCode::Esc);
    assert!(!app.quit && app.mode.is_none());
    ctrl(&mut app, 'c');
    assert!(matches!(app.mode, Some(Mode::ConfirmQuit)));
    keys(&mut app, "w");
    assert!(app.quit);
    let on_disk = std::fs::read_to_string(dir.path().join("draft.md")).unwrap();
    assert!(on_disk.contains("Ad ref"));
}

#[test]
fn drafting_commits_with_a_tag_and_refuses_cleanly() {
    let (dir, mut app) = drafting_repo(DRAFT);
    keys(&mut app, "jA");
    keys(&mut app, "Chair");
    key(&mut app, KeyCode::Enter);
    // A comment on the paragraph is committed with the iteration.
    keys(&mut app, ";");
    keys(&mut app, "Agreed at the informals");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "C");
    // Saved first, then reviewed in Compare against HEAD.
    assert!(!app.unsaved());
    assert_eq!(app.tab, TabId::Compare);
    assert_eq!(app.iteration(app.compare.old).unwrap().label, "rev1");
    assert_eq!(app.iteration(app.compare.new).unwrap().label, "worktree");
    assert!(app.selected_change().unwrap().is_change());
    keys(&mut app, "C");
    keys(&mut app, "Rev.2");
    key(&mut app, KeyCode::Enter);
    // What the iteration did: the message's body.
    keys(&mut app, "Chair's text after the informals");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "rev2");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, ", US");
    key(&mut app, KeyCode::Tab);
    insta::assert_snapshot!("drafting_commit_form", terminal(&app, 80, 24).backend());
    // The group the proposers spoke for, its code completed too.
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "G7");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.commit.as_ref().unwrap().on_behalf_of.text(), "G77");
    // Someone stages another file: refused, with the reason in the form.
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "x").unwrap();
    let git = git2::Repository::open(dir.path()).unwrap();
    let mut index = git.index().unwrap();
    index.add_path(std::path::Path::new("notes.txt")).unwrap();
    index.write().unwrap();
    key(&mut app, KeyCode::Enter);
    let error = app.commit.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("notes.txt"), "{error}");
    index
        .remove_path(std::path::Path::new("notes.txt"))
        .unwrap();
    index.write().unwrap();
    key(&mut app, KeyCode::Enter);
    assert!(
        app.commit.is_none(),
        "{:?}",
        app.commit.as_ref().map(|c| &c.error)
    );
    assert!(app.message.as_deref().unwrap().contains("tagged rev2"));
    let head = git.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(
        head.message().unwrap(),
        "Rev.2\n\nChair's text after the informals\n\nProposed-by: Chair\nProposed-by: USA\nOn-behalf-of: G77\n"
    );
    assert_eq!(head.author().name().ok(), Some("Secretariat"));
    let tree = head.tree().unwrap();
    // The comment made on the working tree names the iteration it was based on, as `brackets
    // comment add` does: `WORKTREE` would name no commit once committed.
    let entry = tree
        .get_path(std::path::Path::new("draft.md.comments.json"))
        .unwrap();
    let blob = git.find_blob(entry.id()).unwrap();
    let committed: serde_json::Value = serde_json::from_slice(blob.content()).unwrap();
    let rev1 = git
        .revparse_single("rev1")
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .id()
        .to_string();
    assert_eq!(
        committed["comments"][0]["iteration"].as_str(),
        Some(rev1.as_str()),
        "{committed}"
    );
    let tagged = git
        .revparse_single("rev2")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(tagged.id(), head.id());
    assert_eq!(app.iteration(app.compare.new).unwrap().label, "rev2");
    // The Actors view follows: the ledger is built again with the new iteration.
    let steps: Vec<String> = app
        .ledger()
        .unwrap()
        .ledger
        .steps
        .iter()
        .map(|s| s.label.clone())
        .collect();
    assert_eq!(steps, ["rev1", "rev2"]);
    // HEAD moves under the next session: refused, no panic.
    keys(&mut app, "2S");
    assert!(app.unsaved(), "{:?}", app.message);
    let sig = git2::Signature::now("Other", "o@example.org").unwrap();
    git.commit(Some("HEAD"), &sig, &sig, "elsewhere", &tree, &[&head])
        .unwrap();
    keys(&mut app, "C");
    keys(&mut app, "C");
    keys(&mut app, "Rev.3");
    // Message, details, tag, Proposed-by, On-behalf-of: the last Enter commits.
    for _ in 0..5 {
        key(&mut app, KeyCode::Enter);
    }
    let error = app.commit.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("HEAD moved"), "{error}");
    // R reloads the history; the next commit goes on the new HEAD.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert!(app.commit.is_none());
    keys(&mut app, "2R");
    let labels = iteration_labels(&app);
    // The commit elsewhere did not touch the draft: not one of its iterations.
    assert_eq!(labels, ["rev1", "rev2", "worktree"]);
    commit_from_the_form(&mut app, "Rev.3");
    let head = git.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.summary().unwrap(), Some("Rev.3"));
    assert_eq!(
        head.parent(0).unwrap().summary().unwrap(),
        Some("elsewhere")
    );
}

/// Opens the commit form, types `message` and accepts every other field: the commit must be
/// made.
fn commit_from_the_form(app: &mut App, message: &str) {
    keys(app, "CC");
    keys(app, message);
    // Message, details, tag, Proposed-by, On-behalf-of: the last Enter commits.
    for _ in 0..5 {
        key(app, KeyCode::Enter);
    }
    assert!(
        app.commit.is_none(),
        "{:?}",
        app.commit.as_ref().map(|c| &c.error)
    );
}

#[test]
fn search_sees_an_iteration_committed_in_the_same_session() {
    let (_dir, mut app) = drafting_repo(DRAFT);
    keys(&mut app, "/");
    pump_search(&mut app, |a| {
        a.search.ready || a.search.unavailable.is_some()
    });
    assert!(
        app.search.unavailable.is_none(),
        "{:?}",
        app.search.unavailable
    );
    key(&mut app, KeyCode::Esc);
    // A word only the next iteration has, committed from the TUI.
    keys(&mut app, "2Ge");
    keys(&mut app, " zanzibar");
    key(&mut app, KeyCode::Esc);
    commit_from_the_form(&mut app, "Rev.2");
    assert!(app.message.as_deref().unwrap().contains("committed"));
    keys(&mut app, "/zanzibar");
    pump_search(&mut app, |a| {
        a.search
            .answer
            .as_ref()
            .is_some_and(|x| x.request.query == "zanzibar" && !x.results.hits.is_empty())
    });
    let hit = &app.search.answer.as_ref().unwrap().results.hits[0];
    assert_eq!(hit.paragraph, "OP2");
}

#[test]
fn drafting_details_without_a_subject_are_refused_as_no_message() {
    let (_dir, mut app) = drafting_repo(DRAFT);
    keys(&mut app, "jA");
    keys(&mut app, "Chair");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "CC");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "OP1 firmed up");
    // Details, tag, Proposed-by, On-behalf-of: the last Enter commits.
    for _ in 0..4 {
        key(&mut app, KeyCode::Enter);
    }
    let c = app.commit.as_ref().expect("the form stays open");
    assert_eq!(c.error.as_deref(), Some("no commit message"));
    assert_eq!(c.details.text(), "OP1 firmed up");
}

#[test]
fn drafting_is_refused_where_the_text_is_read_only() {
    let mut app = demo();
    keys(&mut app, "2e");
    assert!(app.mode.is_none());
    assert!(app.message.as_deref().unwrap().contains("read-only"));
    let (_dir, mut app) = drafting_repo(DRAFT);
    keys(&mut app, "S");
    // Now a working tree after rev1; rev1 itself is read-only.
    keys(&mut app, "[");
    assert_eq!(app.iteration(app.read.iteration).unwrap().label, "rev1");
    keys(&mut app, "e");
    assert!(app.mode.is_none());
    assert!(
        app.message.as_deref().unwrap().contains("old iteration"),
        "{:?}",
        app.message
    );
}

#[test]
fn drafting_comment_from_read() {
    let (dir, mut app) = drafting_repo(DRAFT);
    keys(&mut app, "G;");
    assert!(app.mode.is_some(), "{:?}", app.message);
    keys(&mut app, "Check the date");
    key(&mut app, KeyCode::Enter);
    assert!(app.mode.is_none(), "{:?}", app.message);
    assert!(
        dir.path().join("draft.md.comments.json").exists(),
        "{:?}",
        app.message
    );
    // The paragraph's comments under the text; reply and resolve from Read.
    let s = screen(&app, 100, 30);
    assert!(s.contains("1 comment(s) on this paragraph"), "{s}");
    assert!(s.contains("Check the date"), "{s}");
    keys(&mut app, "r");
    keys(&mut app, "Done in Rev.2");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "X");
    let store = &app.comments.store.as_ref().unwrap().1;
    let c = &store.comments()[0];
    assert_eq!(c.paragraph, "OP2");
    assert_eq!(c.replies.len(), 1);
    assert_eq!(c.status, brackets::comments::Status::Resolved);
    assert!(screen(&app, 100, 30).contains("resolved"));
    // Another paragraph has none: the pane is gone.
    keys(&mut app, "k");
    assert!(!screen(&app, 100, 30).contains("comment(s) on this paragraph"));
}

#[test]
fn drafting_a_file_outside_git_is_edited_and_saved_but_not_committed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.txt");
    std::fs::write(&file, DRAFT).unwrap();
    let mut app = App::loaded(Start::Path(file.clone()), Theme::mono());
    assert!(app.error.is_none(), "{:?}", app.error);
    keys(&mut app, "GS");
    assert!(app.unsaved(), "{:?}", app.message);
    assert_eq!(app.read.iteration, 0, "the file is its one iteration");
    keys(&mut app, "w");
    assert!(std::fs::read_to_string(&file).unwrap().contains("Ad ref"));
    keys(&mut app, "C");
    assert!(app.commit.is_none());
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .contains("not in a git repository"),
        "{:?}",
        app.message
    );
}

#[test]
fn drafting_panes_draw_at_every_small_size_without_panic() {
    let long = DRAFT.replace(
        "Requests the secretariat to report;",
        &"Requests the secretariat to report on 日本語 and é; ".repeat(12),
    );
    let (_dir, mut app) = drafting_repo(&long);
    let draw_all = |app: &App| {
        for w in (1..=50).step_by(7).chain([20, 39, 40, 41, 200]) {
            for h in (1..=14).chain([60]) {
                let _ = screen(app, w, h);
            }
        }
    };
    // The editor, with the cursor at the end of a long multi-byte paragraph.
    keys(&mut app, "Ge");
    assert!(matches!(app.mode, Some(Mode::Editor { .. })));
    code(&mut app, KeyCode::End, KeyModifiers::CONTROL);
    draw_all(&app);
    code(&mut app, KeyCode::PageUp, KeyModifiers::NONE);
    draw_all(&app);
    key(&mut app, KeyCode::Esc);
    // A selection, a prompt with completions, the paragraph's comments.
    keys(&mut app, "vLLL");
    assert!(matches!(app.mode, Some(Mode::Select { .. })));
    draw_all(&app);
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "E");
    assert!(matches!(app.mode, Some(Mode::Prompt(_))));
    draw_all(&app);
    key(&mut app, KeyCode::Esc);
    keys(&mut app, ";");
    keys(&mut app, "A comment");
    key(&mut app, KeyCode::Enter);
    draw_all(&app);
    // The questions and the commit form.
    keys(&mut app, "Sq");
    assert!(matches!(app.mode, Some(Mode::ConfirmQuit)));
    draw_all(&app);
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "CC");
    assert!(app.commit.as_ref().is_some_and(|c| c.form));
    draw_all(&app);
}
