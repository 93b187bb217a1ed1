#include "JsonEditor.h"

#include <QEvent>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

constexpr int DebounceMs = 120;
const QColor ValidColor(0x2e, 0x7d, 0x32);
const QColor InvalidColor(0xc0, 0x39, 0x2b);

enum ErrorKind { NoError = 0, ParseError = 1, NotAnObject = 2 };

} // namespace

JsonEditor::JsonEditor(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_state(new QLabel(this))
    , m_debounce(new QTimer(this))
{
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_state);

    connect(m_edit, &QPlainTextEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_edit, &QPlainTextEdit::textChanged, this, &JsonEditor::edited);
    connect(m_debounce, &QTimer::timeout, this, &JsonEditor::validate);
    validate();
}

void JsonEditor::setEmptyAllowed(bool allowed)
{
    m_emptyAllowed = allowed;
    validate();
}

void JsonEditor::setText(const QString &text)
{
    m_edit->setPlainText(text);
    validateNow();
}

QString JsonEditor::text() const { return m_edit->toPlainText(); }
void JsonEditor::setPlaceholderText(const QString &text) { m_edit->setPlaceholderText(text); }

void JsonEditor::setMaximumLines(int lines)
{
    const int height = m_edit->fontMetrics().lineSpacing() * lines + 2 * m_edit->frameWidth()
        + int(m_edit->document()->documentMargin() * 2);
    m_edit->setMaximumHeight(height);
    m_edit->setMinimumHeight(height);
}

void JsonEditor::validateNow()
{
    m_debounce->stop();
    validate();
}

QPair<int, int> JsonEditor::lineAndColumn(const QString &text, int utf8Offset)
{
    // QJsonParseError counts bytes of the UTF-8 encoding, the editor counts
    // UTF-16 characters: convert before locating, or CJK text points wrong.
    const QByteArray utf8 = text.toUtf8();
    const QString before = QString::fromUtf8(utf8.left(qBound(0, utf8Offset, int(utf8.size()))));
    const int line = int(before.count(u'\n')) + 1;
    const int column = int(before.size() - (before.lastIndexOf(u'\n') + 1)) + 1;
    return {line, column};
}

void JsonEditor::validate()
{
    const QString text = m_edit->toPlainText();
    const bool wasValid = m_valid;
    m_empty = text.trimmed().isEmpty();
    m_errorKind = NoError;
    m_error.clear();
    m_object = {};
    int errorCharOffset = -1;
    if (m_empty) {
        m_valid = m_emptyAllowed;
    } else {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError) {
            m_errorKind = ParseError;
            m_error = error.errorString();
            const auto [line, column] = lineAndColumn(text, error.offset);
            m_errorLine = line;
            m_errorColumn = column;
            errorCharOffset = int(QString::fromUtf8(text.toUtf8().left(error.offset)).size());
        } else if (!document.isObject()) {
            m_errorKind = NotAnObject;
        } else {
            m_object = document.object();
        }
        m_valid = m_errorKind == NoError;
    }
    highlightError(errorCharOffset);
    showState();
    if (wasValid != m_valid)
        Q_EMIT validityChanged(m_valid);
}

void JsonEditor::showState()
{
    QString message;
    switch (m_errorKind) {
    case ParseError:
        message = tr("Line %1, column %2: %3").arg(m_errorLine).arg(m_errorColumn).arg(m_error);
        break;
    case NotAnObject:
        message = tr("A JSON object is required: {\"key\": value, …}");
        break;
    default:
        if (m_empty)
            message = m_emptyAllowed ? tr("Empty: none") : tr("Empty: a JSON object is required");
        else
            message = tr("Valid JSON object, %n key(s)", nullptr, int(m_object.size()));
    }
    const QColor color = m_valid ? ValidColor : InvalidColor;
    m_state->setText(QString(QChar(0x25CF)) + u' ' + message);
    m_state->setStyleSheet(u"color: %1;"_s.arg(color.name()));
    m_edit->setStyleSheet(u"QPlainTextEdit { border: 1px solid %1; }"_s.arg(color.name()));
    if (m_errorKind == ParseError)
        m_error = message;
}

void JsonEditor::highlightError(int charOffset)
{
    QList<QTextEdit::ExtraSelection> selections;
    if (charOffset >= 0) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(m_edit->document());
        const int length = m_edit->document()->characterCount();
        const int position = qBound(0, charOffset > 0 ? charOffset - 1 : 0, qMax(0, length - 2));
        selection.cursor.setPosition(position);
        selection.cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
        selection.format.setBackground(QColor(0xf6, 0xd5, 0xd1));
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(InvalidColor);
        selections.append(selection);
    }
    m_edit->setExtraSelections(selections);
}

void JsonEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        validate();
    QWidget::changeEvent(event);
}

} // namespace QuantPush
