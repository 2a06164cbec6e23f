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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
}

impl Key {
    pub fn name(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{c}"),
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
                other => format!("{other:?}"),
            },
        }
    }

    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            Key::Char(c) => !ctrl && ev.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
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

use Key::{Char, Code, Ctrl};

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
            (Action::NextActor, "actor"),
            (Action::Older, "older"),
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
