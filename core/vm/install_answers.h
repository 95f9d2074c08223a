#pragma once
// Express install with a Tessera install disc (scripts/fixtures/install-disc for
// RISC-V, ppc-installer for PowerPC, where the answer disk is mac99's second disk):
// the wizard's answers (host name, user, password, SSH key) reach the guest's
// installer on a small raw "answer disk", the way cloud-init's NoCloud volume
// does: the line "#tessera-install-answers v1", KEY=VALUE lines, NUL padding.
// The password only ever leaves here as a crypt(3) hash (SHA-512, "$6$"), so
// neither the answer disk nor config.json holds it.

#include <QString>

#include "core/util/result.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

inline constexpr char kAnswersMagic[] = "#tessera-install-answers v1";
inline constexpr char kAnswersDiskFile[] = "install-answers.img";  // in the bundle
inline constexpr qint64 kAnswersDiskSize = qint64(1) << 20;
// What the installer prints on its serial console once the disk is bootable,
// just before it powers off (a failed install powers off too, from its shell).
inline constexpr char kInstallDoneLine[] = "tessera-install: Installation complete";

struct InstallAnswers {
    QString hostname = QStringLiteral("debian");
    QString user;
    QString passwordHash;  // crypt(3) hash; empty = no password login
    QString sshKey;        // one OpenSSH public key line; empty = none
};

// Whether the ISO is a Tessera install disc (its volume label, TESSERA_INSTALL_...).
bool isTesseraInstallDisc(const QString& isoPath);

// "$6$<salt>$<hash>" of the password with a fresh random salt.
Result<QString> hashPassword(const QString& password);

// A user name the installer (Debian's adduser) takes: lower case, digits, '-', '_'.
bool isValidUserName(const QString& name);

// Problems a person can fix ("user names are lower case ..."); empty = fine.
QString checkInstallAnswers(const InstallAnswers& answers);

// Writes the answer disk (raw, kAnswersDiskSize bytes), mode 0600.
Status writeAnswersDisk(const QString& path, const InstallAnswers& answers);

// After the guest powered off having printed kInstallDoneLine: whether this
// VM's express install should start again from its disk (the answer disk and
// the disc are still attached, and boot.afterInstall does not say "stop").
bool shouldRestartAfterInstall(const VmConfig& config);
// Ejects the disc, drops the answer disk and starts from the disk: with UEFI
// firmware on RISC-V (the installed system's GRUB is on its EFI system
// partition), with OpenBIOS on a Power Mac (it boots the disk's HFS+ partition).
void switchToInstalledDisk(VmConfig& config);

}  // namespace tessera::vm
