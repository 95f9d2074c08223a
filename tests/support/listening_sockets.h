#pragma once
// What actually listens on a host port, read back from the kernel rather than
// from any configuration: the exposure tests ask this after each way of setting
// up a port forward.
//
// listeningAddresses() reads /proc/net/tcp and /proc/net/tcp6 (or udp/udp6) of
// this process's network namespace, as `ss -ltn` does: local_address is
// "HEX_ADDRESS:HEX_PORT", IPv4 as one 32-bit word and IPv6 as four, each printed
// in host byte order; state 0A is TCP_LISTEN, 07 (TCP_CLOSE) an unconnected UDP socket.

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tessera::testing {

// "127.0.0.1", "0.0.0.0", "::" … for each socket listening on `port`, sorted.
inline std::vector<std::string> listeningAddresses(uint16_t port, bool udp = false) {
    std::vector<std::string> found;
    for (const bool ipv6 : {false, true}) {
        std::ifstream table(std::string("/proc/net/") + (udp ? "udp" : "tcp") + (ipv6 ? "6" : ""));
        std::string line;
        std::getline(table, line);  // header
        while (std::getline(table, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state;
            fields >> slot >> local >> remote >> state;
            const size_t colon = local.find(':');
            if (colon == std::string::npos) continue;
            if (std::stoul(local.substr(colon + 1), nullptr, 16) != port) continue;
            if (state != (udp ? "07" : "0A")) continue;
            const std::string hex = local.substr(0, colon);
            char text[INET6_ADDRSTRLEN] = {};
            if (!ipv6) {
                in_addr address{};
                address.s_addr = static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
                inet_ntop(AF_INET, &address, text, sizeof text);
            } else {
                in6_addr address{};
                for (int word = 0; word < 4; ++word) {
                    const uint32_t value =
                        static_cast<uint32_t>(std::stoul(hex.substr(word * 8, 8), nullptr, 16));
                    std::memcpy(address.s6_addr + word * 4, &value, 4);
                }
                inet_ntop(AF_INET6, &address, text, sizeof text);
            }
            found.emplace_back(text);
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

inline std::string describe(const std::vector<std::string>& addresses) {
    if (addresses.empty()) return "nothing";
    std::string text;
    for (const std::string& a : addresses) text += (text.empty() ? "" : ", ") + a;
    return text;
}

// An IPv4 address of this machine outside 127.0.0.0/8 (eth0's, say): where
// another machine would connect. Empty on a host with loopback only.
inline std::optional<std::string> nonLoopbackAddress() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return std::nullopt;
    std::optional<std::string> found;
    for (ifaddrs* entry = list; entry && !found; entry = entry->ifa_next) {
        if (!entry->ifa_addr || entry->ifa_addr->sa_family != AF_INET) continue;
        const auto* address = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr);
        if ((ntohl(address->sin_addr.s_addr) >> 24) == 127) continue;
        char text[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &address->sin_addr, text, sizeof text);
        found = text;
    }
    freeifaddrs(list);
    return found;
}

// Whether a TCP connection to address:port is accepted (by the kernel's backlog).
inline bool acceptsTcp(const std::string& address, uint16_t port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in target{};
    target.sin_family = AF_INET;
    target.sin_port = htons(port);
    inet_pton(AF_INET, address.c_str(), &target.sin_addr);
    const bool connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&target), sizeof target) == 0;
    close(fd);
    return connected;
}

// A port nothing uses right now (bound on 0.0.0.0 and released, so it is free on every address).
// Never the same port twice in one test process: a released port may come straight back from the
// kernel, and a test that asks for several ports at once needs them distinct.
inline uint16_t freePort(bool udp = false) {
    static std::set<uint16_t> handedOut;
    for (;;) {
        const int fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        socklen_t length = sizeof address;
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
        close(fd);
        const uint16_t port = ntohs(address.sin_port);
        if (handedOut.insert(port).second) return port;
    }
}

}  // namespace tessera::testing
