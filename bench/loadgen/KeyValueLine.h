#pragma once

#include <cstdio>
#include <string>

namespace loadgen {

// The one output line: key=value pairs separated by spaces.
class KeyValueLine
{
public:
    void add(const char *key, const std::string &value)
    {
        if (!m_line.empty())
            m_line += ' ';
        m_line += key;
        m_line += '=';
        m_line += value;
    }
    // A figure not measured (no --server-pid, say) is "-", never a made-up 0.
    void add(const char *key, bool measured, double value, int decimals)
    {
        add(key, measured ? fixed(value, decimals) : std::string("-"));
    }
    const std::string &text() const { return m_line; }

    static std::string fixed(double value, int decimals)
    {
        char buffer[48];
        std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
        return buffer;
    }

private:
    std::string m_line;
};

} // namespace loadgen
