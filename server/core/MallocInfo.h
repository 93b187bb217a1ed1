#pragma once

#include <QtCore/QString>

namespace QuantPush {

// Which malloc this process really runs on, for the start-up log and
// --version: the build links tcmalloc by default (QUANTPUSH_ALLOCATOR), and
// whether it won over glibc's is a fact of the running process, not of the
// build (a linker that dropped it, an LD_PRELOAD).
QString mallocDescription();

} // namespace QuantPush
