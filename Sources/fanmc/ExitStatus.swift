/// fanmc's exit statuses (TLC's taxonomy plus sysexits; design §6).
enum ExitStatus: Int32 {
  /// Nothing found / every expectation met.
  case ok = 0
  /// `check`: an expectation was not met.
  case expectationNotMet = 10
  /// A deadlock (or a task blocked forever) was found.
  case deadlock = 11
  /// An invariant was violated.
  case violation = 12
  /// A bound was hit before the search finished.
  case incomplete = 13
  /// Bad command line (EX_USAGE).
  case usage = 64
  /// Invalid scenario (EX_DATAERR).
  case invalidScenario = 65
  /// Internal error (EX_SOFTWARE).
  case internalError = 70
}
