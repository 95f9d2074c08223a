// Specification: virtio-net on libslirp gives a guest QEMU-style user
// networking: DHCP hands out 10.0.2.15, TCP to 10.0.2.2 reaches the host's
// loopback, host port forwards reach a guest listener, link state is
// reported in config space with a config-change interrupt and a signal.
// The "guest" is a test driver speaking real packets through real virtqueues.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QSignalSpy>
#include <QtTest>
#include <deque>
#include <functional>
#include <map>

#include "core/devices/virtio_net.h"
#include "guest_packets.h"
#include "virtio_test_driver.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::testing;

namespace {

constexpr Mac kGuestMac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

// A guest network stack in miniature on top of the virtqueue test driver.
struct NetRig {
    NetRig(std::vector<net::HostForward> forwards = {}, bool restricted = false) {
        net::SlirpOptions options;
        options.forwards = std::move(forwards);
        options.restricted = restricted;
        auto created = VirtioNet::create(kGuestMac, options);
        if (!created) qFatal("%s", created.message().c_str());
        nic = std::move(*created);
        mmio = std::make_unique<VirtioMmio>(driver.bus, nic.get());
        driver.attach(mmio.get());
        initialised = driver.initialise(~0ull, 2, 64);
        for (int i = 0; i < 32; ++i) postRxBuffer();
    }

    void postRxBuffer() {
        std::vector<TestBuffer> buffers{TestBuffer::out(2048)};
        const uint16_t head = driver.submit(VirtioNet::kRxQueue, buffers);
        rxBuffers[head] = buffers[0].address;
    }

    void send(const std::vector<uint8_t>& frame) {
        std::vector<uint8_t> withHeader(kVirtioNetHeaderBytes, 0);
        withHeader.insert(withHeader.end(), frame.begin(), frame.end());
        std::vector<TestBuffer> buffers{TestBuffer::in(withHeader)};
        driver.submit(VirtioNet::kTxQueue, buffers);
        driver.takeUsed(VirtioNet::kTxQueue);
    }
    // ARP for the gateway, like a kernel does before its first IP packet.
    bool resolveGateway() {
        send(ethernet(kBroadcastMac, kGuestMac, 0x0806, arp(1, kGuestMac, kGuestIp, {}, kGatewayIp)));
        auto reply = waitFor([](const ParsedFrame& f) { return f.type == 0x0806 && f.arpOperation == 2; });
        if (reply) gatewayMac = reply->arpSenderMac;
        return reply.has_value();
    }
    void sendIp(const std::vector<uint8_t>& packet) { send(ethernet(gatewayMac, kGuestMac, 0x0800, packet)); }

    // Polls slirp and collects frames; answers ARP for the guest like a kernel.
    void pollOnce() {
        nic->poll(std::chrono::milliseconds(5));
        for (const UsedElement& used : driver.takeUsed(VirtioNet::kRxQueue)) {
            const uint64_t address = rxBuffers.at(static_cast<uint16_t>(used.id));
            std::vector<uint8_t> frame = driver.peek(address + kVirtioNetHeaderBytes, used.length - kVirtioNetHeaderBytes);
            postRxBuffer();
            auto parsed = parseFrame(frame);
            if (!parsed) continue;
            if (parsed->type == 0x0806 && parsed->arpOperation == 1 && parsed->arpTargetIp == kGuestIp) {
                send(ethernet(parsed->arpSenderMac, kGuestMac, 0x0806,
                              arp(2, kGuestMac, kGuestIp, parsed->arpSenderMac, parsed->arpSenderIp)));
                continue;
            }
            received.push_back(*parsed);
        }
    }

    // Waits (bounded, not a timing assertion) for a frame matching `match`.
    std::optional<ParsedFrame> waitFor(const std::function<bool(const ParsedFrame&)>& match,
                                       const std::function<void()>& alsoEachRound = {}) {
        for (int round = 0; round < 1000; ++round) {
            for (auto it = received.begin(); it != received.end(); ++it) {
                if (match(*it)) {
                    ParsedFrame found = *it;
                    received.erase(it);
                    return found;
                }
            }
            if (alsoEachRound) alsoEachRound();
            pollOnce();
        }
        return {};
    }

    VirtioTestDriver driver;
    std::unique_ptr<VirtioNet> nic;
    std::unique_ptr<VirtioMmio> mmio;
    bool initialised = false;
    std::map<uint16_t, uint64_t> rxBuffers;
    std::deque<ParsedFrame> received;
    Mac gatewayMac = kBroadcastMac;
};

int listenOnLoopback(uint16_t& port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(fd, 4);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
    return fd;
}

uint16_t freeLoopbackPort() {
    uint16_t port = 0;
    close(listenOnLoopback(port));
    return port;
}

std::vector<uint8_t> bytesOf(const std::string& text) { return {text.begin(), text.end()}; }

}  // namespace

class VirtioNetTest : public QObject {
    Q_OBJECT
private slots:
    void configCarriesMacAndLinkUp() {
        NetRig rig;
        QVERIFY(rig.initialised);
        QVERIFY(rig.driver.features & kVirtioNetFMac);
        QVERIFY(rig.driver.features & kVirtioNetFStatus);
        for (int i = 0; i < 6; ++i) QCOMPARE(rig.mmio->read(0x100 + i, 1), uint64_t{kGuestMac[i]});
        QCOMPARE(rig.mmio->read(0x106, 2), uint64_t{kVirtioNetSLinkUp});
    }

    void dhcpHandsOutTheQemuDefaultAddress() {
        NetRig rig;
        rig.send(ethernet(kBroadcastMac, kGuestMac, 0x0800,
                          udp({0, 0, 0, 0}, {255, 255, 255, 255}, 68, 67, dhcp(1, kGuestMac, 0xabcd))));
        auto offer = rig.waitFor([](const ParsedFrame& f) { return f.protocol == 17 && f.dport == 68; });
        QVERIFY(offer);
        auto offerInfo = parseDhcpReply(offer->payload);
        QVERIFY(offerInfo);
        QCOMPARE(offerInfo->first, uint8_t{2});  // DHCPOFFER
        QCOMPARE(offerInfo->second, kGuestIp);
        QCOMPARE(offer->ipSrc, kGatewayIp);

        rig.send(ethernet(kBroadcastMac, kGuestMac, 0x0800,
                          udp({0, 0, 0, 0}, {255, 255, 255, 255}, 68, 67,
                              dhcp(3, kGuestMac, 0xabcd, kGuestIp, offer->ipSrc))));
        auto ack = rig.waitFor([](const ParsedFrame& f) { return f.protocol == 17 && f.dport == 68; });
        QVERIFY(ack);
        QCOMPARE(parseDhcpReply(ack->payload)->first, uint8_t{5});  // DHCPACK
        QVERIFY(rig.driver.interruptRaises > 0);
    }

    void guestTcpReachesAServerOnHostLoopback() {
        NetRig rig;
        QVERIFY(rig.resolveGateway());

        uint16_t port = 0;
        const int server = listenOnLoopback(port);
        const uint32_t guestIsn = 1000;
        rig.sendIp(tcp(kGuestIp, kGatewayIp, 40000, port, guestIsn, 0, kSyn));
        auto synAck = rig.waitFor([](const ParsedFrame& f) { return f.protocol == 6 && (f.tcpFlags & kSyn); });
        QVERIFY(synAck);
        QCOMPARE(synAck->tcpFlags & (kSyn | kAck), kSyn | kAck);
        QCOMPARE(synAck->ack, guestIsn + 1);
        int connection = -1;
        for (int i = 0; i < 1000 && connection < 0; ++i) {
            connection = accept(server, nullptr, nullptr);
            if (connection < 0) rig.pollOnce();
        }
        QVERIFY(connection >= 0);

        rig.sendIp(tcp(kGuestIp, kGatewayIp, 40000, port, guestIsn + 1, synAck->seq + 1, kAck | kPsh,
                       bytesOf("hello from the guest")));
        char buffer[64] = {};
        ssize_t got = -1;
        fcntl(connection, F_SETFL, O_NONBLOCK);
        for (int i = 0; i < 1000 && got <= 0; ++i) {
            got = recv(connection, buffer, sizeof buffer, 0);
            if (got <= 0) rig.pollOnce();
        }
        QCOMPARE(std::string(buffer, std::max<ssize_t>(got, 0)), std::string("hello from the guest"));

        QCOMPARE(send(connection, "hello from the host", 19, 0), ssize_t{19});
        auto data = rig.waitFor([](const ParsedFrame& f) { return f.protocol == 6 && !f.payload.empty(); });
        QVERIFY(data);
        QCOMPARE(std::string(data->payload.begin(), data->payload.end()), std::string("hello from the host"));
        QCOMPARE(data->ipSrc, kGatewayIp);
        QCOMPARE(data->dport, uint16_t{40000});
        close(connection);
        close(server);
    }

    void restrictedNetworkResetsGuestConnectionsToTheHost() {
        // restrict=on (what the fuzzer uses): slirp's gateway still answers
        // ARP, but a guest SYN to a host listener is refused with a RST and
        // no host connection is ever made.
        NetRig rig({}, /*restricted=*/true);
        QVERIFY(rig.resolveGateway());

        uint16_t port = 0;
        const int server = listenOnLoopback(port);
        rig.sendIp(tcp(kGuestIp, kGatewayIp, 40001, port, 5000, 0, kSyn));
        auto answer = rig.waitFor([](const ParsedFrame& f) { return f.protocol == 6; });
        QVERIFY(answer);
        QVERIFY(answer->tcpFlags & kRst);
        QVERIFY(!(answer->tcpFlags & kSyn));
        rig.pollOnce();
        QCOMPARE(accept(server, nullptr, nullptr), -1);  // non-blocking: nobody connected
        close(server);
    }

    void hostForwardReachesAGuestListenerAndCanBeRemoved() {
        const uint16_t hostPort = freeLoopbackPort();
        auto rule = net::parseHostForward("tcp::" + std::to_string(hostPort) + "-:8080");
        QVERIFY(rule);
        QCOMPARE(rule->hostAddress, std::string("127.0.0.1"));
        NetRig rig;
        QVERIFY(rig.nic->addHostForward(*rule));
        QVERIFY(!rig.nic->addHostForward(*rule));  // the port is now taken: a clear error, no crash

        const int client = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(hostPort);
        ::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address);

        auto syn = rig.waitFor([](const ParsedFrame& f) { return f.protocol == 6 && f.tcpFlags == kSyn; });
        QVERIFY(syn);
        QCOMPARE(syn->dport, uint16_t{8080});
        QCOMPARE(syn->ipDst, kGuestIp);
        rig.gatewayMac = syn->src;
        const uint32_t guestIsn = 5000;
        rig.sendIp(tcp(kGuestIp, syn->ipSrc, 8080, syn->sport, guestIsn, syn->seq + 1, kSyn | kAck));
        auto ack = rig.waitFor([&](const ParsedFrame& f) { return f.protocol == 6 && f.ack == guestIsn + 1; });
        QVERIFY(ack);

        QCOMPARE(::send(client, "ping", 4, MSG_NOSIGNAL), ssize_t{4});
        auto ping = rig.waitFor([](const ParsedFrame& f) { return f.protocol == 6 && !f.payload.empty(); });
        QVERIFY(ping);
        QCOMPARE(std::string(ping->payload.begin(), ping->payload.end()), std::string("ping"));
        rig.sendIp(tcp(kGuestIp, syn->ipSrc, 8080, syn->sport, guestIsn + 1, ping->seq + 4, kAck | kPsh,
                       bytesOf("pong")));
        char buffer[8] = {};
        ssize_t got = -1;
        for (int i = 0; i < 1000 && got <= 0; ++i) {
            got = recv(client, buffer, sizeof buffer, 0);
            if (got <= 0) rig.pollOnce();
        }
        QCOMPARE(std::string(buffer, std::max<ssize_t>(got, 0)), std::string("pong"));
        close(client);

        QCOMPARE(rig.nic->hostForwards().size(), size_t{1});
        QVERIFY(rig.nic->removeHostForward(*rule));
        QVERIFY(rig.nic->hostForwards().empty());
        QVERIFY(!rig.nic->removeHostForward(*rule));
        // Nothing listens on the port any more.
        const int again = socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(::connect(again, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0);
        close(again);
    }

    void linkDownIsReportedToGuestAndUi() {
        NetRig rig;
        QSignalSpy spy(rig.nic.get(), &VirtioNet::linkChanged);
        rig.driver.acknowledgeInterrupts();
        const uint32_t generation = rig.driver.reg(virtio_mmio_reg::kConfigGeneration);
        rig.nic->setLinkUp(false);
        rig.nic->poll(std::chrono::milliseconds(0));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toBool(), false);
        QCOMPARE(rig.mmio->read(0x106, 2), uint64_t{0});
        QVERIFY(rig.driver.reg(virtio_mmio_reg::kInterruptStatus) & kVirtioInterruptConfigChange);
        QVERIFY(rig.driver.reg(virtio_mmio_reg::kConfigGeneration) != generation);
        // With the link down, DHCP gets no answer.
        rig.send(ethernet(kBroadcastMac, kGuestMac, 0x0800,
                          udp({0, 0, 0, 0}, {255, 255, 255, 255}, 68, 67, dhcp(1, kGuestMac, 1))));
        for (int i = 0; i < 20; ++i) rig.pollOnce();
        QVERIFY(rig.received.empty());
        rig.nic->setLinkUp(true);
        rig.nic->poll(std::chrono::milliseconds(0));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(rig.mmio->read(0x106, 2), uint64_t{kVirtioNetSLinkUp});
    }

    void hostForwardRulesParseLikeQemuButBindLoopback() {
        auto rule = net::parseHostForward("hostfwd=tcp::2222-:22");
        QVERIFY(rule);
        QCOMPARE(rule->hostAddress, std::string("127.0.0.1"));
        QCOMPARE(rule->hostPort, uint16_t{2222});
        QCOMPARE(rule->guestPort, uint16_t{22});
        QVERIFY(!rule->udp);
        auto explicitRule = net::parseHostForward("udp:0.0.0.0:5353-10.0.2.15:53");
        QVERIFY(explicitRule);
        QVERIFY(explicitRule->udp);
        QCOMPARE(explicitRule->hostAddress, std::string("0.0.0.0"));
        QCOMPARE(explicitRule->guestAddress, std::string("10.0.2.15"));
        auto localhost = net::parseHostForward("tcp:localhost:2222-:22");
        QVERIFY(localhost);
        QCOMPARE(localhost->hostAddress, std::string("127.0.0.1"));
        for (const char* bad :
             {"tcp:2222-22", "sctp::1-:2", "tcp::99999-:22", "tcp::22-:0", "tcp:nohost:1-:2", "tcp::22:-:22",
              "", "tcp::-:22", "tcp:::1:2222-:22", "tcp:127.1:2222-:22"}) {
            auto parsed = net::parseHostForward(bad);
            QVERIFY2(!parsed, bad);
            QVERIFY(!parsed.message().empty());
        }
        // A refused rule names the field and what to write instead.
        QCOMPARE(
            net::parseHostForward("tcp:::1:2222-:22").message(),
            std::string(
                "invalid port forward 'tcp:::1:2222-:22': the host address \"::1\" is not an IPv4 address; "
                "write 127.0.0.1 (or localhost) to let only this computer connect, or 0.0.0.0 to let "
                "other machines on the network connect too"));
        QCOMPARE(net::parseHostForward("tcp::0-:22").message(),
                 std::string("invalid port forward 'tcp::0-:22': the host port \"0\" is not a port number "
                             "from 1 to 65535"));
        QVERIFY(net::parseHostForward("tcp::22-fe80::1:22").message().find("the guest address \"fe80::1\"") !=
                std::string::npos);
    }

    void macAddressesParseAndDeriveStably() {
        QCOMPARE(*VirtioNet::parseMac("52:54:00:12:34:56"), kGuestMac);
        QVERIFY(!VirtioNet::parseMac("52:54:00:12:34"));
        QVERIFY(!VirtioNet::parseMac("01:00:00:00:00:00"));  // multicast
        QCOMPARE(VirtioNet::macFromSeed("vm-a"), VirtioNet::macFromSeed("vm-a"));
        QVERIFY(VirtioNet::macFromSeed("vm-a") != VirtioNet::macFromSeed("vm-b"));
        QCOMPARE(VirtioNet::macFromSeed("x")[0], uint8_t{0x52});
    }

    void oversizedTransmitIsDroppedNotFatal() {
        NetRig rig;
        std::vector<TestBuffer> buffers{TestBuffer::in(std::vector<uint8_t>(70000, 0))};
        rig.driver.submit(VirtioNet::kTxQueue, buffers);
        QCOMPARE(rig.driver.takeUsed(VirtioNet::kTxQueue).size(), size_t{1});
        QVERIFY(!rig.driver.needsReset());
    }
};

QTEST_MAIN(VirtioNetTest)
#include "virtio_net_test.moc"
