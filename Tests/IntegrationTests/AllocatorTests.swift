import Testing

/// The `settle` executable allocates with jemalloc (Package.swift links it ahead of the C library):
/// the review spent ~9% less CPU with it at 1,000,000 requests. Linked but not ahead of glibc, or
/// dropped by the linker, the binary would still work — only slower — so this is checked here.
@Suite("The settle binary's allocator")
struct AllocatorTests {
    @Test("malloc is jemalloc's: its statistics are printed at exit when asked for")
    func jemalloc() throws {
        let run = try SettleBinary.run(["--version"], environment: ["MALLOC_CONF": "stats_print:true"])
        #expect(run.status == 0)
        #expect(run.output.contains("jemalloc statistics"))
    }
}
