#include "core/vm/port_conflicts.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDir>
#include <QFileInfo>

#include "core/net/host_forward.h"
#include "core/vm/run_log.h"
#include "core/vm/vm_library.h"

namespace tessera::vm {

namespace {

// How far past a taken port the free one is looked for.
constexpr int kFreePortSearch = 200;

bool isUdp(const QString& protocol) {
    return protocol.compare(QLatin1String("udp"), Qt::CaseInsensitive) == 0;
}

QString listenAddress(const PortForward& forward) {
    const auto parsed = net::parseListenAddress(forward.hostAddress.toStdString());
    return parsed ? QString::fromStdString(*parsed) : QString();
}

// 0.0.0.0 takes the port on every address, so it collides with any of them.
bool addressesOverlap(const QString& a, const QString& b) {
    return a == b || a == QLatin1String("0.0.0.0") || b == QLatin1String("0.0.0.0");
}

}  // namespace

QString portHolder(const PortForward& forward, const VmBundle& self) {
    const QString address = listenAddress(forward);
    const QString root = QFileInfo(self.directory()).absolutePath();
    for (const VmEntry& other : VmLibrary(root).scan()) {
        if (!other.config || QFileInfo(other.bundle.directory()) == QFileInfo(self.directory())) continue;
        bool forwardsIt = false;
        for (const NetworkInterface& nic : other.config->nics)
            for (const PortForward& theirs : nic.forwards)
                forwardsIt |= theirs.hostPort == forward.hostPort &&
                              isUdp(theirs.protocol) == isUdp(forward.protocol) &&
                              addressesOverlap(listenAddress(theirs), address);
        if (forwardsIt && RunLog::isRunning(other.bundle)) return other.displayName();
    }
    return {};
}

bool hostPortFree(const QString& protocol, const QString& address, uint16_t port) {
    sockaddr_in where{};
    where.sin_family = AF_INET;
    where.sin_port = htons(port);
    if (inet_pton(AF_INET, address.toLatin1().constData(), &where.sin_addr) != 1) return false;
    const bool udp = isUdp(protocol);
    const int fd = ::socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    // libslirp's TCP listeners use SO_REUSEADDR, so a port in TIME_WAIT is free for
    // them; for UDP it would also share a port another socket holds, which is the
    // silent conflict this check exists for, so UDP is probed without it.
    const int one = 1;
    if (!udp) (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bool free = ::bind(fd, reinterpret_cast<const sockaddr*>(&where), sizeof where) == 0;
    if (free && !udp) free = ::listen(fd, 1) == 0;
    ::close(fd);
    return free;
}

QList<PortConflict> findPortConflicts(const VmConfig& config, const VmBundle& bundle) {
    QList<PortConflict> conflicts;
    if (config.nics.isEmpty()) return conflicts;
    const QList<PortForward>& forwards = config.nics.first().forwards;
    const auto configuredHere = [&](const QString& protocol, uint16_t port) {
        for (const PortForward& f : forwards)
            if (f.hostPort == port && isUdp(f.protocol) == isUdp(protocol)) return true;
        return false;
    };
    for (int i = 0; i < forwards.size(); ++i) {
        const PortForward& forward = forwards[i];
        const QString address = listenAddress(forward);
        if (address.isEmpty() || forward.hostPort == 0) continue;  // validate() reports those
        if (hostPortFree(forward.protocol, address, forward.hostPort)) continue;
        PortConflict conflict;
        conflict.index = i;
        conflict.forward = forward;
        conflict.holder = portHolder(forward, bundle);
        for (int port = forward.hostPort + 1; port <= 65535 && port <= forward.hostPort + kFreePortSearch;
             ++port) {
            const bool taken = configuredHere(forward.protocol, uint16_t(port)) ||
                               std::any_of(conflicts.begin(), conflicts.end(),
                                           [&](const PortConflict& c) { return c.freePort == port; });
            if (!taken && hostPortFree(forward.protocol, address, uint16_t(port))) {
                conflict.freePort = uint16_t(port);
                break;
            }
        }
        conflicts << conflict;
    }
    return conflicts;
}

QString describePortConflict(const PortConflict& conflict) {
    const PortForward& f = conflict.forward;
    QString text = QStringLiteral("host port %1 (%2 on %3) is in use by %4")
                       .arg(f.hostPort)
                       .arg(f.protocol.toLower(), listenAddress(f),
                            conflict.holder.isEmpty() ? QStringLiteral("another program")
                                                      : QStringLiteral("the VM \"%1\"").arg(conflict.holder));
    if (conflict.freePort) text += QStringLiteral("; port %1 is free").arg(conflict.freePort);
    return text;
}

VmConfig withFreePorts(VmConfig config, const QList<PortConflict>& conflicts) {
    for (const PortConflict& conflict : conflicts)
        if (conflict.freePort && !config.nics.isEmpty() &&
            conflict.index < config.nics.first().forwards.size())
            config.nics.first().forwards[conflict.index].hostPort = conflict.freePort;
    return config;
}

}  // namespace tessera::vm
