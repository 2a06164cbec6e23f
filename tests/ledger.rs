//! Ledger tests: expected outcomes for named proposals of the bundled example, hand-written
//! histories for each outcome and for replacements in both directions, attribution of
//! changes outside brackets, and the commands on the demo repository.

use brackets::actors::Actors;
use brackets::diff::ChangeKind;
use brackets::ledger::{
    CellStance, EventKind, Ledger, Outcome, Proposal, ProposalKind, ReplacementRole, Role, Source,
    SuggestionKind,
};
use brackets::repo::Repo;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const RESOLUTION: &str = "resolution/people-centred-smart-cities.md";

/// The demo repository, built once per test binary in a temporary folder.
fn demo() -> &'static Path {
    static DEMO: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let demo = brackets::example::materialise_in(dir.path()).unwrap();
        (dir, demo.path)
    });
    path
}

fn demo_ledger() -> &'static Ledger {
    static LEDGER: OnceLock<Ledger> = OnceLock::new();
    LEDGER.get_or_init(|| {
        let repo = Repo::open(demo()).unwrap();
        Ledger::build(&repo, RESOLUTION).unwrap()
    })
}

/// A fixture folder of `tests/fixtures/ledger` imported into a temporary git repository.
fn fixture(name: &str) -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ledger")
        .join(name);
    brackets::repo::import::import_dir(&src, dir.path()).unwrap();
    let repo = Repo::open(dir.path()).unwrap();
    let ledger = Ledger::build(&repo, "ocean.md").unwrap();
    (dir, ledger)
}

/// The proposal with exactly this bracketed text (first one when there are several).
fn find<'a>(ledger: &'a Ledger, text: &str) -> &'a Proposal {
    ledger
        .proposals()
        .iter()
        .find(|p| p.text == text || p.first_text == text)
        .unwrap_or_else(|| panic!("no proposal {text:?}"))
}

fn resolved_in(ledger: &Ledger, p: &Proposal) -> Option<String> {
    p.resolved.map(|k| ledger.label(k).to_string())
}

// ---- the bundled example ----

#[test]
fn example_history_has_six_iterations_oldest_first() {
    let l = demo_ledger();
    let labels: Vec<&str> = l.steps.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "zero-draft",
            "compilation-1",
            "rev1",
            "compilation-2",
            "rev2",
            "adopted"
        ]
    );
    // The clean zero draft has no proposals; everything starts in the first compilation.
    assert!(l.proposals().iter().all(|p| p.introduced >= 1));
}

#[test]
fn example_proposals_agreed() {
    let l = demo_ledger();
    let voluntary = find(l, "voluntary");
    assert_eq!(voluntary.proposer.as_deref(), Some("USA"));
    assert_eq!(voluntary.paragraph, "OP1");
    assert_eq!(voluntary.outcome, Outcome::Agreed);
    assert_eq!(resolved_in(l, voluntary).as_deref(), Some("rev1"));
    assert_eq!(voluntary.succeeded(), Some(true));

    // Proposed in compilation-2, agreed only in the adopted text, now PP5.
    let wsis = find(
        l,
        ", in line with the outcomes of the World Summit on the Information Society",
    );
    assert_eq!(wsis.proposer.as_deref(), Some("CHN"));
    assert_eq!(l.label(wsis.introduced), "compilation-2");
    assert_eq!(wsis.outcome, Outcome::Agreed);
    assert_eq!(resolved_in(l, wsis).as_deref(), Some("adopted"));
    assert_eq!(wsis.current_paragraph.as_deref(), Some("PP5"));
    // USA placed a reservation in Rev.2.
    assert!(
        wsis.events
            .iter()
            .any(|e| e.kind == EventKind::ReservationPlaced
                && e.actor.as_deref() == Some("USA")
                && l.label(e.iteration) == "rev2")
    );

    // The whole of PP4.bis, edited twice, agreed in the adopted text.
    let pp4bis = l
        .proposals()
        .iter()
        .find(|p| p.first_paragraph == "PP4bis" && p.text.starts_with("Noting the importance"))
        .unwrap();
    assert_eq!(pp4bis.proposer.as_deref(), Some("USA"));
    assert_eq!(pp4bis.outcome, Outcome::Agreed);
    assert_eq!(resolved_in(l, pp4bis).as_deref(), Some("adopted"));
    assert!(pp4bis.events.iter().any(|e| e.kind == EventKind::Edited));

    // TZA's [promoting] lifted inside CRI's bracket in Rev.1: agreed there.
    let promoting = find(l, "promoting");
    assert_eq!(promoting.outcome, Outcome::Agreed);
    assert_eq!(resolved_in(l, promoting).as_deref(), Some("rev1"));

    // OP5bis: brackets lifted with an edit ("on a voluntary basis") in Rev.2, now OP7.
    let hubs = l
        .proposals()
        .iter()
        .find(|p| p.first_paragraph == "OP5bis")
        .unwrap();
    assert_eq!(hubs.proposer.as_deref(), Some("KOR"));
    assert_eq!(hubs.outcome, Outcome::Agreed);
    assert_eq!(hubs.current_paragraph.as_deref(), Some("OP7"));
}

#[test]
fn example_proposals_dropped() {
    let l = demo_ledger();
    let sovereignty = find(l, ", respecting the data sovereignty of States");
    assert_eq!(sovereignty.proposer.as_deref(), Some("CHN"));
    assert_eq!(sovereignty.outcome, Outcome::Dropped);
    assert_eq!(resolved_in(l, sovereignty).as_deref(), Some("rev1"));
    assert_eq!(sovereignty.opponents(), ["USA", "EU"]);
    assert_eq!(sovereignty.current_paragraph, None);

    let diversity = find(l, "in all their diversity");
    assert_eq!(diversity.proposer.as_deref(), Some("MEX"));
    assert_eq!(diversity.outcome, Outcome::Dropped);
    assert_eq!(resolved_in(l, diversity).as_deref(), Some("rev2"));
    // ARG and EGY joined the opposition in compilation-2.
    for actor in ["ARG", "EGY"] {
        assert!(
            diversity
                .events
                .iter()
                .any(|e| e.kind == EventKind::Joined && e.actor.as_deref() == Some(actor))
        );
    }

    let alt = l
        .proposals()
        .iter()
        .find(|p| p.first_paragraph == "OP3.d.alt1")
        .unwrap();
    assert_eq!(alt.proposer.as_deref(), Some("CHN"));
    assert_eq!(alt.outcome, Outcome::Dropped);
    assert_eq!(resolved_in(l, alt).as_deref(), Some("rev2"));

    // RUS and IRN asked to delete the Human Rights Council paragraph: it stayed, edited.
    // Asking for a deletion is not proposing the text, nor opposing it; EGY and SAU only
    // reserved.
    let hrc = l
        .proposals()
        .iter()
        .find(|p| p.first_paragraph == "PP6" && p.kind == ProposalKind::Deletion)
        .unwrap();
    assert_eq!(hrc.proposer, None);
    assert_eq!(hrc.deletion_asked_by(), ["RUS", "IRN"]);
    assert_eq!(hrc.reservations(), ["EGY", "SAU"]);
    assert!(hrc.opponents().is_empty());
    let rus = l.timeline("RUS");
    let asked = rus.entries.iter().find(|e| e.proposal == hrc.id).unwrap();
    assert_eq!(asked.role, Role::Deletion);
    assert_eq!(hrc.outcome, Outcome::Agreed);
    assert_eq!(hrc.succeeded(), Some(false));
}

#[test]
fn example_proposals_replaced_and_replacements() {
    let l = demo_ledger();
    // G77's text in PP9 gave way to the Chair's bridging language in Rev.2.
    let g77 = find(
        l,
        ", while recognizing the need of developing countries to expand their digital infrastructure",
    );
    assert_eq!(g77.outcome, Outcome::Replaced);
    let by = &l.proposals()[g77.replaced_by.unwrap()];
    assert_eq!(by.proposer.as_deref(), Some("Chair"));
    assert_eq!(by.outcome, Outcome::Agreed);

    // CMR: [Urges] {CMR delete} [Encourages] {CMR+}: one replacement, accepted in Rev.1.
    let encourages = l
        .proposals()
        .iter()
        .find(|p| p.text == "Encourages" && p.proposer.as_deref() == Some("CMR"))
        .unwrap();
    let (r, role) = encourages.replacement.unwrap();
    assert_eq!(role, ReplacementRole::Proposed);
    let r = &l.replacements()[r];
    assert_eq!(l.proposals()[r.original].text, "Urges");
    assert_eq!(r.outcome, Outcome::Agreed);
    assert_eq!(r.decided_by, "previous_iteration");
    assert_eq!(l.proposals()[r.original].outcome, Outcome::Replaced);

    // RUS: [Welcomes] {RUS delete} [Takes note of] {RUS+}: Welcomes stayed.
    let takes_note = find(l, "Takes note of");
    let r = &l.replacements()[takes_note.replacement.unwrap().0];
    assert_eq!(l.proposals()[r.original].text, "Welcomes");
    assert_eq!(r.outcome, Outcome::Dropped);
    assert_eq!(takes_note.succeeded(), Some(false));

    // SAU: [greenhouse gas emissions] {SAU delete} [emissions] {SAU+}: the longer text stayed.
    let emissions = find(l, "emissions");
    assert_eq!(emissions.proposer.as_deref(), Some("SAU"));
    assert_ne!(emissions.outcome, Outcome::Agreed);
    assert_eq!(find(l, "greenhouse gas emissions").outcome, Outcome::Agreed);
    assert_eq!(
        l.replacements()[emissions.replacement.unwrap().0].outcome,
        Outcome::Dropped
    );
}

#[test]
fn example_adopted_text_leaves_nothing_open() {
    let l = demo_ledger();
    assert!(l.proposals().iter().all(|p| p.outcome != Outcome::Open));
    let last = l.progress().last().unwrap();
    assert_eq!((last.label.as_str(), last.open_brackets), ("adopted", 0));
    assert_eq!(last.clean_paragraphs, last.paragraphs);
    let compilation = &l.progress()[1];
    assert_eq!(compilation.label, "compilation-1");
    assert!(compilation.open_brackets > 50);
    assert!(compilation.proposed > 50);
    let rev2 = &l.progress()[4];
    assert_eq!(rev2.open_brackets, 3);
    assert_eq!(rev2.agreed_paragraphs, 26);
}

#[test]
fn example_suggestions_are_checked_against_the_next_iteration() {
    let l = demo_ledger();
    let find = |actor: &str, kind| {
        l.suggestions
            .iter()
            .find(|s| s.actor.as_deref() == Some(actor) && s.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} suggestion by {actor}"))
    };
    let fra = find("FRA", SuggestionKind::Move);
    assert_eq!((fra.paragraph.as_str(), fra.followed), ("PP8", Some(true)));
    assert_eq!(fra.next_paragraphs, ["PP11"]);
    let eu = find("EU", SuggestionKind::Split);
    assert_eq!(eu.followed, Some(true));
    let ken = find("KEN", SuggestionKind::Merge);
    assert_eq!(ken.followed, Some(true));
}

#[test]
fn example_unbracketed_changes_have_a_who() {
    let l = demo_ledger();
    // The split asked for by the EU is attributed to the EU from its note.
    let split = l
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::Split)
        .unwrap();
    assert_eq!(split.by.actors, ["EU"]);
    assert_eq!(split.by.source, Source::Notation);
    // "on a voluntary basis" in OP5bis (Rev.2) came from the trailers' actors concerned.
    let hubs = l
        .changes
        .iter()
        .find(|c| c.new == ["OP5bis"] && c.inserted.contains(&"voluntary".to_string()))
        .unwrap();
    assert_eq!(hubs.by.source, Source::Trailer);
    assert!(hubs.by.actors.contains(&"KOR".to_string()));
    for c in &l.changes {
        assert!(!c.by.actors.is_empty() || !c.by.author.is_empty(), "{c:?}");
    }
}

#[test]
fn example_actor_figures_and_timeline() {
    let l = demo_ledger();
    let summary = l.actor_summary(Actors::builtin());
    let row = |a: &str| summary.iter().find(|s| s.actor == a).unwrap().clone();
    let cmr = row("CMR");
    assert_eq!(
        (cmr.proposals, cmr.agreed, cmr.success_rate),
        (1, 1, Some(1.0))
    );
    let chn = row("CHN");
    assert!(chn.proposals >= 3 && chn.dropped >= 2, "{chn:?}");
    assert!(row("IRN").opposed >= 4);
    assert_eq!(row("IRN").proposals, 0);

    let usa = l.timeline("USA");
    let voluntary = usa.entries.iter().find(|e| e.text == "voluntary").unwrap();
    assert_eq!(voluntary.role, Role::Proposer);
    assert_eq!(voluntary.prevailed, Some(true));
    let sovereignty = usa
        .entries
        .iter()
        .find(|e| e.text == ", respecting the data sovereignty of States")
        .unwrap();
    assert_eq!(sovereignty.role, Role::Opponent);
    assert_eq!(sovereignty.prevailed, Some(true));
    assert!(usa.entries.iter().any(|e| e.role == Role::Reservation));
}

#[test]
fn example_matrix_at_the_first_compilation() {
    let repo = Repo::open(demo()).unwrap();
    let text = repo.read_at(RESOLUTION, "compilation-1").unwrap();
    let doc = brackets::parse(&text);
    let m = brackets::ledger::matrix(&doc, Actors::builtin());
    let col = |id: &str| m.paragraphs.iter().position(|p| p == id).unwrap();
    let cell = |actor: &str, id: &str| {
        m.rows
            .iter()
            .find(|r| r.actor == actor)
            .and_then(|r| r.cells[col(id)].clone())
            .map(|c| c.stance)
    };
    assert_eq!(cell("CMR", "OP2"), Some(CellStance::Proposer));
    assert_eq!(cell("IRN", "OP1"), Some(CellStance::Support));
    assert_eq!(cell("USA", "OP4"), Some(CellStance::Proposer));
    assert_eq!(cell("JPN", "OP4"), Some(CellStance::Mixed));
    assert_eq!(cell("EGY", "PP6"), Some(CellStance::Reserve));
    assert_eq!(cell("FRA", "PP8"), Some(CellStance::Note));
    assert_eq!(cell("USA", "PP1"), None);
}

// ---- hand-written histories ----

#[test]
fn each_outcome_on_a_hand_written_history() {
    let (_dir, l) = fixture("outcomes");
    let agreed = find(&l, ", including resolution 12/3 on marine observation");
    assert_eq!(agreed.outcome, Outcome::Agreed);
    assert_eq!(resolved_in(&l, agreed).as_deref(), Some("rev1"));
    // Agreed by the Chair's revision, taking NOR's proposal on board (trailer).
    let by = agreed.resolved_by.as_ref().unwrap();
    assert_eq!(
        (by.actors.as_slice(), by.source),
        (&["NOR".to_string()][..], Source::Trailer)
    );

    let dropped = find(
        &l,
        ", while respecting national jurisdiction over marine scientific research",
    );
    assert_eq!(dropped.outcome, Outcome::Dropped);
    assert_eq!(dropped.opponents(), ["USA"]);
    assert_eq!(dropped.resolved_by.as_ref().unwrap().source, Source::Author);

    // Edited and still open, with GBR joining.
    let edited = find(&l, "in real time");
    assert_eq!(edited.outcome, Outcome::Open);
    assert_eq!(edited.text, "in near real time");
    assert!(edited.events.iter().any(|e| e.kind == EventKind::Edited));
    assert!(
        edited
            .events
            .iter()
            .any(|e| e.kind == EventKind::Joined && e.actor.as_deref() == Some("GBR"))
    );

    let voluntary = find(&l, "on a voluntary basis");
    assert_eq!(voluntary.outcome, Outcome::Agreed);

    // Competing alternatives: biennially agreed, annually replaced by it.
    let biennially = find(&l, "biennially");
    let annually = find(&l, "annually");
    assert_eq!(biennially.outcome, Outcome::Agreed);
    assert_eq!(annually.outcome, Outcome::Replaced);
    assert_eq!(annually.replaced_by, Some(biennially.id));

    // Still open, USA places a reservation, and is alone against it.
    let facility = find(
        &l,
        "and to consider the establishment of an ocean data facility under the Assembly",
    );
    assert_eq!(facility.outcome, Outcome::Open);
    assert!(
        facility
            .events
            .iter()
            .any(|e| e.kind == EventKind::ReservationPlaced && e.actor.as_deref() == Some("USA"))
    );
    let summary = l.actor_summary(Actors::builtin());
    let usa = summary.iter().find(|s| s.actor == "USA").unwrap();
    assert_eq!(usa.reserved, 1);
    let eu = summary.iter().find(|s| s.actor == "EU").unwrap();
    assert_eq!(eu.opposed, 1);

    let kinds: Vec<Outcome> = l.proposals().iter().map(|p| p.outcome).collect();
    for o in [
        Outcome::Agreed,
        Outcome::Dropped,
        Outcome::Replaced,
        Outcome::Open,
    ] {
        assert!(kinds.contains(&o), "no {o:?} in {kinds:?}");
    }
    let rev1 = l.progress().last().unwrap();
    assert_eq!((rev1.open_brackets, rev1.reservations), (2, 1));
    assert_eq!(rev1.agreed_paragraphs, 1);
}

#[test]
fn replacement_original_first() {
    // [Urges] {CMR+} [Requests] {CMR+}: Urges stood in the zero draft, so it is the original.
    let (_dir, l) = fixture("replace-forward");
    assert_eq!(l.replacements().len(), 1);
    let r = &l.replacements()[0];
    assert_eq!(l.proposals()[r.original].text, "Urges");
    assert_eq!(l.proposals()[r.proposed].text, "Requests");
    assert_eq!(r.decided_by, "previous_iteration");
    assert_eq!(r.proposer.as_deref(), Some("CMR"));
    assert_eq!(r.outcome, Outcome::Agreed);
    assert_eq!(l.proposals()[r.original].outcome, Outcome::Replaced);
    let cmr = l
        .actor_summary(Actors::builtin())
        .into_iter()
        .find(|s| s.actor == "CMR")
        .unwrap();
    // One replacement is one proposal.
    assert_eq!((cmr.proposals, cmr.agreed), (1, 1));
}

#[test]
fn replacement_original_second() {
    // [Requests] {CMR+} [Urges] {CMR+}: the original comes second; Rev.1 keeps it.
    let (_dir, l) = fixture("replace-backward");
    assert_eq!(l.replacements().len(), 1);
    let r = &l.replacements()[0];
    assert_eq!(l.proposals()[r.original].text, "Urges");
    assert_eq!(l.proposals()[r.proposed].text, "Requests");
    assert_eq!(r.decided_by, "previous_iteration");
    assert_eq!(r.outcome, Outcome::Dropped);
    let cmr = l
        .actor_summary(Actors::builtin())
        .into_iter()
        .find(|s| s.actor == "CMR")
        .unwrap();
    assert_eq!((cmr.proposals, cmr.agreed), (1, 0));
    assert_eq!(cmr.success_rate, Some(0.0));
}

#[test]
fn unbracketed_changes_are_attributed_by_trailers_or_author() {
    let (_dir, l) = fixture("trailers");
    assert_eq!(l.changes.len(), 3, "{:?}", l.changes);
    let by = |label: &str| {
        l.changes
            .iter()
            .find(|c| l.label(c.iteration) == label)
            .unwrap()
            .by
            .clone()
    };
    let rev1 = by("rev1");
    assert_eq!(
        (rev1.actors, rev1.source),
        (vec!["FRA".to_string()], Source::Trailer)
    );
    let rev2 = by("rev2");
    assert_eq!(rev2.actors, ["FJI"]);
    assert_eq!(rev2.on_behalf_of, ["G77"]);
    assert_eq!(rev2.source, Source::Trailer);
    let rev3 = by("rev3");
    assert_eq!(
        (rev3.source, rev3.author.as_str()),
        (Source::Author, "The Chair")
    );
    assert!(rev3.actors.is_empty());
    let change = l
        .changes
        .iter()
        .find(|c| l.label(c.iteration) == "rev3")
        .unwrap();
    assert_eq!(change.inserted, ["seventh"]);
    assert_eq!(change.deleted, ["next"]);
}

#[test]
fn documents_without_git_and_empty_histories() {
    let l = Ledger::from_documents(Vec::new());
    assert!(l.proposals().is_empty() && l.progress().is_empty());
    let one = brackets::parse("The Assembly,\n\n1. Decides [to act] {USA+ FRA-};\n");
    let l = Ledger::from_documents(vec![(brackets::ledger::Step::named("only"), one)]);
    assert_eq!(l.proposals().len(), 1);
    assert_eq!(l.proposals()[0].outcome, Outcome::Open);
    assert_eq!(l.timeline("FRA").entries[0].role, Role::Opponent);
}

// ---- the commands ----

fn run(cwd: &Path, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_brackets"))
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap()
}

#[test]
fn cli_actors_history_json_and_csv() {
    let v = json(&run(demo(), &["actors", RESOLUTION, "--history", "--json"]));
    let actors = v["actors"].as_array().unwrap();
    let cmr = actors.iter().find(|a| a["actor"] == "CMR").unwrap();
    assert_eq!(cmr["proposals"], 1);
    assert_eq!(cmr["agreed"], 1);
    assert_eq!(cmr["success_rate"], 1.0);
    for field in [
        "supported",
        "opposed",
        "reserved",
        "dropped",
        "open",
        "isolated",
    ] {
        assert!(cmr.get(field).is_some(), "{field}");
    }
    let csv = stdout(&run(demo(), &["actors", RESOLUTION, "--history", "--csv"]));
    assert!(csv.starts_with("actor,name,proposals,agreed,dropped"));
    assert!(
        csv.lines().any(|l| l.starts_with("CMR,Cameroon,1,1,")),
        "{csv}"
    );
    let text = stdout(&run(demo(), &["actors", RESOLUTION, "--history"]));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // An actor code is an identifier: never cut.
    assert!(
        text.lines().any(|l| l.starts_with("Secretariat ")),
        "{text}"
    );
}

#[test]
fn cli_actor_timeline() {
    let v = json(&run(demo(), &["actor", "usa", RESOLUTION, "--json"]));
    assert_eq!(v["actor"], "USA");
    let entries = v["entries"].as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["text"] == "voluntary"
            && e["role"] == "proposer"
            && e["outcome"] == "agreed")
    );
    let text = stdout(&run(demo(), &["actor", "USA", RESOLUTION]));
    assert!(
        text.contains("Proposed") && text.contains("voluntary"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    let none = stdout(&run(demo(), &["actor", "XYZ", RESOLUTION]));
    assert!(none.contains("takes no position"), "{none}");
}

#[test]
fn cli_report_formats() {
    let html = stdout(&run(
        demo(),
        &["report", RESOLUTION, "--actor", "EGY", "--format", "html"],
    ));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>") && html.contains("@media print"));
    assert!(
        !html.contains("<script") && !html.contains("http"),
        "self-contained"
    );
    assert!(html.contains("Position report: EGY (Egypt)"));
    let md = stdout(&run(
        demo(),
        &[
            "report", RESOLUTION, "--actor", "EGY", "--format", "markdown",
        ],
    ));
    assert!(md.starts_with("# Position report: EGY"));
    assert!(md.contains("## Our proposals"));
    let csv = stdout(&run(demo(), &["report", RESOLUTION, "--format", "csv"]));
    assert!(csv.starts_with("id,paragraph,"));
    let v = json(&run(demo(), &["report", RESOLUTION, "--format", "json"]));
    assert!(v["proposals"].as_array().unwrap().len() > 50);
    assert_eq!(v["progress"].as_array().unwrap().len(), 6);
    // Written atomically to a file.
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("egy.html");
    let o = run(
        demo(),
        &[
            "report",
            RESOLUTION,
            "--actor",
            "EGY",
            "--format",
            "html",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), html);
    // An existing file is kept unless --force; a folder is named as such.
    std::fs::write(&file, "precious").unwrap();
    let to = |target: &std::path::Path, force: bool| {
        let mut args = vec!["report", RESOLUTION, "--actor", "EGY", "--format", "html"];
        args.extend(["-o", target.to_str().unwrap()]);
        if force {
            args.push("--force");
        }
        run(demo(), &args)
    };
    let kept = to(&file, false);
    assert_eq!(kept.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&kept.stderr).contains("exists: add --force to replace it"),
        "{}",
        String::from_utf8_lossy(&kept.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
    assert!(to(&file, true).status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), html);
    let folder = to(out_dir.path(), false);
    assert!(
        String::from_utf8_lossy(&folder.stderr).contains("it is a folder"),
        "{}",
        String::from_utf8_lossy(&folder.stderr)
    );
    // No temporary file left behind.
    let names: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["egy.html"]);
}

#[test]
fn cli_report_escapes_html() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("01.md"),
        "The Assembly,\n\n1. Decides [<script>alert(1)</script> & more] {USA+};\n",
    )
    .unwrap();
    std::fs::write(
        src.join("iterations.json"),
        r#"{"draft": "d.md", "iterations": [{"file": "01.md", "date": "2026-01-01T00:00:00+00:00",
        "author": {"name": "A <b>", "email": "a@example.org"}, "message": "One"}]}"#,
    )
    .unwrap();
    // The author name is refused by the import (no `<`): use a plain one.
    let manifest = std::fs::read_to_string(src.join("iterations.json"))
        .unwrap()
        .replace("A <b>", "A");
    std::fs::write(src.join("iterations.json"), manifest).unwrap();
    let repo = dir.path().join("repo");
    brackets::repo::import::import_dir(&src, &repo).unwrap();
    let html = stdout(&run(&repo, &["report", "d.md", "--format", "html"]));
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
}

#[test]
fn cli_matrix_and_progress() {
    let csv = stdout(&run(
        demo(),
        &["matrix", &format!("{RESOLUTION}@compilation-1"), "--csv"],
    ));
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("actor,name,PP1,PP2"));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("CMR,") && l.contains("proposer"))
    );
    let v = json(&run(
        demo(),
        &["matrix", &format!("{RESOLUTION}@compilation-1"), "--json"],
    ));
    assert!(v["rows"].as_array().unwrap().len() > 20);
    let text = stdout(&run(demo(), &["matrix", &format!("{RESOLUTION}@rev1")]));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");

    let v = json(&run(demo(), &["progress", RESOLUTION, "--json"]));
    let its = v["iterations"].as_array().unwrap();
    assert_eq!(its.len(), 6);
    assert_eq!(its[5]["open_brackets"], 0);
    assert!(v["suggestions"].as_array().unwrap().len() >= 3);
    let text = stdout(&run(demo(), &["progress", RESOLUTION]));
    assert!(text.contains("compilation-1") && text.contains("followed"));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn cli_errors_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("loose.md"), "The Assembly,\n\n1. Acts;\n").unwrap();
    let o = run(dir.path(), &["actor", "USA", "loose.md"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("brackets: cannot follow the proposals of loose.md"),
        "{err}"
    );
    let o = run(dir.path(), &["report", "loose.md", "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cli_uncommitted_changes_are_the_last_iteration() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger/outcomes");
    brackets::repo::import::import_dir(&src, dir.path()).unwrap();
    let file = dir.path().join("ocean.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("biennially;", "biennially[ with\u{1b} data] {PER+};");
    std::fs::write(&file, text).unwrap();
    let v = json(&run(dir.path(), &["progress", "ocean.md", "--json"]));
    let its = v["iterations"].as_array().unwrap();
    assert_eq!(its.last().unwrap()["label"], "WORKTREE");
    assert_eq!(its.last().unwrap()["proposed"], 1);
    // At a revision, only the committed history.
    let v = json(&run(dir.path(), &["progress", "ocean.md@rev1", "--json"]));
    assert_eq!(v["iterations"].as_array().unwrap().len(), 3);
    // Control characters from the draft never reach the terminal raw.
    for format in ["csv", "markdown", "html"] {
        let out = stdout(&run(
            dir.path(),
            &["report", "ocean.md", "--actor", "PER", "--format", format],
        ));
        assert!(!out.contains('\u{1b}'), "{format}: {out}");
    }
    let out = stdout(&run(dir.path(), &["actor", "PER", "ocean.md"]));
    assert!(!out.contains('\u{1b}') && out.contains("data"), "{out}");
}

#[test]
fn hostile_histories_finish() {
    // Thousands of adjacent brackets, then all of them lifted; and unbalanced damage.
    let many: String = (0..1000).map(|i| format!("[w{i}] {{USA+}} ")).collect();
    let lifted: String = (0..1000).map(|i| format!("w{i} ")).collect();
    let docs = [
        format!("The Assembly,\n\n1. Decides {many};\n"),
        format!("The Assembly,\n\n1. Decides {lifted};\n"),
        "The Assembly,\n\n1. [[[ Decides ]]]] {USA+ {FRA-\n\n2. ] ] {EGY reserve}\n".to_string(),
        String::new(),
    ];
    let steps = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                brackets::ledger::Step::named(&format!("i{i}")),
                brackets::parse(d),
            )
        })
        .collect();
    let l = Ledger::from_documents(steps);
    assert_eq!(
        l.proposals()
            .iter()
            .filter(|p| p.outcome == Outcome::Agreed)
            .count(),
        1000
    );
    let _ = (l.actor_summary(Actors::builtin()), l.timeline("USA"));
}

// ---- reservations, deletion requests and nested alternatives ----

/// The `stances` fixture: a paragraph RUS and IRN ask to delete while EGY and SAU only reserve;
/// OP1 in brackets around two alternatives with RUS reserving; OP2 proposed by KEN, opposed by
/// the EU, reserved on by the USA.
fn stances() -> (tempfile::TempDir, Ledger) {
    fixture("stances")
}

#[test]
fn reservations_and_deletion_requests_are_not_oppositions() {
    let (_dir, l) = stances();
    let recalling = l
        .proposals()
        .iter()
        .find(|p| p.first_paragraph == "PP1")
        .unwrap();
    assert_eq!(recalling.kind, ProposalKind::Deletion);
    // Asking to delete a text is not proposing it.
    assert_eq!(recalling.proposer, None);
    assert_eq!(recalling.deletion_asked_by(), ["RUS", "IRN"]);
    assert_eq!(recalling.reservations(), ["EGY", "SAU"]);
    assert!(recalling.opponents().is_empty());
    assert!(recalling.supporters().is_empty());
    assert_eq!(recalling.introduced_by.actors, ["RUS"]);

    let facility = find(
        &l,
        "and to consider the establishment of an ocean data facility",
    );
    assert_eq!(facility.proposer.as_deref(), Some("KEN"));
    assert_eq!(facility.opponents(), ["EU"]);
    assert_eq!(facility.reservations(), ["USA"]);
    assert!(facility.deletion_asked_by().is_empty());

    // RUS asked to delete PP1 and reserved on OP1: no proposal, no opposition.
    let rus = l.timeline("RUS");
    let entry = rus.entries.iter().find(|e| e.paragraph == "PP1").unwrap();
    assert_eq!(entry.role, Role::Deletion);
    assert_eq!(entry.proposer, None);
    assert_eq!(entry.prevailed, Some(false));
    assert_eq!(entry.deletion_asked_by, ["RUS", "IRN"]);
    assert_eq!(entry.reservations, ["EGY", "SAU"]);
    assert!(entry.opponents.is_empty());
    let op1 = rus.entries.iter().find(|e| e.paragraph == "OP1").unwrap();
    assert_eq!(op1.role, Role::Reservation);
    assert_eq!(op1.opponents, ["CHN"]);
    assert_eq!(op1.reservations, ["RUS"]);
    assert!(rus.entries.iter().all(|e| e.role != Role::Proposer));

    let egy = l.timeline("EGY");
    let entry = egy.entries.iter().find(|e| e.paragraph == "PP1").unwrap();
    assert_eq!(entry.role, Role::Reservation);
    assert!(entry.opponents.is_empty());

    let summary = l.actor_summary(Actors::builtin());
    let row = |a: &str| summary.iter().find(|s| s.actor == a).unwrap().clone();
    let rus = row("RUS");
    assert_eq!(
        (rus.proposals, rus.opposed, rus.deletions, rus.reserved),
        (0, 0, 1, 1)
    );
    assert_eq!((row("EGY").opposed, row("EGY").reserved), (0, 1));
    assert_eq!(row("EU").opposed, 1);
    // The Chair's [Calls upon] {Chair delete} is the original half of its own replacement:
    // one proposal, no deletion of its own.
    let chair = row("Chair");
    assert_eq!((chair.proposals, chair.deletions), (1, 0));
    assert!(
        l.timeline("Chair")
            .entries
            .iter()
            .all(|e| e.role == Role::Proposer)
    );
}

#[test]
fn a_later_support_does_not_make_a_deletion_request_a_proposal() {
    let zero = brackets::parse("The Assembly,\n\n1. Decides to act;\n");
    let comp = brackets::parse("The Assembly,\n\n1. Decides [to act] {RUS delete}{USA+};\n");
    let l = Ledger::from_documents(vec![
        (brackets::ledger::Step::named("zero"), zero),
        (brackets::ledger::Step::named("compilation"), comp),
    ]);
    let p = find(&l, "to act");
    assert_eq!(
        (p.kind, p.proposer.as_deref()),
        (ProposalKind::Deletion, None)
    );
    // USA supports keeping the text.
    assert_eq!(p.supporters(), ["USA"]);
    assert_eq!(l.timeline("USA").entries[0].role, Role::Supporter);
    assert_eq!(l.timeline("RUS").entries[0].role, Role::Deletion);
}

#[test]
fn a_bracket_holding_alternatives_is_quoted_with_their_marks() {
    let (_dir, l) = stances();
    let op1 = l
        .proposals()
        .iter()
        .find(|p| p.first_paragraph == "OP1" && p.proposer.as_deref() == Some("EU"))
        .unwrap();
    assert_eq!(
        op1.first_text,
        "[Calls upon] [Encourages] Member States to share ocean data[, including in real time],"
    );
    assert_eq!(
        op1.text,
        "[Calls upon] [Encourages] Member States to share ocean data,"
    );
    // The alternatives themselves hold no other bracket: their words.
    assert_eq!(find(&l, "Encourages").proposer.as_deref(), Some("Chair"));
    assert_eq!(find(&l, "Calls upon").kind, ProposalKind::Deletion);
}

#[test]
fn cli_actor_lists_deletion_requests_and_reservations_apart() {
    let (dir, _) = stances();
    let text = stdout(&run(dir.path(), &["actor", "RUS", "ocean.md"]));
    assert!(!text.contains("Proposed ("), "{text}");
    assert!(text.contains("Asked to delete (1)"), "{text}");
    assert!(text.contains("Reservations (1)"), "{text}");
    assert!(
        text.contains("deletion asked by RUS, IRN; reservations: EGY, SAU"),
        "{text}"
    );
    assert!(text.contains("opposed by CHN; reservations: RUS"), "{text}");
    for line in text.lines() {
        if let Some((_, opposed)) = line.split_once("opposed by ") {
            let opposed = opposed.split(';').next().unwrap_or_default();
            assert!(
                !opposed.contains("RUS") && !opposed.contains("EGY"),
                "{line}"
            );
        }
    }

    let v = json(&run(dir.path(), &["actor", "RUS", "ocean.md", "--json"]));
    let entries = v["entries"].as_array().unwrap();
    let pp1 = entries.iter().find(|e| e["paragraph"] == "PP1").unwrap();
    assert_eq!(pp1["role"], "deletion");
    assert_eq!(pp1["proposer"], serde_json::Value::Null);
    assert_eq!(pp1["opponents"], serde_json::json!([]));
    assert_eq!(pp1["deletion_asked_by"], serde_json::json!(["RUS", "IRN"]));
    assert_eq!(pp1["reservations"], serde_json::json!(["EGY", "SAU"]));
    assert_eq!(v["summary"]["deletions"], 1);
    assert_eq!(v["summary"]["opposed"], 0);
}

#[test]
fn cli_report_lists_deletion_requests_and_reservations_apart() {
    let (dir, _) = stances();
    let report = |actor: Option<&str>, format: &str| {
        let mut args = vec!["report", "ocean.md", "--format", format];
        if let Some(a) = actor {
            args.extend(["--actor", a]);
        }
        stdout(&run(dir.path(), &args))
    };
    // Markdown: the PP1 row names nobody as proposer or opponent.
    let md = report(Some("EGY"), "markdown");
    assert!(
        md.contains("| Supported by | Opposed by | Deletion asked by | Reservations |"),
        "{md}"
    );
    let row: Vec<&str> = md
        .lines()
        .find(|l| l.starts_with("| PP1 |"))
        .unwrap()
        .split(" | ")
        .map(str::trim)
        .collect();
    // Paragraph, Text, Proposed by, Iterations, Outcome, Prevailed, Supported by, Opposed by,
    // Deletion asked by, Reservations.
    assert_eq!(row[2], "", "{row:?}");
    assert_eq!(row[7], "", "{row:?}");
    assert_eq!(row[8], "RUS, IRN", "{row:?}");
    assert_eq!(row[9].trim_end_matches(" |"), "EGY, SAU", "{row:?}");

    let html = report(None, "html");
    assert!(html.contains("<th>Deletion asked by</th><th>Reservations</th>"));
    assert!(
        html.contains("<td></td><td></td><td>RUS, IRN</td><td>EGY, SAU</td>"),
        "{html}"
    );

    // CSV: the same header with columns added at the end.
    let csv = report(Some("RUS"), "csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "actor,role,paragraph,current_paragraph,text,proposer,first,last,outcome,resolved,prevailed,supporters,opponents,isolated,deletion_asked_by,reservations"
    );
    let pp1 = lines.find(|l| l.contains(",PP1,")).unwrap();
    assert!(pp1.starts_with("RUS,deletion,PP1,"), "{pp1}");
    assert!(pp1.ends_with(",,,false,RUS IRN,EGY SAU"), "{pp1}");
    let csv = report(None, "csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,paragraph,current_paragraph,text,kind,proposer,supporters,opponents,introduced,last_seen,outcome,resolved,replaced_by,deletion_asked_by,reservations"
    );
    let facility = lines.find(|l| l.contains("ocean data facility")).unwrap();
    assert!(facility.contains(",insertion,KEN,,EU,"), "{facility}");
    assert!(facility.ends_with(",,USA"), "{facility}");

    // JSON: the fields as before, and the lists beside them.
    let v = json(&run(
        dir.path(),
        &["report", "ocean.md", "--format", "json"],
    ));
    let pp1 = v["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["first_paragraph"] == "PP1")
        .unwrap();
    assert_eq!(pp1["kind"], "deletion");
    assert_eq!(pp1["proposer"], serde_json::Value::Null);
    assert_eq!(pp1["opponents"], serde_json::json!([]));
    assert_eq!(pp1["deletion_asked_by"], serde_json::json!(["RUS", "IRN"]));
    assert_eq!(pp1["reservations"], serde_json::json!(["EGY", "SAU"]));

    // The per-actor figures: a deletions column added at the end.
    let csv = stdout(&run(
        dir.path(),
        &["actors", "ocean.md", "--history", "--csv"],
    ));
    assert!(csv.starts_with(
        "actor,name,proposals,agreed,dropped,replaced,open,supported,opposed,reserved,notes,isolated,success_rate,deletions\n"
    ));
    let rus = csv.lines().find(|l| l.starts_with("RUS,")).unwrap();
    assert!(
        rus.starts_with("RUS,Russian Federation,0,0,0,0,0,0,0,1,"),
        "{rus}"
    );
    assert!(rus.ends_with(",1"), "{rus}");
}

#[test]
fn cli_actor_and_report_quote_alternatives_with_their_marks() {
    let (dir, _) = stances();
    let text = stdout(&run(dir.path(), &["actor", "NOR", "ocean.md"]));
    assert!(
        text.contains("[[Calls upon] [Encourages] Member States to share ocean data,]"),
        "{text}"
    );
    assert!(!text.contains("Calls upon Encourages"), "{text}");
    let md = stdout(&run(
        dir.path(),
        &["report", "ocean.md", "--format", "markdown"],
    ));
    assert!(
        md.contains(r"\[Calls upon\] \[Encourages\] Member States to share ocean data,"),
        "{md}"
    );
    assert!(!md.contains("Calls upon Encourages"), "{md}");
}

/// A proposal's outcome follows its own words, not the same words elsewhere in the paragraph:
/// `[the]` dropped from a paragraph full of `the` is dropped, and a new `[the]` is a proposal,
/// not words of the agreed text put in brackets.
#[test]
fn an_outcome_of_common_words_follows_the_proposals_own_words() {
    let (_dir, l) = fixture("common-words");
    let of = |paragraph: &str, text: &str| {
        l.proposals()
            .iter()
            .find(|p| p.first_paragraph == paragraph && p.text == text)
            .unwrap_or_else(|| panic!("{paragraph} {text:?}: {:?}", l.proposals()))
    };
    assert_eq!(of("OP1", "the").outcome, Outcome::Dropped);
    assert_eq!(of("OP1", "will").outcome, Outcome::Agreed);
    let new = of("OP2", "the");
    assert_eq!(new.outcome, Outcome::Open);
    assert_eq!(new.proposer.as_deref(), Some("RUS"));
}
