fn main() -> std::process::ExitCode {
    brackets::cli::main()
}
