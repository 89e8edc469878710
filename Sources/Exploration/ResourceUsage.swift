#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Process resource figures read from the operating system.
@usableFromInline
enum ResourceUsage {
  /// The peak resident set size of this process, in bytes (0 when unknown).
  @usableFromInline
  static func peakResidentBytes() -> Int {
    #if canImport(Glibc)
      var usage = rusage()
      guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
      return Int(usage.ru_maxrss) * 1024  // Linux reports kilobytes.
    #elseif canImport(Darwin)
      var usage = rusage()
      guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
      return Int(usage.ru_maxrss)  // Darwin reports bytes.
    #else
      return 0
    #endif
  }
}
