import ArgumentParser

struct Disburse: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Disburse (not implemented yet).")
    @OptionGroup var global: GlobalOptions

    func run() throws { try NotImplemented.fail("disburse") }
}
