// Specification: the VM window runs a real Linux guest (the BusyBox initramfs
// fixture on Debian's OpenSBI, with a virtio-gpu display, virtio keyboard and
// tablet, a CD-ROM drive and a NIC) and a person can use it without a terminal:
// - the Display tab shows the guest's framebuffer console at the configured size,
//   fitted or in whole multiples, or full screen; the status bar shows the speed,
//   explained in its tooltip, and an idle guest (waiting in WFI) as "Idle";
// - keys typed into the screen reach the shell on tty1, Send Key sends Ctrl+Alt+Del;
// - mouse moves over the screen reach the guest as absolute (EV_ABS) positions;
// - Change Disc puts a new ISO into the drive and the guest reads its files;
// - a port forward added in Port Forwards… while the VM runs reaches a guest server from 127.0.0.1,
//   and a host port that is taken is refused with a message;
// - Resize Guest with Window offers the window's size as the guest's preferred mode;
// - Reset reboots the guest; Shut Down presses the power button, this guest powers off,
//   and the last frame it showed becomes the library thumbnail.
// - Pause dims the screen under a "Paused" sign, and keys typed while paused never reach the guest.
// The guest has two CPUs; it is driven through the Serial Console (ttyS0) and
// booted once for all checks, in this order.

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_library.h"
#include "linux_guest_fixture.h"
#include "support/listening_sockets.h"
#include "ui/framebuffer_view.h"
#include "ui/port_forward_editor.h"
#include "ui/port_forwards_dialog.h"
#include "ui/vm_window.h"

using namespace tessera;

class VmWindowLinuxTest : public QObject {
    Q_OBJECT

    QTemporaryDir root_;
    std::unique_ptr<ui::VmWindow> window_;

    ui::FramebufferView* screen() const { return window_->screen(); }
    QString console() const { return window_->console()->text(); }

    // Types a command into the serial shell (none if null) and waits for
    // `expect` in what the guest prints afterwards; returns the match.
    QRegularExpressionMatch serial(const QString& command, const QString& expect, int timeoutMs = 60000) {
        const qsizetype from = console().size();
        if (!command.isNull()) window_->runner()->sendSerialInput((command + QLatin1Char('\n')).toUtf8());
        const QRegularExpression pattern(expect);
        QRegularExpressionMatch match;
        QElapsedTimer waited;
        waited.start();
        while (!(match = pattern.match(console(), from)).hasMatch() && waited.elapsed() < timeoutMs)
            QTest::qWait(50);
        if (!match.hasMatch()) qWarning().noquote() << "console so far:\n" << console().right(3000);
        return match;
    }

    static QString makeIso(const QString& dir, const QString& name, const QString& fileName,
                           const QByteArray& data) {
        QDir(dir).mkpath(name);
        QFile file(QDir(dir).filePath(name + QLatin1Char('/') + fileName));
        if (!file.open(QIODevice::WriteOnly)) return {};
        file.write(data);
        file.close();
        const QString iso = QDir(dir).filePath(name + QStringLiteral(".iso"));
        const int status = QProcess::execute(
            QStringLiteral("xorriso"),
            {QStringLiteral("-as"), QStringLiteral("mkisofs"), QStringLiteral("-quiet"), QStringLiteral("-V"),
             name.toUpper(), QStringLiteral("-o"), iso, QDir(dir).filePath(name)});
        return status == 0 ? iso : QString();
    }

private slots:
    void initTestCase() {
        QString error;
        const auto fx = testing::guestFixtures(&error);
        if (fx.isEmpty())
            QSKIP(qPrintable(QStringLiteral("the Linux guest fixture could not be built: ") + error));
        if (QStandardPaths::findExecutable(QStringLiteral("xorriso")).isEmpty())
            QSKIP("xorriso is needed to make the test's CD (scripts/setup.sh installs it)");

        vm::VmConfig config = testing::linuxGuestConfig(fx);
        // Two harts, as the app proposes for new VMs on a multi-core host:
        // the keyboard once hung such a guest (the first burst of typed keys
        // filled the event queue, and the device's polling of the full queue
        // starved hart 0).
        config.cpus = 2;
        const auto bundle = vm::VmBundle::create(root_.path(), config);
        QVERIFY2(bundle.ok(), bundle.ok() ? "" : bundle.error().message.c_str());

        window_ = std::make_unique<ui::VmWindow>(vm::VmLibrary::loadEntry(bundle->directory()));
        window_->show();
        const Status started = window_->start();
        QVERIFY2(started.ok(), started.ok() ? "" : started.message().c_str());
        QVERIFY(serial(QString(), QStringLiteral("TESSERA-GUEST-READY Linux[\\s\\S]*tessera:/# "), 240000)
                    .hasMatch());
    }

    void theDisplayTabShowsTheGuestScreenAtTheConfiguredSize() {
        QVERIFY(screen());
        QCOMPARE(window_->tabs()->currentWidget(), screen());
        QTRY_COMPARE_WITH_TIMEOUT(screen()->image().size(), QSize(800, 600), 60000);
        // The framebuffer console draws text: some pixels differ from the background.
        auto litPixels = [this] {
            const QImage& image = screen()->image();
            const QRgb background = image.pixel(image.width() - 1, image.height() - 1);
            int lit = 0;
            for (int y = 0; y < image.height(); y += 2)
                for (int x = 0; x < image.width(); x += 2) lit += image.pixel(x, y) != background;
            return lit;
        };
        QTRY_VERIFY_WITH_TIMEOUT(litPixels() > 200, 60000);
        // Letterboxed inside the widget, aspect kept.
        const QRectF shown = screen()->imageRect();
        QVERIFY(QRectF(screen()->rect()).contains(shown));
        QVERIFY(qAbs(shown.width() / shown.height() - 800.0 / 600.0) < 0.01);
        // Integer scaling: whole multiples of the guest's pixels in device pixels (HiDPI), centred.
        window_->findChild<QAction*>(QStringLiteral("actionIntegerScaling"))->trigger();
        const qreal dpr = screen()->devicePixelRatioF();
        auto wholeMultiple = [dpr](int width, int height) {
            const int k = std::max(1, int(std::min(width * dpr / 800, height * dpr / 600)));
            return QSizeF(800 * k / dpr, 600 * k / dpr);
        };
        screen()->resize(1700, 1300);
        QCOMPARE(screen()->imageRect().size(), wholeMultiple(1700, 1300));
        QCOMPARE(screen()->imageRect().center(), QRectF(screen()->rect()).center());
        screen()->resize(1500, 1300);
        QCOMPARE(screen()->imageRect().size(), wholeMultiple(1500, 1300));
        window_->findChild<QAction*>(QStringLiteral("actionFitWindow"))->trigger();
        QCOMPARE(screen()->imageRect().size(), QSizeF(1500, 1125));
        window_->resize(1060, 860);  // the layout sizes the screen again
    }

    void theSpeedFigureExplainsItselfAndShowsAnIdleGuestAsIdle() {
        auto* speed = window_->findChild<QLabel*>(QStringLiteral("speedLabel"));
        QVERIFY(speed->toolTip().contains(QStringLiteral("millions of guest instructions run per second")));
        // At the shell prompt the guest waits for interrupts (WFI): "Idle", not a low MIPS figure.
        QTRY_COMPARE_WITH_TIMEOUT(speed->text(), QStringLiteral("Idle"), 10000);
        QVERIFY2(speed->toolTip().contains(QStringLiteral("busy")), qPrintable(speed->toolTip()));
        // A busy guest shows its speed, once a second.
        QVERIFY(serial(QStringLiteral("while :; do :; done & echo LOOP-$((5*5))"), QStringLiteral("LOOP-25"))
                    .hasMatch());
        QTRY_VERIFY_WITH_TIMEOUT(speed->text().endsWith(QStringLiteral(" MIPS")), 10000);
        QVERIFY(
            serial(QStringLiteral("kill $!; echo KILLED-$((6*6))"), QStringLiteral("KILLED-36")).hasMatch());
        QTRY_COMPARE_WITH_TIMEOUT(speed->text(), QStringLiteral("Idle"), 10000);
    }

    void fullScreenShowsOnlyTheGuestScreen() {
        window_->setFullScreenMode(true);
        QVERIFY(window_->isFullScreen());
        QVERIFY(!window_->menuBar()->isVisible());
        QVERIFY(!window_->tabs()->tabBar()->isVisible());
        QVERIFY(window_->findChild<QAction*>(QStringLiteral("actionFullScreen"))->isChecked());
        window_->setFullScreenMode(false);
        QVERIFY(!window_->isFullScreen());
        QVERIFY(window_->menuBar()->isVisible());
        QVERIFY(window_->tabs()->tabBar()->isVisible());
    }

    void keysTypedIntoTheScreenReachTheShellOnTty1() {
        const qsizetype from = console().size();
        // tty1's shell writes the result to the serial port, where the test can read it.
        QTest::keyClicks(screen(), QStringLiteral("echo typed-$((6*7)) > /dev/ttyS0"));
        QTest::keyClick(screen(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(console().indexOf(QStringLiteral("typed-42"), from) >= 0, 60000);
        QVERIFY(screen()->keyboardGrabbed());  // typing into the screen grabbed the keyboard
        QTest::keyClick(screen(), Qt::Key_G, Qt::ControlModifier | Qt::AltModifier);
        QVERIFY(!screen()->keyboardGrabbed());  // the release chord, never sent to the guest
    }

    void theSendKeyMenuSendsCtrlAltDelToTheGuest() {
        QAction* ctrlAltDel = nullptr;
        for (QAction* action : window_->findChild<QMenu*>(QStringLiteral("menuSendKey"))->actions())
            if (action->data().toString() == QLatin1String("ctrl-alt-delete")) ctrlAltDel = action;
        QVERIFY(ctrlAltDel && ctrlAltDel->isEnabled());
        const qsizetype from = console().size();
        ctrlAltDel->trigger();
        // The fixture's init answers Ctrl+Alt+Del with a marker instead of rebooting.
        QTRY_VERIFY_WITH_TIMEOUT(console().indexOf(QStringLiteral("TESSERA-GUEST-CTRL-ALT-DEL"), from) >= 0,
                                 30000);
        QVERIFY(!window_->sendKeys(QStringLiteral("ctrl-nosuchkey")).ok());
    }

    void mouseMovesOverTheScreenArriveAsAbsolutePositions() {
        window_->runner()->sendSerialInput("evtest-lite -t 4\n");
        QVERIFY(serial(QString(), QStringLiteral("evtest-lite ready")).hasMatch());
        const qsizetype from = console().size();
        const QRectF shown = screen()->imageRect();
        QTest::mouseMove(screen(), shown.topLeft().toPoint() + QPoint(10, 10));
        QTest::mouseMove(screen(), shown.topLeft().toPoint() + QPoint(120, 90));
        QCOMPARE(screen()->tabletPosition(shown.topLeft()), QPoint(0, 0));
        QCOMPARE(screen()->tabletPosition(shown.bottomRight() + QPointF(50, 50)),
                 QPoint(32767, 32767));                                        // clamped
        QVERIFY(serial(QString(), QStringLiteral("tessera:/# ")).hasMatch());  // evtest-lite exits when idle
        const QRegularExpression absX(QStringLiteral("evtest-lite event \\S+ type=3 code=0 value=(\\d+)"));
        QList<int> xs;
        for (auto it = absX.globalMatch(console(), from); it.hasNext();) xs << it.next().captured(1).toInt();
        QVERIFY2(xs.size() >= 2, qPrintable(console().mid(from)));
        QVERIFY2(xs.last() > xs.first(), "the pointer moved right, so ABS_X must grow");
    }

    void keysStillHeldWhenTheScreenIsLeftAreReleased() {
        window_->runner()->sendSerialInput("evtest-lite -t 3\n");
        QVERIFY(serial(QString(), QStringLiteral("evtest-lite ready")).hasMatch());
        const qsizetype from = console().size();
        window_->showDisplayTab();
        QTest::keyPress(screen(), Qt::Key_Shift, Qt::ShiftModifier);  // held, never released by the "user"
        window_->showConsoleTab();                                    // the screen loses the keyboard
        QVERIFY(!screen()->keyboardGrabbed());
        QVERIFY(serial(QString(), QStringLiteral("tessera:/# ")).hasMatch());  // evtest-lite exits when idle
        const QString events = console().mid(from);
        QVERIFY2(events.contains(QRegularExpression(QStringLiteral("type=1 code=42 value=1"))),
                 qPrintable(events));
        QVERIFY2(events.contains(QRegularExpression(QStringLiteral("type=1 code=42 value=0"))),
                 qPrintable(events));
        window_->showDisplayTab();
    }

    void pauseStopsTheGuestUntilResumed() {
        QAction* pause = window_->findChild<QAction*>(QStringLiteral("actionPause"));
        window_->showDisplayTab();
        const QImage running = screen()->grab().toImage();
        pause->trigger();
        QCOMPARE(window_->runner()->state(), vm::VmRunner::State::Paused);
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        QCOMPARE(window_->findChild<QLabel*>(QStringLiteral("stateLabel"))->text(), QStringLiteral("Paused"));
        // The screen says so: the picture is dimmed under the sign.
        QVERIFY(screen()->pausedText().startsWith(QStringLiteral("Paused")));
        const QImage paused = screen()->grab().toImage();
        QVERIFY(paused != running);
        QVERIFY(qGray(paused.pixel(paused.width() / 2, 4)) <= qGray(running.pixel(running.width() / 2, 4)));
        // Keys typed while paused are dropped, not delivered all at once on Resume.
        QTest::keyClicks(screen(), QStringLiteral("echo typed-while-$((1+1))-paused > /dev/ttyS0"));
        QTest::keyClick(screen(), Qt::Key_Return);
        QVERIFY(!screen()->keyboardGrabbed());
        pause->trigger();
        QCOMPARE(window_->runner()->state(), vm::VmRunner::State::Running);
        QVERIFY(screen()->pausedText().isEmpty());
        QVERIFY(serial(QStringLiteral("echo RESUMED-$((2*21))"), QStringLiteral("RESUMED-42")).hasMatch());
        // Had the keys been queued, tty1's shell would now run the command and write to the serial
        // port: give it time to, with a fresh line for it.
        QTest::keyClick(screen(), Qt::Key_Return);
        QVERIFY(
            serial(QStringLiteral("sleep 2; echo WAITED-$((3*3))"), QStringLiteral("WAITED-9")).hasMatch());
        QVERIFY2(!console().contains(QStringLiteral("typed-while-2-paused")),
                 qPrintable(console().right(2000)));
        QTest::keyClick(screen(), Qt::Key_G, Qt::ControlModifier | Qt::AltModifier);
    }

    void theSerialConsoleSendsCtrlCAndPastesLikeATerminal() {
        window_->showConsoleTab();
        auto* view = window_->console()->findChild<QPlainTextEdit*>(QStringLiteral("serialConsole"));
        window_->runner()->sendSerialInput("sleep 1000\n");
        QTest::qWait(300);
        QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);  // the shell's interrupt, not Copy
        QVERIFY(serial(QStringLiteral("echo INTERRUPTED-$((1+1))"), QStringLiteral("INTERRUPTED-2"), 20000)
                    .hasMatch());
        QGuiApplication::clipboard()->setText(QStringLiteral("echo pasted-$((3*3))\n"));
        const qsizetype from = console().size();
        QTest::keyClick(view, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY_WITH_TIMEOUT(console().indexOf(QStringLiteral("pasted-9"), from) >= 0, 20000);
        window_->showDisplayTab();
    }

    void changeDiscPutsANewIsoIntoTheDriveAndTheGuestReadsIt() {
        QTemporaryDir isoDir;
        const QString iso = makeIso(isoDir.path(), QStringLiteral("tessera-cd"), QStringLiteral("hello.txt"),
                                    "hello from the changed disc\n");
        QVERIFY(!iso.isEmpty());

        const Status missing = window_->changeCd(isoDir.filePath(QStringLiteral("no-such.iso")));
        QVERIFY(!missing.ok());
        QVERIFY(QString::fromStdString(missing.message()).contains(QStringLiteral("no-such.iso")));

        const Status changed = window_->changeCd(iso);
        QVERIFY2(changed.ok(), changed.ok() ? "" : changed.message().c_str());
        QVERIFY(window_->findChild<QLabel*>(QStringLiteral("cdLabel"))
                    ->text()
                    .contains(QStringLiteral("tessera-cd.iso")));
        QVERIFY(
            window_->runner()->entry().config->cdrom.endsWith(QStringLiteral("tessera-cd.iso")));  // saved
        // The first access after a media change reports UNIT ATTENTION; mount retries.
        QVERIFY(serial(QStringLiteral("mkdir -p /cd; mount -t iso9660 -o ro /dev/sr0 /cd || "
                                      "mount -t iso9660 -o ro /dev/sr0 /cd; cat /cd/hello.txt"),
                       QStringLiteral("hello from the changed disc"))
                    .hasMatch());
        QVERIFY(serial(QStringLiteral("umount /cd; echo UMOUNT-$((40+2))"), QStringLiteral("UMOUNT-42"))
                    .hasMatch());

        QVERIFY(window_->ejectCd().ok());
        QVERIFY(window_->findChild<QLabel*>(QStringLiteral("cdLabel"))
                    ->text()
                    .contains(QStringLiteral("No disc")));
        QVERIFY(serial(QStringLiteral("mount -t iso9660 -o ro /dev/sr0 /cd; echo MOUNT-RC-$?"),
                       QStringLiteral("MOUNT-RC-[1-9]"))
                    .hasMatch());
    }

    void aPortForwardAddedWhileRunningReachesTheGuestServer() {
        QVERIFY(serial(QStringLiteral("udhcpc -i eth0 -n -q -t 5 -T 2"), QStringLiteral("bound eth0 ip="))
                    .hasMatch());
        // Taken first, so that freePort() cannot hand out the same port.
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        const quint16 hostPort = testing::freePort();
        const vm::PortForward toGuest{QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), hostPort, QString(),
                                      7777};
        const vm::PortForward refused{QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), taken.serverPort(),
                                      QString(), 22};

        // Port Forwards… opens the table; the rule added there applies when the dialog is accepted.
        QTimer::singleShot(0, this, [toGuest] {
            auto* dialog = qobject_cast<ui::PortForwardsDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->editor()->addRow(toGuest);
            dialog->accept();
        });
        window_->findChild<QAction*>(QStringLiteral("actionPortForwards"))->trigger();
        QCOMPARE(window_->runner()->entry().config->nics.first().forwards, QList<vm::PortForward>{toGuest});

        const Status applied = window_->setPortForwards({toGuest, refused});
        QVERIFY(!applied.ok());  // the taken port is reported...
        QVERIFY(QString::fromStdString(applied.message()).contains(QString::number(taken.serverPort())));
        QCOMPARE(window_->runner()->entry().config->nics.first().forwards,
                 QList<vm::PortForward>{toGuest});  // ...and left out

        const qsizetype from = console().size();
        // nc has no readiness message: the guest waits until its kernel lists port 7777 (0x1E61)
        // as listening, so the host connects to a server that is there, not to slirp's reset.
        QVERIFY(
            serial(QStringLiteral("(echo from-guest-$((7000+777)) | nc -l -p 7777; echo NC-EXIT-$((1+1))) & "
                                  "for i in $(seq 100); do cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | "
                                  "grep -q ':1E61 ' && break; sleep 0.2; done; echo NC-LISTENING-$((6*7))"),
                   QStringLiteral("NC-LISTENING-42"))
                .hasMatch());
        QByteArray reply;
        QElapsedTimer waited;
        waited.start();
        while (!reply.contains("from-guest-7777") && waited.elapsed() < 30000) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, hostPort);
            if (socket.waitForConnected(5000)) {
                socket.write("hello-from-the-host\n");
                // The guest's line can arrive before QTcpSocket has flushed ours, and the socket is
                // aborted (unsent data dropped) when it goes out of scope: send first.
                socket.waitForBytesWritten(5000);
                while (!reply.contains('\n') && socket.waitForReadyRead(5000)) reply += socket.readAll();
            }
            if (!reply.contains("from-guest-7777")) QTest::qWait(300);
        }
        if (!reply.contains("from-guest-7777"))
            qWarning().noquote() << "console so far:\n" << console().right(3000);
        QVERIFY2(reply.contains("from-guest-7777"), reply.constData());
        // The guest's nc printed what the host sent, and ended.
        QTRY_VERIFY_WITH_TIMEOUT(console().indexOf(QStringLiteral("NC-EXIT-2"), from) >= 0, 30000);
        QVERIFY(console().indexOf(QStringLiteral("hello-from-the-host"), from) >= 0);

        QVERIFY(window_->setPortForwards({}).ok());
        QVERIFY(window_->runner()->entry().config->nics.first().forwards.isEmpty());
    }

    void resetRebootsTheGuest() {
        QCOMPARE(console().count(QStringLiteral("TESSERA-GUEST-READY")), 1);
        window_->runner()->reset();
        QTRY_COMPARE_WITH_TIMEOUT(console().count(QStringLiteral("TESSERA-GUEST-READY")), 2, 240000);
        // The new boot sets the mode again and the screen follows.
        QTRY_COMPARE_WITH_TIMEOUT(screen()->image().size(), QSize(800, 600), 60000);
    }

    void resizeGuestWithWindowOffersTheWindowSizeAsTheGuestsMode() {
        window_->resize(1100, 780);
        window_->findChild<QAction*>(QStringLiteral("actionResizeGuest"))->setChecked(true);
        const QSize wanted = screen()->guestSizeForView();
        QVERIFY(wanted != QSize(800, 600));
        QCOMPARE(wanted.width() % 8, 0);
        QTRY_COMPARE_WITH_TIMEOUT(dynamic_cast<devices::VirtioGpu*>(window_->runner()->display())->preferredSize(), wanted,
                                  5000);
        // The guest's driver re-reads the display info on the change event and sends a hotplug
        // uevent; a desktop then re-probes the connector. `echo detect` is that re-probe here
        // (the text console's own probe drops modes larger than its framebuffer).
        const QString mode = QStringLiteral("%1x%2").arg(wanted.width()).arg(wanted.height());
        QVERIFY(serial(QStringLiteral(
                           "for i in $(seq 20); do echo detect > /sys/class/drm/card0-Virtual-1/status; "
                           "grep -qx %1 /sys/class/drm/card0-Virtual-1/modes && break; sleep 0.5; done; "
                           "echo MODE-$(head -1 /sys/class/drm/card0-Virtual-1/modes)")
                           .arg(mode),
                       QStringLiteral("MODE-") + mode)
                    .hasMatch());
        window_->findChild<QAction*>(QStringLiteral("actionResizeGuest"))->setChecked(false);
    }

    void shutDownPowersTheGuestOffAndKeepsTheLastFrame() {
        // The power button: this guest's acpid powers off cleanly (a guest without
        // one ignores it, and the status bar says to use Power Off then).
        QSignalSpy finished(window_->runner(), &vm::VmRunner::finished);
        // The re-probe in the test before may leave the scanout briefly off (no image): wait for
        // the mode the console settles on.
        QTRY_VERIFY_WITH_TIMEOUT(!screen()->image().isNull(), 30000);
        const QSize lastMode = screen()->image().size();
        window_->findChild<QAction*>(QStringLiteral("actionShutDown"))->trigger();
        QVERIFY(window_->statusBar()->currentMessage().contains(QStringLiteral("Power Off")));
        QVERIFY(serial(QString(), QStringLiteral("TESSERA-GUEST-POWER-BUTTON")).hasMatch());
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.first().at(0).toString().contains(QStringLiteral("exit code 0")),
                 qPrintable(finished.first().at(0).toString()));
        QCOMPARE(window_->runner()->state(), vm::VmRunner::State::Stopped);
        // Linux turned its display off while powering down; the thumbnail is the last frame it showed.
        const QImage thumbnail(window_->runner()->entry().bundle.screenshotPath());
        QVERIFY(!thumbnail.isNull());
        QCOMPARE(thumbnail.size(), lastMode);
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(VmWindowLinuxTest)
#include "vm_window_linux_test.moc"
