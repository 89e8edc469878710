/// A Linux error number, named as in `<errno.h>`.
public struct Errno: RawRepresentable, Hashable, Sendable, Codable, Comparable,
  CustomStringConvertible
{
  public var rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }

  public static let EPERM = Errno(rawValue: 1)
  public static let ENOENT = Errno(rawValue: 2)
  public static let EINTR = Errno(rawValue: 4)
  public static let EIO = Errno(rawValue: 5)
  public static let ENOEXEC = Errno(rawValue: 8)
  public static let EBADF = Errno(rawValue: 9)
  public static let EAGAIN = Errno(rawValue: 11)
  public static let ENOMEM = Errno(rawValue: 12)
  public static let EACCES = Errno(rawValue: 13)
  public static let EFAULT = Errno(rawValue: 14)
  public static let EBUSY = Errno(rawValue: 16)
  public static let EEXIST = Errno(rawValue: 17)
  public static let ENODEV = Errno(rawValue: 19)
  public static let ENOTDIR = Errno(rawValue: 20)
  public static let EISDIR = Errno(rawValue: 21)
  public static let EINVAL = Errno(rawValue: 22)
  public static let EMFILE = Errno(rawValue: 24)
  public static let ETXTBSY = Errno(rawValue: 26)
  public static let EFBIG = Errno(rawValue: 27)
  public static let ENOSPC = Errno(rawValue: 28)
  public static let ESPIPE = Errno(rawValue: 29)
  public static let EROFS = Errno(rawValue: 30)
  public static let EOPNOTSUPP = Errno(rawValue: 95)
  public static let EDQUOT = Errno(rawValue: 122)
  /// Not an errno: a load or store through a mapping that got SIGBUS (a denied fault, a page
  /// past EOF), as results show it (128 + the signal number).
  public static let SIGBUS = Errno(rawValue: 135)
  /// Not an errno: a load or store the VMA does not permit (outside it, or a store to a mapping
  /// without PROT_WRITE), which gets SIGSEGV (128 + 11).
  public static let SIGSEGV = Errno(rawValue: 139)

  /// Every errno the model knows by name, ascending.
  public static let known: [Errno] = [
    .EPERM, .ENOENT, .EINTR, .EIO, .ENOEXEC, .EBADF, .EAGAIN, .ENOMEM, .EACCES, .EFAULT, .EBUSY,
    .EEXIST,
    .ENODEV, .ENOTDIR, .EISDIR, .EINVAL, .EMFILE, .ETXTBSY, .EFBIG, .ENOSPC, .ESPIPE, .EROFS,
    .EOPNOTSUPP, .EDQUOT, .SIGBUS, .SIGSEGV,
  ]

  private static let names: [Int32: String] = [
    1: "EPERM", 2: "ENOENT", 4: "EINTR", 5: "EIO", 8: "ENOEXEC", 9: "EBADF", 11: "EAGAIN",
    12: "ENOMEM",
    13: "EACCES", 14: "EFAULT", 16: "EBUSY", 17: "EEXIST", 19: "ENODEV", 20: "ENOTDIR",
    21: "EISDIR",
    22: "EINVAL", 24: "EMFILE", 26: "ETXTBSY", 27: "EFBIG", 28: "ENOSPC", 29: "ESPIPE", 30: "EROFS",
    95: "EOPNOTSUPP", 122: "EDQUOT", 135: "SIGBUS", 139: "SIGSEGV",
  ]

  /// The symbolic name (`EIO`), or `errno N` for one the model does not name.
  public var name: String { Self.names[rawValue] ?? "errno \(rawValue)" }
  public var description: String { name }

  /// Looks up an errno by its symbolic name.
  public init?(named name: String) {
    guard let e = Self.known.first(where: { $0.name == name }) else { return nil }
    self = e
  }

  public static func < (a: Errno, b: Errno) -> Bool { a.rawValue < b.rawValue }
}

/// What a syscall returned: a non-negative value or an errno.
public enum SyscallResult: Hashable, Sendable, Codable, CustomStringConvertible {
  case value(Int)
  case error(Errno)

  public var description: String {
    switch self {
    case .value(let v): return "\(v)"
    case .error(let e): return "-1 \(e.name)"
    }
  }
}
