#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTimer;

namespace QuantPush {

// A JSON object editor that validates as you type: a green or red state
// line under the text, the parser's message with line and column, and the
// offending character highlighted. Validation is debounced so pasting a
// large document never stalls typing.
class JsonEditor : public QWidget
{
    Q_OBJECT

public:
    explicit JsonEditor(QWidget *parent = nullptr);

    // An empty editor is valid (an empty object) when allowed, e.g. optional filters.
    void setEmptyAllowed(bool allowed);
    void setText(const QString &text);
    QString text() const;
    void setPlaceholderText(const QString &text);
    void setMaximumLines(int lines);

    bool isValid() const { return m_valid; }
    QJsonObject object() const { return m_object; }
    QString errorText() const { return m_error; }
    QPlainTextEdit *textEdit() const { return m_edit; }
    // Runs the pending validation now (tests, and before sending).
    void validateNow();

    // Line and column (1-based) of a UTF-8 byte offset as reported by QJsonParseError.
    static QPair<int, int> lineAndColumn(const QString &text, int utf8Offset);

Q_SIGNALS:
    void validityChanged(bool valid);
    void edited();

protected:
    void changeEvent(QEvent *event) override;

private:
    void validate();
    void showState();
    void highlightError(int charOffset);

    QPlainTextEdit *m_edit;
    QLabel *m_state;
    QTimer *m_debounce;
    bool m_emptyAllowed = false;
    bool m_valid = false;
    bool m_empty = true;
    QJsonObject m_object;
    QString m_error;
    int m_errorLine = 0;
    int m_errorColumn = 0;
    int m_errorKind = 0; // 0 none, 1 parse error, 2 not an object
};

} // namespace QuantPush
