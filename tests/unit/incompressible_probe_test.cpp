// Specification: the probe that lets convert skip zlib only on clusters that
// deflate could not make smaller either, so skipping never enlarges the output.

#include "core/block/incompressible_probe.h"

#include <QtTest>
#include <random>
#include <vector>

#include "core/block/qcow2_compress.h"

using namespace tessera::block;

namespace {

std::vector<uint8_t> randomBytes(size_t size, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> bytes(size);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    return bytes;
}

std::vector<uint8_t> text(size_t size) {
    std::vector<uint8_t> bytes(size);
    const char* line = "Dec 28 12:00:00 host sshd[4242]: Accepted publickey for user\n";
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(line[i % 62]);
    return bytes;
}

bool zlibShrinks(const std::vector<uint8_t>& cluster) {
    return qcow2::compressCluster(qcow2::CompressionType::Zlib, cluster).has_value();
}

}  // namespace

class IncompressibleProbeTest : public QObject {
    Q_OBJECT
private slots:
    void randomClustersAreSkippedAndZlibAgrees() {
        for (size_t size : {16384u, 65536u, 2u << 20}) {
            auto cluster = randomBytes(size, static_cast<unsigned>(size));
            QVERIFY(clearlyIncompressible(cluster));
            QVERIFY(!zlibShrinks(cluster));
        }
    }
    void textZerosAndMixedClustersGoToZlib() {
        QVERIFY(!clearlyIncompressible(text(65536)));
        QVERIFY(!clearlyIncompressible(std::vector<uint8_t>(65536, 0)));
        auto mixed = randomBytes(65536, 7);
        auto lines = text(2048);
        std::copy(lines.begin(), lines.end(), mixed.begin() + 30000);  // 3 % text inside random data
        QVERIFY(!clearlyIncompressible(mixed));
        QVERIFY(zlibShrinks(mixed));
    }
    void repeatsWithinDeflatesWindowAreNotSkipped() {
        // Random bytes repeated 2 KiB later: flat histogram, but deflate's 4 KiB
        // window finds the copies, so the probe must let zlib see it.
        auto cluster = randomBytes(65536, 9);
        for (size_t at = 2048; at < cluster.size(); at += 4096)
            std::copy(cluster.begin() + at - 2048, cluster.begin() + at, cluster.begin() + at);
        QVERIFY(zlibShrinks(cluster));
        QVERIFY(!clearlyIncompressible(cluster));
    }
    void smallClustersAreNeverJudged() { QVERIFY(!clearlyIncompressible(randomBytes(4096, 3))); }
};

QTEST_APPLESS_MAIN(IncompressibleProbeTest)
#include "incompressible_probe_test.moc"
