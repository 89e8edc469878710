/// Help texts: `fanmc --help` and `fanmc COMMAND --help`.
enum Help {
  static let overview = """
    OVERVIEW: fanmc — a model checker for Linux fanotify pre-content (HSM) hooks

    USAGE: fanmc COMMAND [OPTIONS]

    COMMANDS:
      run FILE…        Explore every interleaving and report what was found
      check PATH…      Judge scenario files (or folders, recursively) against their expectations;
                       --shard K/N splits the files over N processes, --format junit for CI
      merge FILE…      Put the JSON outputs of a sharded check or hunt back together
      matrix PATH…     The verdict of every scenario under every kernel profile, as one table:
                       which versions have the bug
      replay FILE      Re-execute one schedule step by step
      trace FILE       Show the deterministic schedule: events, answers and syscall results
      explain FILE     Narrate a path (the deterministic schedule, any schedule, a minimized
                       counterexample) step by step: kernel functions, locks held, events
                       queued and answered, page states; or draw it as a sequence chart
      view FILE        Write one self-contained HTML page that steps through a counterexample or
                       the deterministic schedule: a lane per task, queues, pages, wait-for graph
      conform PATH…    Run each scenario's deterministic schedule on the live kernel and compare
                       it with the 6.18 model
      lockdep FILE…    Lock-order analysis over every reachable state, as lockdep: each "holds A
                       while waiting for B" and the cycles among them (possible deadlocks)
      fuzz             Explore random valid scenarios of every profile with small bounds and check
                       the model against itself: no trap, determinism, replay, searches agree
      hunt             With no scenario given, generate and explore small programs (every small
                       one first, then sampled ones guided by coverage) and write each finding,
                       minimized, as a scenario
      bench            Measure the explorer on fixed scenario families: states/s, memory, reduction
      listeners        Print the built-in listeners: the library of listener programs
      profiles         List the kernel profiles (v2 … 6.18) and every switch's value in each
      diff-profiles A B  Show the switches and hook sites that differ between two profiles

    EXIT STATUS:
      0 nothing found / all met   10 expectation not met   11 deadlock
      12 invariant violation      13 incomplete (a bound was hit)
      64 usage error              65 invalid scenario      70 internal error

    See 'fanmc COMMAND --help' for a command's options.
    """

  static let conformHelp = """
    OVERVIEW: Run each scenario's deterministic schedule on the live kernel — real
    fanotify_init(FAN_CLASS_PRE_CONTENT), fanotify_mark and syscalls, in a private loop-mounted
    ext4 filesystem, page cache dropped first — and compare every event (group, mask, range,
    cause, response) and every syscall's result with `fanmc trace` under the 6.18 profile.
    Needs root and a kernel with pre-content events; otherwise it says why and skips.

    Also compares each file's size and page classes after the run.

    USAGE: fanmc conform PATH… [--op-timeout S]
           fanmc conform --random N [--seed S] [--profile-subset LIST] [--out DIR]
                         [--op-timeout S]

    OPTIONS:
      --op-timeout S   how long one syscall may wait before it counts as blocked (default 2)
      --random N       generate N random scenarios the probe can run (seeds S, S+1, …; the same
                       seed gives the same scenario), run each live on one shared private
                       filesystem and in the model; shrink each disagreement to a minimal
                       scenario, write it to DIR/random-SEED.scenario and print it
      --seed S         the first seed (default 1)
      --profile-subset LIST
                       keep the tasks to these syscall families of the live profile (comma
                       separated: read, write, truncate, fallocate, mmap, splice, copy,
                       readahead, mark, open, close, exec); the files, groups and marks are
                       drawn as always
      --out DIR        where shrunk disagreements go (default fanmc-disagreements)

    EXIT STATUS: 0 every scenario agrees, 10 some differ, 13 some were skipped (nothing is
    passed silently), 65 invalid scenario, 64 usage, 70 the generator wrote an invalid
    scenario.
    """

  static let fuzzHelp = """
    OVERVIEW: Semantic fuzzing of the model. Generates random valid scenarios (every profile,
    filesystem, syscall family and listener, listener programs, pools and assertions, random
    byte sizes and offsets; seeds S, S+1, …, the same seed giving the same scenario), explores
    each with small bounds (2000 states)
    by depth-first search with and without sleep sets, breadth-first search, persistent sets and
    symmetry, and checks that none traps, that a second run gives the same counts and verdict,
    that every counterexample replays to what it claims, and that the searches agree whenever
    all of them finish.

    USAGE: fanmc fuzz [--count N] [--seed S] [--workers N] [--out DIR]

    OPTIONS:
      --count N     how many scenarios (default 1000)
      --seed S      the first seed (default 1)
      --workers N   threads (default 2); the report is the same for any number
      --out DIR     write each failing scenario there with its failures, and the scenario each
                    worker is exploring (current-W.scenario), so a trap names its scenario

    EXIT STATUS: 0 no failure, 10 some scenario failed a check, 70 the generator wrote more
    than 5% invalid scenarios.
    """

  static let profilesHelp = """
    OVERVIEW: List every kernel profile preset and the value of every switch in each. A scenario
    picks one with `profile NAME` and may override single switches with `set SWITCH VALUE`.

    USAGE: fanmc profiles [--format text|json]
    """

  static let diffProfilesHelp = """
    OVERVIEW: Show the switches and the hook sites that differ between two profile presets.

    USAGE: fanmc diff-profiles A B [--format text|json]
    """

  static let benchHelp = """
    OVERVIEW: Explore fixed scenario families (applications × operations × pages, each operation
    a nondeterministic read or write of any page, with and without a freezer, on a partial file
    with unaligned accesses for the cost of byte-precise content, and two different
    applications reading, writing and truncating four pages, where symmetry folds nothing) with
    persistent sets and symmetry, and, for the sizes where it fits, with sleep sets alone; print
    states, transitions, the plain state count and the reduction, states/second, time to
    verdict, peak memory and bytes per state; then the speed-up of depth-first search on
    --workers N threads (default 2) without reduction, with symmetry, and with persistent sets
    and symmetry. Build with -c release for meaningful numbers.

    USAGE: fanmc bench [--family NAME] [--format text|json] [--max-states N] [--timeout S]
                       [--workers N] [--vs-spin]

    --vs-spin also runs SPIN (Debian package spin, with gcc) on the equivalent Promela models
    (Scenarios/benchmarks/hsm-any-access.pml and hsm-rw-truncate.pml) for each size of those
    families, in SPIN's best exact configuration (-DCOLLAPSE, its stack and hash table sized to
    the search): both times to verdict with their reductions, and both states per second
    without any (fanmc --reduce none, SPIN -DNOREDUCE). It installs nothing: without spin it
    says how to install it and exits 13.
    """

  static let huntHelp = """
    OVERVIEW: Hunt for bugs nobody wrote a scenario for. Generates small programs (scenario
    texts through the real resolver): first every program of a small space in a fixed order
    (one task with one operation for every listener, layout and operation; one task with two
    operations for the first two listeners; two tasks, one of them a freezer, a reader, a
    mapper or a truncater), then larger ones sampled by mutating the programs that reached new
    kernel steps or hook sites. Explores each with run's depth-first search under a state
    bound, keeps every violation and deadlock once per signature (property or deadlock kind ·
    kernel step · syscall), minimizes each (fewer pages, then the shortest counterexample with
    the fewest tasks and syscall lines) and writes it as a scenario whose expect lines
    'fanmc check' meets. Prints the findings by signature and the coverage reached.

    USAGE: fanmc hunt --profile P [--set SWITCH=VALUE …] [--listener LIST|all]
                      [--budget SECONDS | --programs N] [--seed S] [--out DIR] [--workers N]
                      [--max-states N] [--format text|json] [--shard K/N] [--quiet]

    OPTIONS:
      --profile P        the kernel profile of every program (fanmc profiles)
      --set S=V          a profile switch for every program; repeatable
      --listener LIST    listeners to draw from, comma-separated: fill, deny-EIO, deny, slow,
                         fill-close, crash, fill-helper (the default: HSMs whose findings are
                         the kernel's), allow, script, scan, silent, reenter,
                         fill-then-ftruncate; or all. The first two are the primary ones
      --budget SECONDS   stop starting programs after this long (default 600)
      --programs N       stop after N programs; the same N and seed give the same report
                         byte for byte, with any number of workers
      --seed S           the sampler's seed (default 1)
      --out DIR          write each finding there as NAME.scenario
      --workers N        threads exploring programs (default 1)
      --max-states N     states one program may store (default 20000); a program that hits it
                         is counted as bounded: neither clean nor a finding
      --format F         text (default) or json (every finding with its scenario, the coverage
                         sets and the totals)
      --shard K/N        explore only the programs of the sampling lanes at K-1 modulo N
                         (program i is in lane i mod 16; each lane samples from its own seed and
                         corpus) and print them as JSON for fanmc merge, which writes the
                         findings: N shards merged give the unsharded report byte for byte
                         (with --programs; needs --format json, no --out)
      --quiet            no progress on stderr

    EXIT STATUS: 0 the hunt completed (findings are a report, not a failure), 64 usage.
    """

  static let commands: [String: String] = [
    "hunt": huntHelp,
    "bench": benchHelp,
    "profiles": profilesHelp,
    "diff-profiles": diffProfilesHelp,
    "conform": conformHelp,
    "fuzz": fuzzHelp,
    "explain": explainHelp,
    "view": viewHelp,
    "lockdep": """
    OVERVIEW: Lock-order analysis, as lockdep does at run time but over every reachable state
    (breadth-first): each time a task holding A waits for (or takes) B, the edge A → B is
    recorded with a shortest schedule that shows it. Locks are the kernel's shared ones
    (i_rwsem, invalidate_lock, sb_writers, folio locks, a filesystem's fault lock), daemon
    mutexes, and answer(GROUP): a task waiting in fanotify_get_response waits for it, a listener
    thread holds it from fanotify_read until it answers. A freeze takes sb_writers for writing.
    Every cycle among the edges is a possible deadlock, reached or not, printed in lockdep's
    shape with each edge's replay command.

    USAGE: fanmc lockdep FILE… [--max-states N] [--format text|json]

    OPTIONS:
      --max-states N   stop after N states (default 1000000): the report says incomplete
      --format F       text (default) or json

    EXIT STATUS: 0 no cycle, 11 some file has a cycle, 13 incomplete without a cycle,
    64 usage, 65 invalid scenario.
    """,
    "run": """
    OVERVIEW: Explore every interleaving of a scenario and report what was found, regardless of
    the file's expectations.

    USAGE: fanmc run FILE… [--strategy dfs|bfs|random|swarm] [--max-states N] [--max-depth N]
                           [--timeout S] [--storage exact|hash-compact|bitstate:BITS]
                           [--workers N] [--reduce R,…] [--seed N] [--walks N]
                           [--walk-depth N] [--format text|json|dot|chart]
                           [--progress-every S] [--quiet] [--no-minimize] [--shard K/N]

    Each counterexample is minimized: among the shortest paths to the same violation, the
    one with the fewest context switches, in the scenario without every task and syscall line
    the violation does not need (each drop re-checked). The report gives the length as found
    and as minimized, the lines left out, and a replay command with --without.

    OPTIONS:
      --strategy S         dfs: depth-first with sleep sets (default); bfs: breadth-first
                           (shortest counterexamples); random, swarm: seeded random walks,
                           always incomplete with coverage figures
      --max-states N       stop after N distinct states (default 5000000) → incomplete
      --max-depth N        do not expand states deeper than N steps (default 100000)
      --timeout S          stop after S seconds (default 600) → incomplete
      --storage M          exact 128-bit fingerprints (default), hash-compact 64-bit ones, or
                           a bitstate array of 2^BITS bits; non-exact modes print the
                           probability of having missed states
      --workers N          threads (default 1): bfs expands each level in parallel, same
                           counts and counterexamples; dfs shares one visited set (the
                           counts of the sequential search without sleep sets; a little more
                           with persistent sets or symmetry) and reruns sequentially for the
                           counterexamples if anything is found
      --reduce R,…         reductions (default sleep): sleep (sleep sets: fewer
                           transitions, every state), persistent (persistent sets: fewer
                           states, dfs, replaces sleep), symmetry (identical tasks
                           stored once), or none; verdicts never change, counts do
      --seed N, --walks N, --walk-depth N
                           random walks: seed (default 1), walks (1000), steps per walk (10000)
      --format F           text (default), json, dot: Graphviz's DOT of the first
                           deadlock's wait-for graph, or of the whole state graph when
                           nothing deadlocks (at most 500 states), or chart: each
                           counterexample as a sequence chart at most 72 columns wide, one
                           column per task (the deterministic schedule when none)
      --progress-every S   progress on stderr every S seconds once a search has run a second
                           (default 0.5 on a terminal, where the line updates, 10 otherwise)
      --quiet              no progress; Ctrl-C still ends the search with an incomplete
                           report of what was explored (exit 13)
      --no-minimize        show each counterexample as the search found it
      --shard K/N          a swarm (one FILE, --strategy swarm, --format json): run only the
                           members at K-1 modulo N, for fanmc merge

    EXIT STATUS: 0 nothing found, 11 deadlock, 12 invariant violation, 13 incomplete,
    64 usage, 65 invalid scenario, 70 internal error.
    """,
    "check": """
    OVERVIEW: Judge every scenario against its expectations: one line per file and a total.

    USAGE: fanmc check PATH… [--strategy S] [--max-states N] [--max-depth N] [--timeout S]
                             [--storage M] [--workers N] [--reduce R,…] [--seed N] [--walks N]
                             [--walk-depth N] [--format text|json|junit] [--shard K/N]
                             [--progress-every S] [--quiet]

    The search options are run's (see fanmc run --help).

    PATH is a .scenario file or a folder searched recursively.

    OPTIONS:
      --format F    text (default), json (an array of run reports), or junit: JUnit XML for
                    CI systems, a test suite per folder, a failure per unmet expectation, an
                    error per invalid file
      --shard K/N   check only the files whose position in the whole list is K-1 modulo N, so
                    that N processes (a CI matrix, GNU parallel, Kubernetes indexed Jobs)
                    cover every file once; with --format json the output names the shard and
                    each file's position, for fanmc merge

    EXIT STATUS: 0 all expectations met, 10 some not met, 65 invalid scenario, 64 usage.
    """,
    "merge": """
    OVERVIEW: Put the JSON outputs of the N shards of one sharded command back together: one
    report with the same content as a single unsharded run (timings aside).

    USAGE: fanmc merge FILE… [--format text|json|junit] [--out DIR] [--workers N]

    Each FILE is the output of `fanmc check --shard K/N --format json`, of `fanmc hunt --shard
    K/N --format json` or of `fanmc run FILE --strategy swarm --shard K/N --format json`; every
    shard 1/N … N/N must be there exactly once, all of one run (the same files; the same hunt
    options; the same scenario, members, walks and seed). A swarm merges as json only.

    OPTIONS:
      --format F    text (default): check's lines and total, or hunt's summary; json: check's
                    or hunt's JSON; junit: JUnit XML (check)
      --out DIR     a hunt's findings, written there as NAME.scenario
      --workers N   threads checking a hunt's minimized findings (default 1)

    EXIT STATUS: check's for merged check shards (0, 10, 65), 0 for a hunt; 65 also when a FILE
    is not a shard's output, a shard is missing or twice, or the shards disagree; 64 usage.
    """,
    "matrix": """
    OVERVIEW: The verdict of every scenario under every kernel profile, as one table: each cell
    is the scenario explored with its `profile` line replaced by the column's (its `set`
    switches still apply). A cell shows ok, the properties violated (I3 I5; a deadlock as I5 or
    I9) and known gaps reached, incomplete when a bound was hit, or n/a when the scenario does
    not resolve under that profile (a mark fanotify_mark refuses there, say; the notes say
    why). The scenario's own profile is marked * when its expectations are met there, ! when
    they are not. Only that cell is judged: expectations speak of the own profile.

    USAGE: fanmc matrix PATH… [--profiles LIST|all] [--format text|json|html]
                              [--strategy S] [--max-states N] [--max-depth N] [--timeout S]
                              [--storage M] [--workers N] [--reduce R,…] [--seed N]
                              [--walks N] [--walk-depth N]

    OPTIONS:
      --profiles LIST  profile names separated by commas (v2, v7, v9, 6.14-rc1, 6.14, 6.17,
                       6.18), shown in that order, or all (default)
      --format F       text (default): one line per scenario (on a terminal, long cells
                       wrap to fit its width); json; or html: one self-contained page
                       (inline CSS, nothing fetched), cells coloured by outcome

    The exploration options are run's (see fanmc run --help); every cell uses them.

    PATH is a .scenario file or a folder searched recursively; rows come in check's order.

    EXIT STATUS: 0 the matrix was computed (whatever it shows: it is a report, not a
    judgement), 64 usage, 65 invalid scenario (the others are still shown), 70 internal error.
    """,
    "replay": """
    OVERVIEW: Re-execute one schedule (as printed by run) and narrate each step.

    USAGE: fanmc replay FILE --schedule S [--without LINES] [--format text|json]

    OPTIONS:
      --schedule S     choices separated by commas (TASK or TASK.ALT; CHOICE*N repeats one)
      --without LINES  leave these scenario lines out first (21,23-25; a task's line leaves
                       out its block), as a minimized counterexample's replay command says

    EXIT STATUS: like run, for what that path reaches: 0, 11 deadlock at its end,
    12 invariant violated on it; 64 when the schedule does not fit the scenario.
    """,
    "trace": """
    OVERVIEW: Run the deterministic schedule — tasks one after another in file order, each
    listener answering every event at once — and list every event (mask, range, cause,
    response) and every syscall's result.

    USAGE: fanmc trace FILE [--format text|json]
    """,
  ]

  static let explainHelp = """
    OVERVIEW: Narrate a schedule step by step, for teaching: each step's kernel function, the
    locks its task holds once the step is taken, the events queued and answered, and the file's
    pages and page cache whenever they change, then the properties violated on the path. A
    schedule that blocks ends with the lockdep-style wait-for report. By default the
    deterministic schedule (as trace runs it).

    USAGE: fanmc explain FILE [--schedule S | --violation ID] [--without LINES] [--details]
                              [--no-minimize] [--format text|json|chart]

    One line per step where it fits: what happened, the innermost kernel function, the locks
    held after it.

    OPTIONS:
      --schedule S     narrate this path (as run, replay and check print them)
      --violation ID   narrate the minimized counterexample of property ID (I1…, A1…; I5, I9
                       or deadlock for a deadlock): a shortest path with the fewest context
                       switches, in the scenario without the lines it does not need
      --without LINES  leave these scenario lines out first (as replay's)
      --details        each step's whole kernel function chain, on a line of its own
      --no-minimize    --violation keeps every scenario line
      --format F       text (default), json, or chart (a sequence chart at most 72 columns
                       wide, one column per task)
    """

  static let viewHelp = """
    OVERVIEW: Write one self-contained HTML page (inline CSS, JavaScript and SVG; it loads
    nothing from the network) that steps through a path: one lane per task, listener threads
    included; for each step the kernel function chain (each function linked to its source for
    the scenario's profile: Elixir for 6.x, a lore search of the posting for v2, v7 and v9), the
    locks every task holds after it, each group's event queue, each file's pages and page cache
    with their content states, and, when the path ends blocked, the wait-for graph with its
    cycle. By default the deterministic schedule (as trace runs it).

    USAGE: fanmc view FILE [--schedule S | --violation ID] [--without LINES] [--no-minimize]
                           [-o OUT.html] [--format html|json]

    OPTIONS:
      --schedule S      show this path (as run, replay and check print them)
      --violation ID    show the minimized counterexample of property ID (I1…, A1…; I5, I9
                        or deadlock for a deadlock), as explain --violation
      --without LINES   leave these scenario lines out first (as replay's)
      --no-minimize     --violation keeps every scenario line
      -o, --output OUT  write to OUT instead of standard output
      --format F        html (default), or json: the data the page is drawn from

    KEYS: → or j next step, ← or k previous, Home first, End last; the address's #step=N
    opens step N.
    """

  static func usageLine(_ command: String?) -> String {
    guard let c = command, let text = commands[c],
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("USAGE:") })
    else { return "Usage: fanmc COMMAND [OPTIONS]" }
    return "Usage: " + line.dropFirst("USAGE: ".count)
  }
}
