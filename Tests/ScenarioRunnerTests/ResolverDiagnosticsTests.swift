import Foundation
import ScenarioFormat
import ScenarioRunner
import Testing

@Suite("Diagnostics of the resolver")
struct ResolverDiagnosticsTests {
  /// One scenario the resolver must reject, the path it is read from, and exactly what it prints.
  struct Row: Sendable, CustomTestStringConvertible {
    var text: String
    var path: String
    var rendered: String

    init(_ text: String, path: String = "s/t.scenario", _ rendered: String) {
      self.text = text
      self.path = path
      self.rendered = rendered
    }

    /// The message, without the location: enough to tell the rows apart in a test report.
    var testDescription: String {
      let first = rendered.prefix { $0 != "\n" }
      return first.range(of: "error: ").map { String(first[$0.upperBound...]) } ?? String(first)
    }
  }

  // MARK: The table

  /// Every diagnostic of `ScenarioResolver`, each `throw` site at least once. The default path
  /// `s/t.scenario` makes `t` the scenario name that matches the file name.
  static let rows: [Row] = [
    Row(
      "file data pages 1\ntask r\n  fd = open data or close fd",
      """
      s/t.scenario:3:3: error: a choice ('or') cannot assign a variable
        fd = open data or close fd
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  read fd 1 or",
      """
      s/t.scenario:4:13: error: expected a syscall on both sides of 'or'
        read fd 1 or
                  ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  m = mmap fd 0 1p\n  load m 0 locked",
      """
      s/t.scenario:5:3: error: expected 'load MAP OFFSET [nowait|noretry]'
        load m 0 locked
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  m = mmap fd 0 1p\n  madvise m dontneed",
      """
      s/t.scenario:5:3: error: expected 'madvise MAP hugepage|willneed'
        madvise m dontneed
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  readahead fd 0",
      """
      s/t.scenario:4:3: error: expected 'readahead FD OFFSET COUNT'
        readahead fd 0
        ^
      """),
    Row(
      "task r\n  getdents",
      """
      s/t.scenario:2:3: error: expected 'getdents FD'
        getdents
        ^
      """),
    Row(
      "expect event FAN_PRE_ACCESS",
      """
      s/t.scenario:1:1: error: expected 'expect event MASK [OFFSET COUNT] -> ALLOW|DENY|ERRNO' or 'expect event NOTIFICATION'
      expect event FAN_PRE_ACCESS
      ^
      """),
    Row(
      "expect event FAN_ACCESS -> ALLOW",
      """
      s/t.scenario:1:28: error: a notification event has no response
      expect event FAN_ACCESS -> ALLOW
                                 ^
      """),
    Row(
      "expect event FAN_MODIFY 0 1p",
      """
      s/t.scenario:1:25: error: a notification event has no range
      expect event FAN_MODIFY 0 1p
                              ^
      """),
    Row(
      "expect event FAN_OPEN|FAN_OPEN_EXEC 0 1p",
      """
      s/t.scenario:1:37: error: a notification event has no range
      expect event FAN_OPEN|FAN_OPEN_EXEC 0 1p
                                          ^
      """),
    Row(
      "expect event FAN_ONDIR -> ALLOW",
      """
      s/t.scenario:1:14: error: unknown event 'FAN_ONDIR'
      expect event FAN_ONDIR -> ALLOW
                   ^
      """),
    Row(
      "expect event FAN_PRE_ACCESS -> MAYBE",
      """
      s/t.scenario:1:32: error: unknown response 'MAYBE' (ALLOW, DENY or an errno)
      expect event FAN_PRE_ACCESS -> MAYBE
                                     ^
      """),
    Row(
      "expect no-events now",
      """
      s/t.scenario:1:18: error: no-events takes nothing
      expect no-events now
                       ^
      """),
    Row(
      "expect event FAN_PRE_ACCESS -> ALLOW\nexpect no-events",
      """
      s/t.scenario:2:8: error: 'expect no-events' contradicts 'expect event'
      expect no-events
             ^
      """),
    Row(
      "group ltp class pre-content listener script",
      """
      s/t.scenario:1:38: error: listener script takes RESPONSES... (one or more)
      group ltp class pre-content listener script
                                           ^
      """),
    Row(
      "group ltp class pre-content listener script ALLOW PERHAPS",
      """
      s/t.scenario:1:51: error: unknown response 'PERHAPS' (ALLOW, DENY or an errno)
      group ltp class pre-content listener script ALLOW PERHAPS
                                                        ^
      """),
    Row(
      "task r\n  exec",
      """
      s/t.scenario:2:3: error: expected 'exec FILE'
        exec
        ^
      """),
    Row(
      "group hsm class pre-content queue 0 listener fill",
      """
      s/t.scenario:1:29: error: 'queue' takes a number of events from 1 to 16
      group hsm class pre-content queue 0 listener fill
                                  ^
      """),
    Row(
      "group hsm class pre-content listener fill\nmark hsm socket FAN_PRE_ACCESS",
      """
      s/t.scenario:2:10: error: unknown mark object 'socket' (known: inode, directory, mount, filesystem)
      mark hsm socket FAN_PRE_ACCESS
               ^
      """),
    Row(
      "group hsm class pre-content listener fill\nmark hsm mount x FAN_PRE_ACCESS",
      """
      s/t.scenario:2:1: error: expected 'mark GROUP inode FILE MASK [flags F]' or 'mark GROUP directory|mount|filesystem MASK [flags F]'
      mark hsm mount x FAN_PRE_ACCESS
      ^
      """),
    Row(
      "group hsm class pre-content listener fill\nmark hsm inode x FAN_PRE_ACCESS y",
      """
      s/t.scenario:2:1: error: expected 'mark GROUP inode FILE MASK [flags F]' or 'mark GROUP directory|mount|filesystem MASK [flags F]'
      mark hsm inode x FAN_PRE_ACCESS y
      ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  readv fd",
      """
      s/t.scenario:4:3: error: expected 'readv FD COUNT…'
        readv fd
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  mmap data 0 1p",
      """
      s/t.scenario:3:3: error: expected 'MAP = mmap FD OFFSET LENGTH'
        mmap data 0 1p
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  fallocate fd FALLOC_FL_KEEP_SIZE|FALLOC_FL_BOGUS 0 1p",
      """
      s/t.scenario:4:16: error: unknown fallocate flag 'FALLOC_FL_BOGUS' (known: 0, FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, FALLOC_FL_NO_HIDE_STALE, FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_ZERO_RANGE, FALLOC_FL_INSERT_RANGE, FALLOC_FL_UNSHARE_RANGE, FALLOC_FL_WRITE_ZEROES)
        fallocate fd FALLOC_FL_KEEP_SIZE|FALLOC_FL_BOGUS 0 1p
                     ^
      """),
    Row(
      "file data pages 2\ntask r\n  fd = open data O_RDWR\n  pwrite fd 100000 10",
      """
      s/t.scenario:4:3: error: pwrite64 grows data to 100010 bytes, past its max of 24576: declare the file with 'max 100010' or more
        pwrite fd 100000 10
        ^
      """),
    Row(
      "file data pages 2\ntask r\n  truncate data 1000000",
      """
      s/t.scenario:3:3: error: truncate grows data to 1000000 bytes, past its max of 24576: declare the file with 'max 1000000' or more
        truncate data 1000000
        ^
      """),
    Row(
      "file data pages 2\ntask r\n  fd = open data O_RDWR\n  fallocate fd 0 1p 10p",
      """
      s/t.scenario:4:3: error: fallocate grows data to 45056 bytes, past its max of 24576: declare the file with 'max 45056' or more
        fallocate fd 0 1p 10p
        ^
      """),
    Row(
      "task r\n  kill nobody",
      """
      s/t.scenario:2:8: error: unknown task 'nobody'
        kill nobody
             ^
      """),
    Row(
      "task r\n  freeze now",
      """
      s/t.scenario:2:3: error: expected 'freeze'
        freeze now
        ^
      """),
    // Lines the whole file must have, reported at 1:1 once every statement has been read.
    Row(
      "",
      """
      s/t.scenario:1:1: error: missing 'scenario NAME' line

      ^
      """),
    Row(
      "question \"q\"\nexpect no-violation",
      """
      s/t.scenario:1:1: error: missing 'scenario NAME' line
      question "q"
      ^
      """),
    Row(
      """
      scenario t
      expect no-violation
      file f pages 1
      task r
        x = open f
      """,
      """
      s/t.scenario:1:1: error: missing 'question "…"' line
      scenario t
      ^
      """),
    Row(
      """
      scenario t
      question "q"
      file f pages 1
      task r
        x = open f
      """,
      """
      s/t.scenario:1:1: error: missing 'expect …' line
      scenario t
      ^
      """),
    Row(
      "scenario t\nquestion \"q\"\nexpect no-violation",
      """
      s/t.scenario:1:1: error: a scenario needs at least one task
      scenario t
      ^
      """),

    // The shape of a top-level statement.
    Row(
      "\"hello\" world",
      """
      s/t.scenario:1:1: error: a statement starts with a keyword
      "hello" world
      ^
      """),
    Row(
      "fd = 4096",
      """
      s/t.scenario:1:6: error: a statement starts with a keyword
      fd = 4096
           ^
      """),
    Row(
      "scenario t\n  question \"q\"",
      """
      s/t.scenario:2:3: error: only 'task' and 'listener' take an indented block
        question "q"
        ^
      """),
    Row(
      "fd = scenario t",
      """
      s/t.scenario:1:1: error: '=' is only for fd variables inside a task
      fd = scenario t
      ^
      """),
    Row(
      "x = task r",
      """
      s/t.scenario:1:1: error: '=' is only for fd variables inside a task
      x = task r
      ^
      """),
    Row(
      "task r -> 1",
      """
      s/t.scenario:1:11: error: '->' is only for syscalls inside a task
      task r -> 1
                ^
      """),
    Row(
      "scenario t -> ok",
      """
      s/t.scenario:1:15: error: '->' is only for syscalls inside a task
      scenario t -> ok
                    ^
      """),
    Row(
      "frobnicate x",
      """
      s/t.scenario:1:1: error: unknown statement 'frobnicate' (expected scenario, question, \
      expect, profile, set, filesystem, file, binary, group, mark, task or check)
      frobnicate x
      ^
      """),

    // scenario and question.
    Row(
      "scenario u",
      """
      s/t.scenario:1:10: error: scenario name 'u' must match the file name 't'
      scenario u
               ^
      """),
    Row(
      "scenario t",
      path: "s/t.txt",
      """
      s/t.txt:1:10: error: scenario name 't' must match the file name 't.txt'
      scenario t
               ^
      """),
    Row(
      "scenario t\nscenario t",
      """
      s/t.scenario:2:1: error: 'scenario' appears twice
      scenario t
      ^
      """),
    Row(
      "scenario",
      """
      s/t.scenario:1:1: error: expected 'scenario NAME'
      scenario
      ^
      """),
    Row(
      "scenario t u",
      """
      s/t.scenario:1:12: error: expected 'scenario NAME'
      scenario t u
                 ^
      """),
    Row(
      "question what",
      """
      s/t.scenario:1:10: error: the question is a quoted string
      question what
               ^
      """),
    Row(
      "question \"a\"\nquestion \"b\"",
      """
      s/t.scenario:2:1: error: 'question' appears twice
      question "b"
      ^
      """),
    Row(
      "question \"a\" \"b\"",
      """
      s/t.scenario:1:14: error: expected 'question "…"'
      question "a" "b"
                   ^
      """),

    // expect.
    Row(
      "expect",
      """
      s/t.scenario:1:1: error: expected 'expect no-violation', 'expect violation ID', 'expect deadlock', 'expect gap ID', 'expect event …' or 'expect no-events'
      expect
      ^
      """),
    Row(
      "expect no-violation I2",
      """
      s/t.scenario:1:21: error: no-violation takes nothing
      expect no-violation I2
                          ^
      """),
    Row(
      "expect deadlock soon",
      """
      s/t.scenario:1:17: error: deadlock takes nothing
      expect deadlock soon
                      ^
      """),
    Row(
      "expect violation",
      """
      s/t.scenario:1:8: error: expected 'violation PROPERTY'
      expect violation
             ^
      """),
    Row(
      "expect gap I2-gap I2",
      """
      s/t.scenario:1:8: error: expected 'gap PROPERTY'
      expect gap I2-gap I2
             ^
      """),
    Row(
      "expect violation I99",
      """
      s/t.scenario:1:18: error: unknown violation 'I99' (known: I1, I2, I2-h, I3, I4, I6, I7, I8, I10, I11, I12, spurious, retry, dispatch, returns, I5, I9)
      expect violation I99
                       ^
      """),
    Row(
      "expect violation I2-gap",
      """
      s/t.scenario:1:18: error: 'I2-gap' is a known gap: write 'expect gap I2-gap'
      expect violation I2-gap
                       ^
      """),
    Row(
      "expect gap I2",
      """
      s/t.scenario:1:12: error: 'I2' is a violation: write 'expect violation I2'
      expect gap I2
                 ^
      """),
    Row(
      "expect success",
      """
      s/t.scenario:1:8: error: unknown expectation 'success' (expected no-violation, violation, deadlock, gap, event, no-events, lock-cycle or no-lock-cycle)
      expect success
             ^
      """),
    Row(
      "expect no-violation\nexpect violation I2",
      """
      s/t.scenario:1:8: error: 'expect no-violation' contradicts another expectation
      expect no-violation
             ^
      """),
    Row(
      "expect deadlock\nexpect no-violation",
      """
      s/t.scenario:2:8: error: 'expect no-violation' contradicts another expectation
      expect no-violation
             ^
      """),

    // profile, set, filesystem and check.
    Row(
      "profile 6.18\nprofile 6.18",
      """
      s/t.scenario:2:1: error: 'profile' appears twice
      profile 6.18
      ^
      """),
    Row(
      "profile 5.4",
      """
      s/t.scenario:1:9: error: unknown profile '5.4' (known: v2, v7, v9, 6.14-rc1, 6.14, 6.17, 6.18)
      profile 5.4
              ^
      """),
    Row(
      "profile",
      """
      s/t.scenario:1:1: error: expected 'profile NAME'
      profile
      ^
      """),
    Row(
      "set page-aligned-ranges",
      """
      s/t.scenario:1:1: error: expected 'set SWITCH VALUE'
      set page-aligned-ranges
      ^
      """),
    Row(
      """
      scenario t
      question "q"
      expect no-violation
      file data pages 1
      task r
        fd = open data -> ok
      set hugepages on
      """,
      """
      s/t.scenario:7:5: error: unknown profile switch 'hugepages' (known: page-aligned-ranges, response-validation, write-hook, hooks-before-locks, event-fd-nonotify, mmap-hook, mmap-offset-bug, truncate-hook, open-hook, access-perm-first, fault-hook, fault-hook-may-read, fault-denial-lost, noretry-fault-returns-retry, sync-readahead, async-readahead, force-readahead, fault-around, huge-fault-fallback, fault-drops-mmap-lock, fault-drops-folio-locks, fs-fault-hooks, fs-hook-before-lock, dax-read-fault-via-filemap, dax-read-hooks, xfs-write-hook-dax-only, dax-fault-offset-bug, zero-fmode-hsm, priority-order, exec-hsm-exemption, ondir-filter)
      set hugepages on
          ^
      """),
    Row(
      """
      scenario t
      question "q"
      expect no-violation
      set page-aligned-ranges yes
      file data pages 1
      task r
        fd = open data -> ok
      """,
      """
      s/t.scenario:4:5: error: page-aligned-ranges takes on or off, not 'yes'
      set page-aligned-ranges yes
          ^
      """),
    Row(
      """
      scenario t
      question "q"
      expect no-violation
      set response-validation 1
      file data pages 1
      task r
        fd = open data -> ok
      """,
      """
      s/t.scenario:4:5: error: response-validation takes on or off, not '1'
      set response-validation 1
          ^
      """),
    Row(
      "filesystem nfs",
      """
      s/t.scenario:1:12: error: unknown filesystem 'nfs' (known: ext4, xfs, btrfs, tmpfs, gfs2, bcachefs)
      filesystem nfs
                 ^
      """),
    Row(
      "filesystem ext4 xfs",
      """
      s/t.scenario:1:17: error: expected 'filesystem TYPE'
      filesystem ext4 xfs
                      ^
      """),
    Row(
      "check",
      """
      s/t.scenario:1:1: error: expected 'check PROPERTY…'
      check
      ^
      """),
    Row(
      "check I2 I77",
      """
      s/t.scenario:1:10: error: unknown property 'I77' (known: I1, I2, I2-h, I2-gap, I3, I4, I4-gap, I6, I7, I8, I10, I11, I12, spurious, retry, dispatch, returns)
      check I2 I77
               ^
      """),

    // file.
    Row(
      "file data 2",
      """
      s/t.scenario:1:1: error: expected 'file NAME pages N|size BYTES [max BYTES] [content C…] [pseudo|directory] [dax]'
      file data 2
      ^
      """),
    Row(
      "file prog pages 1\nbinary prog type elf phdrs 64 56 load 0 10 0 10",
      """
      s/t.scenario:2:18: error: an ELF type is dyn (ET_DYN) or exec (ET_EXEC)
      binary prog type elf phdrs 64 56 load 0 10 0 10
                       ^
      """),
    Row(
      "file prog pages 1\nbinary prog type exec phdrs 64 56",
      """
      s/t.scenario:2:1: error: a binary needs at least one 'load' segment
      binary prog type exec phdrs 64 56
      ^
      """),
    Row(
      "file prog pages 1\nbinary prog type exec phdrs 64 56 load 0 10 4 10",
      """
      s/t.scenario:2:35: error: a segment's OFFSET and VADDR must agree modulo the page size (elf_map)
      binary prog type exec phdrs 64 56 load 0 10 4 10
                                        ^
      """),
    Row(
      "file prog pages 1\nbinary prog type exec phdrs 64",
      """
      s/t.scenario:2:29: error: expected 'binary FILE type dyn|exec phdrs OFFSET SIZE [interp OFFSET SIZE] load OFFSET FILESZ VADDR MEMSZ…'
      binary prog type exec phdrs 64
                                  ^
      """),
    Row(
      "file prog pages 1\nbinary prog type exec phdrs 64 56 load 0 100 0 10",
      """
      s/t.scenario:2:35: error: a segment's FILESZ must not exceed its MEMSZ
      binary prog type exec phdrs 64 56 load 0 100 0 10
                                        ^
      """),
    Row(
      "file prog pages 1\nbinary prog type exec phdrs 64 56 load 0 10 0x2000 10 load 0 10 0 10",
      """
      s/t.scenario:2:55: error: segments must ascend by VADDR without overlapping
      binary prog type exec phdrs 64 56 load 0 10 0x2000 10 load 0 10 0 10
                                                            ^
      """),
    Row(
      "group g class notif\nmark g filesystem FAN_ACCESS flags FAN_MARK_BOGUS",
      """
      s/t.scenario:2:36: error: unknown mark flag 'FAN_MARK_BOGUS' (known: FAN_MARK_IGNORED_MASK, FAN_MARK_IGNORED_SURV_MODIFY, FAN_MARK_IGNORE)
      mark g filesystem FAN_ACCESS flags FAN_MARK_BOGUS
                                         ^
      """),
    Row(
      "group g class pre-content init FAN_REPORT_PIDFD|FAN_REPORT_TID listener fill",
      """
      s/t.scenario:1:32: error: fanotify_init fails with EINVAL for these flags
      group g class pre-content init FAN_REPORT_PIDFD|FAN_REPORT_TID listener fill
                                     ^
      """),
    Row(
      "group g class pre-content init FAN_REPORT_FID listener fill",
      """
      s/t.scenario:1:32: error: fanotify_init fails with EINVAL for these flags
      group g class pre-content init FAN_REPORT_FID listener fill
                                     ^
      """),
    Row(
      "group g class notif init FAN_REPORT_FID",
      """
      s/t.scenario:1:26: error: groups that report file handles (FAN_REPORT_FID…) are not modelled: they get no fd
      group g class notif init FAN_REPORT_FID
                               ^
      """),
    Row(
      "group g class notif init FAN_BOGUS",
      """
      s/t.scenario:1:26: error: unknown fanotify_init flag 'FAN_BOGUS' (known: FAN_CLOEXEC, FAN_NONBLOCK, FAN_UNLIMITED_QUEUE, FAN_UNLIMITED_MARKS, FAN_REPORT_PIDFD, FAN_REPORT_TID, FAN_REPORT_FID, FAN_REPORT_DIR_FID, FAN_REPORT_NAME, FAN_REPORT_FD_ERROR)
      group g class notif init FAN_BOGUS
                               ^
      """),
    Row(
      "group g class pre-content event-flags O_APPEND listener fill",
      """
      s/t.scenario:1:39: error: 'event-flags' takes O_RDONLY, O_WRONLY or O_RDWR
      group g class pre-content event-flags O_APPEND listener fill
                                            ^
      """),
    Row(
      "group g class pre-content init",
      """
      s/t.scenario:1:27: error: expected 'init FLAGS'
      group g class pre-content init
                                ^
      """),
    Row(
      "task r\n  unmark g inode",
      """
      s/t.scenario:2:3: error: expected 'unmark GROUP inode FILE MASK [flags F]' or 'unmark GROUP directory|mount|filesystem MASK [flags F]'
        unmark g inode
        ^
      """),
    Row(
      "file data size 600000",
      """
      s/t.scenario:1:16: error: a file has at most 524288 bytes (128 pages)
      file data size 600000
                     ^
      """),
    Row(
      "file data size 100 max 50",
      """
      s/t.scenario:1:24: error: 'max' must be at least the size (100 bytes)
      file data size 100 max 50
                             ^
      """),
    Row(
      "file data size 100 max",
      """
      s/t.scenario:1:20: error: expected 'max BYTES'
      file data size 100 max
                         ^
      """),
    Row(
      "file data pages 2 max 2000000",
      """
      s/t.scenario:1:23: error: 'max' is at most 1048576 bytes
      file data pages 2 max 2000000
                            ^
      """),
    Row(
      "file data size 5000 content remote filled hole",
      """
      s/t.scenario:1:29: error: give one content value for all pages or exactly 2
      file data size 5000 content remote filled hole
                                  ^
      """),
    Row(
      "file 7 pages 1",
      """
      s/t.scenario:1:6: error: expected a name
      file 7 pages 1
           ^
      """),
    Row(
      "file data pages 1\nfile data pages 2",
      """
      s/t.scenario:2:6: error: file 'data' is declared twice
      file data pages 2
           ^
      """),
    Row(
      "file data pages 0",
      """
      s/t.scenario:1:17: error: a file has 1 to 128 pages
      file data pages 0
                      ^
      """),
    Row(
      "file data pages 129",
      """
      s/t.scenario:1:17: error: a file has 1 to 128 pages
      file data pages 129
                      ^
      """),
    Row(
      "file data pages 1p",
      """
      s/t.scenario:1:17: error: a file has 1 to 128 pages
      file data pages 1p
                      ^
      """),
    Row(
      "file data pages 2 remote",
      """
      s/t.scenario:1:19: error: expected 'content' and one value, or one per page
      file data pages 2 remote
                        ^
      """),
    Row(
      "file data pages 2 content",
      """
      s/t.scenario:1:19: error: expected 'content' and one value, or one per page
      file data pages 2 content
                        ^
      """),
    Row(
      "file data pages 3 content remote filled",
      """
      s/t.scenario:1:27: error: give one content value for all pages or exactly 3
      file data pages 3 content remote filled
                                ^
      """),
    Row(
      "file data pages 2 content remote stale",
      """
      s/t.scenario:1:34: error: unknown page content 'stale' (known: remote, filled, written, hole)
      file data pages 2 content remote stale
                                       ^
      """),

    // group.
    Row(
      "group hsm pre-content",
      """
      s/t.scenario:1:1: error: expected 'group NAME class CLASS [queue N] [init FLAGS] [event-flags O_…] [listener MODEL … [threads N] [helpers N]]'
      group hsm pre-content
      ^
      """),
    Row(
      "group \"hsm\" class notif",
      """
      s/t.scenario:1:7: error: expected a name
      group "hsm" class notif
            ^
      """),
    Row(
      "group hsm class notif\ngroup hsm class notif",
      """
      s/t.scenario:2:7: error: name 'hsm' is already used
      group hsm class notif
            ^
      """),
    Row(
      """
      file f pages 1
      task hsm
        x = open f
      group hsm class notif
      """,
      """
      s/t.scenario:4:7: error: name 'hsm' is already used
      group hsm class notif
            ^
      """),
    Row(
      "group hsm class precontent",
      """
      s/t.scenario:1:17: error: unknown group class 'precontent' (known: notif, content, \
      pre-content)
      group hsm class precontent
                      ^
      """),
    Row(
      "group hsm class notif listener",
      """
      s/t.scenario:1:23: error: expected 'listener MODEL'
      group hsm class notif listener
                            ^
      """),
    Row(
      "group hsm class notif fill",
      """
      s/t.scenario:1:23: error: expected 'listener MODEL'
      group hsm class notif fill
                            ^
      """),
    Row(
      "group hsm class pre-content listener fetch",
      """
      s/t.scenario:1:38: error: unknown listener 'fetch' (known: fill, allow, deny, silent, fill-then-ftruncate, reenter, scan, crash, script, slow)
      group hsm class pre-content listener fetch
                                           ^
      """),
    Row(
      "group hsm class pre-content listener fill now",
      """
      s/t.scenario:1:43: error: listener fill takes no arguments
      group hsm class pre-content listener fill now
                                                ^
      """),
    Row(
      "group hsm class pre-content listener deny EIO EPERM",
      """
      s/t.scenario:1:47: error: listener deny takes [RESPONSE]
      group hsm class pre-content listener deny EIO EPERM
                                                    ^
      """),
    Row(
      "group hsm class pre-content listener deny EWHAT",
      """
      s/t.scenario:1:43: error: unknown response 'EWHAT' (ALLOW, DENY or an errno)
      group hsm class pre-content listener deny EWHAT
                                                ^
      """),
    Row(
      "group hsm class pre-content",
      """
      s/t.scenario:1:1: error: a pre-content group needs a listener (e.g. 'listener fill')
      group hsm class pre-content
      ^
      """),
    Row(
      "group av class content",
      """
      s/t.scenario:1:1: error: a content group needs a listener (e.g. 'listener fill')
      group av class content
      ^
      """),

    // mark, at top level.
    Row(
      "mark hsm",
      """
      s/t.scenario:1:1: error: expected 'mark GROUP inode FILE MASK [flags F]' or 'mark GROUP directory|mount|filesystem MASK [flags F]'
      mark hsm
      ^
      """),
    Row(
      "mark hsm inode data FAN_PRE_ACCESS",
      """
      s/t.scenario:1:6: error: unknown group 'hsm'
      mark hsm inode data FAN_PRE_ACCESS
           ^
      """),
    Row(
      "group hsm class pre-content listener fill\nmark hsm inode data FAN_PRE_ACCESS",
      """
      s/t.scenario:2:16: error: unknown file 'data' (declare it with 'file NAME pages N' or 'file NAME size BYTES')
      mark hsm inode data FAN_PRE_ACCESS
                     ^
      """),
    Row(
      """
      file data pages 1
      group hsm class pre-content listener fill
      mark hsm inode data 0x1
      """,
      """
      s/t.scenario:3:21: error: expected event names like FAN_PRE_ACCESS
      mark hsm inode data 0x1
                          ^
      """),
    Row(
      """
      file data pages 1
      group hsm class pre-content listener fill
      mark hsm inode data FAN_PRE_ACCESS|FAN_READ
      """,
      """
      s/t.scenario:3:21: error: unknown event 'FAN_READ'
      mark hsm inode data FAN_PRE_ACCESS|FAN_READ
                          ^
      """),

    // Setup marks that fanotify_mark rejects, reported once the whole file is read.
    Row(
      """
      scenario t
      question "q"
      expect no-violation
      file data pages 1
      group av class content listener allow
      mark av inode data FAN_PRE_ACCESS
      task r
        fd = open data -> ok
      """,
      """
      s/t.scenario:6:1: error: fanotify_mark fails with EINVAL for this mark (kernel-semantics §1.5)
      mark av inode data FAN_PRE_ACCESS
      ^
      """),
    Row(
      """
      scenario t
      question "q"
      expect no-violation
      filesystem tmpfs
      file data pages 1
      group hsm class pre-content listener fill
      mark hsm inode data FAN_PRE_ACCESS
      task r
        fd = open data -> ok
      """,
      """
      s/t.scenario:7:1: error: fanotify_mark fails with EOPNOTSUPP for this mark \
      (kernel-semantics §1.5)
      mark hsm inode data FAN_PRE_ACCESS
      ^
      """),
    Row(
      """
      scenario t
      question "q"
      expect no-violation
      file data pages 1
      group audit class notif
      mark audit inode data FAN_OPEN_PERM
      task r
        fd = open data -> ok
      """,
      """
      s/t.scenario:6:1: error: fanotify_mark fails with EINVAL for this mark (kernel-semantics §1.5)
      mark audit inode data FAN_OPEN_PERM
      ^
      """),
    Row(
      """
      scenario t
      question "q"
      expect no-violation
      file data pages 1
      group hsm class pre-content listener fill
      mark hsm inode data FAN_PRE_ACCESS
      mark hsm inode data FAN_ONDIR
      task r
        fd = open data -> ok
      """,
      """
      s/t.scenario:7:1: error: fanotify_mark fails with EEXIST for this mark (kernel-semantics §1.5)
      mark hsm inode data FAN_ONDIR
      ^
      """),

    // A configuration the kernel model cannot represent: 1 mark list + 1 task + 256 pages.
    Row(
      """
      scenario t
      question "q"
      expect no-violation
      file a pages 64
      file b pages 64
      file c pages 64
      file d pages 64
      task r
        fd = open a
      """,
      """
      s/t.scenario:1:1: error: the scenario names more than 256 objects; use fewer pages
      scenario t
      ^
      """),

    // task.
    Row(
      "task",
      """
      s/t.scenario:1:1: error: expected 'task NAME'
      task
      ^
      """),
    Row(
      "task 9\n  read fd 1",
      """
      s/t.scenario:1:6: error: expected a name
      task 9
           ^
      """),
    Row(
      """
      file f pages 1
      task r
        x = open f
      task r
        y = open f
      """,
      """
      s/t.scenario:4:6: error: name 'r' is already used
      task r
           ^
      """),
    Row(
      "group r class notif\ntask r",
      """
      s/t.scenario:2:6: error: name 'r' is already used
      task r
           ^
      """),
    Row(
      "task r",
      """
      s/t.scenario:1:1: error: task 'r' has no syscalls (indent them below it)
      task r
      ^
      """),

    // Syscalls inside a task.
    Row(
      "task r\n  \"read\" fd 1",
      """
      s/t.scenario:2:3: error: expected a syscall
        "read" fd 1
        ^
      """),
    Row(
      "task r\n  read fd 1",
      """
      s/t.scenario:2:8: error: unknown fd 'fd' (assign it with 'NAME = open FILE')
        read fd 1
             ^
      """),
    Row(
      "task r\n\tn = read fd 1",
      """
      s/t.scenario:2:2: error: only 'open' and 'mmap' assign a variable
      \tn = read fd 1
      \t^
      """),
    Row(
      "file data pages 1\ntask r\n  open data",
      """
      s/t.scenario:3:3: error: expected 'FD = open FILE [FLAGS]'
        open data
        ^
      """),
    Row(
      "task r\n  fd = open",
      """
      s/t.scenario:2:3: error: expected 'FD = open FILE [FLAGS]'
        fd = open
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data O_RDONLY O_CLOEXEC",
      """
      s/t.scenario:3:3: error: expected 'FD = open FILE [FLAGS]'
        fd = open data O_RDONLY O_CLOEXEC
        ^
      """),
    Row(
      "task r\n  fd = open data",
      """
      s/t.scenario:2:13: error: unknown file 'data' (declare it with 'file NAME pages N' or 'file NAME size BYTES')
        fd = open data
                  ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data O_RDONLY|O_CLOEXEC",
      """
      s/t.scenario:3:18: error: unknown open flag 'O_CLOEXEC' (known: O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND)
        fd = open data O_RDONLY|O_CLOEXEC
                       ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  read fd",
      """
      s/t.scenario:4:3: error: expected 'read FD COUNT'
        read fd
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  pread fd 0",
      """
      s/t.scenario:4:3: error: expected 'pread FD OFFSET COUNT'
        pread fd 0
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  close",
      """
      s/t.scenario:4:3: error: expected 'close FD'
        close
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  read fd many",
      """
      s/t.scenario:4:11: error: expected a byte count or pages like 2p
        read fd many
                ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  pread fd 0x20000000000 1",
      """
      s/t.scenario:4:12: error: expected a byte count or pages like 2p
        pread fd 0x20000000000 1
                 ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  read fd 268435457p",
      """
      s/t.scenario:4:11: error: expected a byte count or pages like 2p
        read fd 268435457p
                ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  frob fd 1",
      """
      s/t.scenario:4:3: error: unknown syscall 'frob' (known: open, read, pread, readv, preadv, write, pwrite, writev, ftruncate, truncate, fallocate, mmap, sendfile, splice-to-pipe, splice-from-pipe, copy_file_range, clone, clone-range, dedupe, mremap, getdents, load, madvise, store, fadvise, readahead, close, mark, unmark, freeze, thaw, kill, exec)
        frob fd 1
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  read fd 1 -> EWHAT",
      """
      s/t.scenario:4:16: error: unknown result 'EWHAT' (a number, ok, or an errno like EIO)
        read fd 1 -> EWHAT
                     ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  read fd 1 -> 1p",
      """
      s/t.scenario:4:16: error: expected a number, ok, or an errno after '->'
        read fd 1 -> 1p
                     ^
      """),
    Row(
      "file data pages 1\ntask r\n  mark hsm inode data FAN_PRE_ACCESS -> 0",
      """
      s/t.scenario:3:8: error: unknown group 'hsm'
        mark hsm inode data FAN_PRE_ACCESS -> 0
             ^
      """),
    // Listener programs (ScenarioResolver+Listener.swift).
    Row(
      "listener hsm",
      """
      s/t.scenario:1:1: error: a listener needs a block of statements below it
      listener hsm
      ^
      """),
    Row(
      "listener hsm\n  fill\nlistener hsm\n  fill",
      """
      s/t.scenario:3:10: error: listener 'hsm' is already defined
      listener hsm
               ^
      """),
    Row(
      "listener fill\n  fill",
      """
      s/t.scenario:1:10: error: listener 'fill' is already defined
      listener fill
               ^
      """),
    Row(
      "file data pages 1\nfile data2 pages 1\ntask r\n  fd = open data\n  close fd\nlistener hsm\n  fill\n  respond ALLOW\n  close event\ngroup g class pre-content listener hsm EIO",
      """
      s/t.scenario:10:40: error: listener hsm takes no arguments
      group g class pre-content listener hsm EIO
                                             ^
      """),
    Row(
      "group g class pre-content listener fill threads 9",
      """
      s/t.scenario:1:49: error: 'threads' takes a number of worker threads from 1 to 4
      group g class pre-content listener fill threads 9
                                                      ^
      """),
    Row(
      "listener hsm\n  x = fill",
      """
      s/t.scenario:2:3: error: '=' is only for fds in a task
        x = fill
        ^
      """),
    Row(
      "listener hsm\n  fill -> ok",
      """
      s/t.scenario:2:11: error: '->' is only for syscalls in a task
        fill -> ok
                ^
      """),
    Row(
      "listener hsm\n  summary",
      """
      s/t.scenario:2:3: error: expected 'summary "…"'
        summary
        ^
      """),
    Row(
      "listener hsm\n  if mask",
      """
      s/t.scenario:2:6: error: expected 'if [not] own' or 'if [not] mask|file|event|task|offset VALUE' before a statement
        if mask
           ^
      """),
    Row(
      "listener hsm\n  if event 0 fill",
      """
      s/t.scenario:2:12: error: 'if event N' counts the group's events from 1
        if event 0 fill
                 ^
      """),
    Row(
      "listener hsm\n  if task nobody fill",
      """
      s/t.scenario:2:11: error: unknown task 'nobody'
        if task nobody fill
                ^
      """),
    Row(
      "listener hsm\n  if color red fill",
      """
      s/t.scenario:2:6: error: unknown condition 'color' (own, mask, file, event, task or offset)
        if color red fill
           ^
      """),
    Row(
      "listener hsm\n  if mask FAN_NOPE fill",
      """
      s/t.scenario:2:11: error: unknown event 'FAN_NOPE' (known: FAN_ACCESS, FAN_MODIFY, FAN_CLOSE_WRITE, FAN_CLOSE_NOWRITE, FAN_OPEN, FAN_OPEN_EXEC, FAN_Q_OVERFLOW, FAN_OPEN_PERM, FAN_ACCESS_PERM, FAN_OPEN_EXEC_PERM, FAN_PRE_ACCESS, FAN_EVENT_ON_CHILD, FAN_ONDIR)
        if mask FAN_NOPE fill
                ^
      """),
    Row(
      "listener hsm\n  if file nofile fill",
      """
      s/t.scenario:2:11: error: unknown file 'nofile' (declare it with 'file NAME pages N' or 'file NAME size BYTES')
        if file nofile fill
                ^
      """),
    Row(
      "listener hsm\n  lock",
      """
      s/t.scenario:2:3: error: expected 'lock MUTEX'
        lock
        ^
      """),
    Row(
      "listener hsm\n  unlock cache",
      """
      s/t.scenario:2:10: error: 'unlock cache' with no 'lock cache' before it
        unlock cache
               ^
      """),
    Row(
      "listener hsm\n  lock a\n  lock b\n  lock c\n  lock d",
      """
      s/t.scenario:5:8: error: a listener program has at most 3 mutexes (a thread's held locks are a fixed-size list)
        lock d
             ^
      """),
    Row(
      "file data pages 1\ntask r\n  a = open data\n  b = open data\n  c = open data\n"
        + "  d = open data\n  e = open data\n  f = open data\n  g = open data",
      """
      s/t.scenario:9:3: error: a task has at most 6 fd variables (a task's state is a fixed-size value)
        g = open data
        ^
      """),
    Row(
      "file data pages 1\ntask r\n  fd = open data\n  a = mmap fd 0 1p\n  b = mmap fd 0 1p\n"
        + "  c = mmap fd 0 1p\n  d = mmap fd 0 1p",
      """
      s/t.scenario:7:3: error: a task has at most 3 mapping variables (a task's state is a fixed-size value)
        d = mmap fd 0 1p
        ^
      """),
    Row(
      "listener hsm\n  fill now",
      """
      s/t.scenario:2:8: error: unexpected 'now'
        fill now
             ^
      """),
    Row(
      "listener hsm\n  respond in order",
      """
      s/t.scenario:2:3: error: expected 'respond in order WORD…'
        respond in order
        ^
      """),
    Row(
      "listener hsm\n  respond MAYBE",
      """
      s/t.scenario:2:11: error: unknown response 'MAYBE' (ALLOW, DENY or an errno)
        respond MAYBE
                ^
      """),
    Row(
      "listener hsm\n  ftruncate event 0 1",
      """
      s/t.scenario:2:21: error: unexpected '1'
        ftruncate event 0 1
                          ^
      """),
    Row(
      "listener hsm\n  reopen data",
      """
      s/t.scenario:2:10: error: unexpected 'data'
        reopen data
               ^
      """),
    Row(
      "listener hsm\n  dance",
      """
      s/t.scenario:2:3: error: unknown listener statement (known: fill, respond WORD [else WORD], respond in order WORD…, close event, close group, read event, ftruncate event [LENGTH], fallocate event MODE OFFSET LENGTH, reopen, read FILE [OFFSET COUNT], write FILE [OFFSET COUNT], truncate FILE LENGTH, lock MUTEX, unlock MUTEX, spawn, summary "…", answer last)
        dance
        ^
      """),
    Row(
      "file data pages 1\nlistener hsm\n  read data 0",
      """
      s/t.scenario:3:3: error: expected 'read FILE [OFFSET COUNT]'
        read data 0
        ^
      """),
    Row(
      "listener hsm\n  truncate data 0",
      """
      s/t.scenario:2:12: error: unknown file 'data' (declare it with 'file NAME pages N' or 'file NAME size BYTES')
        truncate data 0
                 ^
      """),
    Row(
      "listener hsm\n  truncate",
      """
      s/t.scenario:2:3: error: expected 'truncate FILE LENGTH'
        truncate
        ^
      """),
    Row(
      "listener hsm\n  if file",
      """
      s/t.scenario:2:6: error: expected 'if [not] own' or 'if [not] mask|file|event|task|offset VALUE' before a statement
        if file
           ^
      """),
    Row(
      "listener hsm\n  if not",
      """
      s/t.scenario:2:3: error: expected 'if [not] own' or 'if [not] mask|file|event|task|offset VALUE' before a statement
        if not
        ^
      """),
    // Listener definitions with parameters.
    Row(
      "listener",
      """
      s/t.scenario:1:1: error: expected 'listener NAME'
      listener
      ^
      """),
    Row(
      "listener hsm 42\n  fill",
      """
      s/t.scenario:1:14: error: expected a parameter name
      listener hsm 42
                   ^
      """),
    Row(
      "listener hsm WORDS... MORE\n  fill",
      """
      s/t.scenario:1:23: error: 'WORDS...' takes the remaining arguments: it comes last
      listener hsm WORDS... MORE
                            ^
      """),
    Row(
      "listener hsm ANSWER default\n  respond ANSWER",
      """
      s/t.scenario:1:14: error: expected 'PARAM default VALUE'
      listener hsm ANSWER default
                   ^
      """),
    Row(
      "listener hsm ANSWER\n  respond ANSWER\ngroup g class pre-content listener hsm",
      """
      s/t.scenario:3:36: error: listener hsm takes ANSWER
      group g class pre-content listener hsm
                                         ^
      """),
    // Helper threads.
    Row(
      "group g class pre-content listener fill helpers 9",
      """
      s/t.scenario:1:49: error: 'helpers' takes a number of helper threads from 0 to 4
      group g class pre-content listener fill helpers 9
                                                      ^
      """),
    Row(
      "file data pages 1\nlistener hsm\n  spawn\n  fill\ngroup g class pre-content listener hsm",
      """
      s/t.scenario:5:36: error: listener hsm hands events to helper threads (spawn): give the group 'helpers N'
      group g class pre-content listener hsm
                                         ^
      """),
    Row(
      "listener hsm\n  spawn now",
      """
      s/t.scenario:2:9: error: unexpected 'now'
        spawn now
              ^
      """),
    Row(
      "listener hsm\n  fallocate event 0 4096",
      """
      s/t.scenario:2:3: error: expected 'fallocate event MODE OFFSET LENGTH'
        fallocate event 0 4096
        ^
      """),
    Row(
      "listener hsm\n  if from",
      """
      s/t.scenario:2:6: error: expected 'if [not] own' or 'if [not] mask|file|event|task|offset VALUE' before a statement
        if from
           ^
      """),
    Row(
      "group g class pre-content listener fill\nassert always events g from nobody > 0",
      """
      s/t.scenario:2:29: error: unknown task 'nobody' (an application task, or a listener thread: GROUP, GROUP.N or GROUP.helperN)
      assert always events g from nobody > 0
                                  ^
      """),
    // Assertions (ScenarioResolver+Assert.swift).
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert",
      """
      s/t.scenario:6:1: error: expected 'assert always|never|sometimes EXPR' or 'assert eventually EXPR within K'
      assert
      ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert perhaps done r",
      """
      s/t.scenario:6:8: error: expected 'assert always|never|sometimes EXPR' or 'assert eventually EXPR within K'
      assert perhaps done r
             ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert eventually done r",
      """
      s/t.scenario:6:8: error: expected 'assert eventually EXPR within K'
      assert eventually done r
             ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert eventually done r within 0",
      """
      s/t.scenario:6:33: error: 'within' takes a number of steps from 1 to 100000
      assert eventually done r within 0
                                      ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always",
      """
      s/t.scenario:6:1: error: expected 'assert always|never|sometimes EXPR' or 'assert eventually EXPR within K'
      assert always
      ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always done r and",
      """
      s/t.scenario:6:25: error: the expression ends too soon
      assert always done r and
                              ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always (done r",
      """
      s/t.scenario:6:22: error: expected ')' to close the '(' at 6:15
      assert always (done r
                           ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always done r r",
      """
      s/t.scenario:6:22: error: unexpected 'r' after the expression
      assert always done r r
                           ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always events g",
      """
      s/t.scenario:6:23: error: expected a comparison (==, !=, <, <=, >, >=) after 'events'
      assert always events g
                            ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always events g > remote",
      """
      s/t.scenario:6:24: error: cannot compare a number with a content
      assert always events g > remote
                             ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always content data 0 < filled",
      """
      s/t.scenario:6:30: error: '<' compares numbers only
      assert always content data 0 < filled
                                   ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always returned r 3 == 0",
      """
      s/t.scenario:6:26: error: 'returned TASK N' counts the task's syscalls from 1 (it has 2)
      assert always returned r 3 == 0
                               ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always returned r 1 > EIO",
      """
      s/t.scenario:6:28: error: '>' compares numbers only
      assert always returned r 1 > EIO
                                 ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always bogus > 1",
      """
      s/t.scenario:6:15: error: unknown value 'bogus' (a number, an errno, none, remote|filled|written|hole, events, answered, queued, unanswered, size, content or returned)
      assert always bogus > 1
                    ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always done nobody",
      """
      s/t.scenario:6:20: error: unknown application task 'nobody'
      assert always done nobody
                         ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always holds nobody mmap_lock",
      """
      s/t.scenario:6:21: error: unknown task 'nobody' (an application task, or a listener thread: GROUP, GROUP.N or GROUP.helperN)
      assert always holds nobody mmap_lock
                          ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always events nogroup > 0",
      """
      s/t.scenario:6:22: error: unknown group 'nogroup'
      assert always events nogroup > 0
                           ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always cached data 9",
      """
      s/t.scenario:6:27: error: expected a page of data (0 to 4)
      assert always cached data 9
                                ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always saw r purple",
      """
      s/t.scenario:6:21: error: expected remote, filled, written or hole
      assert always saw r purple
                          ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nassert always holds r spinlock",
      """
      s/t.scenario:6:23: error: unknown lock 'spinlock' (i_rwsem FILE, invalidate_lock FILE, sb_writers, mmap_lock, cred_guard_mutex, folio_lock FILE PAGE, or a mutex of the task's listener)
      assert always holds r spinlock
                            ^
      """),
    Row(
      "file data pages 1\ngroup g class pre-content listener fill\ntask r\n  fd = open data\n  read fd 1\nexpect violation A3\nassert always done r",
      """
      s/t.scenario:6:18: error: no assertion 'A3' (the scenario has 1; A1 is the first)
      expect violation A3
                       ^
      """),
  ]

  @Test("every resolver diagnostic renders exactly as the table says", arguments: rows)
  func diagnostic(row: Row) {
    let source = SourceFile(path: row.path, text: row.text)
    do throws(Diagnostic) {
      let scenario = try ScenarioResolver.resolve(source)
      Issue.record("resolved '\(scenario.name)' without a diagnostic")
    } catch {
      #expect(error.rendered(source: source) == row.rendered)
    }
  }

  // MARK: Valid scenarios

  /// (path, text) of scenarios the resolver accepts.
  static let valid: [(String, String)] = [
    (
      "x/read-filled.scenario",
      """
      # The basic HSM flow (kernel-semantics §3.6): a reader blocks in rw_verify_area, the HSM fills
      # the reported range through its event fd and allows; the reader sees filled content.
      scenario read-filled
      question "Does a read of a stub page return what the HSM filled through its event fd?"
      expect no-violation

      profile 6.18
      filesystem ext4
      file data pages 2 content remote
      group hsm class pre-content listener fill
      mark hsm inode data FAN_PRE_ACCESS

      task reader
        fd = open data O_RDONLY -> ok
        read fd 4096 -> 4096
        close fd -> 0
      """
    ),
    (
      "t.scenario",
      "scenario t\nquestion \"q\"\nexpect no-violation\nfile f pages 1\ntask r\n\tfd = open f"
    ),
    (
      "hazards/every-form.scenario",
      """
      scenario every-form
      question "Does every statement form resolve?"
      expect no-violation
      expect gap I2-gap
      check I2 I2-gap returns
      set page-aligned-ranges off
      set response-validation on
      filesystem xfs
      file data pages 3 content remote filled hole
      group audit class notif
      group perm class content listener deny EBUSY
      group hsm class pre-content listener allow
      mark perm inode data FAN_OPEN_PERM|FAN_ACCESS_PERM
      mark audit inode data FAN_OPEN

      task reader
        fd = open data O_RDWR -> EBUSY
        mark hsm inode data FAN_PRE_ACCESS -> 0
        fd = open data
        pread fd 0x10 2p -> ok
        read fd 1 -> EIO
        close fd
      """
    ),
  ]

  @Test("valid scenarios resolve without a diagnostic", arguments: valid)
  func resolves(path: String, text: String) {
    let source = SourceFile(path: path, text: text)
    #expect(throws: Never.self) { try ScenarioResolver.resolve(source) }
  }

  // MARK: Completeness

  @Test("the table has at least one row per throw site of the resolver")
  func everyThrowSiteHasARow() throws {
    var code = ""
    for file in [
      "ScenarioResolver.swift", "ScenarioResolver+Listener.swift", "ScenarioResolver+Assert.swift",
    ] {
      let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../Sources/ScenarioRunner/\(file)")
        .standardized
      code += try String(contentsOf: url, encoding: .utf8)
    }
    let sites =
      code.components(separatedBy: "throw error(").count - 1
      + code.components(separatedBy: "throw self.error(").count - 1
    #expect(sites > 0)
    #expect(Self.rows.count >= sites, "\(sites) throw sites but only \(Self.rows.count) rows")
  }
}
