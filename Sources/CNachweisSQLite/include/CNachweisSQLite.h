#ifndef NACHWEIS_SQLITE_SHIM_H
#define NACHWEIS_SQLITE_SHIM_H
// sqlite3_config is variadic: Swift cannot call it.

/// Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS): with them every allocation SQLite makes takes a
/// process-wide mutex. Takes effect only before SQLite initializes (before the process's first connection); returns
/// SQLite's result code (SQLITE_OK, or SQLITE_MISUSE when SQLite was initialized already).
int nw_sqlite_disable_memory_statistics(void);

#endif
