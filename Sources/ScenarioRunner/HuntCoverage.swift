import Exploration
import KernelModel
import Synchronization

/// What one hunt program reached: the kernel steps its exploration took (`PathStep` kinds, plus
/// `syscallEntry` and `fanotifyRead`), and the hook sites that emitted a permission event, each
/// as `SYSCALL → HOOK` (`load → filemap_fault`, `mmap → vm_mmap_pgoff`, `pread →
/// rw_verify_area`).
///
/// The corpus is fed by the finer `stepSites` too: each step kind with the syscall it was taken
/// in (`pwriteFromMap → doReadFault`), so a program that takes a known step somewhere new counts
/// as new coverage.
public struct HuntCoverage: Hashable, Sendable {
  public var steps: Set<String> = []
  public var hookSites: Set<String> = []
  public var stepSites: Set<String> = []

  public init() {}

  /// Adds what `other` reached; whether any of it was new.
  mutating func add(_ other: HuntCoverage) -> Bool {
    guard
      !other.steps.isSubset(of: steps) || !other.hookSites.isSubset(of: hookSites)
        || !other.stepSites.isSubset(of: stepSites)
    else { return false }
    steps.formUnion(other.steps)
    hookSites.formUnion(other.hookSites)
    stepSites.formUnion(other.stepSites)
    return true
  }

  /// The hook function of a site (`load → filemap_fault` → `filemap_fault`).
  public static func hookFunction(ofSite site: String) -> String {
    site.components(separatedBy: " → ").last ?? site
  }

  /// Every kind of kernel step the model has (the `PathStep` cases, the syscall entry and the
  /// listener's read).
  public static let modelSteps: [String] = [
    "syscallEntry", "fanotifyRead", "notify", "awaitResponse", "notice", "inodeModified", "lock",
    "unlock", "filemapRead", "writeChecks", "writeFolio", "setSize", "extendSize", "punchHole",
    "shiftRange", "sizeBound", "spliceWrite", "remapRange", "mremapVma", "doDentryOpen",
    "openExec", "execMap", "denyWriteAccess", "installFd", "mmapRegion", "respond",
    "closeEventFd", "closeGroup", "handOff", "freezeSuper", "freezeWait", "thawSuper",
    "doReadFault", "hugeFault", "doWriteFault", "wpHugePmd", "pageMkwrite", "daxPteFault",
    "userRead", "faultIn", "forceReadahead", "ret", "retTransferred",
  ]

  /// The hook functions `profile` has (kernel-semantics §3): the ones a hunt can reach there.
  public static func hookFunctions(of profile: Profile) -> [String] {
    var out = ["rw_verify_area", "vfs_fallocate", "do_dentry_open"]
    if profile.mmapHook { out.append("vm_mmap_pgoff") }
    if profile.truncateHook { out.append("do_truncate") }
    if profile.faultHook != .none { out.append("filemap_fault") }
    return out
  }

  /// The name of a step's kind: its enum case.
  static func kind(_ label: KernelStep) -> String {
    switch label {
    case .syscallEntry: return "syscallEntry"
    case .fanotifyRead: return "fanotifyRead"
    case .step(let step): return caseName(step)
    }
  }

  /// An enum value's case name, without its payload.
  static func caseName(_ value: some Any) -> String {
    if let label = Mirror(reflecting: value).children.first?.label { return label }
    let text = String(describing: value)
    return String(text.prefix { $0 != "(" })
  }

  /// The hook a notification walk stands for.
  static func hook(_ n: Notification, syscall: String) -> String {
    if n.isTruncate { return "do_truncate" }
    switch n.faultSite {
    case .filemapFault?: return "filemap_fault"
    case .fsnotifyHelper?: return "filemap_fsnotify_fault"
    case nil: break
    }
    if n.fatalDenial { return "elf_map" }
    if n.mask != .FAN_PRE_ACCESS && n.mask != .FAN_ACCESS_PERM { return "do_dentry_open" }
    switch syscall {
    case "mmap": return "vm_mmap_pgoff"
    case "fallocate": return "vfs_fallocate"
    case "remap": return "remap_verify_area"
    case "open": return "do_dentry_open"
    default: return "rw_verify_area"
    }
  }
}

/// A kernel system that records, as the explorer applies its steps, which kinds of step and
/// which hook sites the exploration reached. Everything else is the wrapped system's: the same
/// states, labels, properties and reductions, so the search is `run`'s search.
struct CoverageRecordingSystem: TransitionSystem {
  let base: KernelSystem
  let properties: [Property<KernelState>]
  let recorder: Recorder

  /// The steps seen (each label once per task and instruction) and what they stood for.
  final class Recorder: Sendable {
    let seen = Mutex<(labels: Set<Seen>, coverage: HuntCoverage)>(([], HuntCoverage()))
  }

  /// A step label where it was taken: the task and its instruction.
  struct Seen: Hashable {
    var label: KernelStep
    var task: Int
    var pc: Int
  }

  init(_ base: KernelSystem) {
    self.base = base
    self.properties = base.properties
    self.recorder = Recorder()
  }

  var coverage: HuntCoverage { recorder.seen.withLock { $0.coverage } }

  var taskCount: Int { base.taskCount }
  func taskName(_ task: Int) -> String { base.taskName(task) }
  func initialStates() -> [KernelState] { base.initialStates() }
  func transitions(from state: KernelState) -> [Transition<KernelStep>] {
    base.transitions(from: state)
  }
  func unfinishedTasks(in state: KernelState) -> [Int] { base.unfinishedTasks(in: state) }
  func encode(_ state: KernelState, into encoder: inout StateEncoder) {
    base.encode(state, into: &encoder)
  }
  func encodeRepresentative(_ state: KernelState, into encoder: inout StateEncoder) -> [Int]? {
    base.encodeRepresentative(state, into: &encoder)
  }
  func futureFootprint(ofTask task: Int, in state: KernelState, frozen: [Int]) -> Footprint? {
    base.futureFootprint(ofTask: task, in: state, frozen: frozen)
  }

  func apply(_ transition: Transition<KernelStep>, to state: KernelState) -> KernelState {
    let t = transition.task
    let key = Seen(label: transition.label, task: t, pc: state.tasks[t].pc)
    recorder.seen.withLock { seen in
      guard seen.labels.insert(key).inserted else { return }
      let kind = HuntCoverage.kind(transition.label)
      let syscall = HuntSignature.syscallName(base, task: t, in: state)
      seen.coverage.steps.insert(kind)
      seen.coverage.stepSites.insert("\(syscall) → \(kind)")
      if case .step(.notify(let n)) = transition.label {
        seen.coverage.hookSites.insert("\(syscall) → \(HuntCoverage.hook(n, syscall: syscall))")
      }
    }
    return base.apply(transition, to: state)
  }

}
