#include "client/CloseReason.h"

namespace QuantPush {

CloseReason CloseReason::fromQt(int qtCode, const QString &qtReason, bool welcomed)
{
    // Qt formats its reason after overwriting the code, so the rewritten
    // close says "1002" in every translation; a 1002 Qt raised itself (a bad
    // opcode, say) does not.
    if (qtCode == ProtocolError && !welcomed && qtReason.contains(QLatin1String("1002")))
        return {TryAgainLater, QStringLiteral("server full, try again later")};
    return {qtCode, qtReason};
}

} // namespace QuantPush
