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
// Seconds the process's threads spent runnable but waiting for a CPU, summed
// over its threads, from /proc/PID/task/*/schedstat (the second field, ns).
// The share of a run a process lost to others on the same cores: on a
// machine where the generator and the server share two cores, it is what
// separates "slow" from "waiting its turn".
double runQueueWaitSecondsOf(int pid);
// CPU seconds the hypervisor gave to others while this machine's CPUs had
// work (the "steal" column of /proc/stat's cpu line, summed over CPUs). On
// a shared virtual machine it moves every figure of a run: a row that is
// slow while steal was high says less about the server than about the host.
double machineStealSeconds();

} // namespace loadgen
