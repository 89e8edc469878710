import Synchronization

/// What a long search says about itself while it runs (`SearchControl.progress`).
public struct SearchProgress: Sendable, Hashable {
  public var states: Int
  public var depth: Int
  /// States waiting to be expanded: the search stack's pending steps (DFS), the next level
  /// (BFS), or 0 for random walks.
  public var frontier: Int
  public var seconds: Double
  public var peakMemoryBytes: Int

  public var statesPerSecond: Double { seconds > 0 ? Double(states) / seconds : 0 }
}

/// Process-wide controls of running searches, which a command line sets: an interrupt (SIGINT
/// ends every search at its next clock check with bound `interrupted`, its statistics kept) and
/// a progress sink called from the search thread once a search has run for a second, then
/// every `progressInterval` seconds.
public enum SearchControl {
  static let interruptFlag = Atomic<Bool>(false)
  static let sink = Mutex<(@Sendable (SearchProgress) -> Void)?>(nil)
  static let interval = Mutex<Double>(10)

  /// Asks every running (and later) search to stop.
  public static func interrupt() { interruptFlag.store(true, ordering: .relaxed) }

  public static var isInterrupted: Bool { interruptFlag.load(ordering: .relaxed) }

  /// Where progress goes (nil: nowhere), and how often.
  public static func setProgress(
    every seconds: Double, _ report: (@Sendable (SearchProgress) -> Void)?
  ) {
    interval.withLock { $0 = seconds }
    sink.withLock { $0 = report }
  }
}
