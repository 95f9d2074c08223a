#include "core/debug/gdb_session.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/debug/gdb_packet.h"

namespace tessera::debug {

namespace {

// Error numbers GDB shows as they are (errno values, as gdbserver uses).
constexpr const char* kNotStopped = "E01";      // the machine runs (a monitor `cont`) or has ended
constexpr const char* kBadArguments = "E16";    // EINVAL-like: malformed packet
constexpr const char* kMemoryFault = "E0e";     // EFAULT: unmapped or not RAM
constexpr const char* kNoSuchRegister = "E45";  // a register number the target does not have
constexpr size_t kMaxBreakpoints = 4096;

// Splits "a,b" (or "a:b") at the first `separator`.
std::pair<std::string_view, std::string_view> split(std::string_view text, char separator) {
    const size_t at = text.find(separator);
    if (at == std::string_view::npos) return {text, {}};
    return {text.substr(0, at), text.substr(at + 1)};
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

GdbSession::GdbSession(DebugTarget& target, const GdbArch& arch) : target_(target), arch_(arch) {}

std::string GdbSession::threadId(unsigned cpu) const {
    char text[16];
    std::snprintf(text, sizeof text, "%x", cpu + 1);
    return text;
}

std::optional<unsigned> GdbSession::parseThread(std::string_view text) const {
    const auto id = parseHexNumber(text);
    if (!id || *id == 0 || *id > target_.cpuCount()) return std::nullopt;
    return unsigned(*id - 1);
}

std::string GdbSession::stopReply(const StopEvent& event) {
    lastStop_ = event;
    if (event.kind == StopEvent::Kind::Ended) return "W00";
    if (event.kind == StopEvent::Kind::Breakpoint && event.cpu < target_.cpuCount()) current_ = event.cpu;
    // SIGTRAP for a breakpoint or a finished step, SIGINT for a requested stop.
    return std::string(event.kind == StopEvent::Kind::Breakpoint ? "T05" : "T02") +
           "thread:" + threadId(current_) + ";";
}

GdbSession::Outcome GdbSession::handle(std::string_view payload) {
    if (payload.empty()) return {""};
    const char command = payload[0];
    const std::string_view args = payload.substr(1);
    switch (command) {
        case '?':
            return {stopReply(lastStop_)};
        case 'g':
            return {readRegisters()};
        case 'G':
            return {writeRegisters(args)};
        case 'p':
            return {readRegister(args)};
        case 'P':
            return {writeRegister(args)};
        case 'm':
            return {readMemory(args)};
        case 'M':
            return {writeMemory(args, false)};
        case 'X':
            return {writeMemory(args, true)};
        case 'Z':
            return {changeBreakpoint(args, true)};
        case 'z':
            return {changeBreakpoint(args, false)};
        case 'H':
            return {selectThread(args)};
        case 'T':
            return {parseThread(args) ? "OK" : kBadArguments};
        case 'c':
            return resume(false, std::nullopt, args);
        case 's':
            return resume(true, std::nullopt, args);
        case 'C':  // with a signal, which a machine has no use for
        case 'S': {
            const size_t semicolon = args.find(';');
            return resume(
                command == 'S', std::nullopt,
                semicolon == std::string_view::npos ? std::string_view{} : args.substr(semicolon + 1));
        }
        case 'D':
            release();
            return {"OK", Outcome::Next::Close};
        case 'k':
            target_.quit();
            return {std::nullopt, Outcome::Next::Close};
        case 'q':
        case 'Q':
            return query(payload);
        case 'v':
            return vPacket(payload);
        default:
            return {""};
    }
}

GdbSession::Outcome GdbSession::query(std::string_view payload) {
    if (startsWith(payload, "qSupported")) {
        char size[32];  // in hex, as every number in the protocol
        std::snprintf(size, sizeof size, "PacketSize=%zx", kMaxPayload);
        return {std::string(size) + ";qXfer:features:read+;QStartNoAckMode+;vContSupported+"};
    }
    if (payload == "QStartNoAckMode") {
        noAck_ = true;
        return {"OK"};
    }
    if (payload == "qAttached" || startsWith(payload, "qAttached:"))
        return {"1"};  // the machine was there first
    if (payload == "qC") return {"QC" + threadId(current_)};
    if (payload == "qfThreadInfo") {
        std::string list = "m";
        for (unsigned cpu = 0; cpu < target_.cpuCount(); ++cpu) list += (cpu ? "," : "") + threadId(cpu);
        return {list};
    }
    if (payload == "qsThreadInfo") return {"l"};
    if (startsWith(payload, "qThreadExtraInfo,")) {
        const auto cpu = parseThread(payload.substr(17));
        if (!cpu) return {kBadArguments};
        const std::string text = "CPU#" + std::to_string(*cpu);
        return {encodeHex({reinterpret_cast<const uint8_t*>(text.data()), text.size()})};
    }
    constexpr std::string_view kFeatures = "qXfer:features:read:";
    if (startsWith(payload, kFeatures)) {
        const auto [annex, range] = split(payload.substr(kFeatures.size()), ':');
        if (annex != "target.xml") return {"E00"};
        const auto [offsetText, lengthText] = split(range, ',');
        const auto offset = parseHexNumber(offsetText), length = parseHexNumber(lengthText);
        if (!offset || !length) return {kBadArguments};
        const std::string& xml = arch_.targetXml();
        if (*offset >= xml.size()) return {"l"};
        const size_t count = std::min<uint64_t>({*length, xml.size() - *offset, kMaxPayload / 2});
        const bool last = *offset + count >= xml.size();
        return {(last ? "l" : "m") + escapeBinary(std::string_view(xml).substr(*offset, count))};
    }
    return {""};
}

GdbSession::Outcome GdbSession::vPacket(std::string_view payload) {
    if (payload == "vCont?") return {"vCont;c;C;s;S"};
    if (!startsWith(payload, "vCont;")) return {""};  // vMustReplyEmpty and whatever we lack
    // Actions in order of precedence: a step of one CPU (the others stay
    // stopped: all-stop, as a stepping GDB expects) wins over continuing.
    std::optional<unsigned> stepCpu;
    bool step = false, cont = false;
    std::string_view rest = payload.substr(6);
    while (!rest.empty()) {
        auto [action, tail] = split(rest, ';');
        rest = tail;
        auto [verb, thread] = split(action, ':');
        if (verb.empty()) return {kBadArguments};
        const char kind = verb[0];
        std::optional<unsigned> cpu;
        if (!thread.empty() && thread != "-1") {
            cpu = parseThread(thread);
            if (!cpu) return {kBadArguments};
        }
        if (kind == 's' || kind == 'S') {
            if (!step) stepCpu = cpu;
            step = true;
        } else if (kind == 'c' || kind == 'C') {
            cont = true;
        } else {
            return {kBadArguments};
        }
    }
    if (!step && !cont) return {kBadArguments};
    return resume(step, stepCpu, {});
}

GdbSession::Outcome GdbSession::resume(bool step, std::optional<unsigned> cpu, std::string_view address) {
    if (cpu) current_ = *cpu;
    std::optional<uint64_t> pc;
    if (!address.empty()) {
        pc = parseHexNumber(address);
        if (!pc) return {kBadArguments};
    }
    const bool ok = target_.whileStopped([&] {
        cpu::CpuEngine& engine = target_.cpu(current_);
        if (pc) arch_.setPc(engine, *pc);
        if (step) engine.stepInstruction();
    });
    if (!ok) return {kNotStopped};
    if (step) return {stopReply({StopEvent::Kind::Breakpoint, current_})};
    target_.resume();
    return {std::nullopt, Outcome::Next::Running};
}

std::string GdbSession::readRegisters() {
    std::string hex;
    const bool ok = target_.whileStopped([&] {
        cpu::CpuEngine& engine = target_.cpu(current_);
        for (unsigned regnum : arch_.gPacketRegisters()) hex += encodeHex(arch_.readRegister(engine, regnum));
    });
    return ok ? hex : kNotStopped;
}

std::string GdbSession::writeRegisters(std::string_view hex) {
    const auto bytes = decodeHex(hex);
    if (!bytes) return kBadArguments;
    std::string reply = "OK";
    const bool ok = target_.whileStopped([&] {
        cpu::CpuEngine& engine = target_.cpu(current_);
        size_t at = 0;
        for (unsigned regnum : arch_.gPacketRegisters()) {
            const size_t size = arch_.readRegister(engine, regnum).size();
            if (at + size > bytes->size()) break;  // a short G leaves the rest as they are
            if (!arch_.writeRegister(engine, regnum, std::span(*bytes).subspan(at, size)))
                reply = kBadArguments;
            at += size;
        }
    });
    return ok ? reply : kNotStopped;
}

std::string GdbSession::readRegister(std::string_view args) {
    const auto regnum = parseHexNumber(args);
    if (!regnum || *regnum > 0xffff) return kBadArguments;
    std::vector<uint8_t> value;
    if (!target_.whileStopped([&] { value = arch_.readRegister(target_.cpu(current_), unsigned(*regnum)); }))
        return kNotStopped;
    return value.empty() ? kNoSuchRegister : encodeHex(value);
}

std::string GdbSession::writeRegister(std::string_view args) {
    const auto [regnumText, valueText] = split(args, '=');
    const auto regnum = parseHexNumber(regnumText);
    const auto value = decodeHex(valueText);
    if (!regnum || *regnum > 0xffff || !value) return kBadArguments;
    bool written = false;
    if (!target_.whileStopped(
            [&] { written = arch_.writeRegister(target_.cpu(current_), unsigned(*regnum), *value); }))
        return kNotStopped;
    return written ? "OK" : kNoSuchRegister;
}

size_t GdbSession::accessMemory(uint64_t address, uint8_t* data, size_t length, bool write) {
    cpu::CpuEngine& engine = target_.cpu(current_);
    hw::MemoryBus& memory = target_.memory();
    size_t done = 0;
    while (done < length) {
        const uint64_t at = address + done;
        const size_t chunk = std::min<uint64_t>(length - done, 0x1000 - (at & 0xfff));
        const std::optional<uint64_t> paddr = engine.debugTranslate(at);
        if (!paddr) break;
        // RAM (and ROM) only: reading a device register could change it.
        uint8_t* host = memory.ramPointer(*paddr, chunk);
        if (!host) break;
        if (write) {
            std::memcpy(host, data + done, chunk);
            // Every CPU drops code it translated or decoded from those bytes.
            for (unsigned cpu = 0; cpu < target_.cpuCount(); ++cpu)
                target_.cpu(cpu).invalidateCode(*paddr, chunk);
        } else {
            std::memcpy(data + done, host, chunk);
        }
        done += chunk;
    }
    return done;
}

std::string GdbSession::readMemory(std::string_view args) {
    const auto [addressText, lengthText] = split(args, ',');
    const auto address = parseHexNumber(addressText), length = parseHexNumber(lengthText);
    if (!address || !length) return kBadArguments;
    // A reply holds two hex digits per byte; GDB takes a shorter read as partial.
    std::vector<uint8_t> data(std::min<uint64_t>(*length, kMaxPayload / 2 - 16));
    size_t got = 0;
    if (!target_.whileStopped([&] { got = accessMemory(*address, data.data(), data.size(), false); }))
        return kNotStopped;
    if (got == 0 && !data.empty()) return kMemoryFault;
    return encodeHex(std::span(data).first(got));
}

std::string GdbSession::writeMemory(std::string_view args, bool binary) {
    const auto [header, payload] = split(args, ':');
    const auto [addressText, lengthText] = split(header, ',');
    const auto address = parseHexNumber(addressText), length = parseHexNumber(lengthText);
    if (!address || !length || header.size() == args.size()) return kBadArguments;
    std::vector<uint8_t> data;
    if (binary) {
        const auto raw = unescapeBinary(payload);
        if (!raw) return kBadArguments;
        data.assign(raw->begin(), raw->end());
    } else {
        auto decoded = decodeHex(payload);
        if (!decoded) return kBadArguments;
        data = std::move(*decoded);
    }
    if (data.size() != *length) return kBadArguments;
    size_t put = 0;
    if (!target_.whileStopped([&] { put = accessMemory(*address, data.data(), data.size(), true); }))
        return kNotStopped;
    return put == data.size() ? "OK" : kMemoryFault;
}

bool GdbSession::applyBreakpoints() {
    const std::vector<uint64_t> pcs(breakpoints_.begin(), breakpoints_.end());
    return target_.whileStopped([&] {
        for (unsigned cpu = 0; cpu < target_.cpuCount(); ++cpu) target_.cpu(cpu).setBreakpoints(pcs);
    });
}

std::string GdbSession::changeBreakpoint(std::string_view args, bool insert) {
    const auto [type, rest] = split(args, ',');
    if (type != "0" && type != "1") return "";  // watchpoints: not supported (the empty reply says so)
    const auto [addressText, kind] = split(rest, ',');
    const auto address = parseHexNumber(addressText);
    if (!address || kind.empty()) return kBadArguments;
    // Software and hardware breakpoints are the same thing here: the
    // engines check the pc, guest memory is never patched.
    if (insert) {
        if (breakpoints_.size() >= kMaxBreakpoints && !breakpoints_.count(*address)) return kBadArguments;
        breakpoints_.insert(*address);
    } else {
        breakpoints_.erase(*address);
    }
    return applyBreakpoints() ? "OK" : kNotStopped;
}

std::string GdbSession::selectThread(std::string_view args) {
    if (args.empty() || (args[0] != 'g' && args[0] != 'c')) return kBadArguments;
    const std::string_view thread = args.substr(1);
    if (thread == "-1" || thread == "0") return "OK";  // all / any: the current one serves
    const auto cpu = parseThread(thread);
    if (!cpu) return kBadArguments;
    current_ = *cpu;
    return "OK";
}

void GdbSession::release() {
    breakpoints_.clear();
    applyBreakpoints();
    target_.resume();
}

}  // namespace tessera::debug
