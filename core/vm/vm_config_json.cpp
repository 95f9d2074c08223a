#include "core/vm/vm_config_json.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <algorithm>
#include <limits>
#include <vector>

#include "core/vm/install_answers.h"
#include "core/vm/port_forward_rule.h"
#include "core/vm/size_text.h"

namespace tessera::vm {

namespace {

// Limits a config may ask for; beyond them the request is surely a typo.
constexpr uint64_t kMinMemory = uint64_t(16) << 20;
constexpr uint64_t kMaxMemory = uint64_t(1) << 40;
constexpr int kMaxCpus = 64;

QString quoted(const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::String: return QLatin1Char('"') + value.toString() + QLatin1Char('"');
        case QJsonValue::Double: return QString::number(value.toDouble());
        case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        case QJsonValue::Null: return QStringLiteral("null");
        case QJsonValue::Array: return QStringLiteral("a list");
        case QJsonValue::Object: return QStringLiteral("an object");
        default: return QStringLiteral("nothing");
    }
}

// Collects the first problem while reading; each accessor names the field path.
class Reader {
public:
    explicit Reader(QString source) : source_(std::move(source)) {}

    bool failed() const { return error_.has_value(); }
    Error error() const { return *error_; }

    void fail(const QString& field, const QString& what, const QJsonValue& got) {
        if (!error_)
            error_ = makeError(QStringLiteral("%1: \"%2\" %3, got %4").arg(source_, field, what, quoted(got)).toStdString());
    }
    void failText(const QString& text) {
        if (!error_) error_ = makeError(QStringLiteral("%1: %2").arg(source_, text).toStdString());
    }

    QString string(const QJsonObject& o, const QString& key, const QString& path, bool required,
                   const QString& fallback = {}) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required) failText(QStringLiteral("\"%1\" is missing").arg(path));
            return fallback;
        }
        if (!v.isString()) fail(path, QStringLiteral("must be text"), v);
        return v.toString();
    }

    bool boolean(const QJsonObject& o, const QString& key, const QString& path, bool fallback) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) return fallback;
        if (!v.isBool()) fail(path, QStringLiteral("must be true or false"), v);
        return v.toBool();
    }

    int integer(const QJsonObject& o, const QString& key, const QString& path, int fallback, int min, int max,
                const QString& what) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) return fallback;
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d != double(qint64(d)) || d < min || d > max) {
            fail(path, what, v);
            return fallback;
        }
        return int(d);
    }

    QJsonObject object(const QJsonObject& o, const QString& key, const QString& path) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) return {};
        if (!v.isObject()) fail(path, QStringLiteral("must be an object { … }"), v);
        return v.toObject();
    }

    QJsonArray array(const QJsonObject& o, const QString& key, const QString& path) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) return {};
        if (!v.isArray()) fail(path, QStringLiteral("must be a list [ … ]"), v);
        return v.toArray();
    }

    QJsonObject element(const QJsonArray& a, int i, const QString& path) {
        const QJsonValue v = a.at(i);
        if (!v.isObject()) fail(path, QStringLiteral("must be an object { … }"), v);
        return v.toObject();
    }

private:
    QString source_;
    std::optional<Error> error_;
};

QString indexed(const QString& list, int i, const QString& field = {}) {
    QString path = QStringLiteral("%1[%2]").arg(list).arg(i);
    if (!field.isEmpty()) path += QLatin1Char('.') + field;
    return path;
}

void checkPort(Reader& r, const QJsonObject& o, const QString& key, const QString& path, uint16_t& out) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
        r.failText(QStringLiteral("\"%1\" is missing").arg(path));
        return;
    }
    out = uint16_t(r.integer(o, key, path, 0, 1, 65535, QStringLiteral("must be a port number from 1 to 65535")));
}

// The address a forward listens on, to find two forwards on one socket
// ("localhost" and "127.0.0.1" are the same); empty for an invalid one.
QString listenAddressOf(const QString& written) {
    const Result<std::string> address = net::parseListenAddress(written.toStdString());
    return address ? QString::fromStdString(*address) : QString();
}

// The keys each config.json object may hold, one table per object, used both
// to set aside what is unknown and to suggest the key that was meant.
const QStringList kTopKeys = {
    QStringLiteral("version"),  QStringLiteral("name"), QStringLiteral("arch"),    QStringLiteral("board"),
    QStringLiteral("memory"),   QStringLiteral("cpus"), QStringLiteral("boot"),    QStringLiteral("disks"),
    QStringLiteral("cdrom"),    QStringLiteral("nics"), QStringLiteral("display"), QStringLiteral("lastRun"),
    QStringLiteral("guestUser")};
const QStringList kBootKeys = {QStringLiteral("firmware"), QStringLiteral("kernel"), QStringLiteral("initrd"),
                               QStringLiteral("append"), QStringLiteral("order"), QStringLiteral("afterInstall")};
const QStringList kDiskKeys = {QStringLiteral("file"), QStringLiteral("format"), QStringLiteral("readonly"),
                               QStringLiteral("acceptedBacking")};
const QStringList kNicKeys = {QStringLiteral("model"), QStringLiteral("mac"), QStringLiteral("nat"),
                              QStringLiteral("forwards")};
const QStringList kForwardKeys = {QStringLiteral("protocol"), QStringLiteral("hostAddress"),
                                  QStringLiteral("hostPort"), QStringLiteral("guestAddress"),
                                  QStringLiteral("guestPort")};
const QStringList kDisplayKeys = {QStringLiteral("type"), QStringLiteral("width"), QStringLiteral("height")};

// The members of `o` that are not in `known`, kept verbatim for the next save.
QJsonObject unknownMembers(const QJsonObject& o, const QStringList& known) {
    QJsonObject unknown;
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key())) unknown.insert(it.key(), it.value());
    return unknown;
}

// `known` written over the kept unknown keys: what this Tessera sets always wins.
QJsonObject withUnknown(const QJsonObject& unknown, const QJsonObject& known) {
    QJsonObject merged = unknown;
    for (auto it = known.begin(); it != known.end(); ++it) merged.insert(it.key(), it.value());
    return merged;
}

// Optimal string alignment distance (Levenshtein plus swapped neighbours),
// ignoring case: "readOnly" is 0 from "readonly", "fromat" 1 from "format".
int editDistance(const QString& a, const QString& b) {
    const QString x = a.toLower(), y = b.toLower();
    const int n = int(x.size()), m = int(y.size());
    std::vector<std::vector<int>> d(size_t(n) + 1, std::vector<int>(size_t(m) + 1));
    for (int i = 0; i <= n; ++i) d[i][0] = i;
    for (int j = 0; j <= m; ++j) d[0][j] = j;
    for (int i = 1; i <= n; ++i)
        for (int j = 1; j <= m; ++j) {
            const int cost = x[i - 1] == y[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}

// The known key closest to `key`, if it is close enough to be a slip of the
// keyboard (one edit for short keys, two for longer ones); empty otherwise.
QString closestKey(const QString& key, const QStringList& known) {
    QString best;
    int bestDistance = std::numeric_limits<int>::max();
    for (const QString& candidate : known) {
        const int distance = editDistance(key, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    const int allowed = std::min(key.size(), best.size()) <= 4 ? 1 : 2;
    return bestDistance <= allowed ? best : QString();
}

void addUnknown(QList<UnknownKey>& out, const QJsonObject& unknown, const QString& base,
                const QStringList& known) {
    for (auto it = unknown.begin(); it != unknown.end(); ++it)
        out << UnknownKey{base.isEmpty() ? it.key() : base + QLatin1Char('.') + it.key(),
                          closestKey(it.key(), known)};
}

}  // namespace

bool isValidMac(const QString& mac) {
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$"));
    if (!pattern.match(mac).hasMatch()) return false;
    // Bit 0 of the first octet marks multicast, which a NIC must not use.
    return (mac.left(2).toInt(nullptr, 16) & 1) == 0;
}

bool isValidVmName(const QString& name, QString* why) {
    auto reject = [&](const QString& reason) {
        if (why) *why = reason;
        return false;
    };
    if (name.trimmed().isEmpty()) return reject(QStringLiteral("the name is empty"));
    if (name != name.trimmed()) return reject(QStringLiteral("the name starts or ends with a space"));
    if (name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\')))
        return reject(QStringLiteral("the name contains a slash"));
    if (name.startsWith(QLatin1Char('.'))) return reject(QStringLiteral("the name starts with a dot"));
    if (name.size() > 100) return reject(QStringLiteral("the name is longer than 100 characters"));
    for (QChar c : name)
        if (c.category() == QChar::Other_Control) return reject(QStringLiteral("the name contains a control character"));
    return true;
}

QJsonObject toJson(const VmConfig& c) {
    QJsonObject boot;
    if (!c.boot.firmware.isEmpty()) boot[QStringLiteral("firmware")] = c.boot.firmware;
    if (!c.boot.kernel.isEmpty()) boot[QStringLiteral("kernel")] = c.boot.kernel;
    if (!c.boot.initrd.isEmpty()) boot[QStringLiteral("initrd")] = c.boot.initrd;
    if (!c.boot.append.isEmpty()) boot[QStringLiteral("append")] = c.boot.append;
    if (!c.boot.order.isEmpty()) boot[QStringLiteral("order")] = QJsonArray::fromStringList(c.boot.order);
    if (!c.boot.afterInstall.isEmpty()) boot[QStringLiteral("afterInstall")] = c.boot.afterInstall;

    QJsonArray disks;
    for (const Disk& d : c.disks) {
        QJsonObject disk{{QStringLiteral("file"), d.file},
                         {QStringLiteral("format"), d.format},
                         {QStringLiteral("readonly"), d.readOnly}};
        if (!d.acceptedBacking.isEmpty())
            disk[QStringLiteral("acceptedBacking")] = QJsonArray::fromStringList(d.acceptedBacking);
        disks.append(withUnknown(d.unknownKeys, disk));
    }
    QJsonArray nics;
    for (const NetworkInterface& n : c.nics) {
        QJsonArray forwards;
        for (const PortForward& f : n.forwards) {
            QJsonObject fw{{QStringLiteral("protocol"), f.protocol},
                           {QStringLiteral("hostAddress"), f.hostAddress},
                           {QStringLiteral("hostPort"), int(f.hostPort)},
                           {QStringLiteral("guestPort"), int(f.guestPort)}};
            if (!f.guestAddress.isEmpty()) fw[QStringLiteral("guestAddress")] = f.guestAddress;
            forwards.append(withUnknown(f.unknownKeys, fw));
        }
        QJsonObject nic{{QStringLiteral("model"), n.model}, {QStringLiteral("nat"), n.nat},
                        {QStringLiteral("forwards"), forwards}};
        if (!n.mac.isEmpty()) nic[QStringLiteral("mac")] = n.mac;
        nics.append(withUnknown(n.unknownKeys, nic));
    }
    QJsonObject json{
        {QStringLiteral("version"), c.version},
        {QStringLiteral("name"), c.name},
        {QStringLiteral("arch"), c.arch},
        {QStringLiteral("board"), c.board},
        {QStringLiteral("memory"), formatSize(c.memoryBytes)},
        {QStringLiteral("cpus"), c.cpus},
        {QStringLiteral("boot"), withUnknown(c.boot.unknownKeys, boot)},
        {QStringLiteral("disks"), disks},
        {QStringLiteral("nics"), nics},
        {QStringLiteral("display"),
         withUnknown(c.display.unknownKeys, QJsonObject{{QStringLiteral("type"), c.display.type},
                                                        {QStringLiteral("width"), c.display.width},
                                                        {QStringLiteral("height"), c.display.height}})},
    };
    if (!c.cdrom.isEmpty()) json[QStringLiteral("cdrom")] = c.cdrom;
    if (!c.guestUser.isEmpty()) json[QStringLiteral("guestUser")] = c.guestUser;
    if (c.lastRun) json[QStringLiteral("lastRun")] = c.lastRun->toUTC().toString(Qt::ISODate);
    return withUnknown(c.unknownKeys, json);
}

QByteArray toJsonText(const VmConfig& config) {
    return QJsonDocument(toJson(config)).toJson(QJsonDocument::Indented);
}

Result<VmConfig> fromJsonText(const QByteArray& text, const QString& source) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Offsets are what QJsonParseError gives; turn them into a line number people can find.
        const int line = int(text.left(parseError.offset).count('\n')) + 1;
        return makeError(QStringLiteral("%1: not valid JSON (line %2: %3)")
                             .arg(source)
                             .arg(line)
                             .arg(parseError.errorString())
                             .toStdString());
    }
    if (!doc.isObject())
        return makeError(QStringLiteral("%1: must hold a JSON object { … } at the top level").arg(source).toStdString());
    return fromJson(doc.object(), source);
}

Result<VmConfig> fromJson(const QJsonObject& json, const QString& source) {
    Reader r(source);
    VmConfig c;

    // The version comes first: a newer format may mean anything below.
    const QJsonValue version = json.value(QStringLiteral("version"));
    if (version.isUndefined())
        return makeError(QStringLiteral("%1: \"version\" is missing (this Tessera writes version %2)")
                             .arg(source)
                             .arg(kConfigVersion)
                             .toStdString());
    if (!version.isDouble() || version.toDouble() != double(version.toInt()) || version.toInt() < 1) {
        r.fail(QStringLiteral("version"), QStringLiteral("must be a whole number like 1"), version);
        return r.error();
    }
    if (version.toInt() > kConfigVersion)
        return makeError(QStringLiteral("%1: written by a newer Tessera (format version %2); this Tessera "
                                        "understands version %3. Update Tessera to open this VM.")
                             .arg(source)
                             .arg(version.toInt())
                             .arg(kConfigVersion)
                             .toStdString());
    c.version = version.toInt();
    c.unknownKeys = unknownMembers(json, kTopKeys);

    c.name = r.string(json, QStringLiteral("name"), QStringLiteral("name"), true);
    c.arch = r.string(json, QStringLiteral("arch"), QStringLiteral("arch"), true);
    c.board = r.string(json, QStringLiteral("board"), QStringLiteral("board"), false, defaultBoardFor(c.arch));

    const QJsonValue memory = json.value(QStringLiteral("memory"));
    if (memory.isUndefined()) {
        r.failText(QStringLiteral("\"memory\" is missing (for example \"memory\": \"512M\")"));
    } else {
        const auto bytes = memory.isString() ? parseSize(memory.toString()) : std::nullopt;
        if (!bytes) r.fail(QStringLiteral("memory"), QStringLiteral("must be a size like \"512M\""), memory);
        else c.memoryBytes = *bytes;
    }
    c.cpus = r.integer(json, QStringLiteral("cpus"), QStringLiteral("cpus"), 1, 1, kMaxCpus,
                       QStringLiteral("must be a whole number from 1 to %1").arg(kMaxCpus));

    const QJsonObject boot = r.object(json, QStringLiteral("boot"), QStringLiteral("boot"));
    c.boot.unknownKeys = unknownMembers(boot, kBootKeys);
    c.boot.firmware = r.string(boot, QStringLiteral("firmware"), QStringLiteral("boot.firmware"), false);
    c.boot.kernel = r.string(boot, QStringLiteral("kernel"), QStringLiteral("boot.kernel"), false);
    c.boot.initrd = r.string(boot, QStringLiteral("initrd"), QStringLiteral("boot.initrd"), false);
    c.boot.append = r.string(boot, QStringLiteral("append"), QStringLiteral("boot.append"), false);
    c.boot.afterInstall = r.string(boot, QStringLiteral("afterInstall"), QStringLiteral("boot.afterInstall"), false);
    const QJsonArray order = r.array(boot, QStringLiteral("order"), QStringLiteral("boot.order"));
    for (int i = 0; i < order.size(); ++i) {
        if (!order.at(i).isString()) r.fail(indexed(QStringLiteral("boot.order"), i), QStringLiteral("must be \"disk\" or \"cdrom\""), order.at(i));
        c.boot.order << order.at(i).toString();
    }

    const QJsonArray disks = r.array(json, QStringLiteral("disks"), QStringLiteral("disks"));
    for (int i = 0; i < disks.size() && !r.failed(); ++i) {
        const QJsonObject d = r.element(disks, i, indexed(QStringLiteral("disks"), i));
        Disk disk;
        disk.file = r.string(d, QStringLiteral("file"), indexed(QStringLiteral("disks"), i, QStringLiteral("file")), true);
        disk.format = r.string(d, QStringLiteral("format"), indexed(QStringLiteral("disks"), i, QStringLiteral("format")),
                               false, QStringLiteral("qcow2"));
        disk.readOnly = r.boolean(d, QStringLiteral("readonly"), indexed(QStringLiteral("disks"), i, QStringLiteral("readonly")), false);
        const QString acceptedPath = indexed(QStringLiteral("disks"), i, QStringLiteral("acceptedBacking"));
        const QJsonArray accepted = r.array(d, QStringLiteral("acceptedBacking"), acceptedPath);
        for (int j = 0; j < accepted.size(); ++j) {
            if (!accepted.at(j).isString())
                r.fail(indexed(acceptedPath, j), QStringLiteral("must be text"), accepted.at(j));
            disk.acceptedBacking << accepted.at(j).toString();
        }
        disk.unknownKeys = unknownMembers(d, kDiskKeys);
        c.disks << disk;
    }
    c.cdrom = r.string(json, QStringLiteral("cdrom"), QStringLiteral("cdrom"), false);
    c.guestUser = r.string(json, QStringLiteral("guestUser"), QStringLiteral("guestUser"), false);

    const QJsonArray nics = r.array(json, QStringLiteral("nics"), QStringLiteral("nics"));
    for (int i = 0; i < nics.size() && !r.failed(); ++i) {
        const QString base = indexed(QStringLiteral("nics"), i);
        const QJsonObject n = r.element(nics, i, base);
        NetworkInterface nic;
        nic.model = r.string(n, QStringLiteral("model"), base + QStringLiteral(".model"), false, nic.model);
        nic.mac = r.string(n, QStringLiteral("mac"), base + QStringLiteral(".mac"), false);
        nic.nat = r.boolean(n, QStringLiteral("nat"), base + QStringLiteral(".nat"), true);
        nic.unknownKeys = unknownMembers(n, kNicKeys);
        const QJsonArray forwards = r.array(n, QStringLiteral("forwards"), base + QStringLiteral(".forwards"));
        for (int j = 0; j < forwards.size() && !r.failed(); ++j) {
            const QString fbase = indexed(base + QStringLiteral(".forwards"), j);
            const QJsonObject f = r.element(forwards, j, fbase);
            PortForward fw;
            fw.protocol = r.string(f, QStringLiteral("protocol"), fbase + QStringLiteral(".protocol"), false, fw.protocol);
            fw.hostAddress = r.string(f, QStringLiteral("hostAddress"), fbase + QStringLiteral(".hostAddress"), false, fw.hostAddress);
            fw.guestAddress = r.string(f, QStringLiteral("guestAddress"), fbase + QStringLiteral(".guestAddress"), false);
            checkPort(r, f, QStringLiteral("hostPort"), fbase + QStringLiteral(".hostPort"), fw.hostPort);
            checkPort(r, f, QStringLiteral("guestPort"), fbase + QStringLiteral(".guestPort"), fw.guestPort);
            fw.unknownKeys = unknownMembers(f, kForwardKeys);
            nic.forwards << fw;
        }
        c.nics << nic;
    }

    const QJsonObject display = r.object(json, QStringLiteral("display"), QStringLiteral("display"));
    c.display.unknownKeys = unknownMembers(display, kDisplayKeys);
    c.display.type = r.string(display, QStringLiteral("type"), QStringLiteral("display.type"), false, c.display.type);
    c.display.width = r.integer(display, QStringLiteral("width"), QStringLiteral("display.width"), c.display.width, 320,
                                8192, QStringLiteral("must be a width in pixels from 320 to 8192"));
    c.display.height = r.integer(display, QStringLiteral("height"), QStringLiteral("display.height"), c.display.height,
                                 200, 8192, QStringLiteral("must be a height in pixels from 200 to 8192"));

    const QJsonValue lastRun = json.value(QStringLiteral("lastRun"));
    if (!lastRun.isUndefined() && !lastRun.isNull()) {
        const QDateTime when = QDateTime::fromString(lastRun.toString(), Qt::ISODate);
        if (!lastRun.isString() || !when.isValid())
            r.fail(QStringLiteral("lastRun"), QStringLiteral("must be a date like \"2026-01-31T12:00:00Z\""), lastRun);
        else c.lastRun = when.toUTC();
    }

    if (r.failed()) return r.error();
    if (Status s = validate(c, source); !s) return s.error();
    return c;
}

Status validate(const VmConfig& c, const QString& source) {
    auto bad = [&](const QString& field, const QString& what, const QString& got) {
        return Status(makeError(QStringLiteral("%1: \"%2\" %3, got \"%4\"").arg(source, field, what, got).toStdString()));
    };
    QString why;
    if (!isValidVmName(c.name, &why))
        return Status(makeError(QStringLiteral("%1: \"name\" is not usable: %2").arg(source, why).toStdString()));
    if (!knownArchitectures().contains(c.arch))
        return bad(QStringLiteral("arch"), QStringLiteral("must be one of %1").arg(knownArchitectures().join(QStringLiteral(", "))), c.arch);
    // A board name is shown, written into QEMU commands and picks the machine: a
    // downloaded config.json may only name one the way QEMU spells them.
    static const QRegularExpression boardName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    if (!boardName.match(c.board).hasMatch())
        return bad(QStringLiteral("board"), QStringLiteral("must name a board like \"virt\" or \"mac99\""),
                   c.board);
    if (c.memoryBytes < kMinMemory || c.memoryBytes > kMaxMemory)
        return bad(QStringLiteral("memory"), QStringLiteral("must be between 16M and 1T"), formatSize(c.memoryBytes));
    if (c.cpus < 1 || c.cpus > kMaxCpus)
        return bad(QStringLiteral("cpus"), QStringLiteral("must be a whole number from 1 to %1").arg(kMaxCpus), QString::number(c.cpus));
    if (!c.boot.initrd.isEmpty() && c.boot.kernel.isEmpty())
        return Status(makeError(QStringLiteral("%1: \"boot.initrd\" is set but \"boot.kernel\" is not; an initrd needs a kernel")
                                    .arg(source).toStdString()));
    for (int i = 0; i < c.boot.order.size(); ++i) {
        const QString& o = c.boot.order[i];
        if (o != QLatin1String("disk") && o != QLatin1String("cdrom"))
            return bad(indexed(QStringLiteral("boot.order"), i), QStringLiteral("must be \"disk\" or \"cdrom\""), o);
    }
    if (!c.guestUser.isEmpty() && !isValidUserName(c.guestUser))  // it goes into a copied shell command
        return bad(QStringLiteral("guestUser"),
                   QStringLiteral("must be a user name like \"me\" (a-z, 0-9, '-', '_')"), c.guestUser);
    if (!c.boot.afterInstall.isEmpty() && c.boot.afterInstall != QLatin1String("stop"))
        return bad(QStringLiteral("boot.afterInstall"), QStringLiteral("must be \"stop\" or absent"), c.boot.afterInstall);
    for (int i = 0; i < c.disks.size(); ++i) {
        const Disk& d = c.disks[i];
        if (d.file.isEmpty()) return bad(indexed(QStringLiteral("disks"), i, QStringLiteral("file")), QStringLiteral("must name an image file"), d.file);
        if (d.format != QLatin1String("qcow2") && d.format != QLatin1String("raw"))
            return bad(indexed(QStringLiteral("disks"), i, QStringLiteral("format")), QStringLiteral("must be \"qcow2\" or \"raw\""), d.format);
        for (int j = 0; j < d.acceptedBacking.size(); ++j)
            if (!QDir::isAbsolutePath(d.acceptedBacking[j]))
                return bad(indexed(indexed(QStringLiteral("disks"), i, QStringLiteral("acceptedBacking")), j),
                           QStringLiteral("must be the absolute path of a file"), d.acceptedBacking[j]);
    }
    for (int i = 0; i < c.nics.size(); ++i) {
        const NetworkInterface& n = c.nics[i];
        const QString base = indexed(QStringLiteral("nics"), i);
        if (n.model.isEmpty()) return bad(base + QStringLiteral(".model"), QStringLiteral("must name a network card like \"virtio-net\""), n.model);
        if (!n.mac.isEmpty() && !isValidMac(n.mac))
            return bad(base + QStringLiteral(".mac"), QStringLiteral("must be a unicast MAC address like \"52:54:00:12:34:56\""), n.mac);
        for (int j = 0; j < n.forwards.size(); ++j) {
            const PortForward& f = n.forwards[j];
            const QString fbase = indexed(base + QStringLiteral(".forwards"), j);
            // The network's one validator: what listens where is decided in one place.
            const Result<net::HostForward> rule = hostForwardFor(f, fbase);
            if (!rule)
                return Status(makeError(QStringLiteral("%1: ").arg(source).toStdString() + rule.message()));
            for (int k = 0; k < j; ++k) {
                const PortForward& other = n.forwards[k];
                if (other.protocol == f.protocol && other.hostPort == f.hostPort &&
                    listenAddressOf(other.hostAddress) == listenAddressOf(f.hostAddress))
                    return bad(fbase + QStringLiteral(".hostPort"),
                               QStringLiteral("is already used by %1").arg(indexed(base + QStringLiteral(".forwards"), k)),
                               QString::number(f.hostPort));
            }
        }
    }
    if (c.display.type != QLatin1String("framebuffer") && c.display.type != QLatin1String("none"))
        return bad(QStringLiteral("display.type"), QStringLiteral("must be \"framebuffer\" or \"none\""), c.display.type);
    return Status::success();
}

QList<UnknownKey> unknownKeysOf(const VmConfig& c) {
    QList<UnknownKey> out;
    addUnknown(out, c.unknownKeys, QString(), kTopKeys);
    addUnknown(out, c.boot.unknownKeys, QStringLiteral("boot"), kBootKeys);
    for (int i = 0; i < c.disks.size(); ++i)
        addUnknown(out, c.disks[i].unknownKeys, indexed(QStringLiteral("disks"), i), kDiskKeys);
    for (int i = 0; i < c.nics.size(); ++i) {
        const QString base = indexed(QStringLiteral("nics"), i);
        addUnknown(out, c.nics[i].unknownKeys, base, kNicKeys);
        for (int j = 0; j < c.nics[i].forwards.size(); ++j)
            addUnknown(out, c.nics[i].forwards[j].unknownKeys, indexed(base + QStringLiteral(".forwards"), j),
                       kForwardKeys);
    }
    addUnknown(out, c.display.unknownKeys, QStringLiteral("display"), kDisplayKeys);
    return out;
}

QString describeUnknownKey(const UnknownKey& key, const QString& source) {
    QString text = QStringLiteral("%1: unknown setting \"%2\" is ignored").arg(source, key.path);
    if (!key.suggestion.isEmpty()) text += QStringLiteral("; did you mean \"%1\"?").arg(key.suggestion);
    return text;
}

}  // namespace tessera::vm
