// SPDX-License-Identifier: MIT
#include "canarystatus.h"

#include <QCoreApplication>

QString CanaryStatus::displayName() const
{
    return prefix.isEmpty() ? instance : QString::fromUtf8(prefix) + u' ' + instance;
}

QString canaryStateName(CanaryState state)
{
    switch (state) {
    case CanaryState::Off:
        return QCoreApplication::translate("CanaryStatus", "Off");
    case CanaryState::Connecting:
        return QCoreApplication::translate("CanaryStatus", "Connecting");
    case CanaryState::Ok:
        return QCoreApplication::translate("CanaryStatus", "Ok");
    case CanaryState::Missing:
        return QCoreApplication::translate("CanaryStatus", "Missing");
    case CanaryState::Unreachable:
        return QCoreApplication::translate("CanaryStatus", "Unreachable");
    }
    return {};
}
