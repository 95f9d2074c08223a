#pragma once
// A tiny real HTTP/1.1 server on 127.0.0.1 for download tests: serves one
// payload, honours "Range: bytes=N-" when asked to (206 + Content-Range), and
// can hang up part-way through a response to simulate a broken connection.

#include <QByteArray>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

class HttpTestServer : public QObject {
    // No Q_OBJECT: the header is not a moc input (connections use lambdas).
public:
    QByteArray payload;
    QByteArray path = "/disc.iso";
    bool supportsRange = true;
    qint64 hangUpAfterBytes = -1;  // for the next response only; -1 = send everything
    QList<QByteArray> requestedRanges;  // Range header of every request ("" if none)

    bool start() {
        connect(&server_, &QTcpServer::newConnection, this, &HttpTestServer::accept);
        return server_.listen(QHostAddress::LocalHost, 0);
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1%2").arg(server_.serverPort()).arg(QString::fromLatin1(path)); }
    QString urlFor(const char* otherPath) const { return QStringLiteral("http://127.0.0.1:%1%2").arg(server_.serverPort()).arg(QLatin1String(otherPath)); }

private:
    void accept() {
        while (QTcpSocket* socket = server_.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { handle(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void handle(QTcpSocket* socket) {
        QByteArray& buffer = pending_[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        buffer.clear();
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        QByteArray range;
        for (const QByteArray& line : lines)
            if (line.toLower().startsWith("range:")) range = line.mid(6).trimmed();
        requestedRanges << range;
        if (requestLine.value(1) != path) {
            socket->write("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found");
            socket->disconnectFromHost();
            return;
        }
        qint64 from = 0;
        if (supportsRange && range.startsWith("bytes=") && range.endsWith('-')) from = range.mid(6, range.size() - 7).toLongLong();
        const QByteArray body = payload.mid(from);
        QByteArray head;
        if (from > 0) {
            head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + QByteArray::number(from) + '-' +
                   QByteArray::number(payload.size() - 1) + '/' + QByteArray::number(payload.size()) + "\r\n";
        } else {
            head = "HTTP/1.1 200 OK\r\n";
        }
        if (supportsRange) head += "Accept-Ranges: bytes\r\n";
        head += "Content-Type: application/octet-stream\r\nContent-Length: " + QByteArray::number(body.size()) +
                "\r\nConnection: close\r\n\r\n";
        socket->write(head);
        if (hangUpAfterBytes >= 0) {
            socket->write(body.left(hangUpAfterBytes));
            hangUpAfterBytes = -1;
            socket->flush();
            socket->waitForBytesWritten(5000);
            socket->abort();  // connection lost mid-body
            return;
        }
        socket->write(body);
        socket->disconnectFromHost();
    }

    QTcpServer server_;
    QHash<QTcpSocket*, QByteArray> pending_;
};
