import ArgumentParser

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Status (not implemented yet).")
    @OptionGroup var global: GlobalOptions

    func run() throws { try NotImplemented.fail("status") }
}
