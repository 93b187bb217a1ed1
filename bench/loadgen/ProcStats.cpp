#include "ProcStats.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace loadgen {

namespace {

// The whole of a small /proc file; "" if it cannot be read.
std::string readSmallFile(int pid, const char *name)
{
    if (pid <= 0)
        return {};
    std::FILE *file = std::fopen(("/proc/" + std::to_string(pid) + "/" + name).c_str(), "re");
    if (!file)
        return {};
    char buffer[4096];
    const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    return std::string(buffer, n);
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

} // namespace loadgen
