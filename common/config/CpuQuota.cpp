#include "CpuQuota.h"

#include <QtCore/QByteArrayList>
#include <QtCore/QFile>

#include <algorithm>

namespace QuantPush {

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    // /proc and cgroup files report size 0: read to EOF, not by size.
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().trimmed();
}

// A cgroup hierarchy as mounted: where, and which cgroup path its mount
// point shows (a container sees its own cgroup as the mount's root).
struct Mount
{
    QByteArray mountPoint;
    QByteArray root;
};

// The cgroup2 mount and the v1 mount carrying the cpu controller, from
// /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS] - TYPE
// SOURCE SUPEROPTS".
void findMounts(const QByteArray &mountInfo, std::optional<Mount> *v2, std::optional<Mount> *v1Cpu)
{
    for (const QByteArray &line : mountInfo.split('\n')) {
        const QByteArrayList fields = line.split(' ');
        const qsizetype dash = fields.indexOf("-");
        if (dash < 5 || dash + 3 >= fields.size())
            continue;
        const QByteArray &type = fields.at(dash + 1);
        Mount mount {fields.at(4), fields.at(3)};
        if (type == "cgroup2" && !*v2)
            *v2 = mount;
        else if (type == "cgroup" && fields.at(dash + 3).split(',').contains("cpu") && !*v1Cpu)
            *v1Cpu = mount;
    }
}

// This process's cgroup path in the hierarchy: "0::PATH" for v2, the line
// whose controllers include cpu for v1.
QByteArray cgroupPath(const QByteArray &cgroups, bool v2)
{
    for (const QByteArray &line : cgroups.split('\n')) {
        const qsizetype first = line.indexOf(':');
        const qsizetype second = first < 0 ? -1 : line.indexOf(':', first + 1);
        if (second < 0)
            continue;
        const QByteArray controllers = line.mid(first + 1, second - first - 1);
        if (v2 ? (line.left(first) == "0" && controllers.isEmpty()) : controllers.split(',').contains("cpu"))
            return line.mid(second + 1);
    }
    return {};
}

// The directories from the process's cgroup up to the mount point, in the
// mounted file system: a path outside the mount's root is not ours to see.
QStringList cgroupDirectories(const QString &root, const Mount &mount, QByteArray path)
{
    if (mount.root != "/" && path.startsWith(mount.root))
        path = path.mid(mount.root.size());
    else if (mount.root != "/")
        return {};
    QStringList directories;
    for (;;) {
        while (path.endsWith('/'))
            path.chop(1);
        directories.append(root + QString::fromUtf8(mount.mountPoint + path));
        if (path.isEmpty())
            return directories;
        path.truncate(path.lastIndexOf('/'));
    }
}

std::optional<double> lowest(std::optional<double> a, std::optional<double> b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return std::min(*a, *b);
}

} // namespace

std::optional<double> CpuQuota::fromCpuMax(QByteArrayView text)
{
    const QByteArrayList fields = text.toByteArray().simplified().split(' ');
    if (fields.size() != 2 || fields.at(0) == "max")
        return std::nullopt;
    return fromCfs(fields.at(0), fields.at(1));
}

std::optional<double> CpuQuota::fromCfs(QByteArrayView quotaUs, QByteArrayView periodUs)
{
    bool quotaOk = false;
    bool periodOk = false;
    const qint64 quota = quotaUs.toByteArray().trimmed().toLongLong(&quotaOk);
    const qint64 period = periodUs.toByteArray().trimmed().toLongLong(&periodOk);
    if (!quotaOk || !periodOk || quota <= 0 || period <= 0)
        return std::nullopt;
    return double(quota) / double(period);
}

std::optional<double> CpuQuota::cores(const QString &root)
{
    std::optional<Mount> v2;
    std::optional<Mount> v1Cpu;
    findMounts(readFile(root + QStringLiteral("/proc/self/mountinfo")), &v2, &v1Cpu);
    const QByteArray cgroups = readFile(root + QStringLiteral("/proc/self/cgroup"));
    std::optional<double> quota;
    // A hybrid system mounts both: the cpu controller is in whichever has it,
    // and reading both takes the lower limit.
    if (v1Cpu) {
        const QByteArray path = cgroupPath(cgroups, false);
        if (!path.isEmpty()) {
            for (const QString &directory : cgroupDirectories(root, *v1Cpu, path)) {
                quota = lowest(quota, fromCfs(readFile(directory + QStringLiteral("/cpu.cfs_quota_us")),
                                              readFile(directory + QStringLiteral("/cpu.cfs_period_us"))));
            }
        }
    }
    if (v2) {
        const QByteArray path = cgroupPath(cgroups, true);
        if (!path.isEmpty()) {
            for (const QString &directory : cgroupDirectories(root, *v2, path))
                quota = lowest(quota, fromCpuMax(readFile(directory + QStringLiteral("/cpu.max"))));
        }
    }
    return quota;
}

} // namespace QuantPush
