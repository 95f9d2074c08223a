#include "core/net/host_forward.h"

#include <arpa/inet.h>

#include <charconv>

namespace tessera::net {

namespace {

Result<uint16_t> parsePort(std::string_view text, std::string_view what, bool allowZero) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > 65535 ||
        (value == 0 && !allowZero))
        return makeError("invalid " + std::string(what) + " port '" + std::string(text) +
                         "' in port forward (expected a number from 1 to 65535)");
    return static_cast<uint16_t>(value);
}

bool isIpv4(const std::string& text) {
    in_addr address{};
    return inet_pton(AF_INET, text.c_str(), &address) == 1;
}

}  // namespace

std::string HostForward::toString() const {
    return std::string(udp ? "udp" : "tcp") + ":" + hostAddress + ":" + std::to_string(hostPort) + "-" +
           guestAddress + ":" + std::to_string(guestPort);
}

Result<HostForward> parseHostForward(std::string_view text) {
    const std::string original(text);
    auto fail = [&](const std::string& why) {
        return makeError("invalid port forward '" + original + "': " + why +
                         " (expected tcp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT, e.g. tcp::2222-:22)");
    };
    if (text.starts_with("hostfwd=")) text.remove_prefix(8);
    HostForward rule;
    if (text.starts_with("tcp:")) {
        text.remove_prefix(4);
    } else if (text.starts_with("udp:")) {
        rule.udp = true;
        text.remove_prefix(4);
    } else if (!text.empty() && text.front() == ':') {
        text.remove_prefix(1);  // protocol omitted: tcp, like QEMU
    } else {
        return fail("the protocol must be tcp or udp");
    }
    const size_t dash = text.find('-');
    if (dash == std::string_view::npos) return fail("missing '-' between host and guest side");
    const std::string_view host = text.substr(0, dash), guest = text.substr(dash + 1);
    const size_t hostColon = host.rfind(':'), guestColon = guest.rfind(':');
    if (hostColon == std::string_view::npos) return fail("missing ':' before the host port");
    if (guestColon == std::string_view::npos) return fail("missing ':' before the guest port");

    if (hostColon > 0) rule.hostAddress = std::string(host.substr(0, hostColon));
    if (!isIpv4(rule.hostAddress)) return fail("host address '" + rule.hostAddress + "' is not an IPv4 address");
    Result<uint16_t> hostPort = parsePort(host.substr(hostColon + 1), "host", false);
    if (!hostPort) return hostPort.error();
    rule.hostPort = *hostPort;

    rule.guestAddress = std::string(guest.substr(0, guestColon));
    if (!rule.guestAddress.empty() && !isIpv4(rule.guestAddress))
        return fail("guest address '" + rule.guestAddress + "' is not an IPv4 address");
    Result<uint16_t> guestPort = parsePort(guest.substr(guestColon + 1), "guest", false);
    if (!guestPort) return guestPort.error();
    rule.guestPort = *guestPort;
    return rule;
}

}  // namespace tessera::net
