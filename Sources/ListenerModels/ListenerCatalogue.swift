import KernelModel

/// The listener models by name, as scenarios write them (`listener fill`, `listener deny EIO`).
public enum ListenerCatalogue {
  /// One catalogue entry: its name, its argument syntax, and how to build it.
  public struct Entry: Sendable {
    public var name: String
    public var arguments: String
    public var summary: String
    public var make: @Sendable ([String]) -> Result<any ListenerModel, LookupError>
  }

  /// Why a listener could not be built.
  public struct LookupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Index of the offending argument, or nil for the name itself.
    public var argument: Int?
    public var message: String
    public var description: String { message }
  }

  public static let entries: [Entry] = [
    Entry(
      name: "allow", arguments: "", summary: AllowListener().summary,
      make: { noArguments($0, AllowListener()) }),
    Entry(
      name: "fill", arguments: "", summary: FillListener().summary,
      make: { noArguments($0, FillListener()) }),
    Entry(
      name: "deny", arguments: "[ERRNO]",
      summary: "answers FAN_DENY, or FAN_DENY_ERRNO(ERRNO) when an errno is given",
      make: { args in
        if args.isEmpty { return .success(DenyListener()) }
        guard args.count == 1 else {
          return .failure(LookupError(argument: 1, message: "deny takes at most one errno"))
        }
        guard let e = Errno(named: args[0]) else {
          return .failure(LookupError(argument: 0, message: "unknown errno '\(args[0])'"))
        }
        return .success(DenyListener(errno: e))
      }),
    Entry(
      name: "silent", arguments: "", summary: SilentListener().summary,
      make: { noArguments($0, SilentListener()) }),
    Entry(
      name: "fill-then-ftruncate", arguments: "", summary: FillThenFtruncateListener().summary,
      make: { noArguments($0, FillThenFtruncateListener()) }),
    Entry(
      name: "reenter", arguments: "", summary: ReenterListener().summary,
      make: { noArguments($0, ReenterListener()) }),
    Entry(
      name: "scan", arguments: "", summary: ScanListener().summary,
      make: { noArguments($0, ScanListener()) }),
    Entry(
      name: "crash", arguments: "", summary: CrashListener().summary,
      make: { noArguments($0, CrashListener()) }),
    Entry(
      name: "slow", arguments: "", summary: SlowListener().summary,
      make: { noArguments($0, SlowListener()) }),
    Entry(
      name: "script", arguments: "RESPONSE…",
      summary: "answers the n-th event with the n-th response (ALLOW, DENY or an errno)",
      make: { args in
        guard !args.isEmpty else {
          return .failure(LookupError(argument: nil, message: "script takes one or more responses"))
        }
        var responses: [UInt32] = []
        for (i, a) in args.enumerated() {
          guard let r = ScriptListener.parse(a) else {
            return .failure(
              LookupError(argument: i, message: "unknown response '\(a)' (ALLOW, DENY or an errno)")
            )
          }
          responses.append(r)
        }
        return .success(ScriptListener(responses: responses))
      }),
  ]

  /// Builds the listener `name` with `arguments`.
  public static func make(_ name: String, arguments: [String]) -> Result<
    any ListenerModel, LookupError
  > {
    guard let entry = entries.first(where: { $0.name == name }) else {
      let known = entries.map(\.name).joined(separator: ", ")
      return .failure(
        LookupError(argument: nil, message: "unknown listener '\(name)' (known: \(known))"))
    }
    return entry.make(arguments)
  }

  private static func noArguments(_ args: [String], _ model: any ListenerModel) -> Result<
    any ListenerModel, LookupError
  > {
    args.isEmpty
      ? .success(model)
      : .failure(LookupError(argument: 0, message: "listener \(model.name) takes no arguments"))
  }
}
