/// The time and memory bounds of one run, checked at a fixed cadence.
///
/// The clock is read every `expansionsPerClockCheck` expansions and the peak resident set size
/// every `statesPerMemoryCheck` stored states, so the checks cost nothing measurable.
@usableFromInline
struct SearchBudget {
  static let expansionsPerClockCheck = 1024
  static let statesPerMemoryCheck = 4096

  private let clock = ContinuousClock()
  let start: ContinuousClock.Instant
  private let deadline: ContinuousClock.Instant?
  private let memoryLimitBytes: Int
  private var expansionsUntilClockCheck = SearchBudget.expansionsPerClockCheck
  private var statesUntilMemoryCheck = SearchBudget.statesPerMemoryCheck
  /// When progress is next due (the first report after a second).
  private var nextProgress: ContinuousClock.Instant
  /// Whether this budget reports progress (one thread of a parallel search does, for all).
  @usableFromInline
  var reportsProgress = true

  @usableFromInline
  init(config: ExplorationConfig) {
    start = clock.now
    // Durations overflow near 9e18 ns; a limit beyond ~30 years is no limit.
    deadline =
      config.timeLimitSeconds < 1e9
      ? start.advanced(by: .nanoseconds(Int64(config.timeLimitSeconds * 1e9))) : nil
    memoryLimitBytes = config.memoryLimitBytes
    nextProgress = start.advanced(by: .seconds(1))
  }

  /// Counts one expansion; returns `.interrupted` after SIGINT and `.time` when the deadline
  /// has passed. At each clock check, reports `progress()` to `SearchControl` when it is due.
  @usableFromInline
  mutating func expanded(_ progress: @autoclosure () -> (states: Int, depth: Int, frontier: Int))
    -> Bound?
  {
    expansionsUntilClockCheck -= 1
    guard expansionsUntilClockCheck <= 0 else { return nil }
    expansionsUntilClockCheck = Self.expansionsPerClockCheck
    if SearchControl.isInterrupted { return .interrupted }
    let now = clock.now
    if reportsProgress, now >= nextProgress, let sink = SearchControl.sink.withLock({ $0 }) {
      let p = progress()
      sink(
        SearchProgress(
          states: p.states, depth: p.depth, frontier: p.frontier, seconds: elapsedSeconds,
          peakMemoryBytes: ResourceUsage.peakResidentBytes()))
      let every = max(0.05, SearchControl.interval.withLock { $0 })
      nextProgress = now.advanced(by: .nanoseconds(Int64(every * 1e9)))
    }
    guard let deadline else { return nil }
    return now >= deadline ? .time : nil
  }

  /// Counts one stored state; returns `.memory` when the peak RSS exceeds the limit.
  @usableFromInline
  mutating func stored() -> Bound? {
    statesUntilMemoryCheck -= 1
    guard statesUntilMemoryCheck <= 0 else { return nil }
    statesUntilMemoryCheck = Self.statesPerMemoryCheck
    return ResourceUsage.peakResidentBytes() > memoryLimitBytes ? .memory : nil
  }

  /// Seconds since the run started.
  @usableFromInline
  var elapsedSeconds: Double {
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }
}
