#include "core/net/host_forward.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <utility>

namespace tessera::net {

namespace {

// Per HostForwardField: its key in config.json and its name in a sentence.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kFieldNames = {{
    {"protocol", "protocol"},
    {"hostAddress", "host address"},
    {"hostPort", "host port"},
    {"guestAddress", "guest address"},
    {"guestPort", "guest port"},
}};

std::string quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

bool isIpv4(const std::string& text) {
    // inet_pton takes only the four-part dotted decimal form (not "127.1" or
    // "0x7f.1" as inet_aton would), so what was written is what listens.
    in_addr address{};
    return inet_pton(AF_INET, text.c_str(), &address) == 1;
}

// 0 is refused: for a host port it would be a random port nobody can name, and
// a guest port 0 cannot be connected to.
Result<uint16_t> parsePort(std::string_view text) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 1 ||
        value > 65535)
        return makeError(quoted(text) + " is not a port number from 1 to 65535");
    return static_cast<uint16_t>(value);
}

Result<std::string> parseGuestAddress(std::string_view written) {
    const std::string address(written);
    if (address.empty() || isIpv4(address)) return address;
    return makeError(quoted(written) +
                     " is not an IPv4 address; leave it empty for the guest's own address (10.0.2.15)");
}

}  // namespace

std::string HostForward::toString() const {
    return std::string(udp ? "udp" : "tcp") + ":" + hostAddress + ":" + std::to_string(hostPort) + "-" +
           guestAddress + ":" + std::to_string(guestPort);
}

HostForwardFields HostForwardFields::of(const HostForward& rule) {
    return {rule.udp ? "udp" : "tcp", rule.hostAddress, std::to_string(rule.hostPort), rule.guestAddress,
            std::to_string(rule.guestPort)};
}

std::string_view hostForwardFieldKey(HostForwardField field) {
    return kFieldNames.at(static_cast<size_t>(field)).first;
}

std::string_view hostForwardFieldLabel(HostForwardField field) {
    return kFieldNames.at(static_cast<size_t>(field)).second;
}

Result<std::string> parseListenAddress(std::string_view written) {
    if (written.empty() || written == "localhost") return std::string("127.0.0.1");
    const std::string address(written);
    if (isIpv4(address)) return address;
    return makeError(
        quoted(written) +
        " is not an IPv4 address; write 127.0.0.1 (or localhost) to let only this computer connect, "
        "or 0.0.0.0 to let other machines on the network connect too");
}

bool reachableFromOtherMachines(std::string_view listenAddress) {
    return !listenAddress.starts_with("127.");
}

Result<HostForward> validateHostForward(const HostForwardFields& written, HostForwardField* badField) {
    auto fail = [&](HostForwardField field, const Error& error) -> Result<HostForward> {
        if (badField) *badField = field;
        return error;
    };
    HostForward rule;
    if (written.protocol == "udp")
        rule.udp = true;
    else if (!written.protocol.empty() && written.protocol != "tcp")
        return fail(HostForwardField::Protocol, makeError(quoted(written.protocol) + " is not tcp or udp"));

    Result<std::string> host = parseListenAddress(written.hostAddress);
    if (!host) return fail(HostForwardField::HostAddress, host.error());
    rule.hostAddress = *host;
    Result<uint16_t> hostPort = parsePort(written.hostPort);
    if (!hostPort) return fail(HostForwardField::HostPort, hostPort.error());
    rule.hostPort = *hostPort;

    Result<std::string> guest = parseGuestAddress(written.guestAddress);
    if (!guest) return fail(HostForwardField::GuestAddress, guest.error());
    rule.guestAddress = *guest;
    Result<uint16_t> guestPort = parsePort(written.guestPort);
    if (!guestPort) return fail(HostForwardField::GuestPort, guestPort.error());
    rule.guestPort = *guestPort;
    return rule;
}

Result<HostForwardFields> splitHostForward(std::string_view text) {
    const std::string original(text);
    auto fail = [&](const std::string& why) {
        return makeError("invalid port forward '" + original + "': " + why +
                         " (expected tcp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT, e.g. tcp::2222-:22)");
    };
    if (text.starts_with("hostfwd=")) text.remove_prefix(8);
    HostForwardFields fields;
    const size_t protocolEnd = text.find(':');
    if (protocolEnd == std::string_view::npos) return fail("missing ':' after the protocol");
    fields.protocol = std::string(text.substr(0, protocolEnd));  // empty: tcp, like QEMU
    if (fields.protocol != "tcp" && fields.protocol != "udp" && !fields.protocol.empty())
        return fail("the protocol must be tcp or udp");
    text.remove_prefix(protocolEnd + 1);

    // The last '-': the guest side never holds one, so a host name such as
    // "my-laptop" reaches the validator whole and is refused by name.
    const size_t dash = text.rfind('-');
    if (dash == std::string_view::npos) return fail("missing '-' between host and guest side");
    const std::string_view host = text.substr(0, dash), guest = text.substr(dash + 1);
    // The last ':' separates the port, so an IPv6 host address ("::1") reaches
    // the validator whole and is refused there by name.
    const size_t hostColon = host.rfind(':'), guestColon = guest.rfind(':');
    if (hostColon == std::string_view::npos) return fail("missing ':' before the host port");
    if (guestColon == std::string_view::npos) return fail("missing ':' before the guest port");
    fields.hostAddress = std::string(host.substr(0, hostColon));
    fields.hostPort = std::string(host.substr(hostColon + 1));
    fields.guestAddress = std::string(guest.substr(0, guestColon));
    fields.guestPort = std::string(guest.substr(guestColon + 1));
    return fields;
}

Result<HostForward> parseHostForward(std::string_view text) {
    Result<HostForwardFields> fields = splitHostForward(text);
    if (!fields) return fields.error();
    HostForwardField field{};
    Result<HostForward> rule = validateHostForward(*fields, &field);
    if (!rule)
        return makeError("invalid port forward '" + std::string(text) + "': the " +
                         std::string(hostForwardFieldLabel(field)) + " " + rule.message());
    return rule;
}

}  // namespace tessera::net
