// Specification: config.json round-trips every field, and a damaged or
// hand-edited file fails with a message that names the field to fix. Keys this
// Tessera does not know survive every save at every level, and are reported
// with the key that was probably meant.

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/size_text.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config_json.h"

using namespace tessera::vm;
using tessera::Status;

namespace {

VmConfig fullConfig() {
    VmConfig c;
    c.name = QStringLiteral("Debian 测试");
    c.arch = QStringLiteral("riscv64");
    c.board = QStringLiteral("virt");
    c.memoryBytes = uint64_t(1536) << 20;
    c.cpus = 2;
    c.boot.firmware = QStringLiteral("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin");
    c.boot.kernel = QStringLiteral("Image");
    c.boot.initrd = QStringLiteral("initrd.cpio");
    c.boot.append = QStringLiteral("console=ttyS0 root=/dev/vda rw");
    c.boot.order = {QStringLiteral("cdrom"), QStringLiteral("disk")};
    c.boot.afterInstall = QStringLiteral("stop");
    c.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false},
               {QStringLiteral("/srv/data.img"), QStringLiteral("raw"), true}};
    c.disks[0].acceptedBacking = {QStringLiteral("/srv/images/debian-base.qcow2")};
    c.cdrom = QStringLiteral("debian-13-riscv64-netinst.iso");
    NetworkInterface nic;
    nic.mac = QStringLiteral("52:54:00:12:34:56");
    nic.forwards = {{QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), 2222, QString(), 22},
                    {QStringLiteral("udp"), QStringLiteral("0.0.0.0"), 5353, QStringLiteral("10.0.2.15"), 53}};
    c.nics = {nic};
    c.display = {QStringLiteral("framebuffer"), 1280, 800};
    c.lastRun = QDateTime(QDate(2026, 11, 26), QTime(10, 30, 0), Qt::UTC);
    return c;
}

QByteArray withField(const QByteArray& key, const QJsonValue& value) {
    QJsonObject json = toJson(fullConfig());
    json[QString::fromLatin1(key)] = value;
    return QJsonDocument(json).toJson();
}

// config.json of fullConfig() with a hand-added key in every object Tessera writes.
QJsonObject withUnknownKeysEverywhere() {
    QJsonObject json = toJson(fullConfig());
    json[QStringLiteral("futureFeature")] = QJsonObject{{QStringLiteral("level"), 3}};
    QJsonObject boot = json[QStringLiteral("boot")].toObject();
    boot[QStringLiteral("dtb")] = QStringLiteral("board.dtb");
    json[QStringLiteral("boot")] = boot;
    QJsonArray disks = json[QStringLiteral("disks")].toArray();
    QJsonObject disk = disks[0].toObject();
    disk[QStringLiteral("readOnly")] = true;  // the typo of "readonly" the issue is about
    disks[0] = disk;
    json[QStringLiteral("disks")] = disks;
    QJsonArray nics = json[QStringLiteral("nics")].toArray();
    QJsonObject nic = nics[0].toObject();
    nic[QStringLiteral("queues")] = 4;
    QJsonArray forwards = nic[QStringLiteral("forwards")].toArray();
    QJsonObject forward = forwards[1].toObject();
    forward[QStringLiteral("hostport")] = 5353;
    forwards[1] = forward;
    nic[QStringLiteral("forwards")] = forwards;
    nics[0] = nic;
    json[QStringLiteral("nics")] = nics;
    QJsonObject display = json[QStringLiteral("display")].toObject();
    display[QStringLiteral("scale")] = 2;
    json[QStringLiteral("display")] = display;
    return json;
}

QString errorFor(const QByteArray& text) {
    const auto result = fromJsonText(text);
    if (result.ok()) return QStringLiteral("<accepted>");
    return QString::fromStdString(result.message());
}

}  // namespace

class VmConfigTest : public QObject {
    Q_OBJECT
private slots:
    void everyFieldSurvivesARoundTrip() {
        const VmConfig original = fullConfig();
        const auto loaded = fromJsonText(toJsonText(original));
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
        QVERIFY(*loaded == original);
    }

    void theFileIsVersionedAndHumanReadable() {
        const QJsonObject json = toJson(fullConfig());
        QCOMPARE(json.value(QStringLiteral("version")).toInt(), 1);
        QCOMPARE(json.value(QStringLiteral("memory")).toString(), QStringLiteral("1536M"));
        QVERIFY(toJsonText(fullConfig()).contains("\n    \"name\": \"Debian"));
    }

    void memoryThatIsNotASizeNamesTheField() {
        QCOMPARE(errorFor(withField("memory", QStringLiteral("lots"))),
                 QStringLiteral("config.json: \"memory\" must be a size like \"512M\", got \"lots\""));
        QCOMPARE(errorFor(withField("memory", 512)),
                 QStringLiteral("config.json: \"memory\" must be a size like \"512M\", got 512"));
    }

    void nestedFieldsAreNamedWithTheirPath() {
        QJsonObject json = toJson(fullConfig());
        QJsonArray disks = json[QStringLiteral("disks")].toArray();
        QJsonObject disk = disks[1].toObject();
        disk[QStringLiteral("format")] = QStringLiteral("vmdk");
        disks[1] = disk;
        json[QStringLiteral("disks")] = disks;
        QCOMPARE(errorFor(QJsonDocument(json).toJson()),
                 QStringLiteral("config.json: \"disks[1].format\" must be \"qcow2\" or \"raw\", got \"vmdk\""));

        json = toJson(fullConfig());
        QJsonArray nics = json[QStringLiteral("nics")].toArray();
        QJsonObject nic = nics[0].toObject();
        QJsonArray forwards = nic[QStringLiteral("forwards")].toArray();
        QJsonObject fw = forwards[0].toObject();
        fw[QStringLiteral("hostPort")] = 70000;
        forwards[0] = fw;
        nic[QStringLiteral("forwards")] = forwards;
        nics[0] = nic;
        json[QStringLiteral("nics")] = nics;
        QCOMPARE(errorFor(QJsonDocument(json).toJson()),
                 QStringLiteral("config.json: \"nics[0].forwards[0].hostPort\" must be a port number from 1 to 65535, got 70000"));
    }

    void badValuesAreRejected_data() {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown arch") << QByteArray("arch") << QJsonValue(QStringLiteral("vax")) << QStringLiteral("\"arch\"");
        // A downloaded config.json names the board; it reaches QEMU commands and picks the machine.
        QTest::newRow("board with a command")
            << QByteArray("board") << QJsonValue(QStringLiteral("mac99; rm -rf ~"))
            << QStringLiteral("\"board\"");
        QTest::newRow("board with a newline")
            << QByteArray("board") << QJsonValue(QStringLiteral("mac99\n-bios x"))
            << QStringLiteral("\"board\"");
        QTest::newRow("zero cpus") << QByteArray("cpus") << QJsonValue(0) << QStringLiteral("\"cpus\"");
        QTest::newRow("fractional cpus") << QByteArray("cpus") << QJsonValue(1.5) << QStringLiteral("\"cpus\"");
        QTest::newRow("tiny memory") << QByteArray("memory") << QJsonValue(QStringLiteral("1M")) << QStringLiteral("\"memory\"");
        QTest::newRow("name with slash") << QByteArray("name") << QJsonValue(QStringLiteral("a/b")) << QStringLiteral("\"name\"");
        QTest::newRow("disks not a list") << QByteArray("disks") << QJsonValue(QStringLiteral("disk.qcow2")) << QStringLiteral("\"disks\"");
        QTest::newRow("bad date") << QByteArray("lastRun") << QJsonValue(QStringLiteral("yesterday")) << QStringLiteral("\"lastRun\"");
        QTest::newRow("display") << QByteArray("display") << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("3d")}})
                                 << QStringLiteral("\"display.type\"");
        QTest::newRow("after install") << QByteArray("boot")
                                       << QJsonValue(QJsonObject{{QStringLiteral("afterInstall"), QStringLiteral("reboot")}})
                                       << QStringLiteral("\"boot.afterInstall\"");
    }
    void badValuesAreRejected() {
        QFETCH(QByteArray, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, mentions);
        const QString error = errorFor(withField(key, value));
        QVERIFY2(error.startsWith(QStringLiteral("config.json: ")) && error.contains(mentions), qPrintable(error));
    }

    void aFutureVersionSaysToUpdateTessera() {
        const QString error = errorFor(withField("version", 7));
        QVERIFY2(error.contains(QStringLiteral("newer Tessera (format version 7)")) &&
                     error.contains(QStringLiteral("Update Tessera")), qPrintable(error));
    }

    void aMissingVersionOrFieldIsNamed() {
        QJsonObject json = toJson(fullConfig());
        json.remove(QStringLiteral("version"));
        QVERIFY(errorFor(QJsonDocument(json).toJson()).contains(QStringLiteral("\"version\" is missing")));
        json = toJson(fullConfig());
        json.remove(QStringLiteral("memory"));
        QVERIFY(errorFor(QJsonDocument(json).toJson()).contains(QStringLiteral("\"memory\" is missing")));
    }

    void brokenJsonGivesTheLine() {
        const QString error = errorFor("{\n  \"version\": 1,\n  \"name\": \"x\"\n  \"arch\": \"riscv64\"\n}");
        QVERIFY2(error.startsWith(QStringLiteral("config.json: not valid JSON (line 4")), qPrintable(error));
        QVERIFY(errorFor("[1, 2]").contains(QStringLiteral("JSON object")));
        QVERIFY(errorFor("").contains(QStringLiteral("not valid JSON")));
    }

    void duplicateHostPortsAreCaught() {
        VmConfig c = fullConfig();
        c.nics[0].forwards << PortForward{QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), 2222, QString(), 80};
        const Status s = validate(c);
        QVERIFY(!s.ok());
        QVERIFY2(QString::fromStdString(s.message()).contains(QStringLiteral("nics[0].forwards[2].hostPort")), s.message().c_str());
    }

    void forwardAddressesAreIpv4OrLocalhost() {
        // What listens is specified in forward_exposure_test; here: what config.json accepts.
        for (const char* fine : {"127.0.0.1", "localhost", "0.0.0.0", "192.168.1.20", ""}) {
            VmConfig c = fullConfig();
            c.nics[0].forwards[0].hostAddress = QLatin1String(fine);
            QVERIFY2(validate(c).ok(), fine);
        }
        for (const char* refused :
             {"::1", "[::1]", "localhost6", "my-laptop", "127.1", "0.0.0.0 ", "1.2.3.4.5"}) {
            VmConfig c = fullConfig();
            c.nics[0].forwards[1].hostAddress = QLatin1String(refused);
            const Status s = validate(c);
            QVERIFY2(!s.ok(), refused);
            QVERIFY2(QString::fromStdString(s.message())
                         .contains(QStringLiteral(
                                       ": nics[0].forwards[1].hostAddress: \"%1\" is not an IPv4 address; ")
                                       .arg(QLatin1String(refused))),
                     s.message().c_str());
        }
        VmConfig c = fullConfig();
        c.nics[0].forwards[0].guestAddress = QStringLiteral("fe80::1");
        QVERIFY(QString::fromStdString(validate(c).message())
                    .contains(QStringLiteral("nics[0].forwards[0].guestAddress: \"fe80::1\"")));
        // "localhost" and 127.0.0.1 are one socket: the same port twice is caught.
        c = fullConfig();
        c.nics[0].forwards << PortForward{QStringLiteral("tcp"), QStringLiteral("localhost"), 2222, QString(),
                                          80};
        QVERIFY(QString::fromStdString(validate(c).message())
                    .contains(QStringLiteral("nics[0].forwards[2].hostPort")));
    }

    void unknownKeysSurviveEverySave() {
        const QJsonObject handEdited = withUnknownKeysEverywhere();
        auto loaded = fromJson(handEdited);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
        QCOMPARE(toJson(*loaded), handEdited);  // written back exactly as found
        // Also through the bundle, after a change the app makes (the runner's lastRun, a setting).
        QTemporaryDir dir;
        const VmBundle bundle(dir.path());
        loaded->memoryBytes = uint64_t(2) << 30;
        QVERIFY(bundle.save(*loaded).ok());
        const QJsonObject saved = toJson(*bundle.load());
        QCOMPARE(saved[QStringLiteral("futureFeature")], handEdited[QStringLiteral("futureFeature")]);
        QCOMPARE(saved[QStringLiteral("boot")].toObject()[QStringLiteral("dtb")].toString(),
                 QStringLiteral("board.dtb"));
        QCOMPARE(saved[QStringLiteral("disks")].toArray()[0].toObject()[QStringLiteral("readOnly")],
                 QJsonValue(true));
        const QJsonObject nic = saved[QStringLiteral("nics")].toArray()[0].toObject();
        QCOMPARE(nic[QStringLiteral("queues")].toInt(), 4);
        QCOMPARE(nic[QStringLiteral("forwards")].toArray()[1].toObject()[QStringLiteral("hostport")].toInt(),
                 5353);
        QCOMPARE(saved[QStringLiteral("display")].toObject()[QStringLiteral("scale")].toInt(), 2);
        QCOMPARE(saved[QStringLiteral("memory")].toString(), QStringLiteral("2G"));
        // The key that means something wins over nothing: the typo does not make the disk read-only.
        QVERIFY(!bundle.load()->disks[0].readOnly);
    }

    void unknownKeysAreReportedWithTheirPathAndTheKeyMeant() {
        const auto loaded = fromJson(withUnknownKeysEverywhere());
        QVERIFY(loaded.ok());
        const QList<UnknownKey> unknown = unknownKeysOf(*loaded);
        const QList<UnknownKey> expected = {
            {QStringLiteral("futureFeature"), QString()},
            {QStringLiteral("boot.dtb"), QString()},
            {QStringLiteral("disks[0].readOnly"), QStringLiteral("readonly")},
            {QStringLiteral("nics[0].queues"), QString()},
            {QStringLiteral("nics[0].forwards[1].hostport"), QStringLiteral("hostPort")},
            {QStringLiteral("display.scale"), QString()},
        };
        QCOMPARE(unknown, expected);
        QCOMPARE(
            describeUnknownKey(unknown[2]),
            QStringLiteral(
                "config.json: unknown setting \"disks[0].readOnly\" is ignored; did you mean \"readonly\"?"));
        QCOMPARE(describeUnknownKey(unknown[0]),
                 QStringLiteral("config.json: unknown setting \"futureFeature\" is ignored"));
        QVERIFY(unknownKeysOf(fullConfig()).isEmpty());
    }

    void didYouMeanSuggestsOnlyNearMisses_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("suggestion");
        QTest::newRow("case") << QStringLiteral("Memory") << QStringLiteral("memory");
        QTest::newRow("swapped letters") << QStringLiteral("nmae") << QStringLiteral("name");
        QTest::newRow("one letter missing") << QStringLiteral("cpu") << QStringLiteral("cpus");
        QTest::newRow("two edits, long key") << QStringLiteral("memroyy") << QStringLiteral("memory");
        QTest::newRow("lower case") << QStringLiteral("lastrun") << QStringLiteral("lastRun");
        QTest::newRow("unrelated") << QStringLiteral("colour") << QString();
        QTest::newRow("too far for a short key") << QStringLiteral("ram") << QString();
    }
    void didYouMeanSuggestsOnlyNearMisses() {
        QFETCH(QString, key);
        QFETCH(QString, suggestion);
        const auto loaded = fromJsonText(withField(key.toUtf8(), 1));
        QVERIFY(loaded.ok());
        const QList<UnknownKey> unknown = unknownKeysOf(*loaded);
        QCOMPARE(unknown.size(), 1);
        QCOMPARE(unknown[0].path, key);
        QCOMPARE(unknown[0].suggestion, suggestion);
    }

    void everyKeyTesseraWritesIsAKnownKey() {
        // fullConfig() sets every field, optional ones included; a key added to
        // toJson() but not to the reader's tables would come back as unknown.
        const auto loaded = fromJson(toJson(fullConfig()));
        QVERIFY(loaded.ok());
        for (const UnknownKey& key : unknownKeysOf(*loaded)) QFAIL(qPrintable(describeUnknownKey(key)));
        QCOMPARE(*loaded, fullConfig());
    }

    void acceptedBackingFilesAreAbsolutePaths() {
        VmConfig c = fullConfig();
        c.disks[0].acceptedBacking = {QStringLiteral("base.qcow2")};
        QCOMPARE(QString::fromStdString(validate(c, QStringLiteral("config.json")).message()),
                 QStringLiteral("config.json: \"disks[0].acceptedBacking[0]\" must be the absolute path of a "
                                "file, got \"base.qcow2\""));
    }

    void sizesParseAndPrintAsQemuDoes() {
        QCOMPARE(parseSize(QStringLiteral("512M")).value(), uint64_t(512) << 20);
        QCOMPARE(parseSize(QStringLiteral("1.5G")).value(), uint64_t(1536) << 20);
        QCOMPARE(parseSize(QStringLiteral("15 GiB")).value(), uint64_t(15) << 30);
        QCOMPARE(parseSize(QStringLiteral("512"), 'M').value(), uint64_t(512) << 20);
        QCOMPARE(parseSize(QStringLiteral("4096")).value(), uint64_t(4096));
        QVERIFY(!parseSize(QStringLiteral("lots")));
        QVERIFY(!parseSize(QStringLiteral("-1G")));
        QVERIFY(!parseSize(QStringLiteral("99999999999999999999T")));
        QVERIFY(!parseSize(QStringLiteral("20000000T")));
        QCOMPARE(formatSize(uint64_t(1) << 30), QStringLiteral("1G"));
        QCOMPARE(formatSize(uint64_t(1536) << 20), QStringLiteral("1536M"));
        QCOMPARE(formatSize(1000), QStringLiteral("1000"));
        QCOMPARE(formatSizeForHumans(uint64_t(1536) << 20), QStringLiteral("1.5 GiB"));
    }

    void macAddresses() {
        QVERIFY(isValidMac(QStringLiteral("52:54:00:12:34:56")));
        QVERIFY(!isValidMac(QStringLiteral("01:00:5e:00:00:01")));  // multicast
        QVERIFY(!isValidMac(QStringLiteral("52:54:00:12:34")));
        QVERIFY(!isValidMac(QStringLiteral("52-54-00-12-34-56")));
    }
};

QTEST_GUILESS_MAIN(VmConfigTest)
#include "vm_config_test.moc"
