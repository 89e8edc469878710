/*
 * SPIN model of fanmc's benchmark family "hsm-any-access" (fanmc bench --vs-spin).
 *
 * APPS applications each do OPS operations; each operation is a nondeterministic read or write
 * of any of PAGES pages of a stub file watched by a filling HSM, as in fanmc's family:
 *   rw_verify_area: queue a FAN_PRE_ACCESS event for the page and wait for the answer;
 *   the listener reads the event, fills the page through its event fd under i_rwsem if it is
 *   still a stub, and allows;
 *   read: filemap_read brings the page into the page cache and copies it (assert: not a stub);
 *   write: under i_rwsem, the page becomes written.
 * The property is fanmc's I2 (no unnotified page) plus deadlock freedom (SPIN's invalid end
 * states). fanmc's model has more steps per operation (open, fd_install, lock and return steps,
 * the listener's event fd), so state counts differ: the comparison is time to the same verdict.
 */
#ifndef APPS
#define APPS 2
#endif
#ifndef OPS
#define OPS 1
#endif
#ifndef PAGES
#define PAGES 2
#endif

#define REMOTE 0
#define FILLED 1
#define WRITTEN 2
#define FREE 255

byte content[PAGES];          /* all REMOTE (stubs) at start */
byte cache[PAGES];            /* 0 = no folio, else content + 1 */
byte irwsem = FREE;           /* holder of i_rwsem */
bool answered[APPS];
chan events = [APPS] of { byte, byte };   /* (waiter, page) */

proctype app(byte id) {
  byte k = 0;
  byte p;
  bool write;
  do
  :: k < OPS ->
     select(p : 0 .. PAGES - 1);
     if
     :: write = false
     :: write = true
     fi;
     answered[id] = false;
     events ! id, p;                       /* fsnotify → fanotify_handle_event */
     answered[id];                         /* fanotify_get_response */
     if
     :: !write ->
        atomic { if :: cache[p] == 0 -> cache[p] = content[p] + 1 :: else -> skip fi };
        assert(cache[p] != REMOTE + 1)     /* copy_folio_to_iter: I2 */
     :: write ->
        atomic { irwsem == FREE -> irwsem = id };
        content[p] = WRITTEN;
        cache[p] = WRITTEN + 1;
        irwsem = FREE
     fi;
     k++
  :: else -> break
  od
}

proctype listener() {
  byte a, p;
end:
  do
  :: events ? a, p ->                      /* fanotify_read */
     atomic { irwsem == FREE -> irwsem = APPS };   /* pwrite(event fd): inode_lock */
     if
     :: content[p] == REMOTE -> content[p] = FILLED; cache[p] = FILLED + 1
     :: else -> skip
     fi;
     irwsem = FREE;
     answered[a] = true                    /* process_access_response: FAN_ALLOW */
  od
}

init {
  byte i;
  atomic {
    i = 0;
    do
    :: i < APPS -> run app(i); i++
    :: else -> break
    od;
    run listener()
  }
}
