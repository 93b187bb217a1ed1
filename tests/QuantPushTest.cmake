# quantpush_add_test(<unit> SOURCES ... LIBS ... [LABELS ...] [TIMEOUT s] [OWN_EVENT_LOOP])
# Builds tst_<unit> and registers it with ctest; widget tests run offscreen.
# Unless OWN_EVENT_LOOP (GUI tests: the platform plugin brings its dispatcher),
# the test runs on the server's event dispatcher (testsupport/HarnessEventLoop.cpp).
function(quantpush_add_test unit)
    cmake_parse_arguments(ARG "OWN_EVENT_LOOP" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    set(target tst_${unit})
    qt_add_executable(${target} ${ARG_SOURCES})
    target_link_libraries(${target} PRIVATE Qt6::Test quantpush_strict ${ARG_LIBS})
    target_sources(${target} PRIVATE ${CMAKE_SOURCE_DIR}/tests/testsupport/MainThreadTestLog.cpp)
    if(NOT ARG_OWN_EVENT_LOOP)
        target_sources(${target} PRIVATE ${CMAKE_SOURCE_DIR}/tests/testsupport/HarnessEventLoop.cpp)
        target_link_libraries(${target} PRIVATE quantpush_eventloop)
    endif()
    add_test(NAME ${unit} COMMAND ${target})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    set_tests_properties(${unit} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=quantpush.*.debug=false")
endfunction()
