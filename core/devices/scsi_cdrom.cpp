#include "core/devices/scsi_cdrom.h"

#include <algorithm>
#include <cstring>

#include "core/block/open_image.h"

namespace tessera::devices {

using namespace scsi;

namespace {

// Operation codes (SPC-4, SBC-3, MMC-6).
enum Opcode : uint8_t {
    kTestUnitReady = 0x00,
    kRequestSense = 0x03,
    kInquiry = 0x12,
    kModeSense6 = 0x1a,
    kStartStopUnit = 0x1b,
    kPreventAllowMediumRemoval = 0x1e,
    kReadCapacity10 = 0x25,
    kRead10 = 0x28,
    kWrite10 = 0x2a,
    kSeek10 = 0x2b,
    kVerify10 = 0x2f,
    kReadToc = 0x43,
    kGetConfiguration = 0x46,
    kGetEventStatusNotification = 0x4a,
    kModeSense10 = 0x5a,
    kReportLuns = 0xa0,
    kRead12 = 0xa8,
    kWrite12 = 0xaa,
    kSetCdSpeed = 0xbb,
};

// Additional sense codes used here (SPC-4 Annex D).
constexpr SenseCode kInvalidOpcode{kSenseIllegalRequest, 0x20, 0x00};
constexpr SenseCode kLbaOutOfRange{kSenseIllegalRequest, 0x21, 0x00};
constexpr SenseCode kInvalidFieldInCdb{kSenseIllegalRequest, 0x24, 0x00};
constexpr SenseCode kMediumRemovalPrevented{kSenseIllegalRequest, 0x53, 0x02};
constexpr SenseCode kMediumMayHaveChanged{kSenseUnitAttention, 0x28, 0x00};
constexpr SenseCode kNoMediumTrayClosed{kSenseNotReady, 0x3a, 0x01};
constexpr SenseCode kNoMediumTrayOpen{kSenseNotReady, 0x3a, 0x02};
constexpr SenseCode kWriteProtected{kSenseDataProtect, 0x27, 0x00};
constexpr SenseCode kUnrecoveredReadError{0x3 /* MEDIUM ERROR */, 0x11, 0x00};

ScsiResult check(SenseCode sense) {
    ScsiResult result;
    result.status = kStatusCheckCondition;
    result.sense = sense;
    return result;
}

ScsiResult good(std::vector<uint8_t> data = {}) {
    ScsiResult result;
    result.data = std::move(data);
    return result;
}

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t* p) { return uint32_t{be16(p)} << 16 | be16(p + 2); }
void put16(std::vector<uint8_t>& out, size_t at, uint16_t v) {
    out[at] = static_cast<uint8_t>(v >> 8);
    out[at + 1] = static_cast<uint8_t>(v);
}
void put32(std::vector<uint8_t>& out, size_t at, uint32_t v) {
    put16(out, at, static_cast<uint16_t>(v >> 16));
    put16(out, at + 2, static_cast<uint16_t>(v));
}
void append(std::vector<uint8_t>& out, std::initializer_list<uint8_t> bytes) { out.insert(out.end(), bytes); }

// Data-in is cut at the CDB's allocation length (SPC-4 §4.2.5.6).
ScsiResult truncated(std::vector<uint8_t> data, size_t allocation) {
    if (data.size() > allocation) data.resize(allocation);
    return good(std::move(data));
}

// Command descriptor block length from the group code (SPC-4 §4.2.5.1).
size_t cdbLength(uint8_t opcode) {
    switch (opcode >> 5) {
        case 0: return 6;
        case 1: case 2: return 10;
        case 4: return 16;
        case 5: return 12;
        default: return 6;
    }
}

// LBA → minutes/seconds/frames with the 2-second lead-in (MMC-6 §6.26.2.3).
void putMsf(std::vector<uint8_t>& out, size_t at, uint32_t lba) {
    const uint32_t frames = lba + 150;
    out[at] = 0;
    out[at + 1] = static_cast<uint8_t>(frames / (60 * 75));
    out[at + 2] = static_cast<uint8_t>((frames / 75) % 60);
    out[at + 3] = static_cast<uint8_t>(frames % 75);
}

}  // namespace

std::vector<uint8_t> ScsiResult::senseBytes() const {
    std::vector<uint8_t> bytes(18, 0);
    bytes[0] = 0x70;  // current error, fixed format
    bytes[2] = sense.key;
    bytes[7] = 10;  // additional sense length
    bytes[12] = sense.asc;
    bytes[13] = sense.ascq;
    return bytes;
}

Status ScsiCdrom::insertMediaFile(const std::string& path) {
    block::OpenOptions options;
    options.readOnly = true;  // a disc is never written
    options.format = block::ImageFormat::Raw;
    auto image = block::openImage(path, options);
    if (!image) return makeError("cannot use CD-ROM image '" + path + "': " + image.message());
    return insertMedia(std::shared_ptr<block::BlockBackend>(std::move(*image)));
}

Status ScsiCdrom::insertMedia(std::shared_ptr<block::BlockBackend> disc) {
    if (!disc) return makeError("no disc image given");
    if (!disc->readOnly())
        return makeError("the CD-ROM image '" + disc->fileName() + "' must be opened read-only");
    const QString name = QString::fromStdString(disc->fileName());
    {
        std::lock_guard lock(mutex_);
        disc_ = std::move(disc);
        trayOpen_ = false;
        // MMC-6 §4.1.7: the initiator learns of the new disc through a unit
        // attention (28h/00h) and a NewMedia event.
        unitAttention_ = true;
        pendingEvent_ = MediaEvent::NewMedia;
    }
    emit mediaChanged(name);
    return {};
}

void ScsiCdrom::settleMedia() {
    std::lock_guard lock(mutex_);
    unitAttention_ = false;
    pendingEvent_ = MediaEvent::None;
}

void ScsiCdrom::ejectMedia() {
    // A host-side eject is the user's explicit choice: it wins over the
    // guest's removal lock (as `eject -f` in QEMU's monitor).
    bool had;
    {
        std::lock_guard lock(mutex_);
        had = disc_ != nullptr;
        disc_.reset();
        trayOpen_ = true;
        if (had) pendingEvent_ = MediaEvent::MediaRemoval;
    }
    if (had) emit mediaEjected();
}

bool ScsiCdrom::hasMedia() const {
    std::lock_guard lock(mutex_);
    return disc_ != nullptr;
}

bool ScsiCdrom::removalPrevented() const {
    std::lock_guard lock(mutex_);
    return locked_;
}

uint64_t ScsiCdrom::blockCount() const { return disc_ ? disc_->size() / kBlockSize : 0; }

ScsiResult ScsiCdrom::notReady() const { return check(trayOpen_ ? kNoMediumTrayOpen : kNoMediumTrayClosed); }

ScsiResult ScsiCdrom::execute(std::span<const uint8_t> cdb, const DataInArea& dataIn) {
    if (cdb.empty()) return check(kInvalidOpcode);
    const uint8_t opcode = cdb[0];
    if (cdb.size() < cdbLength(opcode)) return check(kInvalidFieldInCdb);
    bool ejected = false;
    ScsiResult result;
    {
        std::lock_guard lock(mutex_);
        // SPC-4 §5.14: a pending unit attention fails the next command except
        // INQUIRY, REPORT LUNS, REQUEST SENSE and GET EVENT STATUS NOTIFICATION, and is then cleared.
        const bool reportsAttention = opcode != kInquiry && opcode != kReportLuns && opcode != kRequestSense &&
                                      opcode != kGetEventStatusNotification;
        if (unitAttention_ && reportsAttention) {
            unitAttention_ = false;
            return check(kMediumMayHaveChanged);
        }
        switch (opcode) {
            case kTestUnitReady: result = disc_ ? good() : notReady(); break;
            case kRequestSense: result = requestSense(cdb); break;
            case kInquiry: result = inquiry(cdb); break;
            case kReportLuns: {
                std::vector<uint8_t> data(16, 0);
                put32(data, 0, 8);  // one LUN: 0
                result = truncated(std::move(data), be32(&cdb[6]));
                break;
            }
            case kReadCapacity10: result = readCapacity(); break;
            case kRead10: result = read(be32(&cdb[2]), be16(&cdb[7]), dataIn); break;
            case kRead12: result = read(be32(&cdb[2]), be32(&cdb[6]), dataIn); break;
            case kWrite10:
            case kWrite12: result = check(kWriteProtected); break;
            case kSeek10:
            case kVerify10:
                result = !disc_ ? notReady() : be32(&cdb[2]) >= blockCount() ? check(kLbaOutOfRange) : good();
                break;
            case kReadToc: result = readToc(cdb); break;
            case kModeSense6: result = modeSense(cdb, false); break;
            case kModeSense10: result = modeSense(cdb, true); break;
            case kGetConfiguration: result = getConfiguration(cdb); break;
            case kGetEventStatusNotification: result = getEventStatus(cdb); break;
            case kStartStopUnit: result = startStopUnit(cdb, ejected); break;
            case kPreventAllowMediumRemoval:
                locked_ = cdb[4] & 1;
                result = good();
                break;
            case kSetCdSpeed: result = good(); break;
            default: result = check(kInvalidOpcode); break;
        }
    }
    if (ejected) emit mediaEjected();
    return result;
}

ScsiResult ScsiCdrom::requestSense(std::span<const uint8_t> cdb) {
    ScsiResult current;
    if (unitAttention_) {
        unitAttention_ = false;
        current.sense = kMediumMayHaveChanged;
    } else if (!disc_) {
        current.sense = notReady().sense;
    }
    // REQUEST SENSE itself succeeds; the sense is its data (SPC-4 §6.39).
    return truncated(current.senseBytes(), cdb[4]);
}

ScsiResult ScsiCdrom::inquiry(std::span<const uint8_t> cdb) {
    const size_t allocation = be16(&cdb[3]);
    if (cdb[1] & 1) {  // EVPD: vital product data pages (SPC-4 §7.8)
        std::vector<uint8_t> page = {0x05, cdb[2], 0, 0};
        switch (cdb[2]) {
            case 0x00: append(page, {0x00, 0x80, 0x83}); break;
            case 0x80: append(page, {'T', 'S', 'R', 'A', 'C', 'D', '0'}); break;
            case 0x83: {
                // One T10 vendor ID designator, ASCII.
                const char id[] = "TESSERA CDROM0";
                append(page, {0x02, 0x01, 0x00, static_cast<uint8_t>(sizeof id - 1)});
                page.insert(page.end(), id, id + sizeof id - 1);
                break;
            }
            default: return check(kInvalidFieldInCdb);
        }
        put16(page, 2, static_cast<uint16_t>(page.size() - 4));
        return truncated(std::move(page), allocation);
    }
    if (cdb[2] != 0) return check(kInvalidFieldInCdb);
    // Standard data: peripheral type 05h (CD/DVD), removable, SPC-3, format 2.
    std::vector<uint8_t> data(36, ' ');
    data[0] = 0x05;
    data[1] = 0x80;
    data[2] = 0x05;
    data[3] = 0x02;
    data[4] = 36 - 5;
    data[5] = data[6] = data[7] = 0;
    std::memcpy(&data[8], "TESSERA ", 8);
    std::memcpy(&data[16], "CD-ROM          ", 16);
    std::memcpy(&data[32], "0.1 ", 4);
    return truncated(std::move(data), allocation);
}

ScsiResult ScsiCdrom::readCapacity() {
    if (!disc_) return notReady();
    std::vector<uint8_t> data(8, 0);
    const uint64_t blocks = blockCount();
    put32(data, 0, blocks == 0 ? 0 : static_cast<uint32_t>(std::min<uint64_t>(blocks - 1, 0xffffffff)));
    put32(data, 4, kBlockSize);
    return good(std::move(data));
}

ScsiResult ScsiCdrom::read(uint64_t lba, uint64_t blocks, const DataInArea& dataIn) {
    if (!disc_) return notReady();
    if (lba > blockCount() || blocks > blockCount() - lba) return check(kLbaOutOfRange);
    uint64_t bytes = blocks * kBlockSize;
    ScsiResult result;
    if (bytes > dataIn.length) {
        result.overrun = true;
        bytes = dataIn.length / kBlockSize * kBlockSize;
    }
    if (bytes > 0) {
        if (!dataIn.readInto || !dataIn.readInto(*disc_, lba * kBlockSize, 0, bytes)) return check(kUnrecoveredReadError);
    }
    result.transferred = bytes;
    return result;
}

ScsiResult ScsiCdrom::readToc(std::span<const uint8_t> cdb) {
    if (!disc_) return notReady();
    const bool msf = cdb[1] & 0x02;
    const uint8_t format = cdb[2] & 0x0f;
    const uint8_t track = cdb[6];
    const size_t allocation = be16(&cdb[7]);
    const uint32_t leadOut = static_cast<uint32_t>(std::min<uint64_t>(blockCount(), 0xffffffff));
    auto descriptor = [&](std::vector<uint8_t>& out, uint8_t number, uint32_t lba) {
        const size_t at = out.size();
        out.resize(at + 8, 0);
        out[at + 1] = 0x14;  // ADR 1 (position), control 4 (data track)
        out[at + 2] = number;
        if (msf) putMsf(out, at + 4, lba);
        else put32(out, at + 4, lba);
    };
    std::vector<uint8_t> data(4, 0);
    data[2] = 1;  // first track / session
    data[3] = 1;  // last track / session
    if (format == 0) {  // formatted TOC (MMC-6 §6.26.3.2): track 1 and the lead-out
        if (track > 1 && track != 0xaa) return check(kInvalidFieldInCdb);
        if (track <= 1) descriptor(data, 1, 0);
        descriptor(data, 0xaa, leadOut);
    } else if (format == 1) {  // multi-session information: first track of the last session
        descriptor(data, 1, 0);
    } else {
        return check(kInvalidFieldInCdb);
    }
    put16(data, 0, static_cast<uint16_t>(data.size() - 2));
    return truncated(std::move(data), allocation);
}

ScsiResult ScsiCdrom::modeSense(std::span<const uint8_t> cdb, bool tenByte) {
    const uint8_t pageControl = cdb[2] >> 6;
    const uint8_t page = cdb[2] & 0x3f;
    const size_t allocation = tenByte ? be16(&cdb[7]) : cdb[4];
    if (pageControl == 3) return check({kSenseIllegalRequest, 0x39, 0x00});  // saving parameters not supported
    const bool changeable = pageControl == 1;  // nothing is changeable: all-zero masks
    std::vector<uint8_t> pages;
    auto addErrorRecovery = [&] {
        std::vector<uint8_t> p(12, 0);
        p[0] = 0x01;
        p[1] = 0x0a;
        if (!changeable) p[3] = 5;  // read retry count
        pages.insert(pages.end(), p.begin(), p.end());
    };
    auto addCapabilities = [&] {
        // MM Capabilities and Mechanical Status page (MMC-3 §6.3.11), 2Ah.
        std::vector<uint8_t> p(22, 0);
        p[0] = 0x2a;
        p[1] = 0x14;
        if (!changeable) {
            p[2] = 0x3b;  // reads CD-R, CD-RW, method 2, DVD-ROM, DVD-R, DVD-RAM
            p[4] = 0x71;  // audio play, multi-session, mode 2 form 1/2
            p[5] = 0x60;  // ISRC, UPC
            p[6] = static_cast<uint8_t>(0x29 | (locked_ ? 0x02 : 0));  // tray, eject, lock (+ lock state)
            p[8] = 0x02;
            p[9] = 0xc2;  // max speed 706 kB/s
            p[10] = 0x00;
            p[11] = 0x02;  // volume levels
            p[12] = 0x02;
            p[13] = 0x00;  // 512 KiB buffer
            p[14] = 0x02;
            p[15] = 0xc2;  // current speed
        }
        pages.insert(pages.end(), p.begin(), p.end());
    };
    switch (page) {
        case 0x01: addErrorRecovery(); break;
        case 0x2a: addCapabilities(); break;
        case 0x3f:
            addErrorRecovery();
            addCapabilities();
            break;
        default: return check(kInvalidFieldInCdb);
    }
    // Mode parameter header without block descriptors (SPC-4 §7.5.5).
    std::vector<uint8_t> data(tenByte ? 8 : 4, 0);
    data.insert(data.end(), pages.begin(), pages.end());
    if (tenByte) put16(data, 0, static_cast<uint16_t>(data.size() - 2));
    else data[0] = static_cast<uint8_t>(data.size() - 1);
    return truncated(std::move(data), allocation);
}

ScsiResult ScsiCdrom::getConfiguration(std::span<const uint8_t> cdb) {
    const uint8_t requestType = cdb[1] & 0x03;
    const uint16_t start = be16(&cdb[2]);
    const size_t allocation = be16(&cdb[7]);
    if (requestType == 3) return check(kInvalidFieldInCdb);
    const bool media = disc_ != nullptr;
    const uint16_t profile = media ? 0x0008 : 0x0000;  // CD-ROM profile when a disc is in (MMC-6 §5.3.1)

    struct Feature {
        uint16_t code;
        bool current;
        std::vector<uint8_t> body;
    };
    const std::vector<Feature> features = {
        // Profile List: CD-ROM (current if a disc is present).
        {0x0000, true, {0x00, 0x08, static_cast<uint8_t>(media ? 1 : 0), 0x00}},
        // Core: physical interface ATAPI (2), DBE.
        {0x0001, true, {0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00}},
        // Removable Medium: tray loading mechanism, eject, lock.
        {0x0003, true, {0x29, 0x00, 0x00, 0x00}},
        // Random Readable: 2048-byte blocks, blocking 1.
        {0x0010, media, {0x00, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00}},
        // CD Read.
        {0x001e, media, {0x00, 0x00, 0x00, 0x00}},
    };
    std::vector<uint8_t> data(8, 0);
    put16(data, 6, profile);
    for (const Feature& feature : features) {
        const bool wanted = requestType == 2 ? feature.code == start
                                             : feature.code >= start && (requestType == 0 || feature.current);
        if (!wanted) continue;
        // Feature header: code, version/persistent/current, additional length.
        const uint8_t flags = static_cast<uint8_t>((feature.code <= 0x0003 ? 0x02 : 0x00) | (feature.current ? 1 : 0));
        const size_t at = data.size();
        data.resize(at + 4);
        put16(data, at, feature.code);
        data[at + 2] = flags;
        data[at + 3] = static_cast<uint8_t>(feature.body.size());
        data.insert(data.end(), feature.body.begin(), feature.body.end());
    }
    put32(data, 0, static_cast<uint32_t>(data.size() - 4));
    return truncated(std::move(data), allocation);
}

ScsiResult ScsiCdrom::getEventStatus(std::span<const uint8_t> cdb) {
    // Only polled operation is supported (MMC-6 §6.7.1).
    if (!(cdb[1] & 1)) return check(kInvalidFieldInCdb);
    const uint8_t requested = cdb[4];
    const size_t allocation = be16(&cdb[7]);
    constexpr uint8_t kMediaClass = 0x10;
    std::vector<uint8_t> data(4, 0);
    data[3] = kMediaClass;  // supported event classes
    if (!(requested & kMediaClass)) {
        data[2] = 0x80;  // NEA: no event available for the requested classes
        put16(data, 0, 2);
        return truncated(std::move(data), allocation);
    }
    data[2] = 0x04;  // media class
    // Media event descriptor: event code, media status (present, tray open), slots.
    data.push_back(static_cast<uint8_t>(pendingEvent_));
    data.push_back(static_cast<uint8_t>((disc_ ? 0x02 : 0) | (trayOpen_ ? 0x01 : 0)));
    data.push_back(0);
    data.push_back(0);
    pendingEvent_ = MediaEvent::None;
    put16(data, 0, static_cast<uint16_t>(data.size() - 2));
    return truncated(std::move(data), allocation);
}

ScsiResult ScsiCdrom::startStopUnit(std::span<const uint8_t> cdb, bool& ejected) {
    const bool loadEject = cdb[4] & 0x02, start = cdb[4] & 0x01;
    if (!loadEject) return good();  // spin up / down: nothing to do
    if (start) {  // close the tray
        trayOpen_ = false;
        return good();
    }
    if (locked_) return check(kMediumRemovalPrevented);
    ejected = disc_ != nullptr;
    if (ejected) pendingEvent_ = MediaEvent::MediaRemoval;
    disc_.reset();
    trayOpen_ = true;
    return good();
}

}  // namespace tessera::devices
