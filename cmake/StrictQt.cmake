# One INTERFACE target carries the strict Qt definitions and warnings; every
# target of the project links it (qBittorrent's CommonConfig habit).
add_library(quantpush_strict INTERFACE)
target_compile_definitions(quantpush_strict INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    QUANTPUSH_VERSION="${PROJECT_VERSION}")
target_compile_options(quantpush_strict INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(QUANTPUSH_WERROR)
    target_compile_options(quantpush_strict INTERFACE -Werror)
endif()
