/// Constants of the fanotify uapi (`include/uapi/linux/fanotify.h`).
public enum Fanotify {
  /// The page size the model uses (x86-64).
  public static let pageSize = 4096
  /// `struct fanotify_response.response` bits.
  public static let FAN_ALLOW: UInt32 = 0x01
  public static let FAN_DENY: UInt32 = 0x02
  public static let FAN_AUDIT: UInt32 = 0x10
  public static let FAN_INFO: UInt32 = 0x20
  /// `FAN_DENY_ERRNO(e)`: deny with a custom errno in bits 24–31.
  public static func FAN_DENY_ERRNO(_ e: Errno) -> UInt32 {
    FAN_DENY | (UInt32(UInt8(truncatingIfNeeded: e.rawValue)) << 24)
  }
  /// The errnos a PRE_CONTENT group may return with `FAN_DENY_ERRNO` (§1.3 row 5; 0 = plain deny).
  public static let allowedDenyErrnos: [Errno] = [
    .EIO, .EPERM, .EBUSY, .ETXTBSY, .EAGAIN, .ENOSPC, .EDQUOT,
  ]
}

/// fanotify event bits (`FAN_*`), as a set.
public struct EventMask: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let FAN_ACCESS = EventMask(rawValue: 0x0000_0001)
  public static let FAN_MODIFY = EventMask(rawValue: 0x0000_0002)
  public static let FAN_CLOSE_WRITE = EventMask(rawValue: 0x0000_0008)
  public static let FAN_CLOSE_NOWRITE = EventMask(rawValue: 0x0000_0010)
  public static let FAN_OPEN = EventMask(rawValue: 0x0000_0020)
  public static let FAN_OPEN_EXEC = EventMask(rawValue: 0x0000_1000)
  /// The overflow event a full queue gets once (`FS_Q_OVERFLOW`); it carries no fd.
  public static let FAN_Q_OVERFLOW = EventMask(rawValue: 0x0000_4000)
  public static let FAN_OPEN_PERM = EventMask(rawValue: 0x0001_0000)
  public static let FAN_ACCESS_PERM = EventMask(rawValue: 0x0002_0000)
  public static let FAN_OPEN_EXEC_PERM = EventMask(rawValue: 0x0004_0000)
  public static let FAN_PRE_ACCESS = EventMask(rawValue: 0x0010_0000)
  public static let FAN_EVENT_ON_CHILD = EventMask(rawValue: 0x0800_0000)
  public static let FAN_ONDIR = EventMask(rawValue: 0x4000_0000)

  /// Names in bit order, for parsing and printing.
  public static let named: [(String, EventMask)] = [
    ("FAN_ACCESS", .FAN_ACCESS), ("FAN_MODIFY", .FAN_MODIFY),
    ("FAN_CLOSE_WRITE", .FAN_CLOSE_WRITE), ("FAN_CLOSE_NOWRITE", .FAN_CLOSE_NOWRITE),
    ("FAN_OPEN", .FAN_OPEN), ("FAN_OPEN_EXEC", .FAN_OPEN_EXEC), ("FAN_Q_OVERFLOW", .FAN_Q_OVERFLOW),
    ("FAN_OPEN_PERM", .FAN_OPEN_PERM), ("FAN_ACCESS_PERM", .FAN_ACCESS_PERM),
    ("FAN_OPEN_EXEC_PERM", .FAN_OPEN_EXEC_PERM), ("FAN_PRE_ACCESS", .FAN_PRE_ACCESS),
    ("FAN_EVENT_ON_CHILD", .FAN_EVENT_ON_CHILD), ("FAN_ONDIR", .FAN_ONDIR),
  ]

  /// "Content permission events" of the kernel: OPEN_PERM, OPEN_EXEC_PERM, ACCESS_PERM.
  public static let contentPermissionEvents: EventMask = [
    .FAN_OPEN_PERM, .FAN_OPEN_EXEC_PERM, .FAN_ACCESS_PERM,
  ]
  /// "Pre-content events": PRE_ACCESS.
  public static let preContentEvents: EventMask = [.FAN_PRE_ACCESS]
  /// All permission events.
  public static let permissionEvents = contentPermissionEvents.union(preContentEvents)
  /// Notification events the model emits: nobody answers them, and identical unread ones merge.
  public static let notificationEvents: EventMask = [
    .FAN_ACCESS, .FAN_MODIFY, .FAN_CLOSE_WRITE, .FAN_CLOSE_NOWRITE, .FAN_OPEN, .FAN_OPEN_EXEC,
  ]

  public init?(named name: String) {
    guard let m = Self.named.first(where: { $0.0 == name }) else { return nil }
    self = m.1
  }

  public var description: String {
    let parts = Self.named.filter { contains($0.1) }.map(\.0)
    return parts.isEmpty ? "0" : parts.joined(separator: "|")
  }
}

/// The range a pre-content event reports (`struct fanotify_event_info_range`), in bytes.
public struct EventRange: Hashable, Sendable, Codable, CustomStringConvertible {
  public var offset: Int
  public var count: Int

  public init(offset: Int, count: Int) {
    self.offset = offset
    self.count = count
  }

  /// The merged arithmetic of §1.2: `offset = round_down(pos)`, `count = round_up(pos+len) − offset`,
  /// computed before any clamping to EOF.
  public static func pageAligned(pos: Int, len: Int) -> EventRange {
    let page = Fanotify.pageSize
    let start = pos / page * page
    let end = (pos + len + page - 1) / page * page
    return EventRange(offset: start, count: end - start)
  }

  /// Page indices the range covers.
  public var pages: Range<Int> {
    let page = Fanotify.pageSize
    return (offset / page)..<((offset + count + page - 1) / page)
  }

  public var description: String { "offset \(offset) count \(count)" }
}
