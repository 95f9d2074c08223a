#include "core/vm/install_answers.h"

#include <crypt.h>

#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <algorithm>

#include "core/vm/uefi_firmware.h"
#include "core/vm/vm_machine_config.h"
#include "core/vm/vm_tr.h"

namespace tessera::vm {

bool isTesseraInstallDisc(const QString& isoPath) {
    // ISO 9660: the primary volume descriptor is sector 16; its volume
    // identifier is 32 bytes at offset 40. The fixture labels the disc
    // TESSERA_INSTALL_DEBIAN13_RV64.
    QFile iso(isoPath);
    if (!iso.open(QIODevice::ReadOnly) || !iso.seek(16 * 2048)) return false;
    const QByteArray descriptor = iso.read(72);
    return descriptor.size() == 72 && descriptor.at(0) == 1 && descriptor.mid(1, 5) == "CD001" &&
           descriptor.mid(40, 16) == "TESSERA_INSTALL_";
}

Result<QString> hashPassword(const QString& password) {
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    // A null entropy source: libxcrypt reads the system's random bytes itself.
    if (!crypt_gensalt_rn("$6$", 0, nullptr, 0, salt, sizeof salt))
        return makeError("cannot make a password salt (no system randomness?)");
    crypt_data data{};
    const char* hashed = crypt_r(password.toUtf8().constData(), salt, &data);
    if (!hashed || hashed[0] != '$') return makeError("cannot hash the password");
    return QString::fromLatin1(hashed);
}

bool isValidUserName(const QString& name) {
    static const QRegularExpression user(QStringLiteral("^[a-z_][a-z0-9_-]{0,31}$"));
    return user.match(name).hasMatch();
}

QString checkInstallAnswers(const InstallAnswers& answers) {
    static const QRegularExpression host(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$"));
    static const QRegularExpression key(
        QStringLiteral("^(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( .*)?$"));
    if (!host.match(answers.hostname).hasMatch())
        return tr("The host name may have letters, digits and '-' (not first), at most 63.");
    if (!isValidUserName(answers.user))
        return tr(
            "The user name must start with a lower-case letter and have only lower-case "
            "letters, digits, '-' and '_' (at most 32).");
    if (answers.passwordHash.isEmpty() && answers.sshKey.isEmpty())
        return tr("Give a password or an SSH public key: otherwise nobody can log in.");
    if (!answers.sshKey.isEmpty() && !key.match(answers.sshKey).hasMatch())
        return tr("The SSH key is not an OpenSSH public key line (ssh-ed25519 AAAA... comment).");
    return {};
}

Status writeAnswersDisk(const QString& path, const InstallAnswers& answers) {
    if (const QString problem = checkInstallAnswers(answers); !problem.isEmpty())
        return makeError(problem.toStdString());
    QByteArray text = QByteArray(kAnswersMagic) + '\n';
    text += "hostname=" + answers.hostname.toUtf8() + '\n';
    text += "user=" + answers.user.toUtf8() + '\n';
    if (!answers.passwordHash.isEmpty()) text += "password_hash=" + answers.passwordHash.toUtf8() + '\n';
    if (!answers.sshKey.isEmpty()) text += "ssh_key=" + answers.sshKey.trimmed().toUtf8() + '\n';
    text.append(QByteArray(kAnswersDiskSize - text.size(), '\0'));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        return makeError(
            tr("Cannot write the install answers %1: %2").arg(path, file.errorString()).toStdString());
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);  // the password hash
    return {};
}

bool shouldRestartAfterInstall(const VmConfig& config) {
    const bool answersAttached = std::any_of(config.disks.begin(), config.disks.end(), [](const Disk& disk) {
        return disk.file == QLatin1String(kAnswersDiskFile);
    });
    return answersAttached && !config.cdrom.isEmpty() && config.boot.afterInstall.isEmpty();
}

void switchToInstalledDisk(VmConfig& config) {
    config.disks.removeIf([](const Disk& disk) { return disk.file == QLatin1String(kAnswersDiskFile); });
    config.cdrom.clear();
    config.boot.order = {QStringLiteral("disk"), QStringLiteral("cdrom")};
    // A Power Mac's OpenBIOS (the default firmware) boots the installed disk itself.
    if (config.boot.firmware.isEmpty() && !isMac99(config))
        config.boot.firmware = QLatin1String(kUefiFirmware);
}

}  // namespace tessera::vm
