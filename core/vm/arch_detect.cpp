#include "core/vm/arch_detect.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QtEndian>
#include <algorithm>

#include "core/vm/vm_config.h"
#include "core/vm/vm_tr.h"

namespace tessera::vm {

namespace {

struct MachineRow {
    uint32_t id;
    const char* arch;
};

// ELF e_machine values (System V gABI, "Machine" table; RISC-V psABI: EM_RISCV = 243).
constexpr MachineRow kElfMachines[] = {
    {0xF3, "riscv"}, {0xB7, "aarch64"}, {0x28, "arm"}, {0x3E, "x86_64"}, {0x03, "i386"},
    {0x14, "ppc"},   {0x15, "ppc64"},   {0x08, "mips"}, {0x16, "s390x"}, {0x2B, "sparc64"}, {0x04, "m68k"},
};
// PE/COFF IMAGE_FILE_MACHINE_* (Microsoft PE format specification, "Machine Types").
constexpr MachineRow kPeMachines[] = {
    {0x5064, "riscv64"}, {0x5032, "riscv32"}, {0xAA64, "aarch64"}, {0x01C0, "arm"}, {0x01C2, "arm"},
    {0x8664, "x86_64"},  {0x014C, "i386"},    {0x01F0, "ppc"},
};
// UEFI spec 3.5.1.1 "Removable Media Boot Behavior": default loader names per architecture.
constexpr struct { const char* file; const char* arch; } kEfiLoaders[] = {
    {"BOOTRISCV64.EFI", "riscv64"}, {"BOOTAA64.EFI", "aarch64"}, {"BOOTARM.EFI", "arm"},
    {"BOOTX64.EFI", "x86_64"},      {"BOOTIA32.EFI", "i386"},
};
// Words distributions put into ISO volume labels and file names.
constexpr struct { const char* word; const char* arch; } kNameWords[] = {
    {"riscv64", "riscv64"}, {"rv64", "riscv64"}, {"arm64", "aarch64"}, {"aarch64", "aarch64"},
    {"armhf", "arm"},       {"ppc64el", "ppc64"}, {"ppc64le", "ppc64"}, {"ppc64", "ppc64"},
    {"powerpc", "ppc"},     {"ppc", "ppc"},       {"amd64", "x86_64"},  {"x86_64", "x86_64"},
    {"x64", "x86_64"},      {"i386", "i386"},     {"i686", "i386"},     {"s390x", "s390x"},
};

QString lookup(const MachineRow* begin, const MachineRow* end, uint32_t id) {
    for (auto* row = begin; row != end; ++row)
        if (row->id == id) return QLatin1String(row->arch);
    return {};
}

QByteArray readAt(QFile& file, qint64 offset, qint64 length) {
    if (!file.seek(offset)) return {};
    return file.read(length);
}

ArchGuess fromElf(const QByteArray& head) {
    // ELF header: e_ident[EI_CLASS]=4 (1=32, 2=64 bit), [EI_DATA]=5 (1=LE, 2=BE), e_machine at 18.
    if (head.size() < 20) return {};
    const bool bigEndian = head[5] == 2;
    const auto* p = reinterpret_cast<const uchar*>(head.constData()) + 18;
    const uint16_t machine = bigEndian ? qFromBigEndian<quint16>(p) : qFromLittleEndian<quint16>(p);
    QString arch = lookup(std::begin(kElfMachines), std::end(kElfMachines), machine);
    if (arch == QLatin1String("riscv")) arch = head[4] == 2 ? QStringLiteral("riscv64") : QStringLiteral("riscv32");
    if (arch == QLatin1String("mips") && !bigEndian && head[4] == 2) arch = QStringLiteral("mips64el");
    if (arch.isEmpty()) return {QString(), tr("ELF file for an unknown machine (e_machine %1)").arg(machine), true};
    return {arch, tr("ELF executable for %1").arg(architectureLabel(arch)), true};
}

ArchGuess fromLinuxImage(const QByteArray& head) {
    // Documentation/arch/riscv/boot-image-header.rst: magic2 "RSC\x05" at 56 (magic "RISCV\0\0\0" at 48).
    // Documentation/arch/arm64/booting.rst: magic "ARM\x64" at 56.
    if (head.size() < 64) return {};
    const QByteArray magic = head.mid(56, 4);
    if (magic == QByteArray("RSC\x05", 4) || head.mid(48, 5) == "RISCV")
        return {QStringLiteral("riscv64"), tr("Linux kernel Image for RISC-V"), true};
    if (magic == QByteArray("ARM\x64", 4)) return {QStringLiteral("aarch64"), tr("Linux kernel Image for ARM64"), true};
    return {};
}

ArchGuess fromPe(QFile& file, const QByteArray& head) {
    // MZ stub: e_lfanew at 0x3c points at "PE\0\0", then COFF Machine (u16 LE).
    if (head.size() < 0x40) return {};
    const uint32_t peOffset = qFromLittleEndian<quint32>(head.constData() + 0x3c);
    if (peOffset > (1u << 20)) return {};
    const QByteArray pe = readAt(file, peOffset, 6);
    if (pe.size() < 6 || !pe.startsWith(QByteArray("PE\0\0", 4))) return {};
    const uint16_t machine = qFromLittleEndian<quint16>(pe.constData() + 4);
    const QString arch = lookup(std::begin(kPeMachines), std::end(kPeMachines), machine);
    if (arch.isEmpty()) return {QString(), tr("PE/EFI program for an unknown machine (0x%1)").arg(machine, 4, 16, QLatin1Char('0')), true};
    return {arch, tr("EFI/PE program for %1").arg(architectureLabel(arch)), true};
}

// One ISO 9660 directory: names (without ";1") and, for subdirectories, their extents.
struct IsoDirEntry {
    QString name;
    bool directory = false;
    uint32_t extent = 0;
    uint32_t size = 0;
};

// Rock Ridge (IEEE P1282, SUSP): the long POSIX name is an "NM" entry in the
// record's system use area. Distribution ISOs carry it; plain ISO 9660 level 1
// would shorten BOOTRISCV64.EFI to 8.3.
QString rockRidgeName(const char* record, int nameLength, int recordLength) {
    int pos = 33 + nameLength + ((nameLength % 2 == 0) ? 1 : 0);
    QString name;
    while (pos + 4 <= recordLength) {
        const int entryLength = uchar(record[pos + 2]);
        if (entryLength < 4 || pos + entryLength > recordLength) break;
        if (record[pos] == 'N' && record[pos + 1] == 'M' && entryLength > 5)
            name += QString::fromUtf8(record + pos + 5, entryLength - 5);
        pos += entryLength;
    }
    return name;
}

QList<IsoDirEntry> readIsoDirectory(QFile& file, uint32_t extent, uint32_t size) {
    QList<IsoDirEntry> entries;
    size = std::min<uint32_t>(size, 64 * 2048);  // a boot tree is small; bound hostile images
    const QByteArray data = readAt(file, qint64(extent) * 2048, size);
    int pos = 0;
    while (pos < data.size()) {
        const int length = uchar(data[pos]);
        if (length == 0) {  // records never cross sectors: skip to the next one (ECMA-119 9.1)
            pos = (pos / 2048 + 1) * 2048;
            continue;
        }
        if (length < 34 || pos + length > data.size()) break;
        const char* record = data.constData() + pos;
        const int nameLength = uchar(record[32]);
        if (33 + nameLength <= length) {
            IsoDirEntry entry;
            entry.extent = qFromLittleEndian<quint32>(record + 2);
            entry.size = qFromLittleEndian<quint32>(record + 10);
            entry.directory = (uchar(record[25]) & 2) != 0;
            entry.name = QString::fromLatin1(record + 33, nameLength).section(QLatin1Char(';'), 0, 0);
            if (entry.name.endsWith(QLatin1Char('.'))) entry.name.chop(1);
            if (nameLength == 1 && (record[33] == 0 || record[33] == 1)) entry.name.clear();  // "." and ".."
            else if (QString rockRidge = rockRidgeName(record, nameLength, length); !rockRidge.isEmpty())
                entry.name = rockRidge;
            if (!entry.name.isEmpty()) entries << entry;
        }
        pos += length;
    }
    return entries;
}

const IsoDirEntry* findEntry(const QList<IsoDirEntry>& entries, const char* name) {
    for (const auto& e : entries)
        if (e.name.compare(QLatin1String(name), Qt::CaseInsensitive) == 0) return &e;
    return nullptr;
}

QString archFromWords(const QString& text) {
    const QString lower = text.toLower();
    for (const auto& w : kNameWords) {
        const QString word = QLatin1String(w.word);
        qsizetype at = lower.indexOf(word);
        while (at >= 0) {
            // Whole words only, so "ppc" does not match inside "appcenter".
            const bool startOk = at == 0 || !lower[at - 1].isLetterOrNumber();
            const qsizetype end = at + word.size();
            const bool endOk = end >= lower.size() || !lower[end].isLetter();
            if (startOk && endOk) return QLatin1String(w.arch);
            at = lower.indexOf(word, at + 1);
        }
    }
    return {};
}

// A disc a PowerPC Mac starts: an Apple partition map (Inside Macintosh:
// Devices, "Driver Descriptor Record" "ER" in block 0, "PM" entries from block
// 1) with an Apple_HFS partition whose HFS+ volume header (Apple TN1150, at 1024
// bytes into the partition) names a blessed system folder in finderInfo[0]
// (xorriso -hfsplus -hfs-bless-by p DIR, as issue 14's boot discs are made).
bool hasBlessedHfsPlus(QFile& file) {
    const QByteArray ddr = readAt(file, 0, 512);
    if (ddr.size() < 512 || !ddr.startsWith("ER")) return false;
    const uint32_t blockSize = qFromBigEndian<quint16>(ddr.constData() + 2);
    if (blockSize < 512 || blockSize > 4096 || (blockSize & (blockSize - 1))) return false;
    const QByteArray first = readAt(file, blockSize, 512);
    if (first.size() < 512 || !first.startsWith("PM")) return false;
    const uint32_t entries =
        std::min<uint32_t>(qFromBigEndian<quint32>(first.constData() + 4), 64);  // bound hostile maps
    for (uint32_t i = 1; i <= entries; ++i) {
        const QByteArray entry = readAt(file, qint64(i) * blockSize, 512);
        if (entry.size() < 512 || !entry.startsWith("PM")) return false;
        if (entry.mid(48, 32).startsWith(QByteArray("Apple_HFS\0", 10))) {
            const qint64 start = qint64(qFromBigEndian<quint32>(entry.constData() + 8)) * blockSize;
            const QByteArray header = readAt(file, start + 1024, 112);
            if (header.size() == 112 && (header.startsWith("H+") || header.startsWith("HX")) &&
                qFromBigEndian<quint32>(header.constData() + 80) != 0)
                return true;
        }
    }
    return false;
}

ArchGuess fromIso(QFile& file) {
    // ECMA-119 8.4: the Primary Volume Descriptor sits in sector 16: type 1, "CD001", volume id at 40.
    const QByteArray pvd = readAt(file, 16 * 2048, 2048);
    if (pvd.size() < 2048 || pvd.mid(1, 5) != "CD001") return {};
    const QString volumeId = QString::fromLatin1(pvd.mid(40, 32)).trimmed();
    const char* root = pvd.constData() + 156;  // root directory record (8.4.18)
    const QList<IsoDirEntry> top = readIsoDirectory(file, qFromLittleEndian<quint32>(root + 2),
                                                    qFromLittleEndian<quint32>(root + 10));
    if (const IsoDirEntry* efi = findEntry(top, "EFI"); efi && efi->directory) {
        const auto efiDir = readIsoDirectory(file, efi->extent, efi->size);
        if (const IsoDirEntry* boot = findEntry(efiDir, "BOOT"); boot && boot->directory) {
            const auto bootDir = readIsoDirectory(file, boot->extent, boot->size);
            for (const auto& loader : kEfiLoaders)
                if (findEntry(bootDir, loader.file))
                    return {QLatin1String(loader.arch), tr("installer disc with the EFI loader %1").arg(QLatin1String(loader.file)), true};
        }
    }
    // Debian/Ubuntu PowerPC discs keep yaboot/GRUB under /ppc with a CHRP bootinfo.txt.
    if (const IsoDirEntry* ppc = findEntry(top, "PPC"); ppc && ppc->directory) {
        const QString arch = archFromWords(volumeId) == QLatin1String("ppc64") ? QStringLiteral("ppc64") : QStringLiteral("ppc");
        return {arch, tr("installer disc with a PowerPC boot folder (/ppc)"), true};
    }
    if (const QString arch = archFromWords(volumeId); !arch.isEmpty())
        return {arch, tr("disc label \"%1\"").arg(volumeId), true};
    if (hasBlessedHfsPlus(file))
        return {QStringLiteral("ppc"), tr("Power Mac boot disc (a blessed HFS+ volume)"), true};
    // El Torito boot record (sector 17), boot catalog validation entry platform id: 0 = x86, 1 = PowerPC, 2 = Mac.
    const QByteArray bootRecord = readAt(file, 17 * 2048, 2048);
    if (bootRecord.size() == 2048 && bootRecord[0] == 0 && bootRecord.mid(7, 23) == "EL TORITO SPECIFICATION") {
        const uint32_t catalog = qFromLittleEndian<quint32>(bootRecord.constData() + 0x47);
        const QByteArray entry = readAt(file, qint64(catalog) * 2048, 32);
        if (entry.size() == 32 && entry[0] == 1) {
            if (entry[1] == 0) return {QStringLiteral("x86_64"), tr("PC (BIOS) bootable disc"), true};
            if (entry[1] == 1 || entry[1] == 2) return {QStringLiteral("ppc"), tr("PowerPC bootable disc"), true};
        }
    }
    return {QString(), tr("CD/DVD image \"%1\" without a recognisable boot loader").arg(volumeId), true};
}

}  // namespace

ArchGuess detectArchitecture(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {QString(), tr("cannot read the file: %1").arg(file.errorString()), false};
    const QByteArray head = file.read(4096);
    ArchGuess guess;
    if (head.startsWith("\x7f" "ELF")) guess = fromElf(head);
    if (guess.arch.isEmpty()) {
        if (ArchGuess image = fromLinuxImage(head); !image.arch.isEmpty()) guess = image;
    }
    if (guess.arch.isEmpty() && head.startsWith("MZ")) {
        if (ArchGuess pe = fromPe(file, head); !pe.arch.isEmpty() || guess.reason.isEmpty()) guess = pe;
    }
    if (guess.arch.isEmpty() && file.size() >= 17 * 2048) {
        if (ArchGuess iso = fromIso(file); !iso.arch.isEmpty() || guess.reason.isEmpty()) guess = iso;
    }
    if (guess.arch.isEmpty()) {
        if (const QString arch = archFromWords(QFileInfo(path).fileName()); !arch.isEmpty())
            return {arch, tr("guessed from the file name only"), false};
    }
    return guess;
}

}  // namespace tessera::vm
