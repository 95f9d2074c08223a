// Specification: config.json round-trips every field, and a damaged or
// hand-edited file fails with a message that names the field to fix.

#include <QJsonDocument>
#include <QtTest>

#include "core/vm/size_text.h"
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
    c.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false},
               {QStringLiteral("/srv/data.img"), QStringLiteral("raw"), true}};
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
        QTest::newRow("zero cpus") << QByteArray("cpus") << QJsonValue(0) << QStringLiteral("\"cpus\"");
        QTest::newRow("fractional cpus") << QByteArray("cpus") << QJsonValue(1.5) << QStringLiteral("\"cpus\"");
        QTest::newRow("tiny memory") << QByteArray("memory") << QJsonValue(QStringLiteral("1M")) << QStringLiteral("\"memory\"");
        QTest::newRow("name with slash") << QByteArray("name") << QJsonValue(QStringLiteral("a/b")) << QStringLiteral("\"name\"");
        QTest::newRow("disks not a list") << QByteArray("disks") << QJsonValue(QStringLiteral("disk.qcow2")) << QStringLiteral("\"disks\"");
        QTest::newRow("bad date") << QByteArray("lastRun") << QJsonValue(QStringLiteral("yesterday")) << QStringLiteral("\"lastRun\"");
        QTest::newRow("display") << QByteArray("display") << QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("3d")}})
                                 << QStringLiteral("\"display.type\"");
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
