#include "core/devices/device_options.h"

namespace tessera::devices {

namespace {

// Splits at single commas; ",," is a literal comma (QEMU option syntax).
std::vector<std::string> splitOptions(std::string_view text) {
    std::vector<std::string> parts(1);
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ',') {
            if (i + 1 < text.size() && text[i + 1] == ',') {
                parts.back() += ',';
                ++i;
            } else {
                parts.emplace_back();
            }
        } else {
            parts.back() += text[i];
        }
    }
    return parts;
}

Result<bool> parseOnOff(const std::string& option, const std::string& value) {
    if (value == "on" || value == "true" || value == "yes") return true;
    if (value == "off" || value == "false" || value == "no") return false;
    return makeError("invalid value '" + value + "' for " + option + " (expected on or off)");
}

}  // namespace

Result<DiskOption> parseDiskOption(std::string_view text) {
    const std::vector<std::string> parts = splitOptions(text);
    DiskOption disk;
    disk.path = parts[0];
    if (disk.path.empty()) return makeError("--disk needs a file name, e.g. --disk disk.qcow2");
    for (size_t i = 1; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        const size_t equals = part.find('=');
        const std::string key = part.substr(0, equals);
        const std::string value = equals == std::string::npos ? "" : part.substr(equals + 1);
        if (key == "format") {
            if (value != "raw" && value != "qcow2")
                return makeError("unknown disk format '" + value + "' (expected raw or qcow2)");
            disk.format = value;
        } else if (key == "readonly") {
            Result<bool> on = parseOnOff("readonly", value.empty() ? "on" : value);
            if (!on) return on.error();
            disk.readOnly = *on;
        } else if (key == "serial") {
            if (value.size() > 20)
                return makeError("disk serial '" + value + "' is longer than 20 characters");
            disk.serial = value;
        } else {
            return makeError("unknown --disk option '" + key + "' (known: format, readonly, serial)");
        }
    }
    return disk;
}

Result<NicOption> parseNicOption(std::string_view text) {
    const std::vector<std::string> parts = splitOptions(text);
    if (parts[0] != "user")
        return makeError("unsupported network backend '" + parts[0] +
                         "' (only 'user' networking is available)");
    NicOption nic;
    for (size_t i = 1; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        if (part.starts_with("hostfwd=")) {
            Result<net::HostForward> rule = net::parseHostForward(part);
            if (!rule) return rule.error();
            nic.forwards.push_back(*rule);
        } else if (part.starts_with("mac=")) {
            Result<MacAddress> mac = VirtioNet::parseMac(part.substr(4));
            if (!mac) return mac.error();
            nic.mac = *mac;
        } else {
            return makeError("unknown --nic option '" + part + "' (known: hostfwd=..., mac=...)");
        }
    }
    return nic;
}

Result<NetdevNic> parseNetdevNic(std::string_view device, std::string_view netdev) {
    const std::vector<std::string> deviceParts = splitOptions(device);
    NetdevNic result;
    result.model = deviceParts[0];
    std::string wantedId, mac;
    for (size_t i = 1; i < deviceParts.size(); ++i) {
        const std::string& part = deviceParts[i];
        if (part.starts_with("netdev="))
            wantedId = part.substr(7);
        else if (part.starts_with("mac="))
            mac = part;
        else
            return makeError("unknown -device " + result.model + " option '" + part +
                             "' (known: netdev=ID, mac=...)");
    }
    if (wantedId.empty()) return makeError("-device " + result.model + " needs netdev=ID naming a -netdev");
    // -netdev user,id=ID,rest: the rest is --nic's syntax.
    std::string nicText, id;
    for (const std::string& part : splitOptions(netdev)) {
        if (part.starts_with("id=")) {
            id = part.substr(3);
            continue;
        }
        for (char c : part) nicText += c == ',' ? std::string(",,") : std::string(1, c);
        nicText += ',';
    }
    if (id != wantedId)
        return makeError(
            "-device " + result.model + ",netdev=" + wantedId +
            " names no -netdev (the -netdev has id=" + (id.empty() ? std::string("nothing") : id) + ")");
    if (!mac.empty()) nicText += mac + ',';
    nicText.pop_back();
    Result<NicOption> nic = parseNicOption(nicText);
    if (!nic) return makeError("-netdev: " + nic.message());
    result.nic = *nic;
    return result;
}

}  // namespace tessera::devices
