/* The allocation ceiling (see budget.h). */
#include "budget.h"
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define DEFAULT_CEILING ((size_t)4 << 30)

static _Atomic size_t ceiling = 0; /* 0: not yet computed */

static size_t default_ceiling(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  size_t half = pages > 0 && page > 0 ? (size_t)pages / 2 * (size_t)page : DEFAULT_CEILING;
  return half < DEFAULT_CEILING ? half : DEFAULT_CEILING;
}

size_t ff_memory_ceiling(void) {
  size_t c = atomic_load(&ceiling);
  if (c == 0) {
    c = default_ceiling();
    atomic_store(&ceiling, c);
  }
  return c;
}

void ff_set_memory_ceiling(size_t bytes) { atomic_store(&ceiling, bytes ? bytes : default_ceiling()); }

size_t ff_checked_bytes(size_t count, size_t size) {
  if (count == 0) count = 1;
  if (size != 0 && count > SIZE_MAX / size) return 0;
  size_t bytes = count * size;
  return bytes <= ff_memory_ceiling() ? bytes : 0;
}

void *ff_malloc(size_t count, size_t size) {
  size_t bytes = ff_checked_bytes(count, size);
  return bytes ? malloc(bytes) : NULL;
}

void *ff_calloc(size_t count, size_t size) {
  return ff_checked_bytes(count, size) ? calloc(count ? count : 1, size) : NULL;
}
