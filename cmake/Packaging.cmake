# `cpack -G DEB` in the build directory makes quantpush_<version>_<arch>.deb.
include(GNUInstallDirs)
install(FILES ${PROJECT_SOURCE_DIR}/resources/quantpush.yaml DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/quantpush)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/quantpush-server.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")

set(CPACK_PACKAGE_NAME quantpush)
set(CPACK_PACKAGE_VENDOR "QuantPush developers")
set(CPACK_PACKAGE_CONTACT "QuantPush developers <dev@quantpush.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Real-time WebSocket push server for quantitative trading, with an admin console")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
include(CPack)
