import ArgumentParser

enum NotImplemented {
    static func fail(_ command: String) throws -> Never {
        Exit.printError("\(command): not implemented yet")
        throw ExitCode(2)
    }
}
