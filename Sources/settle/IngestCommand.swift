import ArgumentParser

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ingest (not implemented yet).")
    @OptionGroup var global: GlobalOptions

    func run() throws { try NotImplemented.fail("ingest") }
}
