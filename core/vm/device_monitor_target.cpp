#include "core/vm/device_monitor_target.h"

namespace tessera::vm {

Status DeviceMonitorTarget::screenshot(const std::string& path) {
    if (!devices_.display) return makeError("this VM has no display (started with --display none?)");
    return devices_.display->saveScreenshot(path);
}

Status DeviceMonitorTarget::sendKeys(const std::vector<uint16_t>& evdevCodes) {
    if (!devices_.keyboard) return makeError("this VM has no keyboard");
    for (uint16_t code : evdevCodes) devices_.keyboard->injectKey(code, true);
    for (auto it = evdevCodes.rbegin(); it != evdevCodes.rend(); ++it)
        devices_.keyboard->injectKey(*it, false);
    return {};
}

Status DeviceMonitorTarget::movePointer(uint32_t x, uint32_t y) {
    if (!devices_.tablet) return makeError("this VM has no pointer device");
    std::lock_guard lock(pointerMutex_);
    pointerX_ = x;
    pointerY_ = y;
    devices_.tablet->injectPointer(x, y, buttons_);
    return {};
}

Status DeviceMonitorTarget::setPointerButtons(unsigned buttons) {
    if (!devices_.tablet) return makeError("this VM has no pointer device");
    std::lock_guard lock(pointerMutex_);
    buttons_ = buttons;
    devices_.tablet->injectPointer(pointerX_, pointerY_, buttons_);
    return {};
}

Status DeviceMonitorTarget::ejectCd() {
    if (!devices_.cdrom) return makeError("this VM has no CD-ROM drive");
    devices_.cdrom->ejectMedia();
    return {};
}

Status DeviceMonitorTarget::changeCd(const std::string& path) {
    if (!devices_.cdrom) return makeError("this VM has no CD-ROM drive");
    return devices_.cdrom->insertMediaFile(path);
}

Status DeviceMonitorTarget::addHostForward(const net::HostForward& rule) {
    if (!devices_.nic) return makeError("this VM has no user-mode network card (--nic user)");
    return devices_.nic->addHostForward(rule);
}

Status DeviceMonitorTarget::removeHostForward(const net::HostForward& rule) {
    if (!devices_.nic) return makeError("this VM has no user-mode network card (--nic user)");
    return devices_.nic->removeHostForward(rule);
}

Status pressPowerKey(devices::InputSink* keyboard) {
    // No ACPI on virt: a KEY_POWER press is what guests (systemd-logind, acpid) act on.
    if (!keyboard)
        return makeError("shutting down needs the VM's keyboard, and this VM has none (no display)");
    constexpr uint16_t kKeyPower = 116;
    keyboard->injectKey(kKeyPower, true);
    keyboard->injectKey(kKeyPower, false);
    return {};
}

Status DeviceMonitorTarget::powerdown() {
    if (!devices_.powerdown) return makeError("power-down is not available for this VM");
    return devices_.powerdown();
}

Status DeviceMonitorTarget::reset() {
    if (!devices_.reset) return makeError("reset is not available for this VM");
    return devices_.reset();
}

Status DeviceMonitorTarget::pause(bool paused) {
    if (!devices_.pause) return makeError("pausing is not available for this VM");
    return devices_.pause(paused);
}

Result<std::string> DeviceMonitorTarget::cpus() {
    if (!devices_.cpus) return makeError("CPU information is not available for this VM");
    return devices_.cpus();
}

Status DeviceMonitorTarget::quit() {
    if (!devices_.quit) return makeError("quit is not available for this VM");
    return devices_.quit();
}

}  // namespace tessera::vm
