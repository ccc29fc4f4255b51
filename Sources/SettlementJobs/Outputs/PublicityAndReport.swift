import SettlementCore
import SettlementStore

/// The publicity list and the finance report of a review (filled in by the publicity work).
struct PublicityAndReport {
    let connection: Connection
    let configuration: SettleConfiguration
    let runID: Int64

    func write(month: BatchMonth, window: PublicityWindow, output: OutputDirectory) throws {}
}
