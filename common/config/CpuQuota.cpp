#include "CpuQuota.h"

#include <QtCore/QByteArrayList>
#include <QtCore/QFile>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

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

// mountinfo escapes space, tab, newline and backslash as \ooo (octal).
QByteArray unescapeMountField(const QByteArray &field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        const auto isOctal = [&](qsizetype at) { return at < field.size() && field[at] >= '0' && field[at] <= '7'; };
        if (field[i] == '\\' && isOctal(i + 1) && isOctal(i + 2) && isOctal(i + 3)) {
            out.append(char(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0')));
            i += 3;
        } else {
            out.append(field[i]);
        }
    }
    return out;
}

// Every cgroup2 mount, and every v1 mount carrying the cpu controller, from
// /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS] - TYPE
// SOURCE SUPEROPTS". Bind mounts and nested containers can mount one
// hierarchy more than once, with different roots.
void findMounts(const QByteArray &mountInfo, QList<Mount> *v2, QList<Mount> *v1Cpu)
{
    for (const QByteArray &line : mountInfo.split('\n')) {
        const QByteArrayList fields = line.split(' ');
        const qsizetype dash = fields.indexOf("-");
        if (dash < 5 || dash + 3 >= fields.size())
            continue;
        const QByteArray &type = fields.at(dash + 1);
        const Mount mount {unescapeMountField(fields.at(4)), unescapeMountField(fields.at(3))};
        if (type == "cgroup2")
            v2->append(mount);
        else if (type == "cgroup" && fields.at(dash + 3).split(',').contains("cpu"))
            v1Cpu->append(mount);
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

// `path` below `root` (or equal to it): what is left of it inside the mount,
// "" for the mount's own root; nullopt when the mount cannot show it.
std::optional<QByteArray> pathInside(const QByteArray &root, const QByteArray &path)
{
    if (root == "/")
        return path;
    if (path == root)
        return QByteArray();
    if (path.startsWith(QByteArray(root + '/')))
        return path.mid(root.size());
    return std::nullopt;
}

// The directories from the process's cgroup up to the mount point, through
// the mount that shows the longest part of the path (the most specific one).
QStringList cgroupDirectories(const QString &root, const QList<Mount> &mounts, const QByteArray &cgroup)
{
    const Mount *best = nullptr;
    QByteArray path;
    for (const Mount &mount : mounts) {
        const std::optional<QByteArray> inside = pathInside(mount.root, cgroup);
        if (inside && (!best || mount.root.size() > best->root.size())) {
            best = &mount;
            path = *inside;
        }
    }
    if (!best)
        return {};
    QStringList directories;
    for (;;) {
        while (path.endsWith('/'))
            path.chop(1);
        directories.append(root + QString::fromUtf8(best->mountPoint + path));
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
    QList<Mount> v2;
    QList<Mount> v1Cpu;
    findMounts(readFile(root + u"/proc/self/mountinfo"_s), &v2, &v1Cpu);
    const QByteArray cgroups = readFile(root + u"/proc/self/cgroup"_s);
    std::optional<double> quota;
    // A hybrid system mounts both: the cpu controller is in whichever has it,
    // and reading both takes the lower limit.
    if (const QByteArray path = cgroupPath(cgroups, false); !path.isEmpty()) {
        for (const QString &directory : cgroupDirectories(root, v1Cpu, path)) {
            quota = lowest(quota, fromCfs(readFile(directory + u"/cpu.cfs_quota_us"_s),
                                          readFile(directory + u"/cpu.cfs_period_us"_s)));
        }
    }
    if (const QByteArray path = cgroupPath(cgroups, true); !path.isEmpty()) {
        for (const QString &directory : cgroupDirectories(root, v2, path))
            quota = lowest(quota, fromCpuMax(readFile(directory + u"/cpu.max"_s)));
    }
    return quota;
}

} // namespace QuantPush
