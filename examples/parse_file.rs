//! Parses files given on the command line, for profiling: `cargo run --release --example parse_file -- FILE...`.
fn main() {
    for path in std::env::args().skip(1) {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let doc = brackets::parse(&text);
                println!(
                    "{path}: {} paragraphs, {} diagnostics",
                    doc.paragraphs.len(),
                    doc.diagnostics.len()
                );
            }
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
