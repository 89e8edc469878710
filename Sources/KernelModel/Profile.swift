/// A kernel version's semantics as data: a named preset of switches (design §3.3).
///
/// Paths consult switches, never version names. A scenario may override single switches with
/// `set NAME on|off` — a reviewer's "what if".
public struct Profile: Hashable, Sendable {
  public var name: String
  /// One line on what this kernel is.
  public var summary: String
  /// Ranges are page aligned (v7+) rather than exact byte ranges (v2).
  public var pageAlignedRanges = true
  /// `process_access_response` validates responses (§1.3). Off is a mutation.
  public var responseValidation = true
  /// `rw_verify_area(WRITE)` has its pre-content hook. Off is a mutation (I1 must catch it).
  public var writeHook = true
  /// Hooks run before `file_start_write`/`inode_lock` (§4.1 L1, L3). Off is the D4 mutation:
  /// write, truncate and fallocate emit under `sb_writers` and `i_rwsem`.
  public var hooksBeforeLocks = true
  /// Listener event fds are FMODE_NONOTIFY (§2.5). Off is a mutation (I4 must catch it).
  public var eventFdNoNotify = true
  /// The mmap hook computes the offset as pgoff ÷ PAGE instead of × PAGE (B13, 6.14–6.17.3).
  public var mmapOffsetBug = false
  /// A file that never reaches the open-time decision keeps f_mode 0, which means "HSM and every
  /// permission event" (6.14-rc1 before the default-mode fixes; B8). Off since 6.14-rc3.
  public var zeroFmodeHSM = false
  /// Groups are notified in priority order (PRE_CONTENT, CONTENT, NOTIF). Off is a mutation (I8).
  public var priorityOrder = true
  /// exec skips the write denial for HSM-mode binaries (§3.5, 6.14+). Off is the pre-6.14 rule.
  public var execHSMExemption = true
  /// Events on a directory reach only marks with FAN_ONDIR (§3.8). Off is a mutation (I12).
  public var ondirFilter = true

  public init(name: String, summary: String) {
    self.name = name
    self.summary = summary
  }

  /// Linux 6.18, the kernel of the development and CI machines.
  public static let v6_18 = Profile(
    name: "6.18", summary: "mainline 6.18: merged hooks, 6.17 fmode encoding, mmap offset fixed")

  /// Every preset, oldest first.
  public static let presets: [Profile] = [.v6_18]

  public static func preset(named name: String) -> Profile? {
    presets.first { $0.name == name }
  }

  /// A switch a scenario may override.
  public struct Switch: Sendable {
    public var name: String
    public var summary: String
    public var keyPath: WritableKeyPath<Profile, Bool> & Sendable
  }

  /// The switches, in a fixed order.
  public static let switches: [Switch] = [
    Switch(
      name: "page-aligned-ranges",
      summary: "range records are page aligned (v7+) instead of exact bytes (v2)",
      keyPath: \.pageAlignedRanges),
    Switch(
      name: "response-validation",
      summary: "process_access_response rejects invalid responses (off: mutation)",
      keyPath: \.responseValidation),
    Switch(
      name: "write-hook", summary: "rw_verify_area(WRITE) emits FAN_PRE_ACCESS (off: mutation)",
      keyPath: \.writeHook),
    Switch(
      name: "hooks-before-locks",
      summary: "write/truncate/fallocate hooks run before sb_writers and i_rwsem (off: D4)",
      keyPath: \.hooksBeforeLocks),
    Switch(
      name: "event-fd-nonotify",
      summary: "listener event fds are FMODE_NONOTIFY (off: mutation)",
      keyPath: \.eventFdNoNotify),
    Switch(
      name: "mmap-offset-bug",
      summary: "mmap hook offset = pgoff / PAGE instead of pgoff * PAGE (B13)",
      keyPath: \.mmapOffsetBug),
    Switch(
      name: "zero-fmode-hsm",
      summary: "files that skip the open-time decision are HSM (6.14-rc1, B8)",
      keyPath: \.zeroFmodeHSM),
    Switch(
      name: "priority-order",
      summary: "groups are notified by priority, PRE_CONTENT first (off: mutation)",
      keyPath: \.priorityOrder),
    Switch(
      name: "exec-hsm-exemption",
      summary: "exec skips the write denial for HSM-mode binaries (6.14+)",
      keyPath: \.execHSMExemption),
    Switch(
      name: "ondir-filter",
      summary: "directory events reach only marks with FAN_ONDIR (off: mutation)",
      keyPath: \.ondirFilter),
  ]

  /// The value of each switch, in `switches` order.
  public var switchValues: [(name: String, value: Bool)] {
    Self.switches.map { ($0.name, self[keyPath: $0.keyPath]) }
  }

  /// Sets one switch by name; returns an error message for an unknown switch or value.
  public mutating func set(_ name: String, to value: String) -> String? {
    guard let s = Self.switches.first(where: { $0.name == name }) else {
      let known = Self.switches.map(\.name).joined(separator: ", ")
      return "unknown profile switch '\(name)' (known: \(known))"
    }
    guard value == "on" || value == "off" else {
      return "\(name) takes on or off, not '\(value)'"
    }
    self[keyPath: s.keyPath] = value == "on"
    return nil
  }
}
