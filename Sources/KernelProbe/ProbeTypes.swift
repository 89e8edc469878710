import KernelModel

/// Whether the live-kernel probe can run on this machine.
public enum ProbeAvailability: Hashable, Sendable, CustomStringConvertible {
  case available
  case unavailable(reason: String)

  public var description: String {
    switch self {
    case .available: return "available"
    case .unavailable(let reason): return "unavailable: \(reason)"
    }
  }
}

/// What the live kernel did with one scenario's deterministic schedule.
public struct ProbeObservation: Hashable, Sendable {
  /// Events in the order the listeners read them (teardown reads last).
  public var events: [ProbeEvent]
  /// Every instruction of every task, in execution order (task 0's program, then task 1's, …).
  public var calls: [ProbeCall]
  /// Setup failures (a setup mark's errno), listener blocking, timeouts, fallbacks.
  public var notes: [String]
  /// True when the scenario ran on a private loop-mounted filesystem (else a plain directory).
  public var privateFilesystem: Bool
  /// The deadlock schedule only (`KernelProbe.run(holdListeners:)`): where each task that was
  /// still blocked at the end slept, by task index, as the kernel function names of
  /// `/proc/PID/stack`, innermost first (or `/proc/PID/wchan`'s one name).
  public var taskSleepsIn: [Int: [String]]
  /// The same for each group whose listener thread was blocked in an action, by group index.
  public var listenerSleepsIn: [Int: [String]]
  /// How many blocked threads or frozen filesystems recovery could not release (the notes
  /// starting "recovery:" say what it did).
  public var unrecovered: Int
  /// Each file as read back after the run, by file index (exec targets and killed runs have
  /// none).
  public var finalFiles: [Int: FileSnapshot]

  public init(
    events: [ProbeEvent], calls: [ProbeCall], notes: [String], privateFilesystem: Bool = true,
    taskSleepsIn: [Int: [String]] = [:], listenerSleepsIn: [Int: [String]] = [:],
    unrecovered: Int = 0, finalFiles: [Int: FileSnapshot] = [:]
  ) {
    self.finalFiles = finalFiles
    self.events = events
    self.calls = calls
    self.notes = notes
    self.privateFilesystem = privateFilesystem
    self.taskSleepsIn = taskSleepsIn
    self.listenerSleepsIn = listenerSleepsIn
    self.unrecovered = unrecovered
  }
}

/// One event a group's listener read (or failed to read).
public struct ProbeEvent: Hashable, Sendable {
  /// Index into `KernelConfig.groups`.
  public var group: Int
  /// Empty when `readFailed`.
  public var mask: EventMask
  /// The `FAN_EVENT_INFO_TYPE_RANGE` record, if the event carried one.
  public var range: EventRange?
  /// The task whose syscall caused the event (an `exec`'s events come from a grandchild process
  /// of the task and count as its); nil when the probe's own listener caused it
  /// (B14 `ftruncate` of the event fd, D1 reads through a normal fd).
  public var task: Int?
  /// That task's instruction index at the time.
  public var instruction: Int?
  /// The response word the listener wrote (its first `respond` action), if any.
  public var response: UInt32?
  /// The errno of that response write (nil: it succeeded, or no response was written).
  public var responseError: Errno?
  /// The file the event is about (matched by inode); nil if not one of the scenario's files.
  public var file: Int?
  /// True when the event was read only at teardown: its group had no listener, or the listener
  /// had stopped (blocked in an action or closed its group). Such events were never answered.
  public var readAtTeardown: Bool
  /// `create_fd`'s errno when the kernel could not open the event's fd (ETXTBSY for a writable
  /// event fd of a running binary, B20): the listener got the event with it as a negative fd
  /// (FAN_REPORT_FD_ERROR), or its `read` failed with it (`readFailed`).
  public var fdError: Errno?
  /// The listener's `read` failed with `fdError`: the event was consumed unseen, so its mask,
  /// range, file and task are unknown.
  public var readFailed: Bool

  public init(
    group: Int, mask: EventMask, range: EventRange?, task: Int?, instruction: Int?,
    response: UInt32?, responseError: Errno?, file: Int? = nil, readAtTeardown: Bool = false,
    fdError: Errno? = nil, readFailed: Bool = false
  ) {
    self.group = group
    self.mask = mask
    self.range = range
    self.task = task
    self.instruction = instruction
    self.response = response
    self.responseError = responseError
    self.file = file
    self.readAtTeardown = readAtTeardown
    self.fdError = fdError
    self.readFailed = readFailed
  }
}

/// One instruction of one task and what became of it.
public struct ProbeCall: Hashable, Sendable {
  public enum Status: Hashable, Sendable {
    /// The syscall returned. `open` returns the real fd number; `mmap` returns 0 on success.
    /// `exec` (run in a forked grandchild of the task, on a copy of `/bin/true`) returns 0 when
    /// execve succeeded, execve's errno when it failed, and otherwise the
    /// exit status, with a note. `exec` keeps a successful image loaded (stopped before its
    /// first instruction) until the end of the run.
    case returned(SyscallResult)
    /// `exec`: the new image died of a signal (`Errno.SIGSEGV`: 128 + 11) before it ran, after
    /// execve's point of no return (a denied segment mapping); the task died with it, so the
    /// rest of its program was not run.
    case killed(signal: Errno)
    /// It did not return within the per-op timeout; the rest of its task was not run.
    case blocked
    /// Not run: an earlier instruction of the task blocked (or the scenario timed out).
    case notRun
  }

  public var task: Int
  public var instruction: Int
  public var status: Status
  /// For a read-type call (`read`, `pread`, `readv`, `preadv`, and `spliceToPipe`, whose pipe the
  /// probe drains) that returned a value: the content class of every file page the returned bytes
  /// touched, from `firstObservedPage` on.
  /// Classification: the page's source pattern = `.filled` (a page that a collapse or insert
  /// moved keeps its own pattern); the written pattern = `.written`; zeros = `.remote` if the
  /// page still holds an unfilled stub (initially remote, never filled, not cut off by a
  /// truncate nor punched or zeroed whole; collapse and insert move it with its page), else
  /// `.hole` (pages a file grew by are holes). Mixed bytes (a partly written page) count as
  /// `.written`, then `.filled` (a note says so); bytes of another page's source pattern
  /// (copied) count as `.written`.
  public var observed: [PageContent]?
  /// The page index of `observed[0]`.
  public var firstObservedPage: Int?

  public init(
    task: Int, instruction: Int, status: Status, observed: [PageContent]?,
    firstObservedPage: Int? = nil
  ) {
    self.task = task
    self.instruction = instruction
    self.status = status
    self.observed = observed
    self.firstObservedPage = firstObservedPage
  }
}

/// Why the probe could not run a scenario.
public struct ProbeError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Kind: Hashable, Sendable {
    /// The machine cannot run the probe (not root, no pre-content support, …).
    case unavailable
    /// The scenario cannot be expressed (too big, mount marks without a private fs, …).
    case notExpressible
    /// Setting up the files or processes failed.
    case setupFailed
  }

  public var kind: Kind
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String {
    switch kind {
    case .unavailable: return "probe unavailable: \(message)"
    case .notExpressible: return "scenario not expressible by the probe: \(message)"
    case .setupFailed: return "probe setup failed: \(message)"
    }
  }
}
