//! Every key, as data: one table per view plus the global ones. Key handling looks keys up
//! here and the help overlay is generated from the same table, so help never lies.

use super::app::TabId;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Back,
    Help,
    NextTab,
    PrevTab,
    Tab(TabId),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    Enter,
    /// Compare the selected iteration with the one before it.
    Compare,
    ToggleAgreed,
    NextBracket,
    PrevBracket,
    NextActor,
    PrevActor,
    ClearFilters,
    Older,
    Newer,
    NextChange,
    PrevChange,
    ToggleSideBySide,
    CycleKind,
    OldOlder,
    OldNewer,
    DetailDown,
    DetailUp,
    ToggleMatrix,
    EditQuery,
    ToggleAll,
    DeleteChar,
    ClearQuery,
    /// Read the draft filtered to the selected actor.
    FilterRead,
    AddComment,
    ReplyComment,
    ResolveComment,
    /// Read: the next comment on the paragraph.
    NextComment,
    // ----- drafting (Read) -----
    /// Edit the paragraph in place.
    Edit,
    /// Open $VISUAL / $EDITOR at the paragraph's line.
    ExternalEdit,
    /// Select words (then bracket them, or act on the bracket under the cursor).
    Select,
    /// Bracket the selected words with an attribution.
    BracketWords,
    AddPosition,
    Accept,
    Drop,
    Note,
    InsertBis,
    InsertAlternative,
    Stamp,
    Undo,
    Redo,
    Save,
    /// Review the changes and commit the next iteration.
    Commit,
    // ----- editing text (editor, prompts, selection) -----
    WordLeft,
    WordRight,
    ExtendLeft,
    ExtendRight,
    LineStart,
    LineEnd,
    DeleteForward,
    DeleteWord,
    Newline,
    /// Done: keep the edit.
    Done,
    /// Done and saved to disk.
    SaveDone,
    Cancel,
    Complete,
    // ----- choices -----
    Reload,
    /// Read: the draft's history again from the repository.
    ReloadHistory,
    Overwrite,
    Discard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Alt(char),
    Code(KeyCode),
    /// A key code with Control held (Ctrl-←).
    CtrlCode(KeyCode),
    /// A key code with Shift held (Shift-→).
    ShiftCode(KeyCode),
}

impl Key {
    pub fn name(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{c}"),
            Key::Alt(c) => format!("Alt-{c}"),
            Key::CtrlCode(code) => format!("Ctrl-{}", Key::Code(code).name()),
            Key::ShiftCode(code) => format!("Shift-{}", Key::Code(code).name()),
            Key::Code(code) => match code {
                KeyCode::Up => "↑".into(),
                KeyCode::Down => "↓".into(),
                KeyCode::Left => "←".into(),
                KeyCode::Right => "→".into(),
                KeyCode::PageUp => "PgUp".into(),
                KeyCode::PageDown => "PgDn".into(),
                KeyCode::Home => "Home".into(),
                KeyCode::End => "End".into(),
                KeyCode::Enter => "Enter".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Tab => "Tab".into(),
                KeyCode::BackTab => "Shift-Tab".into(),
                KeyCode::Backspace => "Backspace".into(),
                KeyCode::Delete => "Del".into(),
                other => format!("{other:?}"),
            },
        }
    }

    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            Key::Char(c) => {
                !ctrl && !ev.modifiers.contains(KeyModifiers::ALT) && ev.code == KeyCode::Char(c)
            }
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
            Key::Alt(c) => ev.modifiers.contains(KeyModifiers::ALT) && ev.code == KeyCode::Char(c),
            Key::CtrlCode(code) => ctrl && ev.code == code,
            Key::ShiftCode(code) => ev.modifiers.contains(KeyModifiers::SHIFT) && ev.code == code,
            Key::Code(code) => ev.code == code,
        }
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
}

impl Binding {
    pub fn key_names(&self) -> String {
        self.keys
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

use Key::{Alt, Char, Code, Ctrl, CtrlCode, ShiftCode};

const fn b(keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding { keys, action, help }
}

pub const GLOBAL: &[Binding] = &[
    b(&[Char('?')], Action::Help, "this help"),
    b(&[Char('q'), Ctrl('c')], Action::Quit, "quit"),
    b(
        &[Code(KeyCode::Esc)],
        Action::Back,
        "close/unfilter/back/quit",
    ),
    b(&[Code(KeyCode::Tab)], Action::NextTab, "next view"),
    b(&[Code(KeyCode::BackTab)], Action::PrevTab, "previous view"),
    b(&[Char('1')], Action::Tab(TabId::Drafts), "Drafts"),
    b(&[Char('2')], Action::Tab(TabId::Read), "Read"),
    b(&[Char('3')], Action::Tab(TabId::Compare), "Compare"),
    b(
        &[Char('4'), Char('/')],
        Action::Tab(TabId::Search),
        "Search",
    ),
    b(&[Char('5')], Action::Tab(TabId::Actors), "Actors"),
    b(&[Char('6')], Action::Tab(TabId::Comments), "Comments"),
    b(&[Char('j'), Code(KeyCode::Down)], Action::Down, "down"),
    b(&[Char('k'), Code(KeyCode::Up)], Action::Up, "up"),
    b(
        &[Code(KeyCode::PageDown), Ctrl('f'), Char(' ')],
        Action::PageDown,
        "page down",
    ),
    b(
        &[Code(KeyCode::PageUp), Ctrl('b')],
        Action::PageUp,
        "page up",
    ),
    b(&[Char('g'), Code(KeyCode::Home)], Action::Top, "first"),
    b(&[Char('G'), Code(KeyCode::End)], Action::Bottom, "last"),
];

pub const DRAFTS: &[Binding] = &[
    b(
        &[Char('h'), Code(KeyCode::Left)],
        Action::Left,
        "drafts list",
    ),
    b(
        &[Char('l'), Code(KeyCode::Right)],
        Action::Right,
        "iterations list",
    ),
    b(
        &[Code(KeyCode::Enter)],
        Action::Enter,
        "read the selected iteration",
    ),
    b(
        &[Char('c')],
        Action::Compare,
        "compare with the previous one",
    ),
];

pub const READ: &[Binding] = &[
    b(
        &[Char('a')],
        Action::ToggleAgreed,
        "compilation / agreed-text view",
    ),
    b(&[Char('n')], Action::NextBracket, "next open bracket"),
    b(
        &[Char('N'), Char('p')],
        Action::PrevBracket,
        "previous open bracket",
    ),
    b(&[Char('f')], Action::NextActor, "filter: next actor"),
    b(&[Char('F')], Action::PrevActor, "filter: previous actor"),
    b(&[Char('x')], Action::ClearFilters, "clear the actor filter"),
    b(
        &[Char('['), Char('h'), Code(KeyCode::Left)],
        Action::Older,
        "older iteration",
    ),
    b(
        &[Char(']'), Char('l'), Code(KeyCode::Right)],
        Action::Newer,
        "newer iteration",
    ),
    b(
        &[Char('c')],
        Action::Compare,
        "compare with the previous one",
    ),
    b(&[Char('e')], Action::Edit, "edit the paragraph here"),
    b(
        &[Char('E')],
        Action::ExternalEdit,
        "edit in $VISUAL / $EDITOR",
    ),
    b(&[Char('v')], Action::Select, "select words, pick a bracket"),
    b(
        &[Char('+')],
        Action::AddPosition,
        "add a position to a bracket",
    ),
    b(&[Char('A')], Action::Accept, "accept a bracket (keep text)"),
    b(&[Char('D')], Action::Drop, "drop a bracket (remove text)"),
    b(&[Char('m')], Action::Note, "add a note"),
    b(&[Char('I')], Action::InsertBis, "insert a bis paragraph"),
    b(
        &[Char('O')],
        Action::InsertAlternative,
        "insert an alternative",
    ),
    b(&[Char('S')], Action::Stamp, "stamp agreed ad ref, now"),
    b(&[Char('u'), Ctrl('z')], Action::Undo, "undo"),
    b(&[Ctrl('r'), Ctrl('y')], Action::Redo, "redo"),
    b(&[Char('w'), Ctrl('s')], Action::Save, "save the draft"),
    b(&[Char('C')], Action::Commit, "review, commit the iteration"),
    b(
        &[Char('R')],
        Action::ReloadHistory,
        "reload the history (HEAD moved)",
    ),
    b(&[Char(';')], Action::AddComment, "comment on the paragraph"),
    b(&[Char('\'')], Action::NextComment, "next comment on it"),
    b(&[Char('r')], Action::ReplyComment, "reply to that comment"),
    b(&[Char('X')], Action::ResolveComment, "resolve / reopen it"),
];

/// The paragraph editor: every other key is typed.
pub const EDITOR: &[Binding] = &[
    b(
        &[Code(KeyCode::Esc)],
        Action::Done,
        "done: keep the edit (w saves)",
    ),
    b(&[Ctrl('s')], Action::SaveDone, "done and save the draft"),
    b(&[Ctrl('c')], Action::Cancel, "cancel this paragraph's edit"),
    b(&[Ctrl('z')], Action::Undo, "undo"),
    b(&[Ctrl('y'), Ctrl('r')], Action::Redo, "redo"),
    b(
        &[CtrlCode(KeyCode::Left), Alt('b')],
        Action::WordLeft,
        "word left",
    ),
    b(
        &[CtrlCode(KeyCode::Right), Alt('f')],
        Action::WordRight,
        "word right",
    ),
    b(
        &[CtrlCode(KeyCode::Home)],
        Action::Top,
        "start of the paragraph",
    ),
    b(
        &[CtrlCode(KeyCode::End)],
        Action::Bottom,
        "end of the paragraph",
    ),
    b(&[Code(KeyCode::Left)], Action::Left, "left"),
    b(&[Code(KeyCode::Right)], Action::Right, "right"),
    b(&[Code(KeyCode::Up)], Action::Up, "up a row"),
    b(&[Code(KeyCode::Down)], Action::Down, "down a row"),
    b(
        &[Code(KeyCode::Home), Ctrl('a')],
        Action::LineStart,
        "start of the row",
    ),
    b(
        &[Code(KeyCode::End), Ctrl('e')],
        Action::LineEnd,
        "end of the row",
    ),
    b(&[Code(KeyCode::PageUp)], Action::PageUp, "page up"),
    b(&[Code(KeyCode::PageDown)], Action::PageDown, "page down"),
    b(
        &[Ctrl('w'), CtrlCode(KeyCode::Backspace), Ctrl('h')],
        Action::DeleteWord,
        "delete the word before",
    ),
    b(
        &[Code(KeyCode::Backspace)],
        Action::DeleteChar,
        "delete before the cursor",
    ),
    b(
        &[Code(KeyCode::Delete)],
        Action::DeleteForward,
        "delete under the cursor",
    ),
    b(&[Code(KeyCode::Enter)], Action::Newline, "line break"),
];

/// Selecting words in the paragraph.
pub const SELECT: &[Binding] = &[
    b(
        &[Char('l'), Char('w'), Code(KeyCode::Right)],
        Action::Right,
        "next word",
    ),
    b(
        &[Char('h'), Char('b'), Code(KeyCode::Left)],
        Action::Left,
        "previous word",
    ),
    b(
        &[Char('L'), ShiftCode(KeyCode::Right)],
        Action::ExtendRight,
        "extend the selection right",
    ),
    b(
        &[Char('H'), ShiftCode(KeyCode::Left)],
        Action::ExtendLeft,
        "extend the selection left",
    ),
    b(&[Char('0'), Code(KeyCode::Home)], Action::Top, "first word"),
    b(
        &[Char('$'), Code(KeyCode::End)],
        Action::Bottom,
        "last word",
    ),
    b(&[Char('n')], Action::NextBracket, "next bracket"),
    b(
        &[Char('N'), Char('p')],
        Action::PrevBracket,
        "previous bracket",
    ),
    b(
        &[Code(KeyCode::Enter), Char('B')],
        Action::BracketWords,
        "bracket the selection for actors",
    ),
    b(
        &[Char('+')],
        Action::AddPosition,
        "add a position to the bracket at the cursor",
    ),
    b(
        &[Char('A')],
        Action::Accept,
        "accept the bracket at the cursor",
    ),
    b(&[Char('D')], Action::Drop, "drop the bracket at the cursor"),
    b(&[Char('m')], Action::Note, "add a note to that bracket"),
    b(
        &[Char('?'), Code(KeyCode::F(1))],
        Action::Help,
        "these keys",
    ),
    b(
        &[Code(KeyCode::Esc), Char('v')],
        Action::Back,
        "stop selecting",
    ),
    b(&[Ctrl('c')], Action::Quit, "quit"),
];

/// A prompt (actors, notes, comments, the commit form): every other key is typed.
pub const PROMPT: &[Binding] = &[
    b(&[Code(KeyCode::Enter)], Action::Enter, "done"),
    b(&[Code(KeyCode::Esc)], Action::Back, "cancel"),
    b(
        &[Code(KeyCode::Tab)],
        Action::Complete,
        "complete an actor code",
    ),
    b(
        &[CtrlCode(KeyCode::Left), Alt('b')],
        Action::WordLeft,
        "word left",
    ),
    b(
        &[CtrlCode(KeyCode::Right), Alt('f')],
        Action::WordRight,
        "word right",
    ),
    b(&[Code(KeyCode::Left)], Action::Left, "left"),
    b(&[Code(KeyCode::Right)], Action::Right, "right"),
    b(
        &[Code(KeyCode::Home), Ctrl('a')],
        Action::LineStart,
        "start",
    ),
    b(&[Code(KeyCode::End), Ctrl('e')], Action::LineEnd, "end"),
    b(
        &[Code(KeyCode::Up), Code(KeyCode::BackTab)],
        Action::Up,
        "previous field",
    ),
    b(&[Code(KeyCode::Down)], Action::Down, "next field"),
    b(
        &[Ctrl('w'), CtrlCode(KeyCode::Backspace), Ctrl('h')],
        Action::DeleteWord,
        "delete the word before",
    ),
    b(
        &[Code(KeyCode::Backspace)],
        Action::DeleteChar,
        "delete before the cursor",
    ),
    b(
        &[Code(KeyCode::Delete)],
        Action::DeleteForward,
        "delete under the cursor",
    ),
    b(&[Ctrl('u')], Action::ClearQuery, "clear"),
    b(&[Ctrl('c')], Action::Quit, "quit"),
];

/// The draft changed on disk since it was loaded.
pub const CONFLICT: &[Binding] = &[
    b(
        &[Char('r')],
        Action::Reload,
        "reload from disk (your edit stays in undo)",
    ),
    b(
        &[Char('o')],
        Action::Overwrite,
        "overwrite the file on disk",
    ),
    b(
        &[Char('k'), Code(KeyCode::Esc)],
        Action::Back,
        "keep editing, save nothing",
    ),
];

/// Quitting with unsaved edits.
pub const QUIT_CONFIRM: &[Binding] = &[
    b(&[Char('w'), Char('s')], Action::Save, "save, then quit"),
    b(&[Char('d')], Action::Discard, "quit without saving"),
    b(
        &[Code(KeyCode::Esc), Char('k'), Char('n')],
        Action::Back,
        "keep editing",
    ),
];

/// Committing: the Compare view reviews the changes against HEAD.
pub const COMMIT_REVIEW: &[Binding] = &[
    b(&[Char('C')], Action::Commit, "write the commit message"),
    b(&[Code(KeyCode::Esc)], Action::Back, "cancel the commit"),
];

pub const COMPARE: &[Binding] = &[
    b(&[Char('n')], Action::NextChange, "next change"),
    b(
        &[Char('N'), Char('p')],
        Action::PrevChange,
        "previous change",
    ),
    b(
        &[Char('s')],
        Action::ToggleSideBySide,
        "inline / side by side",
    ),
    b(
        &[Char('t')],
        Action::CycleKind,
        "filter by change kind (cycles)",
    ),
    b(&[Char('f')], Action::NextActor, "filter: next actor"),
    b(&[Char('F')], Action::PrevActor, "filter: previous actor"),
    b(&[Char('x')], Action::ClearFilters, "clear filters"),
    b(
        &[Char('['), Char('h'), Code(KeyCode::Left)],
        Action::Older,
        "both iterations one back",
    ),
    b(
        &[Char(']'), Char('l'), Code(KeyCode::Right)],
        Action::Newer,
        "both iterations one forward",
    ),
    b(
        &[Char('<')],
        Action::OldOlder,
        "older iteration on the left only",
    ),
    b(
        &[Char('>')],
        Action::OldNewer,
        "newer iteration on the left only",
    ),
    b(
        &[Char('J'), Ctrl('d')],
        Action::DetailDown,
        "scroll the detail down",
    ),
    b(
        &[Char('K'), Ctrl('u')],
        Action::DetailUp,
        "scroll the detail up",
    ),
    b(
        &[Code(KeyCode::Enter)],
        Action::Enter,
        "read it in the newer iteration",
    ),
];

pub const ACTORS: &[Binding] = &[
    b(
        &[Char('h'), Code(KeyCode::Left)],
        Action::Left,
        "table (matrix: column left)",
    ),
    b(
        &[Char('l'), Code(KeyCode::Right)],
        Action::Right,
        "timeline (matrix: column right)",
    ),
    b(&[Char('m')], Action::ToggleMatrix, "position matrix on/off"),
    b(
        &[Char('f')],
        Action::FilterRead,
        "read filtered to this actor",
    ),
    b(&[Code(KeyCode::Enter)], Action::Enter, "read the paragraph"),
    b(&[Char('[')], Action::Older, "matrix: older iteration"),
    b(&[Char(']')], Action::Newer, "matrix: newer iteration"),
];

pub const SEARCH: &[Binding] = &[
    b(&[Char('/'), Char('i')], Action::EditQuery, "type the query"),
    b(
        &[Char('a')],
        Action::ToggleAll,
        "newest iterations / all iterations",
    ),
    b(
        &[Code(KeyCode::Enter)],
        Action::Enter,
        "read the paragraph of the hit",
    ),
];

/// While typing the query: every other key is typed.
pub const SEARCH_EDITING: &[Binding] = &[
    b(
        &[Code(KeyCode::Enter)],
        Action::Enter,
        "read the paragraph of the hit",
    ),
    b(&[Code(KeyCode::Down)], Action::Down, "next hit"),
    b(&[Code(KeyCode::Up)], Action::Up, "previous hit"),
    b(
        &[Code(KeyCode::PageDown)],
        Action::PageDown,
        "hits: page down",
    ),
    b(&[Code(KeyCode::PageUp)], Action::PageUp, "hits: page up"),
    b(
        &[Ctrl('a')],
        Action::ToggleAll,
        "newest iterations / all iterations",
    ),
    b(
        &[Code(KeyCode::Backspace)],
        Action::DeleteChar,
        "delete a character",
    ),
    b(&[Ctrl('u')], Action::ClearQuery, "clear the query"),
    b(
        &[Code(KeyCode::Esc)],
        Action::Back,
        "stop typing (then q quits)",
    ),
    b(&[Code(KeyCode::Tab)], Action::NextTab, "next view"),
    b(&[Code(KeyCode::BackTab)], Action::PrevTab, "previous view"),
    b(&[Ctrl('c')], Action::Quit, "quit"),
];

pub const COMMENTS: &[Binding] = &[
    b(
        &[Char('a')],
        Action::AddComment,
        "comment on the paragraph being read",
    ),
    b(
        &[Char('r')],
        Action::ReplyComment,
        "reply to the selected comment",
    ),
    b(&[Char('x')], Action::ResolveComment, "resolve / reopen it"),
    b(
        &[Char('o')],
        Action::ToggleAll,
        "this paragraph / every comment",
    ),
    b(&[Code(KeyCode::Enter)], Action::Enter, "read its paragraph"),
];

/// While writing a comment: every other key is typed.
pub const COMMENT_EDITING: &[Binding] = &[
    b(&[Code(KeyCode::Enter)], Action::Enter, "save"),
    b(
        &[Code(KeyCode::Backspace)],
        Action::DeleteChar,
        "delete a character",
    ),
    b(&[Code(KeyCode::Esc)], Action::Back, "cancel"),
    b(&[Ctrl('c')], Action::Quit, "quit"),
];

/// The keys of a view, without the global ones.
pub fn view(tab: TabId) -> &'static [Binding] {
    match tab {
        TabId::Drafts => DRAFTS,
        TabId::Read => READ,
        TabId::Compare => COMPARE,
        TabId::Actors => ACTORS,
        TabId::Search => SEARCH,
        TabId::Comments => COMMENTS,
    }
}

/// The action of a key in one table.
pub fn lookup_in(table: &[Binding], ev: &KeyEvent) -> Option<Action> {
    table
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

/// The action of a key in a view: the view's own keys first, then the global ones.
pub fn lookup(tab: TabId, ev: &KeyEvent) -> Option<Action> {
    view(tab)
        .iter()
        .chain(GLOBAL)
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

/// The few keys the status bar names in each view, with a word for each; the key itself comes
/// from the tables above.
pub fn hints(tab: TabId) -> &'static [(Action, &'static str)] {
    match tab {
        TabId::Drafts => &[(Action::Enter, "read"), (Action::Compare, "compare")],
        TabId::Read => &[
            (Action::ToggleAgreed, "agreed text"),
            (Action::NextBracket, "next bracket"),
            (Action::Edit, "edit"),
            (Action::Select, "select"),
            (Action::Commit, "commit"),
        ],
        TabId::Compare => &[
            (Action::NextChange, "next change"),
            (Action::ToggleSideBySide, "side by side"),
            (Action::CycleKind, "kind"),
            (Action::NextActor, "actor"),
        ],
        TabId::Actors => &[(Action::ToggleMatrix, "matrix"), (Action::Enter, "read")],
        TabId::Search => &[
            (Action::ToggleAll, "all iterations"),
            (Action::Enter, "read"),
        ],
        TabId::Comments => &[
            (Action::AddComment, "add"),
            (Action::ReplyComment, "reply"),
            (Action::ResolveComment, "resolve"),
        ],
    }
}

/// The first key of an action in a view, by name.
pub fn key_for(tab: TabId, action: Action) -> Option<String> {
    view(tab)
        .iter()
        .chain(GLOBAL)
        .find(|b| b.action == action)
        .and_then(|b| b.keys.first())
        .map(|k| k.name())
}
