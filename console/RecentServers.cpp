#include "RecentServers.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

constexpr auto Group = "recentServers"_L1;
constexpr auto KeyUrl = "url"_L1;
constexpr auto KeyCredential = "credential"_L1;
constexpr auto KeySecret = "secret"_L1;
constexpr auto KeyIgnoreSsl = "ignoreSslErrors"_L1;
constexpr auto KeyCompression = "compression"_L1;

void save(const QList<ServerProfile> &profiles)
{
    QSettings settings;
    settings.remove(Group);
    settings.beginWriteArray(Group, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ServerProfile &profile = profiles.at(i);
        settings.setArrayIndex(i);
        settings.setValue(KeyUrl, profile.url.toString());
        settings.setValue(KeyCredential,
                          profile.credential == ServerProfile::Credential::ApiKey ? u"api_key"_s : u"token"_s);
        settings.setValue(KeyIgnoreSsl, profile.ignoreSslErrors);
        settings.setValue(KeyCompression, profile.compression);
        if (profile.rememberSecret && !profile.secret.isEmpty())
            settings.setValue(KeySecret, profile.secret);
    }
    settings.endArray();
}

} // namespace

QList<ServerProfile> RecentServers::load()
{
    QSettings settings;
    QList<ServerProfile> profiles;
    const int count = settings.beginReadArray(Group);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        ServerProfile profile;
        profile.url = QUrl(settings.value(KeyUrl).toString());
        profile.credential = settings.value(KeyCredential).toString() == "api_key"_L1
            ? ServerProfile::Credential::ApiKey
            : ServerProfile::Credential::Token;
        profile.secret = settings.value(KeySecret).toString();
        profile.rememberSecret = !profile.secret.isEmpty();
        profile.ignoreSslErrors = settings.value(KeyIgnoreSsl).toBool();
        profile.compression = settings.value(KeyCompression).toBool();
        if (profile.isValid())
            profiles.append(profile);
    }
    settings.endArray();
    return profiles;
}

void RecentServers::remember(const ServerProfile &profile)
{
    QList<ServerProfile> profiles = load();
    profiles.removeIf([&](const ServerProfile &p) { return p.sameServer(profile); });
    profiles.prepend(profile);
    if (profiles.size() > MaxEntries)
        profiles.resize(MaxEntries);
    save(profiles);
}

void RecentServers::forgetSecrets()
{
    QList<ServerProfile> profiles = load();
    for (ServerProfile &profile : profiles) {
        profile.secret.clear();
        profile.rememberSecret = false;
    }
    save(profiles);
}

} // namespace QuantPush
