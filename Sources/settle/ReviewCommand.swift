import ArgumentParser

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Review (not implemented yet).")
    @OptionGroup var global: GlobalOptions

    func run() throws { try NotImplemented.fail("review") }
}
