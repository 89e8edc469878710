import KernelModel
import ListenerModels
import ScenarioRunner
import Testing

/// Every built-in listener (`ListenerLibrary`), built with representative arguments.
let catalogueSamples: [(String, [String])] = [
  ("allow", []), ("fill", []), ("deny", []), ("deny", ["EIO"]), ("deny", ["EINVAL"]),
  ("silent", []), ("fill-then-ftruncate", []), ("reenter", []), ("scan", []), ("crash", []),
  ("script", ["ALLOW", "DENY", "EIO"]), ("slow", []),
]

let sampleEvents: [ListenerEvent] = [
  ListenerEvent(
    mask: .FAN_PRE_ACCESS, range: EventRange(offset: 0, count: 8192), file: 0,
    groupClass: .preContent),
  ListenerEvent(mask: .FAN_OPEN_PERM, range: nil, file: 0, groupClass: .preContent),
]

@Suite("Listener contract: what every built-in listener must satisfy")
struct ListenerContractTests {
  @Test("every built-in listener is sampled")
  func allEntriesSampled() {
    #expect(Set(ListenerLibrary.names) == Set(catalogueSamples.map(\.0)))
  }

  @Test("each entry builds by name, and its actions are well formed", arguments: catalogueSamples)
  func wellFormed(name: String, arguments: [String]) throws {
    let model = ListenerLibrary.builtin(name, arguments)
    #expect(model.name == ([name] + arguments).joined(separator: " "))
    for event in sampleEvents {
      let actions = model.actions(for: event)
      // Pure: the same event gives the same actions.
      #expect(actions == model.actions(for: event))
      // At most one response, and fills only come before it.
      let responses = actions.indices.filter {
        if case .respond = actions[$0] { return true } else { return false }
      }
      #expect(responses.count <= 1)
      if let r = responses.first {
        #expect(!actions[r...].contains(.fillRange))
      }
      // An answered event's fd is closed afterwards, exactly once.
      #expect(actions.filter { $0 == .closeEventFd }.count == responses.count)
      // Closing the group is the last thing a listener does.
      if let c = actions.firstIndex(of: .closeGroup) { #expect(c == actions.count - 1) }
      if let r = responses.first, let c = actions.firstIndex(of: .closeEventFd) { #expect(r < c) }
    }
  }

  @Test("a script answers the n-th event with its n-th response, then allows")
  func script() throws {
    let model = ListenerLibrary.builtin("script", ["DENY", "EIO"])
    func first(_ n: Int) -> ListenerAction? {
      var e = sampleEvents[0]
      e.sequence = n
      return model.actions(for: e).first
    }
    #expect(first(0) == .respond(Fanotify.FAN_DENY))
    #expect(first(1) == .respond(Fanotify.FAN_DENY_ERRNO(.EIO)))
    #expect(first(2) == .respond(Fanotify.FAN_ALLOW))
  }

  @Test("the responses are the words the uapi defines")
  func words() {
    #expect(
      ListenerLibrary.builtin("allow").actions(for: sampleEvents[0]).first
        == .respond(Fanotify.FAN_ALLOW))
    #expect(
      ListenerLibrary.builtin("deny").actions(for: sampleEvents[0]).first
        == .respond(Fanotify.FAN_DENY))
    #expect(
      ListenerLibrary.builtin("deny", ["EIO"]).actions(for: sampleEvents[0]).first
        == .respond(Fanotify.FAN_DENY | (5 << 24)))
    #expect(ListenerLibrary.builtin("fill").actions(for: sampleEvents[0]).first == .fillRange)
    #expect(ListenerLibrary.builtin("silent").actions(for: sampleEvents[0]).isEmpty)
  }
}
