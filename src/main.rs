// The parser and the diff allocate many small nodes; mimalloc frees them much faster than the
// system allocator (measured in benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// zlib-rs provides the zlib symbols libgit2 calls to inflate objects, in place of the system
// zlib: it inflates the delta chains of a draft's blobs faster (benches/README.md).
extern crate libz_rs_sys;

fn main() -> std::process::ExitCode {
    brackets::cli::main()
}

/// A command lives for milliseconds and touches a few kilobytes of each allocator arena, but
/// with transparent huge pages set to `always` the kernel zeroes 2 MiB on each first touch: a
/// fifth of a `diff`'s CPU time (benches/README.md). Small pages are what a short process
/// wants. It runs as a constructor because the Rust runtime allocates before `main`. Processes
/// brackets starts (the external editor) inherit the setting, and lose nothing that matters.
#[cfg(target_os = "linux")]
extern "C" fn no_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes nothing but how the
    // kernel backs this process's later page faults; on a kernel without it, it fails harmlessly.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(target_os = "linux")]
#[used]
// SAFETY: the function above is `extern "C"`, takes no arguments and does not touch Rust's
// runtime, which is what the loader requires of an `.init_array` entry.
#[unsafe(link_section = ".init_array")]
static DISABLE_HUGE_PAGES_AT_LOAD: extern "C" fn() = no_transparent_huge_pages;
