#include "MallocInfo.h"

#include <QtCore/QFileInfo>

#include <dlfcn.h>
#include <gnu/libc-version.h>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

QString mallocDescription()
{
    // gperftools defines malloc as an alias of tc_malloc: when the two
    // resolve to the same address, tcmalloc is the one every caller gets.
    void *const mallocAddress = dlsym(RTLD_DEFAULT, "malloc");
    void *const tcMalloc = dlsym(RTLD_DEFAULT, "tc_malloc");
    if (tcMalloc && mallocAddress == tcMalloc) {
        using TcVersion = const char *(*)(int *, int *, const char **);
        const auto version = reinterpret_cast<TcVersion>(dlsym(RTLD_DEFAULT, "tc_version"));
        return u"tcmalloc (%1)"_s.arg(version ? QString::fromLatin1(version(nullptr, nullptr, nullptr))
                                              : u"gperftools"_s);
    }
    Dl_info where{};
    const QString library = mallocAddress && dladdr(mallocAddress, &where) && where.dli_fname
                                ? QFileInfo(QString::fromLocal8Bit(where.dli_fname)).fileName()
                                : QString();
    if (library.startsWith(u"libc.so"_s))
        return u"glibc %1"_s.arg(QString::fromLatin1(gnu_get_libc_version()));
    return library.isEmpty() ? u"unknown"_s : library; // e.g. an LD_PRELOADed allocator
}

} // namespace QuantPush
