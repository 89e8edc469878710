/// What `load_elf_binary` reads and maps of a binary (fs/binfmt_elf.c): where its program
/// headers and interpreter path lie, and its `PT_LOAD` segments.
///
/// The kernel reads the first `BINPRM_BUF_SIZE` bytes (`prepare_binprm`), the program headers
/// (`load_elf_phdrs`) and the interpreter path, each a `kernel_read` under `cred_guard_mutex`;
/// after the point of no return (`setup_new_exec` drops the mutex) `elf_load → elf_map →
/// vm_mmap` maps each segment with file content. For `ET_DYN` the first mapping reserves the
/// whole image (`total_mapping_size`), and the excess is unmapped again without an event.
public struct ElfLayout: Hashable, Sendable, Codable {
  /// `e_type`.
  public enum Kind: String, Hashable, Sendable, Codable {
    /// `ET_EXEC`: each segment at its own fixed address.
    case exec
    /// `ET_DYN` (PIE): the first segment reserves the whole image.
    case dyn
  }

  /// A `PT_LOAD` program header.
  public struct Segment: Hashable, Sendable, Codable {
    public var offset: Int
    public var filesz: Int
    public var vaddr: Int
    public var memsz: Int

    public init(offset: Int, filesz: Int, vaddr: Int, memsz: Int) {
      self.offset = offset
      self.filesz = filesz
      self.vaddr = vaddr
      self.memsz = memsz
    }
  }

  public var kind: Kind
  /// `e_phoff` and `e_phnum * e_phentsize`.
  public var programHeaders: ByteSpan
  /// The `PT_INTERP` string, nil for a static binary.
  public var interpreter: ByteSpan?
  public var loads: [Segment]

  public init(kind: Kind, programHeaders: ByteSpan, interpreter: ByteSpan?, loads: [Segment]) {
    self.kind = kind
    self.programHeaders = programHeaders
    self.interpreter = interpreter
    self.loads = loads
  }

  /// `BINPRM_BUF_SIZE`: what `prepare_binprm` reads first.
  public static let binprmBufSize = 256

  /// `/bin/true` of Debian 12 (coreutils 9.1, x86-64), as `readelf -lW` shows it on this
  /// machine: a PIE with 13 program headers at 64 and `/lib64/ld-linux-x86-64.so.2` as
  /// interpreter. Exec of a copy of it emits seven FAN_PRE_ACCESS events (measured on 6.18).
  public static let binTrue = ElfLayout(
    kind: .dyn, programHeaders: ByteSpan(pos: 64, len: 728),
    interpreter: ByteSpan(pos: 0x318, len: 0x1c),
    loads: [
      Segment(offset: 0, filesz: 0x1290, vaddr: 0, memsz: 0x1290),
      Segment(offset: 0x2000, filesz: 0x3d59, vaddr: 0x2000, memsz: 0x3d59),
      Segment(offset: 0x6000, filesz: 0x1b60, vaddr: 0x6000, memsz: 0x1b60),
      Segment(offset: 0x7d70, filesz: 0x470, vaddr: 0x8d70, memsz: 0x608),
    ])

  /// The `kernel_read`s before the point of no return: (position, length) each.
  public var headerReads: [ByteSpan] {
    [ByteSpan(pos: 0, len: Self.binprmBufSize), programHeaders] + (interpreter.map { [$0] } ?? [])
  }

  /// The `vm_mmap`s of `elf_map`, in order: file offset (page aligned) and length. A segment with
  /// no file content (`p_filesz` 0) is anonymous memory and maps nothing of the file.
  public var mappings: [ByteSpan] {
    let page = Fanotify.pageSize
    var out: [ByteSpan] = []
    for (i, seg) in loads.enumerated() where seg.filesz > 0 {
      let pageOffset = seg.vaddr % page
      var length = seg.filesz + pageOffset
      if i == 0 && kind == .dyn, let last = loads.last {
        // total_mapping_size, ELF_PAGEALIGNed by elf_map.
        let total = last.vaddr + last.memsz - seg.vaddr / page * page
        length = (total + page - 1) / page * page
      }
      out.append(ByteSpan(pos: seg.offset - pageOffset, len: length))
    }
    return out
  }
}
