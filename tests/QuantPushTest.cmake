# quantpush_add_test(<unit> SOURCES ... LIBS ... [LABELS ...] [TIMEOUT s])
# Builds tst_<unit> and registers it with ctest; widget tests run offscreen.
function(quantpush_add_test unit)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    set(target tst_${unit})
    qt_add_executable(${target} ${ARG_SOURCES})
    target_link_libraries(${target} PRIVATE Qt6::Test quantpush_strict ${ARG_LIBS})
    add_test(NAME ${unit} COMMAND ${target})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    set_tests_properties(${unit} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=quantpush.*.debug=false")
endfunction()
