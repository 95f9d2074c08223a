#pragma once
// The monitor's commands carried out on the VM's real devices. Any device
// may be absent (the command then answers with an error naming what is
// missing); power-down and quit are the board's business, given as callbacks.
// Thread-safe: it only uses the devices' thread-safe entry points.

#include <functional>

#include "core/devices/display_surface.h"
#include "core/devices/input_sink.h"
#include "core/devices/scsi_cdrom.h"
#include "core/devices/virtio_net.h"
#include "core/vm/monitor_commands.h"

namespace tessera::vm {

struct MonitorDevices {
    devices::DisplaySurface* display = nullptr;
    devices::InputSink* keyboard = nullptr;
    devices::InputSink* tablet = nullptr;  // or any pointer device (the ADB mouse)
    devices::ScsiCdrom* cdrom = nullptr;
    devices::VirtioNet* nic = nullptr;
    std::function<Status()> powerdown;
    std::function<Status()> quit;
    // The board's: reset button, pause/continue (every hart), `info cpus`.
    std::function<Status()> reset;
    std::function<Status(bool paused)> pause;
    std::function<std::string()> cpus;
};

// The power button: a KEY_POWER press and release on the VM's keyboard.
Status pressPowerKey(devices::InputSink* keyboard);

class DeviceMonitorTarget final : public MonitorTarget {
public:
    explicit DeviceMonitorTarget(MonitorDevices devices) : devices_(std::move(devices)) {}

    Status screenshot(const std::string& path) override;
    Status sendKeys(const std::vector<uint16_t>& evdevCodes) override;
    Status movePointer(uint32_t x, uint32_t y) override;
    Status setPointerButtons(unsigned buttons) override;
    Status ejectCd() override;
    Status changeCd(const std::string& path) override;
    Status addHostForward(const net::HostForward& rule) override;
    Status removeHostForward(const net::HostForward& rule) override;
    Status powerdown() override;
    Status reset() override;
    Status pause(bool paused) override;
    Result<std::string> cpus() override;
    Status quit() override;

private:
    MonitorDevices devices_;
    std::mutex pointerMutex_;
    uint32_t pointerX_ = 0, pointerY_ = 0;
    unsigned buttons_ = 0;
};

}  // namespace tessera::vm
