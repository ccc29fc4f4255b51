import ArgumentParser

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sample (not implemented yet).")
    @OptionGroup var global: GlobalOptions

    func run() throws { try NotImplemented.fail("sample") }
}
