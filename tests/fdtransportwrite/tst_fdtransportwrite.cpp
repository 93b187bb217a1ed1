// FdTransport (server/ws) writing: output held in order behind what the
// kernel took (bytesWritten() only for held bytes), a close that flushes
// first, half-close, abort, and a peer that resets (no SIGPIPE, also when
// someone else took the reset first). Each test runs over a real loopback
// pair (tests/fdtransport/FdTransportKit.h).

#include "FdTransportKit.h"

using namespace FdTransportKit;

class TestFdTransportWrite : public FdTransportFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { closePair(); }

    void writeWithRoomGoesOutAtOnce();
    void backpressureHoldsAndDrainsInOrder();
    void writeWhenRoomWaitsForTheLoop();
    void disconnectWithHeldBytesFlushesFirst();
    void peerEndWithHeldBytesClosesAtOnce();
    void peerResetDuringWrite();
    void peerResetWhileHeld();
    void peerResetAfterDirectWrite();
    void peerResetHeldAfterErrorTaken();
    void shutdownWriteKeepsReading();
    void shutdownWriteAfterHeldBytes();
    void abortDropsHeldBytes();
};

void TestFdTransportWrite::initTestCase()
{
    // The reset tests mean something only if SIGPIPE would end the process.
    struct sigaction current {};
    QCOMPARE(::sigaction(SIGPIPE, nullptr, &current), 0);
    QVERIFY2(current.sa_handler != SIG_IGN, "SIGPIPE is ignored: the reset tests could not see one");
}

void TestFdTransportWrite::writeWithRoomGoesOutAtOnce()
{
    QVERIFY(open());
    QSignalSpy bytesWritten(m_transport, &Transport::bytesWritten);
    const QByteArray data = pattern(10 * 1000 + 45, 3);
    qsizetype offset = 0;
    for (int i = 0; offset < data.size(); ++i) {
        const QByteArray piece = data.mid(offset, 1000 + i);
        QCOMPARE(m_transport->write(piece), qint64(piece.size()));
        QCOMPARE(m_transport->bytesToWrite(), 0);
        offset += piece.size();
    }
    QCOMPARE(m_transport->write(QByteArray()), 0);
    QCOMPARE(m_transport->bytesToWrite(), 0);

    ClientRead read;
    QVERIFY(drainClient(m_client, read, data.size()));
    QCOMPARE(read.data, data);
    for (int turn = 0; turn < 3; ++turn)
        QTest::qWait(50);
    QCOMPARE(bytesWritten.count(), 0); // not for bytes the kernel took at once
    QCOMPARE(m_transport->bytesToWrite(), 0);
    readSome(m_client, read);
    QCOMPARE(read.data.size(), data.size()); // nothing more, nothing doubled
}

void TestFdTransportWrite::backpressureHoldsAndDrainsInOrder()
{
    QVERIFY(open(SmallBuffer, SmallBuffer));
    QSignalSpy bytesWritten(m_transport, &Transport::bytesWritten);
    const qint64 middleSize = 50 * 1000 + 1;
    const qint64 tailSize = 100 * 1000 + 3;
    const QByteArray all = pattern(BigWrite + middleSize + tailSize, 11);
    const QByteArray head = all.left(BigWrite);
    const QByteArray middle = all.mid(BigWrite, middleSize);
    const QByteArray tail = all.mid(BigWrite + middleSize);

    QVERIFY(writeChunked(head));
    const qint64 held = m_transport->bytesToWrite();
    QVERIFY2(held > 0, "the kernel took 4 MiB with a client that does not read");
    QVERIFY(held < head.size()); // the first bytes went at once
    QCOMPARE(bytesWritten.count(), 0);

    // The client reads what it has (no loop turn): the kernel has room
    // again, but a write goes behind what is held, not past it.
    ClientRead read;
    readSome(m_client, read);
    QVERIFY(read.error == 0 && !read.eof);
    QCOMPARE(m_transport->write(middle), middleSize);
    QCOMPARE(m_transport->bytesToWrite(), held + middleSize);

    // Behind what is held, not written now.
    QCOMPARE(m_transport->writeWhenRoom(tail.constData(), tail.size()), tail.size());
    QCOMPARE(m_transport->bytesToWrite(), held + middleSize + tailSize);

    // The client does not read: the loop turns, bytes stay held.
    QTest::qWait(50);
    QVERIFY(m_transport->bytesToWrite() > 0);
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);

    QVERIFY2(drainClient(m_client, read, all.size()), describeDifference(read.data, all).constData());
    QVERIFY2(firstDifference(read.data, all) == -1, describeDifference(read.data, all).constData());
    QTRY_COMPARE_WITH_TIMEOUT(m_transport->bytesToWrite(), 0, Timeout);
    QVERIFY(bytesWritten.count() > 0);
    QCOMPARE(sumOfFirstArguments(bytesWritten), held + middleSize + tailSize);
    QVERIFY(!read.eof);
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);

    // Room again: a write goes out at once, after all the rest.
    const int signalsBefore = int(bytesWritten.count());
    QCOMPARE(m_transport->write("end"), 3);
    QCOMPARE(m_transport->bytesToWrite(), 0);
    QVERIFY(drainClient(m_client, read, all.size() + 3));
    QCOMPARE(read.data.mid(all.size()), QByteArray("end"));
    QCOMPARE(bytesWritten.count(), signalsBefore);
}

void TestFdTransportWrite::writeWhenRoomWaitsForTheLoop()
{
    QVERIFY(open());
    QSignalSpy bytesWritten(m_transport, &Transport::bytesWritten);
    const QByteArray data = pattern(3000, 5);
    const QByteArray a = data.left(1000);
    const QByteArray b = data.mid(1000, 1000);
    const QByteArray c = data.mid(2000);

    QCOMPARE(m_transport->write(a), 1000);
    QCOMPARE(m_transport->bytesToWrite(), 0);
    QCOMPARE(m_transport->writeWhenRoom(b.constData(), b.size()), 1000);
    QCOMPARE(m_transport->bytesToWrite(), 1000);
    QCOMPARE(m_transport->writeWhenRoom(nullptr, 0), 0);
    QCOMPARE(m_transport->bytesToWrite(), 1000);
    // Held bytes come first: this one waits behind them.
    QCOMPARE(m_transport->write(c), 1000);
    QCOMPARE(m_transport->bytesToWrite(), 2000);

    // No loop turn yet: the client can have no more than `a`.
    ClientRead read;
    readSome(m_client, read);
    QVERIFY2(read.data.size() <= a.size(), QByteArray::number(read.data.size()).constData());

    QVERIFY(drainClient(m_client, read, data.size()));
    QCOMPARE(read.data, data);
    QTRY_COMPARE_WITH_TIMEOUT(m_transport->bytesToWrite(), 0, Timeout);
    QCOMPARE(sumOfFirstArguments(bytesWritten), 2000);
}

void TestFdTransportWrite::disconnectWithHeldBytesFlushesFirst()
{
    QVERIFY(open(SmallBuffer, SmallBuffer));
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    const QByteArray data = pattern(BigWrite, 13);
    QVERIFY(writeChunked(data));
    const qint64 held = m_transport->bytesToWrite();
    QVERIFY(held > 0);

    m_transport->disconnectFromHost();
    QCOMPARE(m_transport->state(), QAbstractSocket::ClosingState);
    QCOMPARE(disconnected.count(), 0);
    QVERIFY(m_transport->descriptor() >= 0);
    QCOMPARE(m_transport->bytesToWrite(), held);

    // The client does not read yet: the transport keeps waiting.
    QTest::qWait(50);
    QCOMPARE(m_transport->state(), QAbstractSocket::ClosingState);
    QCOMPARE(disconnected.count(), 0);

    ClientRead read;
    QVERIFY2(drainClient(m_client, read, 0, true), describeDifference(read.data, data).constData());
    QVERIFY(read.eof);
    QVERIFY2(firstDifference(read.data, data) == -1, describeDifference(read.data, data).constData());
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(m_transport->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(m_transport->descriptor(), qintptr(-1));
    QCOMPARE(m_transport->bytesToWrite(), 0);
    QTest::qWait(50);
    QCOMPARE(disconnected.count(), 1);
}

void TestFdTransportWrite::peerEndWithHeldBytesClosesAtOnce()
{
    // A client that stops reading, lets the server hold bytes for it, then
    // half-closes: as with QAbstractSocket, its end of stream closes the
    // connection at once and drops what is held, instead of keeping the
    // descriptor and the bytes until someone notices.
    QVERIFY(open(SmallBuffer, SmallBuffer));
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    connect(m_transport, &Transport::readyRead, this, [this] { m_transport->readAvailable(); });
    QVERIFY(writeChunked(pattern(BigWrite, 17)));
    QVERIFY(m_transport->bytesToWrite() > 0);

    QCOMPARE(::shutdown(m_client, SHUT_WR), 0);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(m_transport->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(m_transport->descriptor(), qintptr(-1));
    QCOMPARE(m_transport->bytesToWrite(), 0);
    QCOMPARE(m_transport->write("late", 4), -1);
    QTest::qWait(50);
    QCOMPARE(disconnected.count(), 1);
}

void TestFdTransportWrite::peerResetDuringWrite()
{
    QVERIFY(open());
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    QCOMPARE(m_transport->write("hello"), 5);
    ClientRead read;
    QVERIFY(drainClient(m_client, read, 5));

    resetClient();
    // Writes straight into the reset connection (a send(2) without
    // MSG_NOSIGNAL ends the process here).
    const QByteArray chunk(16 * 1024, 'r');
    writeUntilClosed(chunk, disconnected); // every write taken until then
    if (QTest::currentTestFailed())
        return;
    verifyClosedOnce(disconnected);
}

void TestFdTransportWrite::peerResetWhileHeld()
{
    QVERIFY(open(SmallBuffer, SmallBuffer));
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    QObject context;
    connect(m_transport, &Transport::readyRead, &context, [this] { (void)m_transport->readAvailable(); });
    QVERIFY(writeChunked(pattern(1024 * 1024)));
    QVERIFY(m_transport->bytesToWrite() > 0);

    resetClient();
    const QByteArray chunk(4096, 'h');
    writeUntilClosed(chunk, disconnected); // every write taken until then
    if (QTest::currentTestFailed())
        return;
    verifyClosedOnce(disconnected);
}

void TestFdTransportWrite::peerResetAfterDirectWrite()
{
    QVERIFY(open());
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    resetClient();
    // A frame written straight to the descriptor (allowed while
    // bytesToWrite() is 0, as FrameBatch does) takes the reset: the kernel
    // answers every later send(2) with EPIPE, which raises SIGPIPE unless
    // the transport says MSG_NOSIGNAL.
    // (No loop turn meanwhile: the transport must not see the reset first.)
    int directError = 0;
    const QDeadlineTimer resetDeadline(Timeout);
    while (directError == 0 && !resetDeadline.hasExpired()) {
        if (::send(int(m_transport->descriptor()), "frame", 5, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EINTR)
            directError = errno;
    }
    QVERIFY2(directError == ECONNRESET, std::strerror(directError));

    const QByteArray chunk(16 * 1024, 'd');
    writeUntilClosed(chunk, disconnected); // every write taken until then
    if (QTest::currentTestFailed())
        return;
    verifyClosedOnce(disconnected);
}

void TestFdTransportWrite::peerResetHeldAfterErrorTaken()
{
    QVERIFY(open(SmallBuffer, SmallBuffer));
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    QVERIFY(writeChunked(pattern(1024 * 1024)));
    QVERIFY(m_transport->bytesToWrite() > 0);

    resetClient();
    // Someone else took the pending error (SO_ERROR): the held bytes' next
    // sendmsg(2) gets EPIPE, which raises SIGPIPE without MSG_NOSIGNAL.
    // (No loop turn meanwhile: the transport must not see the reset first.)
    int error = 0;
    const QDeadlineTimer resetDeadline(Timeout);
    while (error == 0 && !resetDeadline.hasExpired()) {
        socklen_t length = sizeof error;
        QCOMPARE(::getsockopt(int(m_transport->descriptor()), SOL_SOCKET, SO_ERROR, &error, &length), 0);
    }
    QCOMPARE(error, ECONNRESET);

    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    verifyClosedOnce(disconnected);
}

void TestFdTransportWrite::shutdownWriteKeepsReading()
{
    QVERIFY(open());
    QSignalSpy readyRead(m_transport, &Transport::readyRead);
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    QCOMPARE(m_transport->write("before shutdown"), 15);
    m_transport->shutdownWrite();

    ClientRead read;
    QVERIFY(drainClient(m_client, read, 0, true));
    QCOMPARE(read.data, QByteArray("before shutdown"));
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);
    QVERIFY(m_transport->descriptor() >= 0);
    QCOMPARE(disconnected.count(), 0);

    // Our direction ended; the peer's did not.
    QVERIFY(clientSend("close frame"));
    QTRY_COMPARE_WITH_TIMEOUT(readyRead.count(), 1, Timeout);
    QCOMPARE(m_transport->readAvailable(), QByteArray("close frame"));
    QCOMPARE(disconnected.count(), 0);

    // Then the peer ends too.
    ::close(m_client);
    m_client = -1;
    QTRY_COMPARE_WITH_TIMEOUT(readyRead.count(), 2, Timeout);
    QVERIFY(m_transport->readAvailable().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(m_transport->descriptor(), qintptr(-1));
}

void TestFdTransportWrite::shutdownWriteAfterHeldBytes()
{
    QVERIFY(open(SmallBuffer, SmallBuffer));
    QSignalSpy readyRead(m_transport, &Transport::readyRead);
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    const QByteArray data = pattern(BigWrite, 17);
    QVERIFY(writeChunked(data));
    QVERIFY(m_transport->bytesToWrite() > 0);

    m_transport->shutdownWrite();
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);

    // The end of stream only after every held byte.
    ClientRead read;
    QVERIFY2(drainClient(m_client, read, 0, true), describeDifference(read.data, data).constData());
    QVERIFY(read.eof);
    QVERIFY2(firstDifference(read.data, data) == -1, describeDifference(read.data, data).constData());
    QCOMPARE(m_transport->bytesToWrite(), 0);
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(disconnected.count(), 0);

    QVERIFY(clientSend("late"));
    QTRY_COMPARE_WITH_TIMEOUT(readyRead.count(), 1, Timeout);
    QCOMPARE(m_transport->readAvailable(), QByteArray("late"));
    QCOMPARE(disconnected.count(), 0);
    QVERIFY(m_transport->descriptor() >= 0);
}

void TestFdTransportWrite::abortDropsHeldBytes()
{
    QVERIFY(open(SmallBuffer, SmallBuffer));
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    QSignalSpy bytesWritten(m_transport, &Transport::bytesWritten);
    const QByteArray data = pattern(BigWrite, 19);
    QVERIFY(writeChunked(data));
    const qint64 held = m_transport->bytesToWrite();
    QVERIFY(held > 0);

    m_transport->abort();
    QCOMPARE(disconnected.count(), 1);
    QCOMPARE(m_transport->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(m_transport->descriptor(), qintptr(-1));
    QCOMPARE(m_transport->bytesToWrite(), 0);
    QCOMPARE(m_transport->write("x"), -1);
    QCOMPARE(m_transport->writeWhenRoom("x", 1), -1);
    m_transport->abort();
    m_transport->disconnectFromHost();
    QCOMPARE(disconnected.count(), 1);

    // The client gets what the kernel had taken, none of what was held.
    ClientRead read;
    QVERIFY(drainClient(m_client, read, 0, true));
    const QByteArray taken = data.left(data.size() - held);
    QVERIFY2(read.data == taken, describeDifference(read.data, taken).constData());
    QCOMPARE(bytesWritten.count(), 0);
    QCOMPARE(disconnected.count(), 1);
}

QTEST_GUILESS_MAIN(TestFdTransportWrite)

#include "tst_fdtransportwrite.moc"
