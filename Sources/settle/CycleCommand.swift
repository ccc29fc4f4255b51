import ArgumentParser

struct Cycle: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cycle (not implemented yet).")
    @OptionGroup var global: GlobalOptions

    func run() throws { try NotImplemented.fail("cycle") }
}
