import KernelModel

/// Answers the group's events in order from a script, as LTP's fanotify24 listener does: the
/// n-th event read gets the n-th response; events past the end of the script are allowed.
public struct ScriptListener: ListenerModel {
  public var responses: [UInt32]

  public init(responses: [UInt32]) { self.responses = responses }

  public var name: String {
    (["script"] + responses.map(Self.word)).joined(separator: " ")
  }
  public var summary: String {
    "answers the n-th event with the n-th response (ALLOW, DENY or an errno), then FAN_ALLOW"
  }

  public func actions(for event: ListenerEvent) -> [ListenerAction] {
    let word = event.sequence < responses.count ? responses[event.sequence] : Fanotify.FAN_ALLOW
    return [.respond(word), .closeEventFd]
  }

  /// `ALLOW`, `DENY` or an errno name, as scenarios write it.
  public static func word(_ response: UInt32) -> String {
    switch response {
    case Fanotify.FAN_ALLOW: return "ALLOW"
    case Fanotify.FAN_DENY: return "DENY"
    default: return Errno(rawValue: Int32(response >> 24)).name
    }
  }

  /// Parses one response: `ALLOW`, `DENY` or an errno name (deny with that errno).
  public static func parse(_ text: String) -> UInt32? {
    switch text {
    case "ALLOW": return Fanotify.FAN_ALLOW
    case "DENY": return Fanotify.FAN_DENY
    default: return Errno(named: text).map { Fanotify.FAN_DENY_ERRNO($0) }
    }
  }
}
