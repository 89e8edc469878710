// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "fanmc",
  products: [
    .executable(name: "fanmc", targets: ["fanmc"])
  ],
  targets: [
    // Generic engine: transition systems, search, reductions, schedules. Knows nothing of kernels.
    .target(name: "Exploration"),

    // Linux semantics: superblock, inodes, open files, fanotify groups, syscall paths, profiles.
    .target(name: "KernelModel", dependencies: ["Exploration"]),

    // One file per listener program, and the catalogue by name.
    .target(name: "ListenerModels", dependencies: ["KernelModel"]),

    // Scenario text -> syntax tree + located diagnostics. No kernel meaning.
    .target(name: "ScenarioFormat"),

    // Names -> kernel system, exploration, expectations, reports.
    .target(
      name: "ScenarioRunner",
      dependencies: ["Exploration", "KernelModel", "ListenerModels", "ScenarioFormat"]
    ),

    // The command-line tool: argument parsing, file I/O, printing, exit status.
    .executableTarget(name: "fanmc", dependencies: ["ScenarioRunner", "KernelProbe"]),

    // Live-kernel conformance probe: C runner (fork, fanotify, loop-mounted ext4) + Swift wrapper.
    .target(name: "CKernelProbe", cSettings: [.define("_GNU_SOURCE")]),
    .target(name: "KernelProbe", dependencies: ["KernelModel", "CKernelProbe"]),

    // Tests: one target per module plus shared support.
    .target(name: "TestSupport", dependencies: ["Exploration"], path: "Tests/TestSupport"),
    .testTarget(name: "ExplorationTests", dependencies: ["Exploration", "TestSupport"]),
    .testTarget(
      name: "KernelModelTests",
      dependencies: ["KernelModel", "ListenerModels", "ScenarioRunner", "TestSupport"]),
    .testTarget(
      name: "ListenerModelsTests",
      dependencies: ["ListenerModels", "ScenarioRunner", "TestSupport"]),
    .testTarget(name: "ScenarioFormatTests", dependencies: ["ScenarioFormat", "TestSupport"]),
    .testTarget(name: "ScenarioRunnerTests", dependencies: ["ScenarioRunner", "TestSupport"]),
    .testTarget(name: "fanmcTests", dependencies: ["fanmc", "ScenarioRunner", "TestSupport"]),
    .testTarget(
      name: "KernelProbeTests",
      dependencies: [
        "KernelProbe", "KernelModel", "ListenerModels", "ScenarioFormat", "ScenarioRunner",
        "TestSupport",
      ]),
  ]
)
