import KernelModel
import KernelProbe
import ScenarioFormat
import ScenarioRunner
import TestSupport
import Testing

/// `otrunc-open-perm-freeze` on the live kernel: the deadlock schedule forms the model's wait-for
/// cycle, the probe reports each blocked thread where the model has it sleep, and recovers.
@Suite(.serialized) struct FreezeDeadlockTests {
  @Test func otruncOpenPermFreezeDeadlocksLiveAndRecovers() throws {
    if case .unavailable(let reason) = KernelProbe.availability() {
      print("skipped: \(reason)")
      return
    }
    let path = "Scenarios/hazards/otrunc-open-perm-freeze.scenario"
    let scenario = try ScenarioResolver.resolve(
      SourceFile(path: path, text: Repository.read(path)))
    let system = try ScenarioRun.makeSystem(scenario)
    let observation = try KernelProbe.run(scenario.config, holdListeners: true)
    let trace = Trace.run(Narrator(system: system), holdListeners: true)
    #expect(!trace.finished)

    // Blocked set: reader (0), truncater (1), freezer (2), and the HSM's listener thread.
    #expect(Set(observation.taskSleepsIn.keys) == [0, 1, 2])
    #expect(Set(observation.listenerSleepsIn.keys) == [0])
    #expect(observation.taskSleepsIn[0]?.first == "fanotify_handle_event")
    #expect(observation.taskSleepsIn[1]?.first == "fanotify_handle_event")
    #expect(observation.taskSleepsIn[2]?.contains("freeze_super") == true)
    #expect(observation.listenerSleepsIn[0]?.first == "percpu_rwsem_wait")
    #expect(observation.listenerSleepsIn[0]?.contains("vfs_write") == true)

    let rows = Conformance.blockedRows(
      model: trace, system: system, taskSleepsIn: observation.taskSleepsIn,
      listenerSleepsIn: observation.listenerSleepsIn)
    #expect(rows.count == 4)
    #expect(rows.filter { !$0.agrees }.isEmpty, "\(rows)")

    // Recovery: the two killable waiters killed, the image thawed, the listener released.
    #expect(observation.unrecovered == 0, "\(observation.notes)")
    #expect(observation.notes.filter { $0.hasPrefix("recovery: SIGKILL task") }.count == 2)
    #expect(observation.notes.contains("recovery: the private filesystem is thawed"))
    #expect(observation.notes.contains("recovery: group 0's listener returned"))

    let differences = Conformance.differences(
      model: trace,
      observedEvents: observation.events.map {
        EventRecord(
          group: $0.group, mask: $0.mask, range: $0.range, task: $0.task,
          instruction: $0.instruction, response: $0.response, responseError: $0.responseError,
          fdError: $0.fdError)
      },
      observedCalls: observation.calls.map { c in
        let outcome: CallRecord.Outcome
        switch c.status {
        case .returned(let r): outcome = .returned(r)
        case .killed(let signal): outcome = .killed(signal: signal)
        case .blocked: outcome = .blocked
        case .notRun: outcome = .notRun
        }
        return CallRecord(task: c.task, instruction: c.instruction, outcome: outcome)
      }, system: system, deadlock: true)
    #expect(differences.isEmpty, "\(differences)")
  }
}
