# Two Debian packages from one build. In the build directory, `cpack -G DEB` makes
#   quantpush-server_<version>_<arch>.deb   server, token tool, /etc/quantpush/quantpush.yaml
#                                           (conffile), systemd unit, quantpush user, docs
#   quantpush-console_<version>_<arch>.deb  admin console, desktop entry, icons
#                                           (its translations are compiled into the binary)
# Library dependencies come from dpkg-shlibdeps; packaging/README.md explains the rest.
include(GNUInstallDirs)

# The config and the unit are Debian paths, not prefix-relative: with the default
# prefix the config would land in /usr/etc, where neither the unit nor dpkg's
# conffiles look, and lintian wants units in /lib/systemd/system on bookworm.
install(FILES ${PROJECT_SOURCE_DIR}/resources/quantpush.yaml
        DESTINATION /etc/quantpush COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/quantpush-server.service
        DESTINATION /lib/systemd/system COMPONENT server)

# Debian wants copyright and a compressed changelog (no timestamp: gzip -n) in each
# package's doc directory; the unit's Documentation= points into the server's.
set(_qp_server_doc ${CMAKE_INSTALL_DATAROOTDIR}/doc/quantpush-server)
set(_qp_console_doc ${CMAKE_INSTALL_DATAROOTDIR}/doc/quantpush-console)
set(_qp_changelog_gz ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(OUTPUT ${_qp_changelog_gz}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/packaging
    COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/packaging/debian/changelog > ${_qp_changelog_gz}
    DEPENDS ${PROJECT_SOURCE_DIR}/packaging/debian/changelog
    VERBATIM)
add_custom_target(quantpush_changelog ALL DEPENDS ${_qp_changelog_gz})

# Manual pages, compressed the same way.
set(_qp_man_pages quantpush-server.8 quantpush-token.1 quantpush-console.1)
set(_qp_man_gz)
foreach(_page IN LISTS _qp_man_pages)
    set(_gz ${CMAKE_CURRENT_BINARY_DIR}/packaging/${_page}.gz)
    add_custom_command(OUTPUT ${_gz}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/packaging
        COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/packaging/man/${_page} > ${_gz}
        DEPENDS ${PROJECT_SOURCE_DIR}/packaging/man/${_page}
        VERBATIM)
    list(APPEND _qp_man_gz ${_gz})
endforeach()
add_custom_target(quantpush_man_pages ALL DEPENDS ${_qp_man_gz})

set(_qp_components server)
if(QUANTPUSH_BUILD_CONSOLE)
    list(APPEND _qp_components console)
endif()
foreach(_component IN LISTS _qp_components)
    set(_docdir ${_qp_${_component}_doc})
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright DESTINATION ${_docdir} COMPONENT ${_component})
    install(FILES ${_qp_changelog_gz} DESTINATION ${_docdir} COMPONENT ${_component})
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${_qp_server_doc} COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/docs/architecture.md ${PROJECT_SOURCE_DIR}/docs/benchmarks.md
              ${PROJECT_SOURCE_DIR}/docs/operations.md ${PROJECT_SOURCE_DIR}/docs/protocol.md
              ${PROJECT_SOURCE_DIR}/docs/security.md
        DESTINATION ${_qp_server_doc} COMPONENT server)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/packaging/quantpush-server.8.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man8 COMPONENT server)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/packaging/quantpush-token.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT server)
if(QUANTPUSH_BUILD_CONSOLE)
    install(FILES ${PROJECT_SOURCE_DIR}/docs/console.md DESTINATION ${_qp_console_doc} COMPONENT console)
    install(FILES ${CMAKE_CURRENT_BINARY_DIR}/packaging/quantpush-console.1.gz
            DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT console)
endif()

set(CPACK_PACKAGE_NAME quantpush)
set(CPACK_PACKAGE_VENDOR "QuantPush developers")
set(CPACK_PACKAGE_CONTACT "QuantPush developers <dev@quantpush.invalid>")
# Each package's Description starts with its own synopsis line. CPackDeb would put
# one shared summary above both unless the summary is CPack's own default.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# RelWithDebInfo binaries carry debug info; a package ships them stripped.
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${_qp_components})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME quantpush-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENT_SERVER_DESCRIPTION
"real-time WebSocket push server for quantitative trading
QuantPush pushes trading signals, strategy status, market data, order and
position updates, risk alerts and system metrics to WebSocket clients the
moment they happen, with sequence numbers, history and resume, acks and gap
notices, so that no message is lost without the client knowing.

This package holds the server, its systemd unit and configuration
(/etc/quantpush/quantpush.yaml), and quantpush-token, which mints
JSON Web Tokens and API key hashes for clients.")

set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME quantpush-console)
set(CPACK_DEBIAN_CONSOLE_PACKAGE_SECTION x11)
# Qt's own dialogs in Chinese come from Qt's translations; the console's are built in.
set(CPACK_DEBIAN_CONSOLE_PACKAGE_RECOMMENDS qt6-translations-l10n)
set(CPACK_COMPONENT_CONSOLE_DESCRIPTION
"desktop admin console for the QuantPush push server
QuantPush pushes trading signals, market data, order and position updates
and risk alerts to WebSocket clients in real time.

This package holds the Qt admin console: live connection, throughput and
latency charts, the connection table with disconnect, a broadcast composer,
a live message inspector and alert events, in English and Simplified
Chinese.")

include(CPack)
