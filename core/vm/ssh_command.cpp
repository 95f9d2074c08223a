#include "core/vm/ssh_command.h"

namespace tessera::vm {

namespace {

const PortForward* sshForward(const VmConfig& config) {
    for (const NetworkInterface& nic : config.nics) {
        if (!nic.nat) continue;  // unplugged: nothing reaches the guest
        for (const PortForward& forward : nic.forwards)
            if (forward.protocol == QLatin1String("tcp") && forward.guestPort == 22 && forward.hostPort != 0)
                return &forward;
    }
    return nullptr;
}

}  // namespace

uint16_t sshHostPort(const VmConfig& config) {
    const PortForward* forward = sshForward(config);
    return forward ? forward->hostPort : 0;
}

QString sshCommand(const VmConfig& config) {
    const PortForward* forward = sshForward(config);
    if (!forward) return {};
    QString address = forward->hostAddress;
    if (address.isEmpty() || address == QLatin1String("0.0.0.0"))
        address = QStringLiteral("127.0.0.1");
    else if (address == QLatin1String("::"))
        address = QStringLiteral("::1");
    // config.json's guestUser is checked to be a plain user name (vm_config_json), so no quoting.
    const QString user = config.guestUser.isEmpty() ? QString() : config.guestUser + QLatin1Char('@');
    return QStringLiteral("ssh -p %1 %2%3").arg(forward->hostPort).arg(user, address);
}

}  // namespace tessera::vm
