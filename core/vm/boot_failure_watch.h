#pragma once
// BootFailureWatch: notices in a VM's serial output that the firmware found
// nothing to boot, so the VM window can say so instead of leaving the user in
// front of an empty or black screen. Both firmwares Tessera starts give up the
// same way on every boot:
// - EDK2 starts its UEFI Shell ("UEFI Interactive Shell ..." then "Shell> ")
//   when no boot option worked; its screen stays black (Debian's build shows
//   the shell on the serial console only, as under QEMU).
// - U-Boot's distro boot ends at its "=> " prompt after the autoboot countdown
//   ran out and the boot attempts printed their failures ("Device 0: unknown
//   device", ...). A key pressed during the countdown also leads to "=> ", but
//   right after the countdown line, with no attempt in between: not reported.
// Each OpenSBI banner starts a new boot (a reset), which re-arms the watch.

#include <QByteArray>
#include <QString>
#include <optional>

namespace tessera::vm {

class BootFailureWatch {
public:
    // Feeds serial output; returns the message for the user once per boot,
    // when the firmware has given up.
    std::optional<QString> feed(const QByteArray& bytes);

private:
    std::optional<QString> check() const;

    QByteArray text_;  // this boot's output so far (its tail, when it grows large)
    bool reported_ = false;
};

}  // namespace tessera::vm
