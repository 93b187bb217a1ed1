#!/usr/bin/env bash
# Medians of repeated runs: reads run_bench.sh's per-run lines ("<row>
# <server> key=value ...") on stdin and prints, per row and server in the
# order first seen, one line "median <row> <server> runs=N key=median ...",
# for the figures the rows are judged by. For the connect row, each server's
# median connects/s is also divided by node-ws's (connects_x_node).
set -euo pipefail
awk '
function median(list,   n, values, i, j, swap) {
    n = split(list, values, " ")
    for (i = 2; i <= n; ++i)
        for (j = i; j > 1 && values[j - 1] + 0 > values[j] + 0; --j) {
            swap = values[j]; values[j] = values[j - 1]; values[j - 1] = swap
        }
    return n % 2 ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
}
BEGIN { split("connects_per_s rss_per_conn_KiB server_cpu_s deliveries_per_s lost p50_ms p99_ms p999_ms server_rss_peak_kb", keys, " ") }
/^(connect|rate50|rate1000|window|idle|batched) / {
    id = $1 " " $2
    if (!(id in runs)) order[++count] = id
    ++runs[id]
    for (f = 3; f <= NF; ++f) {
        eq = index($f, "=")
        if (eq) values[id, substr($f, 1, eq - 1)] = values[id, substr($f, 1, eq - 1)] " " substr($f, eq + 1)
    }
}
END {
    for (r = 1; r <= count; ++r) {
        id = order[r]
        split(id, parts, " ")
        line = "median " id " runs=" runs[id]
        for (k = 1; k in keys; ++k)
            if ((id, keys[k]) in values) {
                m = median(values[id, keys[k]])
                line = line " " keys[k] "=" (m == int(m) ? sprintf("%d", m) : sprintf("%.3f", m))
                if (keys[k] == "connects_per_s") connects[id] = m
            }
        printed[r] = line
    }
    for (r = 1; r <= count; ++r) {
        id = order[r]
        split(id, parts, " ")
        node = parts[1] " node-ws"
        if (parts[1] == "connect" && parts[2] != "node-ws" && (node in connects) && connects[node] > 0)
            printed[r] = printed[r] sprintf(" connects_x_node=%.2f", connects[id] / connects[node])
        print printed[r]
    }
}'
