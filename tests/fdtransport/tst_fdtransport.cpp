// FdTransport (server/ws): the Transport on a bare, plain TCP descriptor that
// nearly every connection gets; reading and the transport's life. Each test
// runs over a real loopback pair (FdTransportKit.h). Checked against what
// Transport.h and FdTransport.h promise: one read per notification and no
// busy loop while nobody reads, QAbstractSocket's order of disconnected(),
// the peer's close, a descriptor whose mode is never changed, the receiver
// told after the signals, and a handler that deletes the transport.
// Writing: tests/fdtransportwrite.

#include "FdTransportKit.h"

using namespace FdTransportKit;

class TestFdTransport : public FdTransportFixture
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { closePair(); }

    void initialState();
    void readAvailableReturnsWhatArrived();
    void unreadNotificationPausesReading();
    void moreThanOneChunkArrivesInOrder();
    void disconnectWithNothingHeldIsSynchronous();
    void peerCloseReportsDisconnected();
    void peerCloseReadOutsideNotification();
    void peerAddressIsClientsName();
    void deleteWhileOpenClosesSilently();
    void descriptorModeUntouched();
    void receiverToldAfterSignals();
    void deleteInReadyReadHandler();
};

void TestFdTransport::initialState()
{
    QVERIFY(open());
    QVERIFY(m_transport->isPlain());
    QCOMPARE(m_transport->descriptor(), qintptr(m_serverFd));
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_transport->bytesToWrite(), 0);
    QVERIFY(!m_transport->mayHaveInput());
    QVERIFY(m_transport->readAvailable().isEmpty()); // nothing arrived yet
    QVERIFY(!m_transport->mayHaveInput());
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);
}

void TestFdTransport::readAvailableReturnsWhatArrived()
{
    QVERIFY(open());
    QSignalSpy readyRead(m_transport, &Transport::readyRead);
    int reads = 0;
    bool inputBefore = false;
    bool inputAfter = true;
    QByteArray first;
    QByteArray second = "not read";
    QObject context;
    connect(m_transport, &Transport::readyRead, &context, [&] {
        ++reads;
        inputBefore = m_transport->mayHaveInput();
        first = m_transport->readAvailable();
        inputAfter = m_transport->mayHaveInput();
        second = m_transport->readAvailable();
    });

    const QByteArray sent = "hello, transport";
    QVERIFY(clientSend(sent));
    QTRY_COMPARE_WITH_TIMEOUT(reads, 1, Timeout);
    QVERIFY2(inputBefore, "mayHaveInput() false while a notification is unread");
    QCOMPARE(first, sent);
    QVERIFY2(!inputAfter, "mayHaveInput() still true after the read");
    QVERIFY(second.isEmpty());
    QVERIFY(!m_transport->mayHaveInput());
    QCOMPARE(readyRead.count(), 1);
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);
}

void TestFdTransport::unreadNotificationPausesReading()
{
    QVERIFY(open());
    QSignalSpy readyRead(m_transport, &Transport::readyRead);
    QSignalSpy disconnected(m_transport, &Transport::disconnected);

    QVERIFY(clientSend("first"));
    QTRY_COMPARE_WITH_TIMEOUT(readyRead.count(), 1, Timeout);
    QVERIFY(m_transport->mayHaveInput());
    // Nobody read: the level-triggered notifier must not fire turn after turn.
    for (int turn = 0; turn < 5; ++turn) {
        QTest::qWait(50);
        QCOMPARE(readyRead.count(), 1);
        QVERIFY(m_transport->mayHaveInput());
    }
    // More arrives while the notification is unread: still no new one.
    QVERIFY(clientSend("more"));
    QTRY_COMPARE_WITH_TIMEOUT(pendingInput(m_serverFd), 9, Timeout);
    QTest::qWait(50);
    QCOMPARE(readyRead.count(), 1);

    QCOMPARE(m_transport->readAvailable(), QByteArray("firstmore"));
    QVERIFY(!m_transport->mayHaveInput());
    QVERIFY(m_transport->readAvailable().isEmpty());
    QVERIFY(!m_transport->mayHaveInput());

    // Reading resumed: new bytes are announced again.
    QVERIFY(clientSend("second"));
    QTRY_COMPARE_WITH_TIMEOUT(readyRead.count(), 2, Timeout);
    QVERIFY(m_transport->mayHaveInput());
    QCOMPARE(m_transport->readAvailable(), QByteArray("second"));
    QVERIFY(!m_transport->mayHaveInput());
    QCOMPARE(disconnected.count(), 0);
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);
}

void TestFdTransport::moreThanOneChunkArrivesInOrder()
{
    QVERIFY(open());
    const QByteArray sent = pattern(200 * 1024, 7);
    QByteArray received;
    int reads = 0;
    qint64 largest = 0;
    QObject context;
    connect(m_transport, &Transport::readyRead, &context, [&] {
        // One read per notification, as a session does.
        const QByteArray got = m_transport->readAvailable();
        ++reads;
        largest = qMax(largest, qint64(got.size()));
        received += got;
    });

    qsizetype offset = 0;
    const QDeadlineTimer deadline(Timeout);
    while (received.size() < sent.size() && !deadline.hasExpired()) {
        while (offset < sent.size()) {
            const ssize_t n = ::send(m_client, sent.constData() + offset, std::size_t(sent.size() - offset),
                                     MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n > 0) {
                offset += n;
                continue;
            }
            QVERIFY2(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR), std::strerror(errno));
            break;
        }
        QCoreApplication::processEvents();
    }
    QCOMPARE(offset, sent.size());
    QVERIFY2(firstDifference(received, sent) == -1, describeDifference(received, sent).constData());
    QVERIFY2(largest <= FdTransport::ReadChunk, QByteArray::number(largest).constData());
    QVERIFY2(reads >= int((sent.size() + FdTransport::ReadChunk - 1) / FdTransport::ReadChunk),
             QByteArray::number(reads).constData());
    QCOMPARE(m_transport->state(), QAbstractSocket::ConnectedState);
}

void TestFdTransport::disconnectWithNothingHeldIsSynchronous()
{
    QVERIFY(open());
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    QCOMPARE(m_transport->write("bye"), 3);
    QCOMPARE(m_transport->bytesToWrite(), 0);

    m_transport->disconnectFromHost();
    QCOMPARE(disconnected.count(), 1);
    QCOMPARE(m_transport->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(m_transport->descriptor(), qintptr(-1));
    QCOMPARE(m_transport->bytesToWrite(), 0);
    QCOMPARE(m_transport->write("late"), -1);
    QCOMPARE(m_transport->writeWhenRoom("late", 4), -1);
    QVERIFY(m_transport->readAvailable().isEmpty());

    ClientRead read;
    QVERIFY(drainClient(m_client, read, 0, true));
    QCOMPARE(read.data, QByteArray("bye"));
    QVERIFY(read.eof);

    m_transport->disconnectFromHost();
    m_transport->abort();
    m_transport->shutdownWrite();
    QTest::qWait(50);
    QCOMPARE(disconnected.count(), 1);
}

void TestFdTransport::peerCloseReportsDisconnected()
{
    QVERIFY(open());
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    QByteArrayList events;
    QByteArray received;
    QObject context;
    connect(m_transport, &Transport::readyRead, &context, [&] {
        events << "readyRead";
        received += m_transport->readAvailable();
    });
    connect(m_transport, &Transport::disconnected, &context, [&] { events << "disconnected"; });

    QVERIFY(clientSend("last words"));
    ::close(m_client);
    m_client = -1;

    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(received, QByteArray("last words"));
    QCOMPARE(events.first(), QByteArray("readyRead"));
    QCOMPARE(events.last(), QByteArray("disconnected"));
    QCOMPARE(events.count("disconnected"), 1);
    QCOMPARE(m_transport->descriptor(), qintptr(-1));
    QCOMPARE(m_transport->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(m_transport->write("x"), -1);
    QTest::qWait(50);
    QCOMPARE(disconnected.count(), 1);
}

void TestFdTransport::peerCloseReadOutsideNotification()
{
    QVERIFY(open());
    QSignalSpy readyRead(m_transport, &Transport::readyRead);
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    ::close(m_client);
    m_client = -1;

    QTRY_COMPARE_WITH_TIMEOUT(readyRead.count(), 1, Timeout);
    QVERIFY(m_transport->mayHaveInput());
    const qsizetype before = disconnected.count();
    QVERIFY(m_transport->readAvailable().isEmpty());
    // The end of stream is reported later, never from inside the read.
    QCOMPARE(disconnected.count(), before);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(m_transport->descriptor(), qintptr(-1));
    QCOMPARE(m_transport->state(), QAbstractSocket::UnconnectedState);
    QTest::qWait(50);
    QCOMPARE(disconnected.count(), 1);
}

void TestFdTransport::peerAddressIsClientsName()
{
    QVERIFY(open());
    sockaddr_in name {};
    socklen_t length = sizeof name;
    QCOMPARE(::getsockname(m_client, reinterpret_cast<sockaddr *>(&name), &length), 0);
    const QHostAddress address(reinterpret_cast<const sockaddr *>(&name));
    const quint16 port = ntohs(name.sin_port);

    QCOMPARE(m_transport->peerAddress(), address);
    QCOMPARE(m_transport->peerAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(m_transport->peerPort(), port);
    QVERIFY(port != 0);
    // Asked again: the same.
    QCOMPARE(m_transport->peerAddress(), address);
    QCOMPARE(m_transport->peerPort(), port);
}

void TestFdTransport::deleteWhileOpenClosesSilently()
{
    QVERIFY(open());
    QSignalSpy disconnected(m_transport, &Transport::disconnected);
    QCOMPARE(m_transport->write("x"), 1);
    delete m_transport;
    m_transport = nullptr;
    QCOMPARE(disconnected.count(), 0);

    ClientRead read;
    QVERIFY(drainClient(m_client, read, 0, true));
    QCOMPARE(read.data, QByteArray("x"));
    QVERIFY(read.eof);
    QTest::qWait(50);
    QCOMPARE(disconnected.count(), 0);
}

void TestFdTransport::descriptorModeUntouched()
{
    QVERIFY(open(SmallBuffer, SmallBuffer));
    const int flags = ::fcntl(m_serverFd, F_GETFL);
    QVERIFY(flags >= 0);
    QVERIFY(!(flags & O_NONBLOCK));

    QSignalSpy readyRead(m_transport, &Transport::readyRead);
    QVERIFY(clientSend("ping"));
    QTRY_COMPARE_WITH_TIMEOUT(readyRead.count(), 1, Timeout);
    QCOMPARE(m_transport->readAvailable(), QByteArray("ping"));
    QVERIFY(m_transport->readAvailable().isEmpty()); // must not block
    const QByteArray data = pattern(1024 * 1024, 23);
    QVERIFY(writeChunked(data)); // must not block with the kernel full
    QVERIFY(m_transport->bytesToWrite() > 0);
    ClientRead read;
    QVERIFY(drainClient(m_client, read, data.size()));
    QVERIFY2(firstDifference(read.data, data) == -1, describeDifference(read.data, data).constData());
    QCOMPARE(::fcntl(m_serverFd, F_GETFL), flags);
}

void TestFdTransport::receiverToldAfterSignals()
{
    QVERIFY(open(SmallBuffer, SmallBuffer));
    QByteArrayList events;
    QByteArray received;
    Transport *transport = m_transport;
    RecordingReceiver receiver(events, transport, received);
    const auto unset = qScopeGuard([this] {
        if (m_transport)
            m_transport->setReceiver(nullptr);
    });
    QObject context;
    connect(m_transport, &Transport::readyRead, &context, [&] { events << "signal readyRead"; });
    connect(m_transport, &Transport::bytesWritten, &context,
            [&](qint64 bytes) { events << "signal bytesWritten " + QByteArray::number(bytes); });
    connect(m_transport, &Transport::disconnected, &context, [&] { events << "signal disconnected"; });
    m_transport->setReceiver(&receiver);

    QVERIFY(clientSend("ping"));
    QTRY_COMPARE_WITH_TIMEOUT(received, QByteArray("ping"), Timeout);
    QVERIFY2(signalThenReceiver(events), events.join(", ").constData());

    events.clear();
    const QByteArray data = pattern(1024 * 1024, 29);
    QVERIFY(writeChunked(data));
    QVERIFY(m_transport->bytesToWrite() > 0);
    ClientRead read;
    QVERIFY(drainClient(m_client, read, data.size()));
    QVERIFY2(firstDifference(read.data, data) == -1, describeDifference(read.data, data).constData());
    QTRY_COMPARE_WITH_TIMEOUT(m_transport->bytesToWrite(), 0, Timeout);
    QVERIFY2(signalThenReceiver(events), events.join(", ").constData());

    // Null: the signals only.
    events.clear();
    m_transport->setReceiver(nullptr);
    QVERIFY(clientSend("pong"));
    QTRY_COMPARE_WITH_TIMEOUT(events, QByteArrayList {"signal readyRead"}, Timeout);
    QCOMPARE(m_transport->readAvailable(), QByteArray("pong"));

    events.clear();
    m_transport->setReceiver(&receiver);
    m_transport->abort();
    QCOMPARE(events, (QByteArrayList {"signal disconnected", "receiver disconnected"}));
}

void TestFdTransport::deleteInReadyReadHandler()
{
    // Transport guards every emission (QPointer) so that a handler may
    // delete it; nothing of the deleted object may be touched afterwards,
    // and its receiver cannot be told of anything after it is gone.
    QVERIFY(open());
    bool deleted = false;
    LateReceiver receiver(deleted);
    m_transport->setReceiver(&receiver);
    QObject context;
    connect(m_transport, &Transport::readyRead, &context, [&] {
        // No allocation after the delete: the freed block stays as it was.
        delete m_transport;
        m_transport = nullptr;
        deleted = true;
    });
    QVERIFY(clientSend("x"));
    QTRY_VERIFY_WITH_TIMEOUT(deleted, Timeout);
    QVERIFY2(!receiver.toldAfterDeletion(),
             "the receiver was told of readyRead after a readyRead handler deleted the transport "
             "(Transport::tellReadyRead reads m_receiver of the deleted object)");
    // The descriptor went with it. The byte it never read makes the kernel
    // answer with a reset rather than a FIN: either ends the client's stream.
    ClientRead read;
    const bool ended = drainClient(m_client, read, 0, true);
    QVERIFY2(ended || read.error == ECONNRESET, qPrintable(u"client read error %1"_s.arg(read.error)));
}

QTEST_GUILESS_MAIN(TestFdTransport)

#include "tst_fdtransport.moc"
