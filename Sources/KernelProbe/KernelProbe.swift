import CKernelProbe
import KernelModel

/// Runs a scenario's deterministic schedule on the live kernel (design §7).
///
/// Tasks run one after another in file order, each in a forked child; each group's listener
/// reads each event (permission and notification alike) at once and acts as its model's actions
/// say, and after every instruction the task waits until every listener has read what it caused
/// (so the kernel merges no notification events the model's trace keeps apart); a call that does
/// not return within the per-op timeout is `blocked` and the rest of its task is not run. Mount
/// and filesystem marks are only used on a private loop-mounted ext4 (or tmpfs) filesystem. Every
/// wait is bounded.
public enum KernelProbe {
  /// Whether the probe can run here (root, `FAN_CLASS_PRE_CONTENT`, a `FAN_PRE_ACCESS` mark on an
  /// ext4 file), with the reason when it cannot.
  public static func availability() -> ProbeAvailability {
    var reason = [CChar](repeating: 0, count: 512)
    let ok = reason.withUnsafeMutableBufferPointer { kp_available($0.baseAddress, $0.count) }
    if ok == 1 { return .available }
    return .unavailable(reason: string(from: reason))
  }

  /// Runs `config` and reports what the kernel did.
  ///
  /// With `holdListeners` it runs the deadlock schedule instead: listeners read nothing until
  /// every task has returned or blocked, then the blocked tasks get one more op timeout together.
  /// Whatever still sleeps is reported with the kernel functions of its stack
  /// (`ProbeObservation.taskSleepsIn`, `listenerSleepsIn`), and the probe recovers: SIGKILL of
  /// the tasks in a killable wait for an answer, FITHAW of its own image (never another
  /// filesystem), unmount and removal of the image; `unrecovered` counts what stayed blocked.
  /// With a `session`, the run uses its filesystem (a fresh directory on it) instead of making
  /// one.
  public static func run(
    _ config: KernelConfig, opTimeoutSeconds: Double = 2, scenarioTimeoutSeconds: Double = 30,
    holdListeners: Bool = false, session: ProbeSession? = nil
  ) throws(ProbeError) -> ProbeObservation {
    guard let plan = kp_plan_new() else { throw ProbeError(.setupFailed, "out of memory") }
    defer { kp_plan_free(plan) }
    guard let result = kp_result_new() else { throw ProbeError(.setupFailed, "out of memory") }
    defer { kp_result_free(result) }

    try PlanBuilder.fill(plan, from: config)
    plan.pointee.op_timeout = opTimeoutSeconds
    plan.pointee.scenario_timeout = scenarioTimeoutSeconds
    plan.pointee.hold_listeners = holdListeners ? 1 : 0

    var err = [CChar](repeating: 0, count: 512)
    let rc = err.withUnsafeMutableBufferPointer {
      kp_run_in(session?.handle, plan, result, $0.baseAddress, $0.count)
    }
    let message = string(from: err)
    switch rc {
    case KP_OK: break
    case KP_ERR_UNAVAILABLE: throw ProbeError(.unavailable, message)
    case KP_ERR_PLAN: throw ProbeError(.notExpressible, message)
    default: throw ProbeError(.setupFailed, message)
    }
    return ResultReader.observation(from: result, config: config)
  }

  /// Throws `ProbeError.notExpressible` when the probe could not run `config`, without running
  /// anything (no root needed): `fanmc conform --random` keeps to what passes.
  public static func checkExpressible(_ config: KernelConfig) throws(ProbeError) {
    guard let plan = kp_plan_new() else { throw ProbeError(.setupFailed, "out of memory") }
    defer { kp_plan_free(plan) }
    try PlanBuilder.fill(plan, from: config)
  }

  static func string(from buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// A private loop-mounted ext4 filesystem made once and shared by many probe runs (each in a
/// fresh directory on it, removed after the run): `fanmc conform --random` runs hundreds of
/// scenarios without an mkfs each. `close()` thaws, unmounts and removes it; so does deinit.
public final class ProbeSession {
  fileprivate var handle: OpaquePointer?

  public init() throws(ProbeError) {
    var err = [CChar](repeating: 0, count: 512)
    let made = err.withUnsafeMutableBufferPointer { kp_session_open($0.baseAddress, $0.count) }
    guard let made else {
      let message = KernelProbe.string(from: err)
      if case .unavailable = KernelProbe.availability() {
        throw ProbeError(.unavailable, message)
      }
      throw ProbeError(.setupFailed, message)
    }
    handle = made
  }

  /// Removes the filesystem; throws when something could not be removed.
  public func close() throws(ProbeError) {
    guard let h = handle else { return }
    handle = nil
    var err = [CChar](repeating: 0, count: 512)
    let rc = err.withUnsafeMutableBufferPointer { kp_session_close(h, $0.baseAddress, $0.count) }
    if rc != 0 { throw ProbeError(.setupFailed, KernelProbe.string(from: err)) }
  }

  deinit { try? close() }
}
