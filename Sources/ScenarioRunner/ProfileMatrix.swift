import Exploration
import KernelModel
import ScenarioFormat

/// The verdict of every scenario under every profile (`fanmc matrix`): one row per scenario, one
/// cell per profile, each cell the scenario explored with its `profile` replaced by the column's.
///
/// A cell is computed by resolving the scenario's text again with the column's profile
/// (`ScenarioResolver.resolve(_:profile:)`), so the `profile NAME` line is the only thing that
/// changes: the scenario's `set` switches apply under every profile, and what the new profile
/// makes invalid (a mark `fanotify_mark` refuses, say) is reported in the cell, never trapped on.
/// The scenario's expectations speak of its own profile: only that cell is judged against them.
public struct ProfileMatrix: Sendable {
  /// What one scenario gives under one profile.
  public enum Outcome: Hashable, Sendable {
    /// Exhaustive, and no violation, deadlock or known gap was found.
    case ok
    /// Violated property ids in the order found (a deadlock as I5 or I9), then the known gaps
    /// reached; the exploration may have been cut short after finding them.
    case found([String])
    /// A bound was hit before anything was found: the bound's name (`states`, `file-size`, …).
    case incomplete(bound: String)
    /// The scenario does not resolve under this profile: the diagnostic, on one line.
    case unresolved(String)
  }

  /// One scenario under one profile.
  public struct Cell: Hashable, Sendable {
    public var profile: String
    public var outcome: Outcome
    /// The scenario's own profile (the one its `profile` line names, 6.18 without one).
    public var isOwnProfile: Bool
    /// Why the scenario's expectations are not met, in its own profile's cell; empty when they
    /// are met, and in every other cell (expectations speak of the own profile only).
    public var expectationProblems: [String]
    /// States explored (0 when unresolved).
    public var states: Int

    /// True for the own profile's cell when every expectation is met; nil in other cells.
    public var expectationsMet: Bool? { isOwnProfile ? expectationProblems.isEmpty : nil }

    /// The cell's short text: `ok`, the ids (`I3 I5`), `incomplete` or `n/a`.
    public var label: String {
      switch outcome {
      case .ok: return "ok"
      case .found(let ids): return ids.joined(separator: " ")
      case .incomplete: return "incomplete"
      case .unresolved: return "n/a"
      }
    }
  }

  /// One scenario: its identity, its own profile, its `set` switches, and a cell per profile.
  public struct Row: Hashable, Sendable {
    public var scenario: String
    public var file: String
    public var question: String
    /// The profile the scenario names (6.18 when it names none).
    public var ownProfile: String
    /// The scenario's `set SWITCH VALUE` overrides, as `SWITCH VALUE`: applied under every
    /// profile.
    public var switches: [String]
    /// One cell per profile of the matrix, in its order.
    public var cells: [Cell]
  }

  /// The profile names, in column order.
  public var profiles: [String]
  public var rows: [Row]
  /// The bounds every cell was explored with.
  public var exploration: ExplorationConfig

  /// Explores every scenario (resolved in its own profile) under every profile, in the order
  /// given. Errors that are not the scenario's fault (the explorer's) are thrown.
  public static func compute(
    _ scenarios: [Scenario], profiles: [Profile],
    exploration: ExplorationConfig = ExplorationConfig()
  ) throws(RunError) -> ProfileMatrix {
    var rows: [Row] = []
    for scenario in scenarios {
      var cells: [Cell] = []
      for profile in profiles {
        cells.append(try cell(scenario, under: profile, exploration: exploration))
      }
      rows.append(
        Row(
          scenario: scenario.name, file: scenario.source.path, question: scenario.question,
          ownProfile: scenario.config.profile.name, switches: switches(of: scenario),
          cells: cells))
    }
    return ProfileMatrix(profiles: profiles.map(\.name), rows: rows, exploration: exploration)
  }

  /// `scenario` explored with its profile replaced by `profile`.
  public static func cell(
    _ scenario: Scenario, under profile: Profile,
    exploration: ExplorationConfig = ExplorationConfig()
  ) throws(RunError) -> Cell {
    let own = profile.name == scenario.config.profile.name
    let resolved: Scenario
    if own {
      resolved = scenario
    } else {
      do { resolved = try ScenarioResolver.resolve(scenario.source, profile: profile) } catch {
        return Cell(
          profile: profile.name,
          outcome: .unresolved("line \(error.location.line): \(error.message)"),
          isOwnProfile: false, expectationProblems: [], states: 0)
      }
    }
    let report = try ScenarioRun.run(resolved, exploration: exploration)
    let found = report.foundIDs + report.gaps.map(\.propertyID)
    let outcome: Outcome
    if !found.isEmpty {
      outcome = .found(found)
    } else if let bound = report.boundName {
      outcome = .incomplete(bound: bound)
    } else {
      outcome = .ok
    }
    return Cell(
      profile: profile.name, outcome: outcome, isOwnProfile: own,
      expectationProblems: own ? report.expectationProblems : [],
      states: report.result.stats.states)
  }

  /// The switches a scenario sets to a value other than its own profile's, as `SWITCH VALUE`.
  static func switches(of scenario: Scenario) -> [String] {
    let profile = scenario.config.profile
    guard let preset = Profile.preset(named: profile.name) else { return [] }
    return zip(preset.switchValues, profile.switchValues).compactMap { base, set in
      base.value == set.value ? nil : "\(set.name) \(set.value)"
    }
  }
}
