#pragma once
// Which CPU architecture a boot file is for, read from its contents:
// ELF e_machine, the Linux RISC-V / ARM64 "Image" headers, PE/COFF machine
// (EFI stubs, .efi loaders), and ISO 9660 images (EFI/BOOT/BOOT<arch>.EFI
// file names, the El Torito platform id, PowerPC "ppc" trees and the volume
// label). The file name is only a last hint, as UTM uses it.

#include <QString>

namespace tessera::vm {

struct ArchGuess {
    QString arch;    // empty = unknown
    QString reason;  // for people: "ELF executable for RISC-V (64-bit)"
    bool fromContents = false;  // false = guessed from the file name only
};

ArchGuess detectArchitecture(const QString& path);

}  // namespace tessera::vm
