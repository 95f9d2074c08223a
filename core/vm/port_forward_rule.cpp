#include "core/vm/port_forward_rule.h"

namespace tessera::vm {

net::HostForwardFields fieldsOf(const PortForward& forward) {
    return {forward.protocol.toStdString(), forward.hostAddress.toStdString(),
            std::to_string(forward.hostPort), forward.guestAddress.toStdString(),
            std::to_string(forward.guestPort)};
}

Result<net::HostForward> hostForwardFor(const PortForward& forward, const QString& where) {
    net::HostForwardField field{};
    Result<net::HostForward> rule = net::validateHostForward(fieldsOf(forward), &field);
    if (!rule)
        return makeError(where.toStdString() + "." + std::string(net::hostForwardFieldKey(field)) + ": " +
                         rule.message());
    return rule;
}

}  // namespace tessera::vm
