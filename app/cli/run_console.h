#pragma once
// The host side of the serial console for `tessera-cli run`: a thread that
// reads stdin and feeds the guest UART, with the terminal in raw mode when
// stdin is a TTY (Ctrl-A X quits, Ctrl-A Ctrl-A sends Ctrl-A, as in QEMU).
// Pipes work unchanged, which is how the system tests type commands.

#include <atomic>
#include <functional>
#include <span>
#include <thread>

namespace tessera::cli {

class RunConsole {
public:
    using InputSink = std::function<void(std::span<const uint8_t>)>;
    using QuitHandler = std::function<void()>;

    RunConsole(InputSink input, QuitHandler quit);
    ~RunConsole();  // stops the thread and restores the terminal

    void start();

private:
    void readLoop();

    InputSink input_;
    QuitHandler quit_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    bool rawMode_ = false;
};

}  // namespace tessera::cli
