import ScenarioFormat

/// Scenario texts shared by the tests.
enum Examples {
  /// The example of the format's description, verbatim.
  static let readFilled = """
    # A reader of a stub page; the HSM fills it through its event fd.
    scenario read-filled
    question "Does a read of a stub page return what the HSM filled?"
    expect no-violation

    profile 6.18
    filesystem ext4
    file data pages 2 content remote
    group hsm class pre-content listener fill
    mark hsm inode data FAN_PRE_ACCESS|FAN_OPEN_PERM

    task reader
      fd = open data O_RDONLY
      read fd 4096 -> 4096
      pread fd 1p 100 -> EIO   # offsets may be in pages: 1p = one page
      close fd

    check I2 I6

    """

  /// `readFilled` as a file under `Scenarios/`.
  static let readFilledSource = SourceFile(
    path: "Scenarios/read-filled.scenario", text: readFilled)
}
