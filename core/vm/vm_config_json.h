#pragma once
// config.json <-> VmConfig. Reading validates every field and names the one
// that is wrong, so a hand-edited or damaged file tells the user what to fix:
//   config.json: "memory" must be a size like "512M", got "lots"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "core/util/result.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

QJsonObject toJson(const VmConfig& config);
QByteArray toJsonText(const VmConfig& config);  // indented, stable key order

// `source` prefixes messages ("config.json"), so errors read like a path.
Result<VmConfig> fromJson(const QJsonObject& json, const QString& source = QStringLiteral("config.json"));
Result<VmConfig> fromJsonText(const QByteArray& text, const QString& source = QStringLiteral("config.json"));

// A key of config.json this Tessera does not know. It is kept when the file
// is saved again (newer Tessera versions may need it), but it has no effect,
// which is worth a warning: "readOnly": true looks right and does nothing.
struct UnknownKey {
    QString path;        // "disks[0].readOnly"
    QString suggestion;  // the known key it is probably a slip for ("readonly"), or empty
    bool operator==(const UnknownKey&) const = default;
};
QList<UnknownKey> unknownKeysOf(const VmConfig& config);
// config.json: unknown setting "disks[0].readOnly" is ignored; did you mean "readonly"?
QString describeUnknownKey(const UnknownKey& key, const QString& source = QStringLiteral("config.json"));

// The checks fromJson applies, for configs built in memory (wizard, importer).
Status validate(const VmConfig& config, const QString& source = QStringLiteral("config"));

// "52:54:00:12:34:56" (six hex pairs, unicast).
bool isValidMac(const QString& mac);
// Bundle names become directory names: no '/', no leading '.', not empty.
bool isValidVmName(const QString& name, QString* why = nullptr);

}  // namespace tessera::vm
