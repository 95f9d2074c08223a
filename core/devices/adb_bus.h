#pragma once
// The Apple Desktop Bus behind CUDA (Apple's "ADB Manager" chapter of Inside
// Macintosh: Devices; Linux drivers/macintosh/adb.c as its host). A command
// byte is address << 4 | op: low nibble 0 SendReset (every device), 1 Flush,
// 0b10rr Listen register rr (data follows), 0b11rr Talk register rr (the
// device answers with 2-8 bytes, or not at all: a timeout). Register 3 holds
// the device's address and handler id; a Listen to it moves the device
// (second byte 0xfe or 0x00) or switches handler (a handler it supports).
// With autopoll the CUDA asks the devices' register 0 itself and sends what
// they say to the host unasked (cuda.h).
//
// Threads: the VM thread makes the requests; the host side feeds keys and
// pointer motion into the devices from any thread (their own locks).

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace tessera::devices {

class AdbDevice {
public:
    AdbDevice(uint8_t defaultAddress, uint8_t defaultHandler)
        : defaultAddress_(defaultAddress), defaultHandler_(defaultHandler) {
        resetAddress();
    }
    virtual ~AdbDevice() = default;

    uint8_t address() const { return address_; }
    uint8_t handler() const { return handler_; }
    // SendReset: back to the default address and handler, pending input dropped.
    void reset();
    // Talk: the register's bytes, or nullopt when the device stays silent.
    std::optional<std::vector<uint8_t>> talk(unsigned reg);
    void listen(unsigned reg, std::span<const uint8_t> data);
    // Register 0 has something to say (the device would raise a service request).
    virtual bool hasData() const = 0;
    virtual void flush() = 0;

protected:
    virtual std::optional<std::vector<uint8_t>> talkRegister(unsigned reg) = 0;  // 0..2
    virtual void listenRegister(unsigned, std::span<const uint8_t>) {}
    virtual bool supportsHandler(uint8_t handler) const = 0;

private:
    void resetAddress() {
        address_ = defaultAddress_;
        handler_ = defaultHandler_;
    }
    const uint8_t defaultAddress_, defaultHandler_;
    uint8_t address_ = 0, handler_ = 0;
};

class AdbBus {
public:
    // `device` is not owned; at most 16 addresses.
    void attach(AdbDevice* device) { devices_.push_back(device); }

    struct Reply {
        bool answered = false;  // false: nobody at that address said anything (timeout)
        std::vector<uint8_t> data;
    };
    // One ADB transaction: the command byte and any Listen data.
    Reply request(std::span<const uint8_t> packet);
    // Autopoll: the next device with register 0 data, as (command byte, data).
    std::optional<std::pair<uint8_t, std::vector<uint8_t>>> poll();
    void reset();

private:
    AdbDevice* deviceAt(unsigned address) const;

    std::vector<AdbDevice*> devices_;
    size_t nextPoll_ = 0;  // round robin, so a busy mouse does not starve the keyboard
};

}  // namespace tessera::devices
