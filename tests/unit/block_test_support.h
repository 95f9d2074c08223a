#pragma once
// Shared helpers for the block-layer tests: temporary directories, running the
// real qemu-img, deterministic random data and an in-memory disk model.

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace blocktest {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline Run run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline Run qemuImg(const QStringList& args) {
    return run("qemu-img", args);
}

inline std::vector<uint8_t> readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void writeFile(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// Overwrites bytes at `offset` (the equivalent of iotests' poke_file).
inline void poke(const std::string& path, uint64_t offset, const std::vector<uint8_t>& bytes) {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(std::streamoff(offset));
    f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}
inline void pokeBE32(const std::string& path, uint64_t offset, uint32_t v) {
    poke(path, offset, {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)});
}
inline void pokeBE64(const std::string& path, uint64_t offset, uint64_t v) {
    std::vector<uint8_t> b(8);
    for (int i = 0; i < 8; ++i) b[i] = uint8_t(v >> (56 - 8 * i));
    poke(path, offset, b);
}

// Mixed content: compressible text runs, random bytes and zero runs.
inline std::vector<uint8_t> mixedData(size_t size, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> data(size);
    size_t at = 0;
    while (at < size) {
        size_t run = std::min<size_t>(size - at, 512 + rng() % 20000);
        switch (rng() % 3) {
            case 0:
                for (size_t i = 0; i < run; ++i) data[at + i] = uint8_t("tessera qcow2 "[i % 14]);
                break;
            case 1:
                for (size_t i = 0; i < run; ++i) data[at + i] = uint8_t(rng());
                break;
            default:
                break;  // zeros
        }
        at += run;
    }
    return data;
}

// qemu-img's view of the guest disk, as bytes.
inline std::vector<uint8_t> qemuReadAll(const QString& image, const QString& scratchDir,
                                        const QString& format = {}) {
    QString out = scratchDir + "/qemu-readback.raw";
    QStringList args{"convert"};
    if (!format.isEmpty()) args << "-f" << format;
    args << "-O"
         << "raw" << image << out;
    Run r = qemuImg(args);
    if (r.exitCode != 0) qWarning() << "qemu-img convert failed:" << r.err;
    auto bytes = readFile(out.toStdString());
    QFile::remove(out);
    return bytes;
}

}  // namespace blocktest
