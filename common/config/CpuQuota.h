#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <optional>

namespace QuantPush {

// How many cores' worth of CPU time a cgroup quota lets this process use:
// cgroup v2's cpu.max, or v1's cpu.cfs_quota_us over cpu.cfs_period_us, the
// lowest along the process's cgroup and its ancestors (a parent's limit
// binds its children). nullopt without a quota ("max", -1, or no cgroup
// CPU controller mounted).
//
// Why: a systemd unit's CPUQuota= and a container's --cpus are such quotas,
// and they leave the machine's core count (what QThread::idealThreadCount
// reports, from the affinity mask) unchanged. A server that ran a thread per
// core under them would keep more threads busy than it may run: they queue,
// and past the quota the kernel stops them all until the next period.
class CpuQuota
{
public:
    // Reads /proc/self/mountinfo, /proc/self/cgroup and the quota files;
    // `root` is prefixed to every path (tests point it at a fake tree).
    static std::optional<double> cores(const QString &root = QString());

    // One file's contents: cpu.max ("max 100000", "150000 100000").
    static std::optional<double> fromCpuMax(QByteArrayView text);
    // cpu.cfs_quota_us and cpu.cfs_period_us ("-1" is no quota).
    static std::optional<double> fromCfs(QByteArrayView quotaUs, QByteArrayView periodUs);
};

} // namespace QuantPush
