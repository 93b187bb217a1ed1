#pragma once

namespace loadgen {

// Another process's figures from /proc (the server's, for --server-pid);
// negative when the process or the field is not there. (Not std::optional:
// GCC 12 at -O2 warns about reading an uninitialised one, a false positive
// that -Werror turns into a failed build.)
// User + system CPU seconds from /proc/PID/stat.
double processCpuSecondsOf(int pid);
// VmRSS from /proc/PID/status, in KiB.
long residentKbOf(int pid);

} // namespace loadgen
