/// A sample could not be written (the inbox directory is not writable, …).
public struct SampleError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
