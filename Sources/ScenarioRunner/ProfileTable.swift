import KernelModel

/// `fanmc profiles` and `fanmc diff-profiles`: the presets and their switches as text.
public enum ProfileTable {
  /// Every preset with its summary, then a table of every switch's value per preset.
  public static func render() -> String {
    let presets = Profile.presets
    var out = ["Kernel profiles (oldest first):", ""]
    let nameWidth = presets.map(\.name.count).max() ?? 0
    for p in presets {
      out.append("  " + p.name.rightPadded(to: nameWidth) + "  " + p.summary)
    }
    out.append("")
    let switchWidth = Profile.switches.map(\.name.count).max() ?? 0
    let columns = presets.map { max($0.name.count, 12) }
    var header = "  " + "switch".rightPadded(to: switchWidth)
    for (p, w) in zip(presets, columns) { header += "  " + p.name.rightPadded(to: w) }
    out.append(header.trimmingTrailingSpaces())
    for s in Profile.switches {
      var line = "  " + s.name.rightPadded(to: switchWidth)
      for (p, w) in zip(presets, columns) { line += "  " + s.value(in: p).rightPadded(to: w) }
      out.append(line.trimmingTrailingSpaces())
    }
    out.append("")
    out.append("Switches:")
    for s in Profile.switches {
      out.append("  " + s.name.rightPadded(to: switchWidth) + "  " + s.summary)
    }
    return out.joined(separator: "\n")
  }

  /// The switches that differ between two presets, and what that means for the hook sites.
  public static func diff(_ a: Profile, _ b: Profile) -> String {
    let changed = Profile.switches.filter { $0.value(in: a) != $0.value(in: b) }
    var out = ["\(a.name) → \(b.name): \(changed.count) switch(es) differ", ""]
    guard !changed.isEmpty else { return out.joined(separator: "\n") }
    let w = changed.map(\.name.count).max()!
    let va = changed.map { $0.value(in: a).count }.max()!
    for s in changed {
      out.append(
        "  " + s.name.rightPadded(to: w) + "  " + s.value(in: a).rightPadded(to: va) + "  → "
          + s.value(in: b).rightPadded(to: 12) + "  " + s.summary)
    }
    out.append("")
    out.append("hook sites:")
    out.append(contentsOf: hookSites(a, b).map { "  " + $0 })
    return out.joined(separator: "\n")
  }

  struct ProfileJSON: Codable {
    var name: String
    var summary: String
    /// Every switch's value, by switch name.
    var switches: [String: String]
  }

  struct SwitchJSON: Codable {
    var name: String
    var summary: String
  }

  struct ProfilesJSON: Codable {
    var profiles: [ProfileJSON]
    var switches: [SwitchJSON]
  }

  struct ChangeJSON: Codable {
    var name: String
    var from: String
    var to: String
    var summary: String
  }

  struct DiffJSON: Codable {
    var from: String
    var to: String
    var switches: [ChangeJSON]
    var hookSites: [String]
  }

  /// `fanmc profiles --format json`: every preset with every switch's value.
  public static func json() -> String {
    JSONRenderer.encode(
      ProfilesJSON(
        profiles: Profile.presets.map { p in
          ProfileJSON(
            name: p.name, summary: p.summary,
            switches: Dictionary(
              uniqueKeysWithValues: Profile.switches.map { ($0.name, $0.value(in: p)) }))
        },
        switches: Profile.switches.map { SwitchJSON(name: $0.name, summary: $0.summary) }))
  }

  /// `fanmc diff-profiles A B --format json`.
  public static func diffJSON(_ a: Profile, _ b: Profile) -> String {
    let changed = Profile.switches.filter { $0.value(in: a) != $0.value(in: b) }
    let sites = hookSites(a, b)
    return JSONRenderer.encode(
      DiffJSON(
        from: a.name, to: b.name,
        switches: changed.map {
          ChangeJSON(name: $0.name, from: $0.value(in: a), to: $0.value(in: b), summary: $0.summary)
        },
        hookSites: sites == ["(the same hook sites)"] ? [] : sites))
  }

  /// The hook sites (kernel-semantics §3) whose presence or form differs.
  static func hookSites(_ a: Profile, _ b: Profile) -> [String] {
    func site(_ name: String, _ x: String, _ y: String) -> String? {
      x == y ? nil : "\(name): \(x) → \(y)"
    }
    func onOff(_ v: Bool) -> String { v ? "hooked" : "not hooked" }
    let lines: [String?] = [
      site(
        "filemap_fault (page faults)", a.faultHook == .none ? "not hooked" : a.faultHook.rawValue,
        b.faultHook == .none ? "not hooked" : b.faultHook.rawValue),
      site("vm_mmap_pgoff (mmap)", onOff(a.mmapHook), onOff(b.mmapHook)),
      site("do_ftruncate / vfs_truncate", onOff(a.truncateHook), onOff(b.truncateHook)),
      site("do_dentry_open (pre-content on open)", onOff(a.openHook), onOff(b.openHook)),
      site(
        "rw_verify_area(READ) order", a.accessPermFirst ? "ACCESS_PERM first" : "PRE_ACCESS first",
        b.accessPermFirst ? "ACCESS_PERM first" : "PRE_ACCESS first"),
      site(
        "range records", a.pageAlignedRanges ? "page aligned" : "exact bytes",
        b.pageAlignedRanges ? "page aligned" : "exact bytes"),
    ]
    let found = lines.compactMap { $0 }
    return found.isEmpty ? ["(the same hook sites)"] : found
  }
}
