#ifndef SWIFTLET_CSQLITE_H
#define SWIFTLET_CSQLITE_H
// SQLite from Debian's libsqlite3-dev, plus what its macros hide from Swift.
#include <sqlite3.h>

/// SQLITE_TRANSIENT: SQLite copies a bound value before the call returns.
static inline sqlite3_destructor_type csqlite_transient(void) { return (sqlite3_destructor_type)-1; }
#endif
