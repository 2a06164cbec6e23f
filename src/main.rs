// The parser and the diff allocate many small nodes; mimalloc frees them much faster than the
// system allocator (measured in benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    brackets::cli::main()
}
