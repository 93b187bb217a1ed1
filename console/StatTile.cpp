#include "StatTile.h"

#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace QuantPush {

StatTile::StatTile(QWidget *parent)
    : QFrame(parent)
    , m_caption(new QLabel(this))
    , m_value(new QLabel(dash(), this))
    , m_detail(new QLabel(this))
{
    setObjectName(u"statTile"_s);
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(u"QFrame#statTile { background: palette(base); border: 1px solid palette(mid); border-radius: 4px; }"_s);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    QFont captionFont = m_caption->font();
    captionFont.setPointSizeF(captionFont.pointSizeF() * 0.9);
    m_caption->setFont(captionFont);
    m_caption->setForegroundRole(QPalette::PlaceholderText);

    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.8);
    valueFont.setWeight(QFont::DemiBold);
    m_value->setFont(valueFont);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_detail->setFont(captionFont);
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    // Tiles keep one height whether or not a detail line is shown.
    m_detail->setMinimumHeight(QFontMetrics(captionFont).height());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(0);
    layout->addWidget(m_caption);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
}

void StatTile::setCaption(const QString &caption) { m_caption->setText(caption); }
void StatTile::setValue(const QString &value) { m_value->setText(value); }
void StatTile::setDetail(const QString &detail) { m_detail->setText(detail); }
QString StatTile::value() const { return m_value->text(); }
QString StatTile::detail() const { return m_detail->text(); }

void StatTile::setUnavailable()
{
    m_value->setText(dash());
    m_detail->clear();
}

QString StatTile::dash() { return QString(QChar(0x2014)); }

} // namespace QuantPush
