#include "ProcStats.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace loadgen {

namespace {

// The whole of a small file; "" if it cannot be read.
std::string readSmallFile(const std::string &path)
{
    std::FILE *file = std::fopen(path.c_str(), "re");
    if (!file)
        return {};
    char buffer[4096];
    const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    return std::string(buffer, n);
}

std::string readSmallFile(int pid, const char *name)
{
    if (pid <= 0)
        return {};
    return readSmallFile("/proc/" + std::to_string(pid) + "/" + name);
}

} // namespace

double processCpuSecondsOf(int pid)
{
    const std::string stat = readSmallFile(pid, "stat");
    // The command name is in parentheses and may hold spaces: fields are
    // counted after the last ')'. State is field 3, utime 14 and stime 15.
    const std::size_t paren = stat.rfind(')');
    if (paren == std::string::npos)
        return -1;
    const char *p = stat.c_str() + paren + 1;
    unsigned long long values[2] = {};
    for (int field = 3; field <= 15; ++field) {
        while (*p == ' ')
            ++p;
        if (*p == '\0')
            return -1;
        if (field >= 14)
            values[field - 14] = std::strtoull(p, nullptr, 10);
        while (*p != ' ' && *p != '\0')
            ++p;
    }
    return double(values[0] + values[1]) / double(sysconf(_SC_CLK_TCK));
}

long residentKbOf(int pid)
{
    const std::string status = readSmallFile(pid, "status");
    const std::size_t at = status.find("\nVmRSS:");
    if (at == std::string::npos)
        return -1;
    return std::strtol(status.c_str() + at + 7, nullptr, 10);
}

double runQueueWaitSecondsOf(int pid)
{
    if (pid <= 0)
        return -1;
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    DIR *dir = opendir(tasks.c_str());
    if (!dir)
        return -1;
    unsigned long long waitNs = 0;
    bool any = false;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        // "<on-cpu ns> <waiting ns> <timeslices>"; a thread that ended
        // between readdir and here is skipped (its wait is lost with it).
        const std::string schedstat = readSmallFile(tasks + "/" + entry->d_name + "/schedstat");
        const char *p = schedstat.c_str();
        char *end = nullptr;
        const unsigned long long onCpu = std::strtoull(p, &end, 10);
        if (end == p)
            continue;
        p = end;
        const unsigned long long wait = std::strtoull(p, &end, 10);
        if (end == p)
            continue;
        waitNs += wait;
        // A kernel that keeps no schedstat prints zeros.
        if (onCpu > 0)
            any = true;
    }
    closedir(dir);
    return any ? double(waitNs) / 1e9 : -1;
}

double machineStealSeconds()
{
    const std::string stat = readSmallFile("/proc/stat");
    // "cpu  user nice system idle iowait irq softirq steal ...", in ticks.
    if (stat.compare(0, 4, "cpu ") != 0)
        return -1;
    const char *p = stat.c_str() + 4;
    unsigned long long value = 0;
    for (int field = 1; field <= 8; ++field) {
        char *end = nullptr;
        value = std::strtoull(p, &end, 10);
        if (end == p)
            return -1;
        p = end;
    }
    return double(value) / double(sysconf(_SC_CLK_TCK));
}

} // namespace loadgen
