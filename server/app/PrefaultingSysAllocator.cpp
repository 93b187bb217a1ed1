#include "PrefaultingSysAllocator.h"

#include <sys/mman.h>

#include <cstdint>
#include <unistd.h>

namespace QuantPush {

namespace {
constexpr size_t MaxPrefaultBytes = 2 * 1024 * 1024;
} // namespace

void PrefaultingSysAllocator::install()
{
    MallocExtension *const extension = MallocExtension::instance();
    SysAllocator *const current = extension->GetSystemAllocator();
    if (!current)
        return;
    // Lives as long as the process: tcmalloc keeps using it until exit.
    static PrefaultingSysAllocator wrapper(current);
    extension->SetSystemAllocator(&wrapper);
}

void *PrefaultingSysAllocator::Alloc(size_t size, size_t *actualSize, size_t alignment)
{
    void *const chunk = m_next->Alloc(size, actualSize, alignment);
    if (!chunk)
        return nullptr;
    const size_t length = actualSize ? *actualSize : size;
    // Small objects' spans come from chunks of tcmalloc's minimum growth (1
    // MiB); anything bigger is one large allocation (a long message, a big
    // table), which may never be touched in full: left to fault as used, so
    // that nothing is resident before it is written.
    if (length > MaxPrefaultBytes)
        return chunk;
    // madvise wants a page-aligned start; the chunk's first partial page (if
    // any) faults in the ordinary way.
    static const auto pageSize = std::uintptr_t(sysconf(_SC_PAGESIZE));
    const auto begin = (std::uintptr_t(chunk) + pageSize - 1) & ~(pageSize - 1);
    const auto end = std::uintptr_t(chunk) + length;
    if (end > begin)
        madvise(reinterpret_cast<void *>(begin), end - begin, MADV_POPULATE_WRITE); // best effort
    return chunk;
}

} // namespace QuantPush
