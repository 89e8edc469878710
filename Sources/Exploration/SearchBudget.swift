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

  @usableFromInline
  init(config: ExplorationConfig) {
    start = clock.now
    // Durations overflow near 9e18 ns; a limit beyond ~30 years is no limit.
    deadline =
      config.timeLimitSeconds < 1e9
      ? start.advanced(by: .nanoseconds(Int64(config.timeLimitSeconds * 1e9))) : nil
    memoryLimitBytes = config.memoryLimitBytes
  }

  /// Counts one expansion; returns `.time` when the deadline has passed.
  @usableFromInline
  mutating func expanded() -> Bound? {
    expansionsUntilClockCheck -= 1
    guard expansionsUntilClockCheck <= 0 else { return nil }
    expansionsUntilClockCheck = Self.expansionsPerClockCheck
    guard let deadline else { return nil }
    return clock.now >= deadline ? .time : nil
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
