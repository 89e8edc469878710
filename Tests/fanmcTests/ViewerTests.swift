import Foundation
import ScenarioRunner
import TestSupport
import Testing

/// Headless Chromium, if this machine has it (`.ci/run` installs the Debian package `chromium`).
let chromiumExecutable: String? = {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
  for dir in path.split(separator: ":") {
    for name in ["chromium", "chromium-browser"] {
      let candidate = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
  }
  return nil
}()

/// `fanmc view`: the page is self-contained, its data decodes, and in a real browser its keys
/// and buttons step through the path and show what each step should.
@Suite("fanmc view")
struct ViewerTests {
  static let b1 = "Scenarios/history/b1-freeze-deadlock-6.14-rc1.scenario"
  static let readFilled = "Scenarios/mainline/read-filled.scenario"

  /// Writes `fanmc view ARGS -o FILE` to a fresh temporary file and returns its address.
  static func page(_ arguments: [String]) throws -> URL {
    let out = FileManager.default.temporaryDirectory
      .appendingPathComponent("fanmc-view-\(UUID().uuidString).html")
    let run = try FanmcProcess.run(["view"] + arguments + ["-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.isEmpty)
    return out
  }

  /// What Chromium shows for `url` once its scripts ran: the serialised DOM, and a screenshot
  /// when `screenshot` is given.
  static func chromium(_ url: String, screenshot: URL? = nil) throws -> String {
    let profile = FileManager.default.temporaryDirectory
      .appendingPathComponent("fanmc-chromium-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: profile) }
    var arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
      "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000",
    ]
    if let screenshot {
      arguments += ["--window-size=1400,900", "--screenshot=\(screenshot.path)"]
    } else {
      arguments.append("--dump-dom")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromiumExecutable!)
    process.arguments = arguments + [url]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let timer = DispatchWorkItem { process.terminate() }
    DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: timer)
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    timer.cancel()
    #expect(process.terminationStatus == 0, "chromium exited with \(process.terminationStatus)")
    return String(decoding: data, as: UTF8.self)
  }

  /// The text of the element with `id`, up to the element with `until` (tags removed, entities
  /// decoded, white space collapsed).
  static func text(_ dom: String, id: String, until: String) -> String {
    guard let start = dom.range(of: "id=\"\(id)\"") else { return "<no #\(id)>" }
    let rest = dom[start.upperBound...]
    let end = rest.range(of: until)?.lowerBound ?? rest.endIndex
    var s = String(rest[..<end])
    if let close = s.firstIndex(of: ">") { s = String(s[s.index(after: close)...]) }
    s = s.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
    for (entity, c) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
      s = s.replacingOccurrences(of: entity, with: c)
    }
    return s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  @Test("the page loads nothing from the network and embeds the path's data")
  func selfContained() throws {
    let url = try Self.page([Self.b1, "--violation", "I5"])
    defer { try? FileManager.default.removeItem(at: url) }
    let html = try String(contentsOf: url, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    // No external script, style sheet, image, frame or font: only <a href> source links.
    for pattern in [
      #"<(script|img|iframe|link|embed|source)[^>]*\s(src|href)\s*=\s*"?(https?:)?//"#,
      #"url\(\s*['"]?(https?:)?//"#, #"@import"#,
    ] {
      #expect(html.range(of: pattern, options: [.regularExpression, .caseInsensitive]) == nil)
    }
    #expect(html.components(separatedBy: "<script").count == 3)
    #expect(html.contains("<style>"))
    // The JSON inside the page is `--format json`'s, with "<" escaped.
    let json = try FanmcProcess.run(["view", Self.b1, "--violation", "I5", "--format", "json"])
    #expect(json.status == 0)
    #expect(
      html.contains(json.stdout.replacingOccurrences(of: "<", with: "\\u003c").dropLast()))
    #expect(
      html.contains(
        "https://elixir.bootlin.com/linux/v6.14-rc1/A/ident/fanotify_get_response"))
  }

  @Test("--format json decodes to the snapshots of the counterexample")
  func json() throws {
    let run = try FanmcProcess.run(["view", Self.b1, "--violation", "I5", "--format", "json"])
    #expect(run.status == 0, "\(run.stderr)")
    let model = try JSONDecoder().decode(ViewModel.self, from: Data(run.stdout.utf8))
    #expect(model.title == "The minimized counterexample of I5 (shortest, fewest context switches)")
    #expect(model.leftOut == ["line 24: thaw"])
    #expect(
      model.replay
        == "fanmc replay \(Self.b1) --without 24 --schedule 0*26,1,1,2")
    #expect(model.tasks.map(\.name) == ["writer", "freezer", "hsm"])
    #expect(model.tasks.map(\.listenerOf) == [nil, nil, "hsm"])
    #expect(model.snapshots.count == 30)
    #expect(model.schedule.split(separator: ",").count == 29)
    let deadlock = try #require(model.waitFor)
    #expect(deadlock.kind == "deadlock")
    #expect(deadlock.path.map { model.tasks[$0].name } == ["writer", "hsm", "freezer"])
    #expect(deadlock.edges.filter(\.onPath).map { "\($0.from)>\($0.to)" } == ["0>2", "1>0", "2>1"])
    let emitted = model.snapshots[26]
    #expect(emitted.violatedHere == ["I3"])
    #expect(emitted.tasks[0].held == ["sb_writers", "i_rwsem(a)"])
    let queued = emitted.queues[0].events.map { [$0.mask, $0.file, $0.range, $0.task, $0.status] }
    #expect(queued == [["FAN_PRE_ACCESS", "b", "offset 0 count 4096", "writer", "queued"]])
    #expect(
      model.snapshots[28].superblock == "freeze in progress (by freezer); inside sb_writers: writer"
    )
  }

  @Test("a v7 profile links kernel functions to a lore search of the posting")
  func postingLinks() throws {
    let links = try #require(SourceLinks(profile: "v7"))
    let segments = links.segments("filemap_fault → ->page_mkwrite → pthread_mutex_lock (PMD_ORDER)")
    #expect(segments.compactMap(\.url).count == 1)
    #expect(
      segments.first?.url
        == "https://lore.kernel.org/linux-fsdevel/?q=s%3A%22PATCH%20v7%22%20d%3A20241112..20241114%20filemap_fault"
    )
    #expect(
      segments.map(\.text).joined()
        == "filemap_fault → ->page_mkwrite → pthread_mutex_lock (PMD_ORDER)")
  }

  @Test("--schedule and --violation exclude each other")
  func exclusive() throws {
    let run = try FanmcProcess.run(["view", Self.b1, "--violation", "I5", "--schedule", "0"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("--schedule and --violation exclude each other"))
  }

  @Test(
    "keys and buttons step the deterministic schedule in Chromium",
    .enabled(if: chromiumExecutable != nil, "needs headless Chromium (Debian package chromium)"))
  func stepsReadFilled() throws {
    let url = try Self.page([Self.readFilled])
    defer { try? FileManager.default.removeItem(at: url) }
    // 3, then → → j next next k: step 7, six actions dispatched by the page's own handlers.
    let dom = try Self.chromium(
      url.absoluteString + "#step=3&do=key:ArrowRight*2,key:j,click:next*2,key:k")
    #expect(dom.contains("data-step=\"7\" data-actions=\"6\""))
    #expect(Self.text(dom, id: "step-number", until: "</span>") == "step 7 of 21")
    #expect(Self.text(dom, id: "step-title", until: "</h2>") == "Step 7 · hsm")
    #expect(
      Self.text(dom, id: "step-description", until: "</p>")
        == "reads FAN_PRE_ACCESS of reader (offset 0 count 4096) as event fd 4")
    #expect(
      dom.contains(
        "<a href=\"https://elixir.bootlin.com/linux/v6.18/A/ident/fanotify_read\" target=\"_blank\""
      ))
    #expect(
      Self.text(dom, id: "queue-0", until: "</ul>")
        == "hsm FAN_CLASS_PRE_CONTENT · listener fill FAN_PRE_ACCESS · data · offset 0 count 4096 · reader waits · read as event fd 4"
    )
    #expect(Self.text(dom, id: "lane-now-0", until: "</td>") == "waits · holds f_pos_lock")
    #expect(dom.contains("<tr class=\"row current\" id=\"row-7\""))
    #expect(dom.contains("<tr class=\"row future\" id=\"row-8\""))

    // End, Home, then eleven clicks on next: the fill has written page 0 and holds its locks.
    let filled = try Self.chromium(url.absoluteString + "#do=key:End,key:Home,click:next*11")
    #expect(filled.contains("data-step=\"11\" data-actions=\"13\""))
    #expect(Self.text(filled, id: "step-locks", until: "</p>") == "sb_writers, i_rwsem(data)")
    #expect(
      Self.text(filled, id: "file-0", until: "<p class=\"legend\"")
        == "data i_size 8192 pages 0: filled 1: remote cache 0: filled —")
    #expect(Self.text(filled, id: "queue-0", until: "</ul>").hasSuffix("read as event fd 4"))
    #expect(!filled.contains("class=\"shown\""))
  }

  @Test(
    "the B1 deadlock ends with its wait-for cycle drawn, in Chromium",
    .enabled(if: chromiumExecutable != nil, "needs headless Chromium (Debian package chromium)"))
  func drawsB1Deadlock() throws {
    let url = try Self.page([Self.b1, "--violation", "I5"])
    defer { try? FileManager.default.removeItem(at: url) }
    let emitted = try Self.chromium(url.absoluteString + "#step=26")
    #expect(Self.text(emitted, id: "step-title", until: "</h2>") == "Step 26 · writer")
    #expect(Self.text(emitted, id: "step-violations", until: "</p>") == "violates I3 here")
    #expect(Self.text(emitted, id: "step-locks", until: "</p>") == "sb_writers, i_rwsem(a)")
    #expect(!emitted.contains("waitfor-box\" class=\"shown\""))

    let end = try Self.chromium(url.absoluteString + "#do=key:End")
    #expect(end.contains("data-step=\"29\" data-actions=\"1\""))
    #expect(end.contains("id=\"waitfor-box\" class=\"shown\""))
    #expect(
      Self.text(end, id: "waitfor-kind", until: "</p>")
        == "DEADLOCK: writer → hsm → freezer → writer")
    for task in ["writer", "hsm", "freezer"] {
      #expect(end.contains("<g class=\"node onpath\" data-task=\"\(task)\">"))
    }
    #expect(end.components(separatedBy: "marker-end=\"url(#arrow-onpath)\"").count - 1 == 3)
    #expect(end.contains("holds sb_writers, i_rwsem(a)</text>"))
    #expect(Self.text(end, id: "lane-now-1", until: "</td>") == "waits")

    // The screenshot of the README (docs/images/viewer-b1.png): re-taken into the repository
    // only with FANMC_RECORD_SCREENSHOT=1, else into a temporary file.
    let record = ProcessInfo.processInfo.environment["FANMC_RECORD_SCREENSHOT"] == "1"
    let png =
      record
      ? Repository.root.appendingPathComponent("docs/images/viewer-b1.png")
      : FileManager.default.temporaryDirectory.appendingPathComponent("fanmc-viewer-b1.png")
    _ = try Self.chromium(url.absoluteString + "#do=key:End", screenshot: png)
    let data = try Data(contentsOf: png)
    #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    #expect(data.count > 50_000)
    print("fanmc view screenshot: \(png.path)")
  }
}
