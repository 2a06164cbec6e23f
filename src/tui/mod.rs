//! The terminal UI (ratatui + crossterm): a thin layer over the core.
//!
//! - `app`: the state and how keys, mouse and loader messages change it (no terminal);
//! - `keys`: every key as data, for key handling and the help overlay alike;
//! - `drafting`, `editor`: drafting the next iteration from Read (edits, negotiation actions,
//!   undo, saving, committing) and the text buffer of the paragraph editor and the prompts;
//! - `load`: the background loader (repository, histories, parsing);
//! - `views`: drawing, one module per view;
//! - `theme`, `wrap`: semantic styles and styled, wrapped, control-character-safe text.
//!
//! One event loop: terminal events and loader messages arrive on one channel; each is applied
//! to the state and the frame is redrawn only when something arrived.

pub mod app;
pub mod drafting;
pub mod editor;
pub mod keys;
pub mod load;
pub mod search;
pub mod theme;
pub mod views;
pub mod wrap;

pub use app::App;
pub use load::Start;
pub use views::draw;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use std::sync::mpsc;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Runs `$VISUAL` (else `$EDITOR`, else `vi`) on a file at a line, the terminal handed over
/// to it: the alternate screen, raw mode and the mouse are given back, then taken again.
fn run_external(
    terminal: &mut ratatui::DefaultTerminal,
    ext: &drafting::ExternalEdit,
) -> Result<(), String> {
    use crossterm::terminal::{
        EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
    };
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
    // As git does: the editor setting is a shell command, the arguments follow it.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg("sh")
        .arg(format!("+{}", ext.line))
        .arg(&ext.path)
        .status();
    let _ = enable_raw_mode();
    let _ = execute!(out, EnterAlternateScreen, EnableMouseCapture);
    let _ = terminal.clear();
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!(
            "the editor ({editor}) exited with {s}; the file is read back"
        )),
        Err(e) => Err(format!("cannot run the editor ({editor}): {e}")),
    }
}

enum Message {
    Input(Event),
    Loaded(load::Loaded),
    InputFailed(String),
}

/// Opens the terminal UI and runs it until the user quits. The terminal is restored on quit,
/// on error and on panic.
pub fn run(start: Start) -> anyhow::Result<()> {
    let mut terminal = ratatui::try_init()?;
    // ratatui's hook restores the screen; ours also gives the mouse back, first.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, start);
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, start: Start) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel::<Message>();
    let loader = tx.clone();
    let (requests, wanted) = mpsc::channel::<usize>();
    std::thread::Builder::new()
        .name("brackets-load".into())
        .spawn(move || {
            load::load(start, Some(wanted), &mut |m| {
                loader.send(Message::Loaded(m)).is_ok()
            });
        })?;
    let search_tx = tx.clone();
    let tx_diff = tx.clone();
    let input = tx;
    // While an external editor runs, the input thread stops reading the terminal (the editor
    // reads it): `paused` asks, `idle` answers.
    let paused = Arc::new(AtomicBool::new(false));
    let idle = Arc::new(AtomicBool::new(false));
    let (input_paused, input_idle) = (paused.clone(), idle.clone());
    std::thread::Builder::new()
        .name("brackets-input".into())
        .spawn(move || {
            loop {
                if input_paused.load(Ordering::SeqCst) {
                    input_idle.store(true, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                let ready = match event::poll(Duration::from_millis(50)) {
                    Ok(ready) => ready,
                    Err(e) => {
                        let _ = input.send(Message::InputFailed(e.to_string()));
                        return;
                    }
                };
                if !ready {
                    continue;
                }
                match event::read() {
                    Ok(ev) => {
                        if input.send(Message::Input(ev)).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = input.send(Message::InputFailed(e.to_string()));
                        return;
                    }
                }
            }
        })?;
    let mut app = App::new(theme::Theme::from_env());
    app.requests = Some(requests);
    let ledgers = tx_diff.clone();
    let diffs = tx_diff;
    app.diff_requests = Some(app::spawn_diff_worker(move |m| {
        diffs.send(Message::Loaded(m)).is_ok()
    })?);
    app.ledger_requests = Some(app::spawn_ledger_worker(move |m| {
        ledgers.send(Message::Loaded(m)).is_ok()
    })?);
    terminal.draw(|f| draw(f, &app))?;
    while let Ok(first) = rx.recv() {
        let mut next = Some(first);
        // Apply everything that has arrived, then draw once.
        while let Some(m) = next {
            match m {
                Message::Input(ev) => app.handle_event(&ev),
                Message::Loaded(l) => app.apply(l),
                Message::InputFailed(e) => anyhow::bail!("cannot read the terminal: {e}"),
            }
            if app.quit {
                return Ok(());
            }
            if let Some(ext) = app.external.take() {
                idle.store(false, Ordering::SeqCst);
                paused.store(true, Ordering::SeqCst);
                let start = std::time::Instant::now();
                while !idle.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(2) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                let result = run_external(terminal, &ext);
                paused.store(false, Ordering::SeqCst);
                app.external_done(result);
            }
            next = rx.try_recv().ok();
        }
        // The search worker starts once the repository is known.
        if app.search_requests.is_none()
            && let Some(w) = app.workspace.as_ref().filter(|w| w.git)
        {
            let results = search_tx.clone();
            app.search_requests = Some(search::spawn(w.root.clone(), move |m| {
                results.send(Message::Loaded(m)).is_ok()
            })?);
        }
        terminal.draw(|f| draw(f, &app))?;
    }
    Ok(())
}
