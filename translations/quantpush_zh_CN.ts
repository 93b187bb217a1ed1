<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QuantPush::AlertModel</name>
    <message>
        <source>firing</source>
        <translation>触发中</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>已解除</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>当前值</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>开始时间</translation>
    </message>
</context>
<context>
    <name>QuantPush::AlertsPage</name>
    <message>
        <source>Clear log</source>
        <translation>清空日志</translation>
    </message>
    <message>
        <source>Empty the list; rules still firing stay counted until they clear</source>
        <translation>清空列表；仍在触发的规则会继续计数，直到解除</translation>
    </message>
    <message numerus="yes">
        <source>No alert rule is firing. Fire and clear events of the server&apos;s alert rules appear here as they happen (%n event(s) logged).</source>
        <translation>
            <numerusform>当前没有触发中的告警规则。服务器告警规则的触发与解除事件会实时显示在这里（已记录 %n 条事件）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) firing: %1</source>
        <translation>
            <numerusform>%n 条规则触发中：%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QuantPush::BroadcastComposer</name>
    <message>
        <source>Channel:</source>
        <translation>频道：</translation>
    </message>
    <message>
        <source>Strategy:</source>
        <translation>策略：</translation>
    </message>
    <message>
        <source>Channel default</source>
        <translation>频道默认</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>优先级：</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>0 to 9, 9 highest; used by the priority_queue strategy</source>
        <translation>0 到 9，9 最高；用于 priority_queue 策略</translation>
    </message>
    <message>
        <source>Load template</source>
        <translation>载入模板</translation>
    </message>
    <message>
        <source>Replace the payload with an example for this channel</source>
        <translation>用该频道的示例替换消息内容</translation>
    </message>
    <message>
        <source>Payload (JSON object):</source>
        <translation>消息内容（JSON 对象）：</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Publish to the channel (Ctrl+Enter)</source>
        <translation>发布到该频道（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Sent this session</source>
        <translation>本次会话已发送</translation>
    </message>
    <message>
        <source>Fix the JSON first: nothing was sent.</source>
        <translation>请先修正 JSON：未发送任何消息。</translation>
    </message>
    <message>
        <source>Not connected: nothing was sent.</source>
        <translation>未连接：未发送任何消息。</translation>
    </message>
    <message>
        <source>Publishing on %1…</source>
        <translation>正在发布到 %1…</translation>
    </message>
    <message numerus="yes">
        <source>Published on %1: seq %2, %n recipient(s).</source>
        <translation>
            <numerusform>已发布到 %1：序号 %2，%n 个接收者。</numerusform>
        </translation>
    </message>
    <message>
        <source>The server refused the message: %1 (%2)</source>
        <translation>服务器拒绝了该消息：%1（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%n subscription(s) on this channel now, latest seq %1</source>
        <translation>
            <numerusform>该频道当前有 %n 个订阅，最新序号 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Send to:</source>
        <translation>发送给：</translation>
    </message>
    <message>
        <source>Every subscriber</source>
        <translation>所有订阅者</translation>
    </message>
    <message>
        <source>Connections with role</source>
        <translation>指定角色的连接</translation>
    </message>
    <message>
        <source>Connections of user</source>
        <translation>指定用户的连接</translation>
    </message>
    <message>
        <source>One session</source>
        <translation>单个会话</translation>
    </message>
    <message>
        <source>Subscribers of the channel receive it; a role, user or session narrows that to those connections (picked from the connection table). Their own subscription filters and account scope still apply.</source>
        <translation>该频道的订阅者会收到消息；选择角色、用户或会话可将范围缩小到这些连接（从连接列表中选取）。订阅者自身的过滤条件和账户范围仍然生效。</translation>
    </message>
    <message>
        <source>Preview recipients</source>
        <translation>预览接收者</translation>
    </message>
    <message>
        <source>Ask the server how many connections would receive this now (nothing is sent)</source>
        <translation>询问服务器现在会有多少个连接收到这条消息（不会发送任何内容）</translation>
    </message>
    <message>
        <source>every subscriber</source>
        <translation>所有订阅者</translation>
    </message>
    <message>
        <source>role %1</source>
        <translation>角色 %1</translation>
    </message>
    <message>
        <source>user %1</source>
        <translation>用户 %1</translation>
    </message>
    <message>
        <source>session %1</source>
        <translation>会话 %1</translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation>正在询问服务器…</translation>
    </message>
    <message numerus="yes">
        <source>Would reach %n connection(s) now</source>
        <translation>
            <numerusform>现在会送达 %n 个连接</numerusform>
        </translation>
    </message>
    <message>
        <source>Preview failed: %1 (%2)</source>
        <translation>预览失败：%1（%2）</translation>
    </message>
</context>
<context>
    <name>QuantPush::BroadcastHistoryModel</name>
    <message>
        <source>channel default</source>
        <translation>频道默认</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>发送中…</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>频道</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>接收者</translation>
    </message>
    <message>
        <source>Payload or error</source>
        <translation>消息内容或错误</translation>
    </message>
    <message>
        <source>To</source>
        <translation>接收者</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConnectDialog</name>
    <message>
        <source>Connect to a QuantPush server</source>
        <translation>连接到 QuantPush 服务器</translation>
    </message>
    <message>
        <source>Recent servers:</source>
        <translation>最近的服务器：</translation>
    </message>
    <message>
        <source>Server URL:</source>
        <translation>服务器地址：</translation>
    </message>
    <message>
        <source>TLS (wss://)</source>
        <translation>TLS（wss://）</translation>
    </message>
    <message>
        <source>Accept self-signed certificates (testing only)</source>
        <translation>接受自签名证书（仅用于测试）</translation>
    </message>
    <message>
        <source>Compressed pushes (deflate: less bandwidth, a little more CPU)</source>
        <translation>压缩推送（deflate：更省带宽，略增 CPU）</translation>
    </message>
    <message>
        <source>Sign in with:</source>
        <translation>登录方式：</translation>
    </message>
    <message>
        <source>Admin token (JWT)</source>
        <translation>管理员令牌（JWT）</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>令牌：</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Remember the token on this computer (stored unencrypted in the settings file)</source>
        <translation>在本机记住令牌（以明文保存在设置文件中）</translation>
    </message>
    <message>
        <source>Remember the API key on this computer (stored unencrypted in the settings file)</source>
        <translation>在本机记住 API 密钥（以明文保存在设置文件中）</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Enter a ws:// or wss:// URL with a host, e.g. ws://127.0.0.1:8765/ws</source>
        <translation>请输入带主机名的 ws:// 或 wss:// 地址，例如 ws://127.0.0.1:8765/ws</translation>
    </message>
    <message>
        <source>An admin token or API key is required for the admin requests.</source>
        <translation>管理请求需要管理员令牌或 API 密钥。</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConnectionStatusWidget</name>
    <message>
        <source>close code %1</source>
        <translation>关闭码 %1</translation>
    </message>
    <message>
        <source>%1 (close code %2)</source>
        <translation>%1（关闭码 %2）</translation>
    </message>
    <message>
        <source>the server could not be reached</source>
        <translation>无法访问服务器</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Disconnected from %1</source>
        <translation>已断开与 %1 的连接</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Authenticating with %1…</source>
        <translation>正在向 %1 进行身份验证…</translation>
    </message>
    <message>
        <source>Connected to %1 as %2 (%3), but this account is not an admin: %4</source>
        <translation>已连接到 %1，用户 %2（%3），但该账户不是管理员：%4</translation>
    </message>
    <message>
        <source>Connected to %1 as %2 (%3)</source>
        <translation>已连接到 %1，用户 %2（%3）</translation>
    </message>
    <message>
        <source>Connection lost: %1. Reconnecting in %2 s (attempt %3)…</source>
        <translation>连接中断：%1。%2 秒后重连（第 %3 次）…</translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation>连接失败：%1</translation>
    </message>
    <message>
        <source>RTT %1 ms</source>
        <translation>往返 %1 毫秒</translation>
    </message>
    <message>
        <source>Connected to %1, node %4, as %2 (%3)</source>
        <translation>已连接到 %1，节点 %4，用户 %2（%3）</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConnectionTableModel</name>
    <message>
        <source>%1 (this console)</source>
        <translation>%1（本控制台）</translation>
    </message>
    <message>
        <source>(not authenticated)</source>
        <translation>（未认证）</translation>
    </message>
    <message>
        <source>Connection %1 from %2
Connected at %3
Subscriptions: %4
Buffered: %5, unacknowledged: %6</source>
        <translation>连接 %1，来自 %2
连接时间 %3
订阅：%4
缓冲：%5，未确认：%6</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Remote address</source>
        <translation>远程地址</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>连接时间</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>订阅</translation>
    </message>
    <message>
        <source>Messages in</source>
        <translation>收到消息</translation>
    </message>
    <message>
        <source>Messages out</source>
        <translation>发出消息</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>队列深度</translation>
    </message>
    <message>
        <source>authenticated</source>
        <translation>已认证</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>正在关闭</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConnectionsPage</name>
    <message>
        <source>Connection %1 was disconnected.</source>
        <translation>连接 %1 已断开。</translation>
    </message>
    <message>
        <source>Disconnect failed: %1 (%2)</source>
        <translation>断开失败：%1（%2）</translation>
    </message>
    <message>
        <source>Filter by ID, user, role, address or channel…</source>
        <translation>按 ID、用户、角色、地址或频道筛选…</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Sent to the client with the close frame (optional)</source>
        <translation>随关闭帧发送给客户端（可选）</translation>
    </message>
    <message>
        <source>Disconnect…</source>
        <translation>断开连接…</translation>
    </message>
    <message>
        <source>Copy connection ID</source>
        <translation>复制连接 ID</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s)</source>
        <translation>
            <numerusform>%n 个连接</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n connection(s)</source>
        <translation>
            <numerusform>%1 / %n 个连接</numerusform>
        </translation>
    </message>
    <message>
        <source>Refreshed %1</source>
        <translation>刷新于 %1</translation>
    </message>
    <message>
        <source>Disconnect clients</source>
        <translation>断开客户端</translation>
    </message>
    <message numerus="yes">
        <source>Disconnect %n connection(s)?</source>
        <translation>
            <numerusform>断开 %n 个连接？</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection IDs: %1
Reason: %2
Clients that reconnect by themselves will come back.</source>
        <translation>连接 ID：%1
原因：%2
会自动重连的客户端将重新连接。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Not connected: nothing was sent.</source>
        <translation>未连接：未发送任何消息。</translation>
    </message>
    <message>
        <source>Disconnecting %1…</source>
        <translation>正在断开 %1…</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConsoleController</name>
    <message>
        <source>The connection closed before the server replied.</source>
        <translation>服务器回复之前连接已关闭。</translation>
    </message>
</context>
<context>
    <name>QuantPush::ConsoleOptions</name>
    <message>
        <source>QuantPush admin console: live statistics, connections, broadcasts, message inspector and alerts of a QuantPush server.</source>
        <translation>QuantPush 管理控制台：QuantPush 服务器的实时统计、连接、广播、消息查看器与告警。</translation>
    </message>
    <message>
        <source>Connect to this server at start, e.g. ws://127.0.0.1:8765/ws.</source>
        <translation>启动时连接到该服务器，例如 ws://127.0.0.1:8765/ws。</translation>
    </message>
    <message>
        <source>url</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Admin JWT for --url (or set QUANTPUSH_TOKEN, which stays out of the process list).</source>
        <translation>用于 --url 的管理员 JWT（或设置 QUANTPUSH_TOKEN 环境变量，不会出现在进程列表中）。</translation>
    </message>
    <message>
        <source>jwt</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Admin API key for --url (or set QUANTPUSH_API_KEY).</source>
        <translation>用于 --url 的管理员 API 密钥（或设置 QUANTPUSH_API_KEY）。</translation>
    </message>
    <message>
        <source>key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Accept self-signed TLS certificates (testing only).</source>
        <translation>接受自签名 TLS 证书（仅用于测试）。</translation>
    </message>
    <message>
        <source>Ask for compressed pushes (deflate).</source>
        <translation>请求压缩推送（deflate）。</translation>
    </message>
    <message>
        <source>User interface language for this run: en or zh_CN.</source>
        <translation>本次运行的界面语言：en 或 zh_CN。</translation>
    </message>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Page to open: %1.</source>
        <translation>打开的页面：%1。</translation>
    </message>
    <message>
        <source>page</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Once connected, publish the composer&apos;s template for this channel (for scripted demonstrations).</source>
        <translation>连接后发布该频道的编辑器模板（用于脚本化演示）。</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>频道</translation>
    </message>
    <message>
        <source>Once connected, show this channel in the inspector.</source>
        <translation>连接后在消息查看器中显示该频道。</translation>
    </message>
    <message>
        <source>Unknown page &quot;%1&quot;; use one of: %2.</source>
        <translation>未知页面“%1”；可用的页面：%2。</translation>
    </message>
    <message>
        <source>Unknown channel &quot;%1&quot;.</source>
        <translation>未知频道“%1”。</translation>
    </message>
    <message>
        <source>--url must be a ws:// or wss:// URL with a host.</source>
        <translation>--url 必须是带主机名的 ws:// 或 wss:// 地址。</translation>
    </message>
</context>
<context>
    <name>QuantPush::DashboardPage</name>
    <message>
        <source>Window:</source>
        <translation>时间窗口：</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 分钟</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 分钟</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>全部频道</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Peak connections</source>
        <translation>峰值连接</translation>
    </message>
    <message>
        <source>Messages out / s</source>
        <translation>每秒发出消息</translation>
    </message>
    <message>
        <source>Errors / s</source>
        <translation>每秒错误</translation>
    </message>
    <message>
        <source>Server CPU</source>
        <translation>服务器 CPU</translation>
    </message>
    <message>
        <source>Server memory</source>
        <translation>服务器内存</translation>
    </message>
    <message>
        <source>Open connections</source>
        <translation>当前连接</translation>
    </message>
    <message>
        <source>Throughput (messages per second)</source>
        <translation>吞吐量（每秒消息数）</translation>
    </message>
    <message>
        <source>Throughput of %1 (messages per second)</source>
        <translation>%1 的吞吐量（每秒消息数）</translation>
    </message>
    <message>
        <source>Published (in)</source>
        <translation>发布（入）</translation>
    </message>
    <message>
        <source>Delivered (out)</source>
        <translation>投递（出）</translation>
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
        <translation>正在等待首份统计数据…</translation>
    </message>
    <message>
        <source>Updated %1 · server up %2 h %3 min</source>
        <translation>更新于 %1 · 服务器已运行 %2 小时 %3 分钟</translation>
    </message>
    <message numerus="yes">
        <source>%n subscription(s)</source>
        <translation>
            <numerusform>%n 个订阅</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 since start</source>
        <translation>启动以来 %1 个</translation>
    </message>
    <message>
        <source>in: %1 / s</source>
        <translation>入：%1 / 秒</translation>
    </message>
    <message>
        <source>p50: %1</source>
        <translation>p50：%1</translation>
    </message>
    <message>
        <source>of one core</source>
        <translation>单核占比</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>未上报</translation>
    </message>
    <message>
        <source>resident</source>
        <translation>常驻内存</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>频道：</translation>
    </message>
    <message>
        <source>Latency p99 (10 s)</source>
        <translation>延迟 p99（10 秒）</translation>
    </message>
    <message>
        <source>Bandwidth out / s</source>
        <translation>每秒出站带宽</translation>
    </message>
    <message>
        <source>Queued frames</source>
        <translation>排队帧数</translation>
    </message>
    <message>
        <source>Delivery latency, last 10 s (ms)</source>
        <translation>投递延迟，最近 10 秒（毫秒）</translation>
    </message>
    <message>
        <source>Delivery latency of %1, last 10 s (ms)</source>
        <translation>%1 的投递延迟，最近 10 秒（毫秒）</translation>
    </message>
    <message>
        <source>Bandwidth (bytes per second)</source>
        <translation>带宽（字节/秒）</translation>
    </message>
    <message>
        <source>In</source>
        <translation>入站</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>出站</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Queues (pending: %1)</source>
        <translation>队列（待发：%1）</translation>
    </message>
    <message>
        <source>Pending messages</source>
        <translation>待发消息</translation>
    </message>
    <message>
        <source>no deliveries in the last 10 s</source>
        <translation>最近 10 秒没有投递</translation>
    </message>
    <message>
        <source>p50: %1 · 1 min p99: %2</source>
        <translation>p50：%1 · 1 分钟 p99：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) pending</source>
        <translation>
            <numerusform>%n 条消息待发</numerusform>
        </translation>
    </message>
    <message>
        <source>of one core · waiting for a CPU: %1</source>
        <translation>单核占比 · 等待 CPU：%1</translation>
    </message>
</context>
<context>
    <name>QuantPush::InspectorModel</name>
    <message>
        <source>%1 (redelivered)</source>
        <translation>%1（重投）</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>频道</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
</context>
<context>
    <name>QuantPush::InspectorPage</name>
    <message>
        <source>Channel:</source>
        <translation>频道：</translation>
    </message>
    <message>
        <source>Filters:</source>
        <translation>过滤条件：</translation>
    </message>
    <message>
        <source>Subscribe</source>
        <translation>订阅</translation>
    </message>
    <message>
        <source>Subscribe (or change the filters of) this channel</source>
        <translation>订阅该频道（或修改其过滤条件）</translation>
    </message>
    <message>
        <source>Unsubscribe</source>
        <translation>取消订阅</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Follow newest</source>
        <translation>跟随最新</translation>
    </message>
    <message>
        <source>Select a message to see it in full.</source>
        <translation>选择一条消息以查看完整内容。</translation>
    </message>
    <message>
        <source>Subscribing to %1 failed: %2 (%3)</source>
        <translation>订阅 %1 失败：%2（%3）</translation>
    </message>
    <message>
        <source>The server skipped seq %1 to %2 for this connection (slow consumer).</source>
        <translation>服务器为该连接跳过了序号 %1 至 %2（慢速消费者）。</translation>
    </message>
    <message>
        <source>No subscriptions: pick a channel and press Subscribe.</source>
        <translation>没有订阅：请选择频道并点击“订阅”。</translation>
    </message>
    <message>
        <source>Subscribed: %1</source>
        <translation>已订阅：%1</translation>
    </message>
    <message>
        <source>Inspector connection: live</source>
        <translation>查看器连接：实时</translation>
    </message>
    <message>
        <source>Inspector connection: reconnecting</source>
        <translation>查看器连接：重连中</translation>
    </message>
    <message>
        <source>Inspector connection: failed</source>
        <translation>查看器连接：失败</translation>
    </message>
    <message>
        <source>Inspector connection: closed</source>
        <translation>查看器连接：已关闭</translation>
    </message>
    <message>
        <source>Inspector connection: connecting</source>
        <translation>查看器连接：连接中</translation>
    </message>
    <message>
        <source>%1 received · %2 / s · showing %3 of at most %4</source>
        <translation>已接收 %1 · %2 / 秒 · 显示 %3 条（最多 %4 条）</translation>
    </message>
    <message>
        <source>paused, %1 waiting</source>
        <translation>已暂停，%1 条待显示</translation>
    </message>
    <message>
        <source>%1 older ones dropped</source>
        <translation>已丢弃 %1 条较早的消息</translation>
    </message>
</context>
<context>
    <name>QuantPush::JsonEditor</name>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation>第 %1 行，第 %2 列：%3</translation>
    </message>
    <message>
        <source>A JSON object is required: {&quot;key&quot;: value, …}</source>
        <translation>需要一个 JSON 对象：{&quot;key&quot;: value, …}</translation>
    </message>
    <message>
        <source>Empty: none</source>
        <translation>空：无</translation>
    </message>
    <message>
        <source>Empty: a JSON object is required</source>
        <translation>空：需要一个 JSON 对象</translation>
    </message>
    <message numerus="yes">
        <source>Valid JSON object, %n key(s)</source>
        <translation>
            <numerusform>有效的 JSON 对象，%n 个键</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QuantPush::MainWindow</name>
    <message>
        <source>&amp;Server</source>
        <translation>服务器(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>连接(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>断开(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;About QuantPush Console</source>
        <translation>关于 QuantPush 控制台(&amp;A)</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>广播</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>消息查看器</translation>
    </message>
    <message>
        <source>Alerts (%1)</source>
        <translation>告警（%1）</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>QuantPush Console</source>
        <translation>QuantPush 控制台</translation>
    </message>
    <message>
        <source>QuantPush Console — %1</source>
        <translation>QuantPush 控制台 — %1</translation>
    </message>
    <message>
        <source>Alert firing: %1, value %2, threshold %3</source>
        <translation>告警触发：%1，当前值 %2，阈值 %3</translation>
    </message>
    <message>
        <source>Alert cleared: %1</source>
        <translation>告警解除：%1</translation>
    </message>
    <message>
        <source>Alert %1: %2</source>
        <translation>告警 %1：%2</translation>
    </message>
    <message>
        <source>QuantPush alert</source>
        <translation>QuantPush 告警</translation>
    </message>
    <message>
        <source>About QuantPush Console</source>
        <translation>关于 QuantPush 控制台</translation>
    </message>
    <message>
        <source>&lt;b&gt;QuantPush Console %1&lt;/b&gt;&lt;p&gt;The admin console of the QuantPush real-time push server: live statistics, connections, broadcasts, a message inspector and alerts.&lt;/p&gt;&lt;p&gt;Licensed under the GNU GPL version 3.&lt;/p&gt;</source>
        <translation>&lt;b&gt;QuantPush 控制台 %1&lt;/b&gt;&lt;p&gt;QuantPush 实时推送服务器的管理控制台：实时统计、连接、广播、消息查看器与告警。&lt;/p&gt;&lt;p&gt;依据 GNU GPL 第 3 版授权。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
</context>
<context>
    <name>QuantPush::NotificationBanner</name>
    <message>
        <source>Show alerts</source>
        <translation>查看告警</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>QuantPush::SettingsDialog</name>
    <message>
        <source>Stored tokens and API keys were removed.</source>
        <translation>已删除保存的令牌和 API 密钥。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>系统默认（%1）</translation>
    </message>
    <message>
        <source>Applies at once; the --lang option overrides it for one run.</source>
        <translation>立即生效；--lang 参数可在单次运行中覆盖此设置。</translation>
    </message>
    <message>
        <source>Dashboard window:</source>
        <translation>仪表盘时间窗口：</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 分钟</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 分钟</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>Inspector keeps at most:</source>
        <translation>消息查看器最多保留：</translation>
    </message>
    <message>
        <source> rows</source>
        <translation> 行</translation>
    </message>
    <message>
        <source>Desktop notifications for alerts (when the desktop has a system tray)</source>
        <translation>告警桌面通知（桌面有系统托盘时）</translation>
    </message>
    <message>
        <source>Forget all stored tokens and API keys</source>
        <translation>删除所有保存的令牌和 API 密钥</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>QuantPush::StatisticsPage</name>
    <message>
        <source>How long connections last</source>
        <translation>连接持续时间</translation>
    </message>
    <message>
        <source>Open now (age)</source>
        <translation>当前打开（已持续）</translation>
    </message>
    <message>
        <source>Closed since start (duration)</source>
        <translation>启动以来已关闭（持续时长）</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接数</translation>
    </message>
    <message>
        <source>By network</source>
        <translation>按网络</translation>
    </message>
    <message>
        <source>By role</source>
        <translation>按角色</translation>
    </message>
    <message>
        <source>By user</source>
        <translation>按用户</translation>
    </message>
    <message>
        <source>Channels: live latency and pending messages</source>
        <translation>频道：实时延迟和待发消息</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>频道</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>订阅数</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待发</translation>
    </message>
    <message>
        <source>p50, 10 s</source>
        <translation>p50，10 秒</translation>
    </message>
    <message>
        <source>p99, 10 s</source>
        <translation>p99，10 秒</translation>
    </message>
    <message>
        <source>p99, 1 min</source>
        <translation>p99，1 分钟</translation>
    </message>
    <message>
        <source>p99, 5 min</source>
        <translation>p99，5 分钟</translation>
    </message>
    <message>
        <source>Waiting for the first statistics…</source>
        <translation>正在等待第一份统计数据…</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) open, updated %1</source>
        <translation>
            <numerusform>%n 个连接打开，更新于 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>(not authenticated)</source>
        <translation>（未认证）</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
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
        <translation>搜索网络、角色、用户、节点和频道…</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>最近心跳</translation>
    </message>
    <message>
        <source>Nodes: not reported by this server</source>
        <translation>节点：此服务器未报告</translation>
    </message>
    <message>
        <source>%1 (this console&apos;s)</source>
        <translation>%1（本控制台所连）</translation>
    </message>
    <message>
        <source>Nodes: one node, nothing shared (no broker)</source>
        <translation>节点：单节点，无共享（无消息代理）</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
    <message numerus="yes">
        <source>Nodes on Redis: %n alive; connections in all: %1</source>
        <translation>
            <numerusform>Redis 上的节点：%n 个存活；连接总数：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Redis unavailable (%1): publishes are refused; nodes as last seen</source>
        <translation>Redis 不可用（%1）：发布被拒绝；节点为最后所见</translation>
    </message>
</context>
</TS>
