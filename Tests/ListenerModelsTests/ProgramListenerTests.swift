import KernelModel
import ListenerModels
import Testing

@Suite("Listener programs: conditions and operations as actions")
struct ProgramListenerTests {
  let pre = ListenerEvent(
    mask: .FAN_PRE_ACCESS, range: EventRange(offset: 4096, count: 4096), file: 1,
    groupClass: .preContent, sequence: 2)

  func program(_ statements: [ProgramListener.Statement]) -> ProgramListener {
    ProgramListener(name: "p", summary: "", statements: statements, mutexNames: ["cache"])
  }

  @Test("statements whose conditions hold run in order; the others are skipped")
  func conditions() {
    let p = program([
      .init(conditions: [.own], .respond(Fanotify.FAN_ALLOW, fallback: nil)),
      .init(conditions: [.not(.own), .file(1)], .lock(0)),
      .init(conditions: [.mask(.FAN_OPEN_PERM)], .closeGroup),
      .init(conditions: [.sequence(2), .offset(4096)], .fill),
      .init(conditions: [.task(7)], .readEvent),
      .init(.unlock(0)),
      .init(.respond(Fanotify.FAN_DENY_ERRNO(.EIO), fallback: Fanotify.FAN_ALLOW)),
    ])
    var event = pre
    event.task = 3
    #expect(
      p.actions(for: event) == [
        .call(.lock(0)), .fillRange, .call(.unlock(0)),
        .respondElse(Fanotify.FAN_DENY_ERRNO(.EIO), fallback: Fanotify.FAN_ALLOW),
      ])
    event.causedByDaemon = true
    event.task = 7
    #expect(
      p.actions(for: event) == [
        .respond(Fanotify.FAN_ALLOW), .fillRange, .readEventFd, .call(.unlock(0)),
        .respondElse(Fanotify.FAN_DENY_ERRNO(.EIO), fallback: Fanotify.FAN_ALLOW),
      ])
  }

  @Test("reading or writing another file reads the event's range unless given one")
  func otherFiles() {
    let p = program([
      .init(.read(file: 0, offset: nil, count: nil)),
      .init(.write(file: 2, offset: 8192, count: 100)),
    ])
    #expect(
      p.actions(for: pre) == [
        .readFile(0, offset: nil, count: nil), .writeFile(2, offset: 8192, count: 100),
      ])
    #expect(!p.readsEventDetails)
    let punch: FallocateMode = [.FALLOC_FL_PUNCH_HOLE, .FALLOC_FL_KEEP_SIZE]
    #expect(
      program([.init(.fallocateEvent(mode: punch, offset: 0, length: 4096))]).actions(for: pre)
        == [
          .call(
            .syscall(
              .fallocate(
                slot: KernelSystem.listenerEventSlot, mode: punch, offset: 0, length: 4096)))
        ])
    #expect(program([.init(conditions: [.not(.own)], .fill)]).readsEventDetails)
  }

  @Test("respond in order answers the group's n-th event with the n-th word, then ALLOW")
  func inOrder() {
    let p = program([.init(.respondInOrder([Fanotify.FAN_DENY]))])
    var first = pre
    first.sequence = 0
    #expect(p.actions(for: first) == [.respond(Fanotify.FAN_DENY)])
    #expect(p.actions(for: pre) == [.respond(Fanotify.FAN_ALLOW)])
  }
}
