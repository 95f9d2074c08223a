#pragma once
// An MMC CD/DVD-ROM logical unit (SPC-4, MMC-6) for virtio-scsi. It executes
// CDBs against a read-only disc image and keeps the unit's state: medium
// present, tray, removal lock, pending unit attention and media events.
// The disc is never written: write commands get DATA PROTECT.
// insertMedia()/ejectMedia() are safe from any thread (the UI's "Change CD…").

#include <QObject>
#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "core/block/block_backend.h"

namespace tessera::devices {

namespace scsi {
// Status codes (SAM-5).
inline constexpr uint8_t kStatusGood = 0x00;
inline constexpr uint8_t kStatusCheckCondition = 0x02;
// Sense keys (SPC-4 §4.5.6).
inline constexpr uint8_t kSenseNoSense = 0x0;
inline constexpr uint8_t kSenseNotReady = 0x2;
inline constexpr uint8_t kSenseIllegalRequest = 0x5;
inline constexpr uint8_t kSenseUnitAttention = 0x6;
inline constexpr uint8_t kSenseDataProtect = 0x7;
}  // namespace scsi

struct SenseCode {
    uint8_t key = 0, asc = 0, ascq = 0;
    bool operator==(const SenseCode&) const = default;
};

struct ScsiResult {
    uint8_t status = scsi::kStatusGood;
    SenseCode sense;                // valid when status is CHECK CONDITION
    std::vector<uint8_t> data;      // data-in for small commands (INQUIRY, TOC, ...)
    uint64_t transferred = 0;       // bytes written directly into the data-in area (READ)
    bool overrun = false;           // the data-in area was too small for the request

    // Fixed-format sense data (SPC-4 §4.5.3), 18 bytes.
    std::vector<uint8_t> senseBytes() const;
};

class ScsiCdrom final : public QObject {
    Q_OBJECT
public:
    static constexpr uint32_t kBlockSize = 2048;

    ScsiCdrom() = default;

    // Any thread. The backend must be read-only (an ISO opened for reading).
    Status insertMedia(std::shared_ptr<block::BlockBackend> disc);
    // Opens an ISO (any file, as raw data) read-only and inserts it.
    Status insertMediaFile(const std::string& path);
    void ejectMedia();
    // The disc was in the drive at power-on: nothing to report (no unit
    // attention, no media event), as firmware that does not handle them
    // (OpenBIOS) expects of a drive it boots from.
    void settleMedia();
    bool hasMedia() const;
    bool removalPrevented() const;

    // VM thread. `dataIn` receives READ data directly (guest RAM segments);
    // other commands return their (small) data in ScsiResult::data.
    struct DataInArea {
        uint64_t length = 0;  // room the initiator gave for data-in
        // Reads `length` bytes of the disc at `discOffset` straight into the
        // data-in area at `areaOffset` (zero-copy into guest RAM).
        std::function<Status(block::BlockBackend&, uint64_t discOffset, uint64_t areaOffset, uint64_t length)> readInto;
    };
    ScsiResult execute(std::span<const uint8_t> cdb, const DataInArea& dataIn);

signals:
    void mediaChanged(QString fileName);
    void mediaEjected();

private:
    enum class MediaEvent : uint8_t { None = 0, EjectRequest = 1, NewMedia = 2, MediaRemoval = 3 };

    ScsiResult inquiry(std::span<const uint8_t> cdb);
    ScsiResult readCapacity();
    ScsiResult read(uint64_t lba, uint64_t blocks, const DataInArea& dataIn);
    ScsiResult readToc(std::span<const uint8_t> cdb);
    ScsiResult modeSense(std::span<const uint8_t> cdb, bool tenByte);
    ScsiResult getConfiguration(std::span<const uint8_t> cdb);
    ScsiResult getEventStatus(std::span<const uint8_t> cdb);
    ScsiResult startStopUnit(std::span<const uint8_t> cdb, bool& ejected);
    ScsiResult requestSense(std::span<const uint8_t> cdb);
    ScsiResult notReady() const;
    uint64_t blockCount() const;

    mutable std::mutex mutex_;  // guards everything below
    std::shared_ptr<block::BlockBackend> disc_;
    bool trayOpen_ = false;
    bool locked_ = false;
    bool unitAttention_ = false;
    MediaEvent pendingEvent_ = MediaEvent::None;
};

}  // namespace tessera::devices
