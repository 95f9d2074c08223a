#include "core/vm/monitor_commands.h"

#include <charconv>
#include <optional>

#include "core/devices/evdev_keys.h"

namespace tessera::vm {

namespace {

std::vector<std::string> splitWords(std::string_view line) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
        size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
        if (i > start) words.emplace_back(line.substr(start, i - start));
    }
    return words;
}

std::optional<uint32_t> parseNumber(const std::string& text, uint32_t max) {
    uint32_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

std::string reply(const Status& status, const std::string& okText = "OK") {
    return status ? okText : "error: " + status.message();
}

// hostfwd_remove takes [tcp|udp]:[ADDR]:HPORT; reuse the full-rule parser.
Result<net::HostForward> parseRemoveRule(const std::string& text) {
    if (text.find('-') != std::string::npos) return net::parseHostForward(text);
    return net::parseHostForward(text + "-:1");
}

constexpr const char* kHelp =
    "OK commands: screenshot FILE | sendkey KEYS | mouse_move X Y | mouse_button BITS | eject cd | "
    "change cd FILE | hostfwd_add RULE | hostfwd_remove RULE | system_powerdown | system_reset | "
    "stop | cont | info cpus | quit";

}  // namespace

std::string executeMonitorLine(std::string_view line, MonitorTarget& target) {
    if (line.size() > 4096) return "error: line too long";
    std::vector<std::string> words = splitWords(line);
    if (words.empty()) return "error: empty command (try 'help')";
    const std::string command = words[0];
    auto usage = [&](const char* text) { return std::string("error: usage: ") + text; };
    auto isCd = [](const std::string& device) {
        return device == "cd" || device == "cdrom" || device == "cd0";
    };

    if (command == "help" || command == "?") return kHelp;
    if (command == "screenshot" || command == "screendump") {
        if (words.size() != 2) return usage("screenshot FILE");
        return reply(target.screenshot(words[1]));
    }
    if (command == "sendkey") {
        if (words.size() != 2) return usage("sendkey KEYS (e.g. sendkey ctrl-alt-delete)");
        const auto codes = devices::parseKeyCombination(words[1]);
        if (!codes) return "error: unknown key in '" + words[1] + "'";
        return reply(target.sendKeys(*codes));
    }
    if (command == "mouse_move") {
        if (words.size() != 3) return usage("mouse_move X Y (0..32767)");
        const auto x = parseNumber(words[1], 32767), y = parseNumber(words[2], 32767);
        if (!x || !y) return "error: mouse_move needs two numbers from 0 to 32767";
        return reply(target.movePointer(*x, *y));
    }
    if (command == "mouse_button") {
        const auto buttons = words.size() == 2 ? parseNumber(words[1], 7) : std::nullopt;
        if (!buttons) return usage("mouse_button BITS (1 left, 2 right, 4 middle)");
        return reply(target.setPointerButtons(*buttons));
    }
    if (command == "eject") {
        if (words.size() == 3 && words[1] == "-f") words.erase(words.begin() + 1);
        if (words.size() != 2 || !isCd(words[1])) return usage("eject cd");
        return reply(target.ejectCd());
    }
    if (command == "change") {
        if (words.size() != 3 || !isCd(words[1])) return usage("change cd FILE");
        return reply(target.changeCd(words[2]));
    }
    if (command == "hostfwd_add" || command == "hostfwd_remove") {
        // QEMU allows an optional netdev name first: hostfwd_add net0 tcp::2222-:22.
        if (words.size() == 3) words.erase(words.begin() + 1);
        if (words.size() != 2)
            return usage("hostfwd_add tcp:[ADDR]:HPORT-[GADDR]:GPORT / hostfwd_remove tcp:[ADDR]:HPORT");
        const bool add = command == "hostfwd_add";
        Result<net::HostForward> rule = add ? net::parseHostForward(words[1]) : parseRemoveRule(words[1]);
        if (!rule) return "error: " + rule.message();
        return reply(
            add ? target.addHostForward(*rule) : target.removeHostForward(*rule),
            "OK " + (add ? rule->toString() : rule->hostAddress + ":" + std::to_string(rule->hostPort)));
    }
    if (command == "system_powerdown") return reply(target.powerdown());
    if (command == "system_reset") return reply(target.reset());
    if (command == "stop") return reply(target.pause(true));
    if (command == "cont" || command == "c") return reply(target.pause(false));
    if (command == "info") {
        if (words.size() != 2 || words[1] != "cpus") return usage("info cpus");
        Result<std::string> cpus = target.cpus();
        return cpus ? "OK " + *cpus : "error: " + cpus.message();
    }
    if (command == "quit" || command == "q") return reply(target.quit());
    return "error: unknown command '" + command + "' (try 'help')";
}

}  // namespace tessera::vm
