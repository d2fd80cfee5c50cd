import CNachweisShim

/// Settings of the process a server runs in, applied once at start (`nachweis serve`, and the benchmarks that
/// measure what the server does).
public enum ProcessTuning {
    /// glibc's allocator keeps up to 64 MiB of freed memory instead of handing it back to the kernel whenever a free
    /// leaves more than 128 KiB at the top of a heap. Under load the commit thread freed a batch's buffers and glibc
    /// trimmed the heap each time (`brk` shrinking the main arena, `madvise` for the others, each followed by a TLB
    /// flush on every core): an eighth of the writer's time at 32 concurrent issuers. Blocks of 4 MiB and more are
    /// still mapped on their own and returned when freed (setting one threshold fixes both, so both are stated).
    @discardableResult
    public static func allocator() -> Bool {
        nw_malloc_thresholds(64 << 20, 4 << 20) == 1
    }
}
