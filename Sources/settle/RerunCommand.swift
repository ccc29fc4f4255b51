import ArgumentParser

struct Rerun: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rerun (not implemented yet).")
    @OptionGroup var global: GlobalOptions

    func run() throws { try NotImplemented.fail("rerun") }
}
