import ArgumentParser

struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reconcile (not implemented yet).")
    @OptionGroup var global: GlobalOptions

    func run() throws { try NotImplemented.fail("reconcile") }
}
