/*
 * Every native allocation passes through here: its size is a checked product (count × size never
 * wraps) and stays under a ceiling, so a shape that validates but needs more memory than the
 * machine can give (a full SVD of 1 × 40 000 wants 12.8 GB) fails with NativeMemoryError instead
 * of succeeding under overcommit and calling the OOM killer when LAPACK touches the pages.
 *
 * The ceiling bounds one allocation and, for a linear-algebra job, the sum of its allocations.
 * Default: 4 GiB or half the physical memory, whichever is smaller; FEATUREFLOW_NATIVE_MAX_BYTES
 * (read by the loader, set through setMemoryCeiling) changes it.
 */
#ifndef FF_BUDGET_H
#define FF_BUDGET_H
#include <stddef.h>

/* the ceiling in bytes (never 0) */
size_t ff_memory_ceiling(void);
void ff_set_memory_ceiling(size_t bytes);

/* count × size, or 0 when the product overflows or exceeds the ceiling */
size_t ff_checked_bytes(size_t count, size_t size);

/* malloc(count × size) under the ceiling (count 0 allocates one element); NULL on overflow, ceiling or OOM */
void *ff_malloc(size_t count, size_t size);
void *ff_calloc(size_t count, size_t size);

#endif
