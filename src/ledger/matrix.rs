//! The position matrix: actors x paragraphs of one iteration, each cell the actor's stance
//! there.

use crate::actors::Actors;
use crate::model::{Document, Stance};
use serde::Serialize;
use std::collections::BTreeMap;

/// One cell's reading, for colouring a heat map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellStance {
    /// Proposes text there.
    Proposer,
    Support,
    Oppose,
    Reserve,
    Delete,
    Note,
    /// Supports some text and opposes (or asks to delete) other text there.
    Mixed,
}

impl CellStance {
    /// A one- or two-character mark for text tables: `P + - R D n ±`.
    pub fn mark(self) -> &'static str {
        match self {
            CellStance::Proposer => "P",
            CellStance::Support => "+",
            CellStance::Oppose => "-",
            CellStance::Reserve => "R",
            CellStance::Delete => "D",
            CellStance::Note => "n",
            CellStance::Mixed => "±",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CellStance::Proposer => "proposer",
            CellStance::Support => "support",
            CellStance::Oppose => "oppose",
            CellStance::Reserve => "reserve",
            CellStance::Delete => "delete",
            CellStance::Note => "note",
            CellStance::Mixed => "mixed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub stance: CellStance,
    /// Every stance the actor takes in the paragraph, sorted, once each.
    pub stances: Vec<Stance>,
    /// How many positions (and notes) it takes there.
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixRow {
    pub actor: String,
    pub name: Option<String>,
    /// One per paragraph of `Matrix::paragraphs`; none where the actor takes no position.
    pub cells: Vec<Option<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    /// Paragraph ids in document order.
    pub paragraphs: Vec<String>,
    /// Most active actors first.
    pub rows: Vec<MatrixRow>,
}

fn reading(stances: &[Stance], proposer: bool) -> CellStance {
    let has = |s| stances.contains(&s);
    if proposer {
        CellStance::Proposer
    } else if has(Stance::Support) && (has(Stance::Oppose) || has(Stance::Delete)) {
        CellStance::Mixed
    } else if has(Stance::Oppose) {
        CellStance::Oppose
    } else if has(Stance::Delete) {
        CellStance::Delete
    } else if has(Stance::Reserve) {
        CellStance::Reserve
    } else if has(Stance::Support) {
        CellStance::Support
    } else {
        CellStance::Note
    }
}

/// The position matrix of one parsed iteration.
pub fn matrix(doc: &Document, actors: &Actors) -> Matrix {
    let n = doc.paragraphs.len();
    // actor -> per paragraph: (stances, proposer, count)
    type Row = Vec<Option<(Vec<Stance>, bool, usize)>>;
    let mut by_actor: BTreeMap<String, Row> = BTreeMap::new();
    for (pi, p) in doc.paragraphs.iter().enumerate() {
        for g in &p.groups {
            let notes = g
                .note
                .iter()
                .filter_map(|n| n.actor.as_deref().map(|a| (a, Stance::Note, false)));
            let positions = g
                .positions
                .iter()
                .map(|x| (x.actor.as_str(), x.stance, x.proposer));
            for (actor, stance, proposer) in positions.chain(notes) {
                let row = by_actor
                    .entry(actor.to_string())
                    .or_insert_with(|| vec![None; n]);
                let cell = row[pi].get_or_insert_with(|| (Vec::new(), false, 0));
                if !cell.0.contains(&stance) {
                    cell.0.push(stance);
                    cell.0.sort();
                }
                cell.1 |= proposer;
                cell.2 += 1;
            }
        }
    }
    let mut rows: Vec<MatrixRow> = by_actor
        .into_iter()
        .map(|(actor, cells)| MatrixRow {
            name: actors.resolve(&actor).map(|a| a.name.clone()),
            actor,
            cells: cells
                .into_iter()
                .map(|c| {
                    c.map(|(stances, proposer, count)| Cell {
                        stance: reading(&stances, proposer),
                        stances,
                        count,
                    })
                })
                .collect(),
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.cells.iter().filter(|c| c.is_some()).count()));
    Matrix {
        paragraphs: doc.paragraphs.iter().map(|p| p.id.clone()).collect(),
        rows,
    }
}
