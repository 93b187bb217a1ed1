#pragma once

#include <QFrame>

class QLabel;

namespace QuantPush {

// One "current figure" tile of the dashboard: a caption, a large value and
// a small detail line. Absent figures show an em dash, never a zero.
class StatTile : public QFrame
{
    Q_OBJECT

public:
    explicit StatTile(QWidget *parent = nullptr);

    void setCaption(const QString &caption);
    void setValue(const QString &value);
    void setDetail(const QString &detail);
    void setUnavailable();
    QString value() const;
    QString detail() const;

    static QString dash();

private:
    QLabel *m_caption;
    QLabel *m_value;
    QLabel *m_detail;
};

} // namespace QuantPush
