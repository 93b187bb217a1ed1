#pragma once

#include <gperftools/malloc_extension.h>

namespace QuantPush {

// tcmalloc's source of memory, wrapped: each chunk its heap grows by for
// small objects (1 MiB; chunks over 2 MiB are large allocations and are left
// alone) is faulted in by one madvise(MADV_POPULATE_WRITE) instead of one
// page fault per 4 KiB page as objects are carved from it. On a virtual
// machine a fault is a trap to the hypervisor: while 10,000 clients
// connected, a tenth of the server's CPU went to faults on fresh heap
// (docs/benchmarks.md, session 25). What it faults in is what tcmalloc
// just asked for and is about to use; a kernel without MADV_POPULATE_WRITE
// (before 5.14) leaves the chunk to fault in as before.
class PrefaultingSysAllocator final : public SysAllocator
{
public:
    // Wraps tcmalloc's current system allocator; call before threads start.
    static void install();

    void *Alloc(size_t size, size_t *actualSize, size_t alignment) override;

private:
    explicit PrefaultingSysAllocator(SysAllocator *next) : m_next(next) {}

    SysAllocator *const m_next;
};

} // namespace QuantPush
