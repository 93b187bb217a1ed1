<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>QuantPush::AlertModel</name>
    <message>
        <source>firing</source>
        <translation>firing</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>cleared</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Threshold</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Since</translation>
    </message>
</context>
<context>
    <name>QuantPush::AlertsPage</name>
    <message>
        <source>Clear log</source>
        <translation>Clear log</translation>
    </message>
    <message>
        <source>Empty the list; rules still firing stay counted until they clear</source>
        <translation>Empty the list; rules still firing stay counted until they clear</translation>
    </message>
    <message numerus="yes">
        <source>No alert rule is firing. Fire and clear events of the server&apos;s alert rules appear here as they happen (%n event(s) logged).</source>
        <translation>
            <numerusform>No alert rule is firing. Fire and clear events of the server&apos;s alert rules appear here as they happen (%n event logged).</numerusform>
            <numerusform>No alert rule is firing. Fire and clear events of the server&apos;s alert rules appear here as they happen (%n events logged).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) firing: %1</source>
        <translation>
            <numerusform>%n rule firing: %1</numerusform>
            <numerusform>%n rules firing: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QuantPush::BroadcastComposer</name>
    <message>
        <source>Channel:</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <source>Strategy:</source>
        <translation>Strategy:</translation>
    </message>
    <message>
        <source>Channel default</source>
        <translation>Channel default</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>Priority:</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Default</translation>
    </message>
    <message>
        <source>0 to 9, 9 highest; used by the priority_queue strategy</source>
        <translation>0 to 9, 9 highest; used by the priority_queue strategy</translation>
    </message>
    <message>
        <source>Load template</source>
        <translation>Load template</translation>
    </message>
    <message>
        <source>Replace the payload with an example for this channel</source>
        <translation>Replace the payload with an example for this channel</translation>
    </message>
    <message>
        <source>Payload (JSON object):</source>
        <translation>Payload (JSON object):</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>Publish</translation>
    </message>
    <message>
        <source>Publish to the channel (Ctrl+Enter)</source>
        <translation>Publish to the channel (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Sent this session</source>
        <translation>Sent this session</translation>
    </message>
    <message>
        <source>Fix the JSON first: nothing was sent.</source>
        <translation>Fix the JSON first: nothing was sent.</translation>
    </message>
    <message>
        <source>Not connected: nothing was sent.</source>
        <translation>Not connected: nothing was sent.</translation>
    </message>
    <message>
        <source>Publishing on %1…</source>
        <translation>Publishing on %1…</translation>
    </message>
    <message numerus="yes">
        <source>Published on %1: seq %2, %n recipient(s).</source>
        <translation>
            <numerusform>Published on %1: seq %2, %n recipient.</numerusform>
            <numerusform>Published on %1: seq %2, %n recipients.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server refused the message: %1 (%2)</source>
        <translation>The server refused the message: %1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>%n subscription(s) on this channel now, latest seq %1</source>
        <translation>
            <numerusform>%n subscription on this channel now, latest seq %1</numerusform>
            <numerusform>%n subscriptions on this channel now, latest seq %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Send to:</source>
        <translation>Send to:</translation>
    </message>
    <message>
        <source>Every subscriber</source>
        <translation>Every subscriber</translation>
    </message>
    <message>
        <source>Connections with role</source>
        <translation>Connections with role</translation>
    </message>
    <message>
        <source>Connections of user</source>
        <translation>Connections of user</translation>
    </message>
    <message>
        <source>One session</source>
        <translation>One session</translation>
    </message>
    <message>
        <source>Subscribers of the channel receive it; a role, user or session narrows that to those connections (picked from the connection table). Their own subscription filters and account scope still apply.</source>
        <translation>Subscribers of the channel receive it; a role, user or session narrows that to those connections (picked from the connection table). Their own subscription filters and account scope still apply.</translation>
    </message>
    <message>
        <source>Preview recipients</source>
        <translation>Preview recipients</translation>
    </message>
    <message>
        <source>Ask the server how many connections would receive this now (nothing is sent)</source>
        <translation>Ask the server how many connections would receive this now (nothing is sent)</translation>
    </message>
    <message>
        <source>every subscriber</source>
        <translation>every subscriber</translation>
    </message>
    <message>
        <source>role %1</source>
        <translation>role %1</translation>
    </message>
    <message>
        <source>user %1</source>
        <translation>user %1</translation>
    </message>
    <message>
        <source>session %1</source>
        <translation>session %1</translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation>Asking the server…</translation>
    </message>
    <message numerus="yes">
        <source>Would reach %n connection(s) now</source>
        <translation>
            <numerusform>Would reach %n connection now</numerusform>
            <numerusform>Would reach %n connections now</numerusform>
        </translation>
    </message>
    <message>
        <source>Preview failed: %1 (%2)</source>
        <translation>Preview failed: %1 (%2)</translation>
    </message>
</context>
<context>
    <name>QuantPush::BroadcastHistoryModel</name>
    <message>
        <source>channel default</source>
        <translation>channel default</translation>
    </message>
    <message>
        <source>default</source>
        <translation>default</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>sending…</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>Strategy</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation>Seq</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <source>Payload or error</source>
        <translation>Payload or error</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConnectDialog</name>
    <message>
        <source>Connect to a QuantPush server</source>
        <translation>Connect to a QuantPush server</translation>
    </message>
    <message>
        <source>Recent servers:</source>
        <translation>Recent servers:</translation>
    </message>
    <message>
        <source>Server URL:</source>
        <translation>Server URL:</translation>
    </message>
    <message>
        <source>TLS (wss://)</source>
        <translation>TLS (wss://)</translation>
    </message>
    <message>
        <source>Accept self-signed certificates (testing only)</source>
        <translation>Accept self-signed certificates (testing only)</translation>
    </message>
    <message>
        <source>Compressed pushes (deflate: less bandwidth, a little more CPU)</source>
        <translation>Compressed pushes (deflate: less bandwidth, a little more CPU)</translation>
    </message>
    <message>
        <source>Sign in with:</source>
        <translation>Sign in with:</translation>
    </message>
    <message>
        <source>Admin token (JWT)</source>
        <translation>Admin token (JWT)</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API key</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API key:</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Remember the token on this computer (stored unencrypted in the settings file)</source>
        <translation>Remember the token on this computer (stored unencrypted in the settings file)</translation>
    </message>
    <message>
        <source>Remember the API key on this computer (stored unencrypted in the settings file)</source>
        <translation>Remember the API key on this computer (stored unencrypted in the settings file)</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connect</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(none yet)</translation>
    </message>
    <message>
        <source>token</source>
        <translation>token</translation>
    </message>
    <message>
        <source>Enter a ws:// or wss:// URL with a host, e.g. ws://127.0.0.1:8765/ws</source>
        <translation>Enter a ws:// or wss:// URL with a host, e.g. ws://127.0.0.1:8765/ws</translation>
    </message>
    <message>
        <source>An admin token or API key is required for the admin requests.</source>
        <translation>An admin token or API key is required for the admin requests.</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConnectionStatusWidget</name>
    <message>
        <source>close code %1</source>
        <translation>close code %1</translation>
    </message>
    <message>
        <source>%1 (close code %2)</source>
        <translation>%1 (close code %2)</translation>
    </message>
    <message>
        <source>the server could not be reached</source>
        <translation>the server could not be reached</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>Disconnected from %1</source>
        <translation>Disconnected from %1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connecting to %1…</translation>
    </message>
    <message>
        <source>Authenticating with %1…</source>
        <translation>Authenticating with %1…</translation>
    </message>
    <message>
        <source>Connected to %1 as %2 (%3), but this account is not an admin: %4</source>
        <translation>Connected to %1 as %2 (%3), but this account is not an admin: %4</translation>
    </message>
    <message>
        <source>Connected to %1 as %2 (%3)</source>
        <translation>Connected to %1 as %2 (%3)</translation>
    </message>
    <message>
        <source>Connection lost: %1. Reconnecting in %2 s (attempt %3)…</source>
        <translation>Connection lost: %1. Reconnecting in %2 s (attempt %3)…</translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation>Connection failed: %1</translation>
    </message>
    <message>
        <source>RTT %1 ms</source>
        <translation>RTT %1 ms</translation>
    </message>
    <message>
        <source>Connected to %1, node %4, as %2 (%3)</source>
        <translation>Connected to %1, node %4, as %2 (%3)</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConnectionTableModel</name>
    <message>
        <source>%1 (this console)</source>
        <translation>%1 (this console)</translation>
    </message>
    <message>
        <source>(not authenticated)</source>
        <translation>(not authenticated)</translation>
    </message>
    <message>
        <source>Connection %1 from %2
Connected at %3
Subscriptions: %4
Buffered: %5, unacknowledged: %6</source>
        <translation>Connection %1 from %2
Connected at %3
Subscriptions: %4
Buffered: %5, unacknowledged: %6</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Remote address</source>
        <translation>Remote address</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>Connected since</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>Subscriptions</translation>
    </message>
    <message>
        <source>Messages in</source>
        <translation>Messages in</translation>
    </message>
    <message>
        <source>Messages out</source>
        <translation>Messages out</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>Queue depth</translation>
    </message>
    <message>
        <source>authenticated</source>
        <translation>authenticated</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>connected</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>closing</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConnectionsPage</name>
    <message>
        <source>Connection %1 was disconnected.</source>
        <translation>Connection %1 was disconnected.</translation>
    </message>
    <message>
        <source>Disconnect failed: %1 (%2)</source>
        <translation>Disconnect failed: %1 (%2)</translation>
    </message>
    <message>
        <source>Filter by ID, user, role, address or channel…</source>
        <translation>Filter by ID, user, role, address or channel…</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>Sent to the client with the close frame (optional)</source>
        <translation>Sent to the client with the close frame (optional)</translation>
    </message>
    <message>
        <source>Disconnect…</source>
        <translation>Disconnect…</translation>
    </message>
    <message>
        <source>Copy connection ID</source>
        <translation>Copy connection ID</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s)</source>
        <translation>
            <numerusform>%n connection</numerusform>
            <numerusform>%n connections</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n connection(s)</source>
        <translation>
            <numerusform>%1 of %n connection</numerusform>
            <numerusform>%1 of %n connections</numerusform>
        </translation>
    </message>
    <message>
        <source>Refreshed %1</source>
        <translation>Refreshed %1</translation>
    </message>
    <message>
        <source>Disconnect clients</source>
        <translation>Disconnect clients</translation>
    </message>
    <message numerus="yes">
        <source>Disconnect %n connection(s)?</source>
        <translation>
            <numerusform>Disconnect %n connection?</numerusform>
            <numerusform>Disconnect %n connections?</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection IDs: %1
Reason: %2
Clients that reconnect by themselves will come back.</source>
        <translation>Connection IDs: %1
Reason: %2
Clients that reconnect by themselves will come back.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Disconnect</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Not connected: nothing was sent.</source>
        <translation>Not connected: nothing was sent.</translation>
    </message>
    <message>
        <source>Disconnecting %1…</source>
        <translation>Disconnecting %1…</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConsoleController</name>
    <message>
        <source>The connection closed before the server replied.</source>
        <translation>The connection closed before the server replied.</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConsoleOptions</name>
    <message>
        <source>QuantPush admin console: live statistics, connections, broadcasts, message inspector and alerts of a QuantPush server.</source>
        <translation>QuantPush admin console: live statistics, connections, broadcasts, message inspector and alerts of a QuantPush server.</translation>
    </message>
    <message>
        <source>Connect to this server at start, e.g. ws://127.0.0.1:8765/ws.</source>
        <translation>Connect to this server at start, e.g. ws://127.0.0.1:8765/ws.</translation>
    </message>
    <message>
        <source>url</source>
        <translation>url</translation>
    </message>
    <message>
        <source>Admin JWT for --url (or set QUANTPUSH_TOKEN, which stays out of the process list).</source>
        <translation>Admin JWT for --url (or set QUANTPUSH_TOKEN, which stays out of the process list).</translation>
    </message>
    <message>
        <source>jwt</source>
        <translation>jwt</translation>
    </message>
    <message>
        <source>Admin API key for --url (or set QUANTPUSH_API_KEY).</source>
        <translation>Admin API key for --url (or set QUANTPUSH_API_KEY).</translation>
    </message>
    <message>
        <source>key</source>
        <translation>key</translation>
    </message>
    <message>
        <source>Accept self-signed TLS certificates (testing only).</source>
        <translation>Accept self-signed TLS certificates (testing only).</translation>
    </message>
    <message>
        <source>Ask for compressed pushes (deflate).</source>
        <translation>Ask for compressed pushes (deflate).</translation>
    </message>
    <message>
        <source>User interface language for this run: en or zh_CN.</source>
        <translation>User interface language for this run: en or zh_CN.</translation>
    </message>
    <message>
        <source>code</source>
        <translation>code</translation>
    </message>
    <message>
        <source>Page to open: %1.</source>
        <translation>Page to open: %1.</translation>
    </message>
    <message>
        <source>page</source>
        <translation>page</translation>
    </message>
    <message>
        <source>Once connected, publish the composer&apos;s template for this channel (for scripted demonstrations).</source>
        <translation>Once connected, publish the composer&apos;s template for this channel (for scripted demonstrations).</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>channel</translation>
    </message>
    <message>
        <source>Once connected, show this channel in the inspector.</source>
        <translation>Once connected, show this channel in the inspector.</translation>
    </message>
    <message>
        <source>Unknown page &quot;%1&quot;; use one of: %2.</source>
        <translation>Unknown page &quot;%1&quot;; use one of: %2.</translation>
    </message>
    <message>
        <source>Unknown channel &quot;%1&quot;.</source>
        <translation>Unknown channel &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>--url must be a ws:// or wss:// URL with a host.</source>
        <translation>--url must be a ws:// or wss:// URL with a host.</translation>
    </message>
</context>
<context>
    <name>QuantPush::DashboardPage</name>
    <message>
        <source>Window:</source>
        <translation>Window:</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 minute</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 minutes</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 minutes</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
    <message>
        <source>Peak connections</source>
        <translation>Peak connections</translation>
    </message>
    <message>
        <source>Messages out / s</source>
        <translation>Messages out / s</translation>
    </message>
    <message>
        <source>Errors / s</source>
        <translation>Errors / s</translation>
    </message>
    <message>
        <source>Server CPU</source>
        <translation>Server CPU</translation>
    </message>
    <message>
        <source>Server memory</source>
        <translation>Server memory</translation>
    </message>
    <message>
        <source>Open connections</source>
        <translation>Open connections</translation>
    </message>
    <message>
        <source>Throughput (messages per second)</source>
        <translation>Throughput (messages per second)</translation>
    </message>
    <message>
        <source>Throughput of %1 (messages per second)</source>
        <translation>Throughput of %1 (messages per second)</translation>
    </message>
    <message>
        <source>Published (in)</source>
        <translation>Published (in)</translation>
    </message>
    <message>
        <source>Delivered (out)</source>
        <translation>Delivered (out)</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <source>Waiting for the first statistics…</source>
        <translation>Waiting for the first statistics…</translation>
    </message>
    <message>
        <source>Updated %1 · server up %2 h %3 min</source>
        <translation>Updated %1 · server up %2 h %3 min</translation>
    </message>
    <message numerus="yes">
        <source>%n subscription(s)</source>
        <translation>
            <numerusform>%n subscription</numerusform>
            <numerusform>%n subscriptions</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 since start</source>
        <translation>%1 since start</translation>
    </message>
    <message>
        <source>in: %1 / s</source>
        <translation>in: %1 / s</translation>
    </message>
    <message>
        <source>p50: %1</source>
        <translation>p50: %1</translation>
    </message>
    <message>
        <source>of one core</source>
        <translation>of one core</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>not reported</translation>
    </message>
    <message>
        <source>resident</source>
        <translation>resident</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <source>Latency p99 (10 s)</source>
        <translation>Latency p99 (10 s)</translation>
    </message>
    <message>
        <source>Bandwidth out / s</source>
        <translation>Bandwidth out / s</translation>
    </message>
    <message>
        <source>Queued frames</source>
        <translation>Queued frames</translation>
    </message>
    <message>
        <source>Delivery latency, last 10 s (ms)</source>
        <translation>Delivery latency, last 10 s (ms)</translation>
    </message>
    <message>
        <source>Delivery latency of %1, last 10 s (ms)</source>
        <translation>Delivery latency of %1, last 10 s (ms)</translation>
    </message>
    <message>
        <source>Bandwidth (bytes per second)</source>
        <translation>Bandwidth (bytes per second)</translation>
    </message>
    <message>
        <source>In</source>
        <translation>In</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>Out</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Queues</translation>
    </message>
    <message>
        <source>Queues (pending: %1)</source>
        <translation>Queues (pending: %1)</translation>
    </message>
    <message>
        <source>Pending messages</source>
        <translation>Pending messages</translation>
    </message>
    <message>
        <source>no deliveries in the last 10 s</source>
        <translation>no deliveries in the last 10 s</translation>
    </message>
    <message>
        <source>p50: %1 · 1 min p99: %2</source>
        <translation>p50: %1 · 1 min p99: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) pending</source>
        <translation>
            <numerusform>%n message pending</numerusform>
            <numerusform>%n messages pending</numerusform>
        </translation>
    </message>
    <message>
        <source>of one core · waiting for a CPU: %1</source>
        <translation>of one core · waiting for a CPU: %1</translation>
    </message>
</context>
<context>
    <name>QuantPush::InspectorModel</name>
    <message>
        <source>%1 (redelivered)</source>
        <translation>%1 (redelivered)</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation>Seq</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Data</translation>
    </message>
</context>
<context>
    <name>QuantPush::InspectorPage</name>
    <message>
        <source>Channel:</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <source>Filters:</source>
        <translation>Filters:</translation>
    </message>
    <message>
        <source>Subscribe</source>
        <translation>Subscribe</translation>
    </message>
    <message>
        <source>Subscribe (or change the filters of) this channel</source>
        <translation>Subscribe (or change the filters of) this channel</translation>
    </message>
    <message>
        <source>Unsubscribe</source>
        <translation>Unsubscribe</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>Follow newest</source>
        <translation>Follow newest</translation>
    </message>
    <message>
        <source>Select a message to see it in full.</source>
        <translation>Select a message to see it in full.</translation>
    </message>
    <message>
        <source>Subscribing to %1 failed: %2 (%3)</source>
        <translation>Subscribing to %1 failed: %2 (%3)</translation>
    </message>
    <message>
        <source>The server skipped seq %1 to %2 for this connection (slow consumer).</source>
        <translation>The server skipped seq %1 to %2 for this connection (slow consumer).</translation>
    </message>
    <message>
        <source>No subscriptions: pick a channel and press Subscribe.</source>
        <translation>No subscriptions: pick a channel and press Subscribe.</translation>
    </message>
    <message>
        <source>Subscribed: %1</source>
        <translation>Subscribed: %1</translation>
    </message>
    <message>
        <source>Inspector connection: live</source>
        <translation>Inspector connection: live</translation>
    </message>
    <message>
        <source>Inspector connection: reconnecting</source>
        <translation>Inspector connection: reconnecting</translation>
    </message>
    <message>
        <source>Inspector connection: failed</source>
        <translation>Inspector connection: failed</translation>
    </message>
    <message>
        <source>Inspector connection: closed</source>
        <translation>Inspector connection: closed</translation>
    </message>
    <message>
        <source>Inspector connection: connecting</source>
        <translation>Inspector connection: connecting</translation>
    </message>
    <message>
        <source>%1 received · %2 / s · showing %3 of at most %4</source>
        <translation>%1 received · %2 / s · showing %3 of at most %4</translation>
    </message>
    <message>
        <source>paused, %1 waiting</source>
        <translation>paused, %1 waiting</translation>
    </message>
    <message>
        <source>%1 older ones dropped</source>
        <translation>%1 older ones dropped</translation>
    </message>
</context>
<context>
    <name>QuantPush::JsonEditor</name>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation>Line %1, column %2: %3</translation>
    </message>
    <message>
        <source>A JSON object is required: {&quot;key&quot;: value, …}</source>
        <translation>A JSON object is required: {&quot;key&quot;: value, …}</translation>
    </message>
    <message>
        <source>Empty: none</source>
        <translation>Empty: none</translation>
    </message>
    <message>
        <source>Empty: a JSON object is required</source>
        <translation>Empty: a JSON object is required</translation>
    </message>
    <message numerus="yes">
        <source>Valid JSON object, %n key(s)</source>
        <translation>
            <numerusform>Valid JSON object, %n key</numerusform>
            <numerusform>Valid JSON object, %n keys</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QuantPush::MainWindow</name>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Connect…</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Disconnect</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;About QuantPush Console</source>
        <translation>&amp;About QuantPush Console</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>Broadcast</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspector</translation>
    </message>
    <message>
        <source>Alerts (%1)</source>
        <translation>Alerts (%1)</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <source>QuantPush Console</source>
        <translation>QuantPush Console</translation>
    </message>
    <message>
        <source>QuantPush Console — %1</source>
        <translation>QuantPush Console — %1</translation>
    </message>
    <message>
        <source>Alert firing: %1, value %2, threshold %3</source>
        <translation>Alert firing: %1, value %2, threshold %3</translation>
    </message>
    <message>
        <source>Alert cleared: %1</source>
        <translation>Alert cleared: %1</translation>
    </message>
    <message>
        <source>Alert %1: %2</source>
        <translation>Alert %1: %2</translation>
    </message>
    <message>
        <source>QuantPush alert</source>
        <translation>QuantPush alert</translation>
    </message>
    <message>
        <source>About QuantPush Console</source>
        <translation>About QuantPush Console</translation>
    </message>
    <message>
        <source>&lt;b&gt;QuantPush Console %1&lt;/b&gt;&lt;p&gt;The admin console of the QuantPush real-time push server: live statistics, connections, broadcasts, a message inspector and alerts.&lt;/p&gt;&lt;p&gt;Licensed under the GNU GPL version 3.&lt;/p&gt;</source>
        <translation>&lt;b&gt;QuantPush Console %1&lt;/b&gt;&lt;p&gt;The admin console of the QuantPush real-time push server: live statistics, connections, broadcasts, a message inspector and alerts.&lt;/p&gt;&lt;p&gt;Licensed under the GNU GPL version 3.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Statistics</translation>
    </message>
</context>
<context>
    <name>QuantPush::NotificationBanner</name>
    <message>
        <source>Show alerts</source>
        <translation>Show alerts</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Dismiss</translation>
    </message>
</context>
<context>
    <name>QuantPush::SettingsDialog</name>
    <message>
        <source>Stored tokens and API keys were removed.</source>
        <translation>Stored tokens and API keys were removed.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>System default (%1)</translation>
    </message>
    <message>
        <source>Applies at once; the --lang option overrides it for one run.</source>
        <translation>Applies at once; the --lang option overrides it for one run.</translation>
    </message>
    <message>
        <source>Dashboard window:</source>
        <translation>Dashboard window:</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 minute</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 minutes</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 minutes</translation>
    </message>
    <message>
        <source>Inspector keeps at most:</source>
        <translation>Inspector keeps at most:</translation>
    </message>
    <message>
        <source> rows</source>
        <translation> rows</translation>
    </message>
    <message>
        <source>Desktop notifications for alerts (when the desktop has a system tray)</source>
        <translation>Desktop notifications for alerts (when the desktop has a system tray)</translation>
    </message>
    <message>
        <source>Forget all stored tokens and API keys</source>
        <translation>Forget all stored tokens and API keys</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>QuantPush::StatisticsPage</name>
    <message>
        <source>How long connections last</source>
        <translation>How long connections last</translation>
    </message>
    <message>
        <source>Open now (age)</source>
        <translation>Open now (age)</translation>
    </message>
    <message>
        <source>Closed since start (duration)</source>
        <translation>Closed since start (duration)</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
    <message>
        <source>By network</source>
        <translation>By network</translation>
    </message>
    <message>
        <source>By role</source>
        <translation>By role</translation>
    </message>
    <message>
        <source>By user</source>
        <translation>By user</translation>
    </message>
    <message>
        <source>Channels: live latency and pending messages</source>
        <translation>Channels: live latency and pending messages</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Network</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>Subscriptions</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>p50, 10 s</source>
        <translation>p50, 10 s</translation>
    </message>
    <message>
        <source>p99, 10 s</source>
        <translation>p99, 10 s</translation>
    </message>
    <message>
        <source>p99, 1 min</source>
        <translation>p99, 1 min</translation>
    </message>
    <message>
        <source>p99, 5 min</source>
        <translation>p99, 5 min</translation>
    </message>
    <message>
        <source>Waiting for the first statistics…</source>
        <translation>Waiting for the first statistics…</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) open, updated %1</source>
        <translation>
            <numerusform>%n connection open, updated %1</numerusform>
            <numerusform>%n connections open, updated %1</numerusform>
        </translation>
    </message>
    <message>
        <source>(not authenticated)</source>
        <translation>(not authenticated)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>&gt; %1</source>
        <translation>&gt; %1</translation>
    </message>
    <message>
        <source>≤ %1</source>
        <translation>≤ %1</translation>
    </message>
    <message>
        <source>Search networks, roles, users, nodes and channels…</source>
        <translation>Search networks, roles, users, nodes and channels…</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Nodes</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Node</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>Last heartbeat</translation>
    </message>
    <message>
        <source>Nodes: not reported by this server</source>
        <translation>Nodes: not reported by this server</translation>
    </message>
    <message>
        <source>%1 (this console&apos;s)</source>
        <translation>%1 (this console&apos;s)</translation>
    </message>
    <message>
        <source>Nodes: one node, nothing shared (no broker)</source>
        <translation>Nodes: one node, nothing shared (no broker)</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>%1 s ago</translation>
    </message>
    <message numerus="yes">
        <source>Nodes on Redis: %n alive; connections in all: %1</source>
        <translation>
            <numerusform>Nodes on Redis: %n alive; connections in all: %1</numerusform>
            <numerusform>Nodes on Redis: %n alive; connections in all: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Redis unavailable (%1): publishes are refused; nodes as last seen</source>
        <translation>Redis unavailable (%1): publishes are refused; nodes as last seen</translation>
    </message>
</context>
</TS>
