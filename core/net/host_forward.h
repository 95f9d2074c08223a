#pragma once
// A host port forward in QEMU's `hostfwd=` syntax:
//   [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT
// and the one validator every way of configuring a forward goes through
// (--nic on the command line, config.json, the GUI's port-forward table, an
// imported QEMU command, the monitor's hostfwd_add), so that they all agree on
// what listens where:
// - no host address, or "localhost": 127.0.0.1, reachable from this computer only;
// - an IPv4 address as written, so 0.0.0.0 (every interface) only when the user wrote it;
// - anything else (IPv6, host names, junk) is an error; never a silent fallback.
// QEMU listens on every interface when HOSTADDR is empty; Tessera does not, so
// a forwarded guest port is never exposed to other machines by accident.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/result.h"

namespace tessera::net {

// A validated rule: both addresses are dotted IPv4 text, both ports 1..65535.
struct HostForward {
    bool udp = false;
    std::string hostAddress = "127.0.0.1";
    uint16_t hostPort = 0;
    std::string guestAddress;  // empty: the guest's DHCP address (10.0.2.15)
    uint16_t guestPort = 0;

    // Back to the textual form, e.g. "tcp:127.0.0.1:2222-:22".
    std::string toString() const;
};

// One rule's fields as a user wrote them, before validation.
struct HostForwardFields {
    std::string protocol;      // "tcp" or "udp"; empty = tcp
    std::string hostAddress;   // empty or "localhost" = 127.0.0.1
    std::string hostPort;      // decimal text
    std::string guestAddress;  // empty = the guest's DHCP address
    std::string guestPort;     // decimal text

    static HostForwardFields of(const HostForward& rule);  // to check a rule again where it is used
};

enum class HostForwardField { Protocol, HostAddress, HostPort, GuestAddress, GuestPort };
// The field's key in config.json ("hostAddress") and its name in a sentence ("host address").
std::string_view hostForwardFieldKey(HostForwardField field);
std::string_view hostForwardFieldLabel(HostForwardField field);

// The one validator. The error message describes the value and what to write
// instead, without naming the field: the caller knows where the value came from
// and prefixes that (e.g. "nics[0].forwards[1].hostAddress: "), using `badField`.
Result<HostForward> validateHostForward(const HostForwardFields& written,
                                        HostForwardField* badField = nullptr);

// The host address rule alone (empty/"localhost" -> 127.0.0.1, IPv4 as written).
Result<std::string> parseListenAddress(std::string_view written);

// Whether other machines can connect to a forward listening on this (valid)
// address: anything outside 127.0.0.0/8.
bool reachableFromOtherMachines(std::string_view listenAddress);

// Splits the textual form into its fields (syntax only; see validateHostForward).
// A leading "hostfwd=" is allowed.
Result<HostForwardFields> splitHostForward(std::string_view text);

// Splits and validates one rule; errors quote the rule and name the field.
Result<HostForward> parseHostForward(std::string_view text);

}  // namespace tessera::net
