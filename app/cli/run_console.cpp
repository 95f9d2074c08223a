#include "app/cli/run_console.h"

#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace tessera::cli {

namespace {

struct termios gSavedTerminal;
bool gTerminalSaved = false;

void restoreTerminal() {
    if (gTerminalSaved) tcsetattr(STDIN_FILENO, TCSANOW, &gSavedTerminal);
}

void restoreAndReraise(int signal) {
    restoreTerminal();
    ::signal(signal, SIG_DFL);
    ::raise(signal);
}

}  // namespace

RunConsole::RunConsole(InputSink input, QuitHandler quit) : input_(std::move(input)), quit_(std::move(quit)) {}

RunConsole::~RunConsole() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (rawMode_) restoreTerminal();
}

void RunConsole::start() {
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &gSavedTerminal) == 0) {
        gTerminalSaved = true;
        std::atexit(restoreTerminal);
        for (int sig : {SIGTERM, SIGHUP, SIGQUIT}) ::signal(sig, restoreAndReraise);
        struct termios raw = gSavedTerminal;
        cfmakeraw(&raw);
        raw.c_oflag |= OPOST | ONLCR;  // keep host-side newline handling for our own messages
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        rawMode_ = true;
    }
    thread_ = std::thread([this] { readLoop(); });
}

void RunConsole::readLoop() {
    bool escape = false;
    std::vector<uint8_t> chunk;
    while (!stop_) {
        struct pollfd fd = {STDIN_FILENO, POLLIN, 0};
        const int ready = poll(&fd, 1, 100);  // wake periodically to notice stop_
        if (ready <= 0) continue;
        uint8_t buffer[4096];
        const ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) return;  // EOF or error: the guest keeps running without input
        chunk.clear();
        for (ssize_t i = 0; i < n; ++i) {
            const uint8_t byte = buffer[i];
            if (!rawMode_) {
                chunk.push_back(byte);
                continue;
            }
            if (escape) {
                escape = false;
                if (byte == 'x' || byte == 'X') {
                    if (!chunk.empty()) input_(chunk);
                    quit_();
                    return;
                }
                if (byte == 0x01) chunk.push_back(0x01);
                continue;  // other Ctrl-A commands are ignored
            }
            if (byte == 0x01) {
                escape = true;
                continue;
            }
            chunk.push_back(byte);
        }
        if (!chunk.empty()) input_(chunk);
    }
}

}  // namespace tessera::cli
