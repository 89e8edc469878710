import KernelModel

/// Brief step texts, a few words each, for the mailing-list chart (`--format chart`), where a
/// step gets one line in a column about twenty characters wide: calls as `open(a)`, locks as
/// lockdep's scenarios show them (`lock(sb_writers)`), pages as `FILE:PAGE` (`b:0`).
extension Narrator {
  /// A lock in a few characters: `i_rwsem(a)`, `folio(b:0)`, `mutex(m)`.
  func briefLock(_ lock: KernelLock) -> String {
    switch lock {
    case .folio_lock(let f, let p): return "folio(\(fileName(f)):\(p))"
    case .daemon_mutex(let g, let id): return "mutex(\(mutexName(g, id)))"
    case .fs_fault_lock(let f): return "fault_lock(\(fileName(f)))"
    default: return lockText(lock)
    }
  }

  /// The call a step belongs to, as its name and first argument: `pwrite64(fd)`, `mmap(src)`.
  func briefCall(_ e: StepExplanation) -> String {
    if let pc = e.instruction,
      case .mmap(let s, _, _, _) = config.tasks[e.task].program[pc].choices[e.choice]
    {
      return "mmap(\(config.tasks[e.task].fdNames[s]))"
    }
    let text = callText(e)
    guard let open = text.firstIndex(of: "(") else { return text }
    let name = text[..<open]
    let args = text[text.index(after: open)...]
    let first = args.prefix { $0 != "," && $0 != ")" }
    return "\(name)(\(first))"
  }

  /// The step in a few words.
  func brief(_ e: StepExplanation) -> String {
    func page(_ f: Int, _ p: Int) -> String { "\(fileName(f)):\(p)" }
    func stub(_ contents: [PageContent]) -> String {
      contents.contains(.remote) ? " STUB" : ""
    }
    switch e.effect {
    case .entered: return briefCall(e)
    case .openModeDecided(let mode, _):
      switch mode {
      case .none: return "mode NONOTIFY"
      case .noPerm: return "mode NONOTIFY_PERM"
      case .hsm: return "mode NONOTIFY_HSM"
      case .allPerm: return "mode 0 (all perm)"
      }
    case .queued(let g, let mask, _): return "\(mask)→\(groupName(g))"
    case .overflowed: return "queue full: allowed"
    case .inodeModified: return "FS_MODIFY"
    case .overflowRead: return "read FAN_Q_OVERFLOW"
    case .eventFdFailed(_, _, _, let err): return "create_fd: \(err.name)"
    case .noticed(let mask, _, let groups):
      return groups.isEmpty
        ? "\(mask): no group" : "\(mask)→\(groups.map(groupName).joined(separator: ","))"
    case .walkEnded: return "no watcher left"
    case .woke(_, .allow, _): return "woken: allowed"
    case .woke(_, .deny(let err), _): return "woken: \(err.name)"
    case .faultDenied(_, let err, _, let lost):
      return "woken: \(err.name), SIGBUS" + (lost ? " lost" : "")
    case .killedWhileWaiting: return "killed while waiting"
    case .execDeniedFatally(_, let err): return "woken: \(err.name), SIGSEGV"
    case .locked(let lock): return "lock(\(briefLock(lock)))"
    case .unlocked(let lock): return "unlock(\(briefLock(lock)))"
    case .freezing: return "freeze: writers block"
    case .frozen: return "frozen"
    case .thawed: return "thawed"
    case .pageRead(let f, let p, _, let contents, _, let exempt):
      return "copy \(page(f, p))" + stub(contents)
        + (contents.contains(.remote) ? (exempt ? " (gap)" : " (I2)") : "")
    case .endOfFile: return "EOF"
    case .writeChecked(let pos): return "write at \(pos)"
    case .pageWritten(let f, let p, _, _): return "write \(page(f, p))"
    case .sizeSet(let f, let size): return "i_size(\(fileName(f)))=\(size)"
    case .holePunched(let f, _, _): return "punch hole in \(fileName(f))"
    case .rangeShifted(let f, _, _, let insert):
      return (insert ? "insert range " : "collapse ") + fileName(f)
    case .sizeBoundHit: return "size bound: stops"
    case .spliced(let f, _): return "splice into \(fileName(f))"
    case .fdInstalled: return "fd_install"
    case .mapped(_, let notified): return notified ? "mapping created" : "mapped, no event"
    case .remapped(let src, _, let contents, let dst, _, let dedupe):
      return (dedupe ? "dedupe " : "remap ") + "\(fileName(src))→\(fileName(dst))" + stub(contents)
    case .remapRefused: return "EINVAL"
    case .mappingResized: return "resized, no event"
    case .execMapped(let f, _, let contents): return "map image of \(fileName(f))" + stub(contents)
    case .writeDenial(_, .skipped): return "write denial skipped"
    case .writeDenial(_, .denied): return "writers: ETXTBSY"
    case .writeDenial(_, .busy): return "ETXTBSY"
    case .returned(let r, _): return "\(briefCall(e)) = \(resultText(r))"
    case .eventRead(_, let waiter, _, _, _): return "read \(system.taskName(waiter))'s event"
    case .responded(_, _, let word, let result, _):
      if case .error(let err) = result { return "answer: \(err.name)" }
      return "answer \(ResponseValidation.describe(word))"
    case .eventFdClosed: return "close(event fd)"
    case .handedOff(_, let helper): return "hand to \(system.taskName(helper))"
    case .groupClosed: return "close(fanotify fd)"
    case .died: return "exits (SIGKILL)"
    case .mappedByFaultAround(let f, let p): return "fault-around \(page(f, p))"
    case .faultHook(let f, let p): return "\(page(f, p)) !uptodate: RETRY"
    case .helperHook(let f, let p): return "hook \(page(f, p)): RETRY"
    case .helperFailed: return "SIGBUS, no event"
    case .daxWriteFault(let f, let p): return "DAX store \(page(f, p))"
    case .daxPteMapped(let f, let p, _): return "DAX map \(page(f, p))"
    case .faultHookUnderLock(let f, let p): return "\(page(f, p)) !uptodate: emit"
    case .faultFailed(_, _, true): return "SIGBUS (past EOF)"
    case .faultFailed: return "no event, no map"
    case .faultRetryLockHeld: return "RETRY, lock kept"
    case .faultMapped(let f, let p, _, let ahead):
      return "map \(page(f, p))" + (ahead.isEmpty ? "" : " +readahead")
    case .hugeFallback: return "VM_FAULT_FALLBACK"
    case .hugePmdWriteFault(_, _, _, let split): return split ? "split PMD" : "PMD write fault"
    case .pmdMapped(let f, let first, _): return "map PMD \(page(f, first))"
    case .faultingIn: return "fault in user buffer"
    case .bufferMapped: return "buffer mapped"
    case .readahead(let f, let pages):
      return pages.isEmpty ? "no readahead" : "readahead \(fileName(f))"
    }
  }
}
