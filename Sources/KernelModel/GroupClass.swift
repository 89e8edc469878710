/// The class a fanotify group was created with (`fanotify_init`), and its priority (§1.4).
public enum GroupClass: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
  case notif = "FAN_CLASS_NOTIF"
  case content = "FAN_CLASS_CONTENT"
  case preContent = "FAN_CLASS_PRE_CONTENT"

  /// Internal priority: NOTIF 0, CONTENT 1, PRE_CONTENT 2. Higher is notified first.
  public var priority: Int {
    switch self {
    case .notif: return 0
    case .content: return 1
    case .preContent: return 2
    }
  }

  public static func < (a: GroupClass, b: GroupClass) -> Bool { a.priority < b.priority }
}

/// The per-file notification mode decided once at open (the `FMODE_NONOTIFY*` pair, §2.1).
public enum NotifyMode: String, Hashable, Sendable, Codable {
  /// (1,0): no events at all — listener event fds, pseudo files, O_PATH.
  case none = "FMODE_NONOTIFY"
  /// (0,1): no permission or pre-content events — the default, and files opened before a mark.
  case noPerm = "FMODE_NONOTIFY_PERM"
  /// 6.17+ (1,1): pre-content events but no FAN_ACCESS_PERM — the usual HSM mode.
  case hsm = "FMODE_NONOTIFY_HSM"
  /// (0,0): every event, pre-content and FAN_ACCESS_PERM.
  case allPerm = "0"

  /// Whether pre-content hooks run for this file (`FMODE_FSNOTIFY_HSM`).
  public var preContent: Bool { self == .hsm || self == .allPerm }
  /// Whether a read also emits the legacy FAN_ACCESS_PERM (`FMODE_FSNOTIFY_ACCESS_PERM`).
  public var accessPerm: Bool { self == .allPerm }
}

/// Open flags the model understands.
public struct OpenFlags: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// O_RDONLY is the absence of the write bits.
  public static let O_WRONLY = OpenFlags(rawValue: 0o1)
  public static let O_RDWR = OpenFlags(rawValue: 0o2)
  /// O_CREAT on an existing file: no FMODE_CREATED, an ordinary open (files exist in scenarios).
  public static let O_CREAT = OpenFlags(rawValue: 0o100)
  public static let O_TRUNC = OpenFlags(rawValue: 0o1000)
  public static let O_APPEND = OpenFlags(rawValue: 0o2000)

  public static let named: [(String, OpenFlags)] = [
    ("O_RDONLY", []), ("O_WRONLY", .O_WRONLY), ("O_RDWR", .O_RDWR), ("O_CREAT", .O_CREAT),
    ("O_TRUNC", .O_TRUNC), ("O_APPEND", .O_APPEND),
  ]

  public var canRead: Bool { !contains(.O_WRONLY) }
  public var canWrite: Bool { contains(.O_WRONLY) || contains(.O_RDWR) }

  public var description: String {
    var parts = [contains(.O_RDWR) ? "O_RDWR" : contains(.O_WRONLY) ? "O_WRONLY" : "O_RDONLY"]
    if contains(.O_CREAT) { parts.append("O_CREAT") }
    if contains(.O_TRUNC) { parts.append("O_TRUNC") }
    if contains(.O_APPEND) { parts.append("O_APPEND") }
    return parts.joined(separator: "|")
  }
}
