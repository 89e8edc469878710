/*
 * SPIN model of fanmc's benchmark family "hsm-rw-truncate" (fanmc bench --vs-spin).
 *
 * APPS applications (the family has two) each do OPS operations; each operation is a
 * nondeterministic read or write of any of PAGES pages of a stub file watched by a filling HSM,
 * or an ftruncate to the application's own length, as in fanmc's family:
 *   application 0 truncates to PAGES / 2 pages: a page boundary, so the event has count 0 and
 *   there is nothing to fill; the pages past it are gone (reads there return 0);
 *   every other application truncates to half a page short of PAGES pages: the event reports
 *   the last page, which the listener fills before the truncate cuts its tail; after a shrink
 *   this extends the file with a hole, not a stub.
 *   rw_verify_area / fsnotify_truncate_perm: queue a FAN_PRE_ACCESS event for the page and wait
 *   for the answer; the listener reads the event, fills the page through its event fd under
 *   i_rwsem if it is still a stub, and allows;
 *   read: filemap_read, past EOF nothing; else brings the page into the page cache and copies
 *   it (assert: not a stub);
 *   write: under i_rwsem, the page becomes written (a write past EOF extends i_size);
 *   truncate: under i_rwsem and invalidate_lock, truncate_setsize: i_size, and the pages past
 *   it leave the page cache and the file (a later extension finds holes there).
 * A page's content is that of the bytes the family reads (its first 100): no length cuts
 * inside them. The property is fanmc's I2 (no unnotified page) plus deadlock freedom (SPIN's
 * invalid end states). fanmc's model has more steps per operation (open, fd_install, lock and
 * return steps, the listener's event fd) and keeps every byte run, so state counts differ: the
 * comparison is time to the same verdict.
 */
#ifndef APPS
#define APPS 2
#endif
#ifndef OPS
#define OPS 1
#endif
#ifndef PAGES
#define PAGES 4
#endif

#define PAGE 4096
#define NOPAGE 255
#define REMOTE 0
#define FILLED 1
#define WRITTEN 2
#define HOLE 3
#define FREE 255
#define READ 0
#define WRITE 1
#define TRUNCATE 2
#define TRUNCATE_TO(id) ((id) == 0 -> PAGES / 2 * PAGE : PAGES * PAGE - PAGE / 2)

byte content[PAGES];          /* all REMOTE (stubs) at start; HOLE past i_size */
byte cache[PAGES];            /* 0 = no folio, else content + 1 */
int size = PAGES * PAGE;      /* i_size */
byte irwsem = FREE;           /* holder of i_rwsem (and, for truncate, invalidate_lock) */
bool answered[APPS];
chan events = [APPS] of { byte, byte };   /* (waiter, page or NOPAGE for count 0) */

proctype app(byte id) {
  byte k = 0;
  byte p, q;
  byte op;
  int newsize;
  do
  :: k < OPS ->
     if
     :: op = READ; select(p : 0 .. PAGES - 1)
     :: op = WRITE; select(p : 0 .. PAGES - 1)
     :: op = TRUNCATE; newsize = TRUNCATE_TO(id);
        p = (newsize % PAGE == 0 -> NOPAGE : newsize / PAGE)   /* (newsize, 0) page aligned */
     fi;
     answered[id] = false;
     events ! id, p;                       /* fsnotify → fanotify_handle_event */
     answered[id];                         /* fanotify_get_response */
     if
     :: op == READ ->
        atomic {
          if
          :: p * PAGE < size ->
             if :: cache[p] == 0 -> cache[p] = content[p] + 1 :: else -> skip fi;
             assert(cache[p] != REMOTE + 1)   /* copy_folio_to_iter: I2 */
          :: else -> skip                      /* past EOF: returns 0 */
          fi
        }
     :: op == WRITE ->
        atomic { irwsem == FREE -> irwsem = id };
        content[p] = WRITTEN;
        cache[p] = WRITTEN + 1;
        if :: size < p * PAGE + 10 -> size = p * PAGE + 10 :: else -> skip fi;
        irwsem = FREE
     :: op == TRUNCATE ->
        atomic { irwsem == FREE -> irwsem = id };
        atomic {                           /* truncate_setsize → truncate_pagecache */
          size = newsize;
          for (q : 0 .. PAGES - 1) {
            if :: q * PAGE >= newsize -> content[q] = HOLE; cache[q] = 0 :: else -> skip fi
          }
        };
        irwsem = FREE
     fi;
     atomic { k++; p = 0; q = 0; op = 0; newsize = 0 }   /* the next operation starts afresh */
  :: else -> break
  od
}

proctype listener() {
  byte a, p;
end:
  do
  :: events ? a, p ->                      /* fanotify_read */
     if
     :: p != NOPAGE ->
        atomic { irwsem == FREE -> irwsem = APPS };   /* pwrite(event fd): inode_lock */
        if
        :: content[p] == REMOTE -> content[p] = FILLED; cache[p] = FILLED + 1
        :: else -> skip
        fi;
        irwsem = FREE
     :: else -> skip                       /* count 0: nothing to fill */
     fi;
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
