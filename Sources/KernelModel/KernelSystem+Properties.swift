import Exploration

/// The invariants of kernel-semantics §8 this model checks, by id.
extension KernelSystem {
  /// Property ids reported as known gaps (documented exemptions), not as violations.
  public static let gapPropertyIDs: Set<String> = ["I2-gap"]

  /// Every property, in a fixed order.
  public static let allProperties: [Property<KernelState>] = [
    .always(
      "I2", "no unnotified page: a read never returns stub content the listener did not fill",
      { !$0.history.unnotifiedRead }),
    .sometimes(
      "I2-gap",
      "known gap I2(c): stub content read through a file exempt from I2 (opened before the mark)",
      { $0.history.gapRead }),
    .always(
      "I6",
      "answer discipline: every answer obeys §1.3 and the waiter sees its mapping",
      { !$0.history.answerDiscipline }),
    .always(
      "returns", "every syscall returns what the scenario's `-> RESULT` says",
      { !$0.history.resultMismatch }),
  ]

  public var properties: [Property<KernelState>] {
    let selected = config.checkedProperties
    return Self.allProperties.filter { selected == nil || selected!.contains($0.id) }
  }
}
