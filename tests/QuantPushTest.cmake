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

# quantpush_add_fuzz(<name> [SOURCES ...] [INCLUDES ...] [LIBS ...] [RUN_ARGS ...] [MOC]
#                    [REPLAY_LIBS ... [REPLAY_SOURCES ...] [REPLAY_LABELS ...] [MIN_INPUTS n]])
# One fuzz target: <name>.cpp in the calling folder defines LLVMFuzzerTestOneInput.
#
# Every build, with any compiler (when REPLAY_LIBS is given): tst_<name>_replay
# runs that function over the folder's corpus/ and regressions/ (inputs that
# once crashed), at least MIN_INPUTS files (testsupport/FuzzReplay.cpp). A
# violated invariant traps or aborts, failing the test. REPLAY_SOURCES: a
# test class deriving from FuzzReplay with more test functions and its own main.
#
# Only with -DQUANTPUSH_FUZZ=ON and clang (scripts/run_tests.sh): the libFuzzer
# executable <name>, with SOURCES (the code under test) compiled into it so
# that they get the coverage instrumentation and sanitizers; any undefined
# behaviour is a crash, not a message. ctest (label "fuzz") runs it bounded
# with RUN_ARGS, over a scratch folder and corpus/ when there is one, and
# replays every file of regressions/ once as <name>_regressions. A long run by
# hand (new inputs go to the first, scratch, folder; copy the interesting ones
# into corpus/ and any crash-* file into regressions/), e.g.
#   mkdir -p /tmp/fuzz_protocol && build-fuzz/tests/fuzz_protocol/fuzz_protocol -max_total_time=1800 \
#       -max_len=4096 -dict=tests/fuzz_protocol/protocol.dict /tmp/fuzz_protocol tests/fuzz_protocol/corpus
function(quantpush_add_fuzz name)
    cmake_parse_arguments(ARG "MOC" "MIN_INPUTS"
        "SOURCES;INCLUDES;LIBS;RUN_ARGS;REPLAY_SOURCES;REPLAY_LIBS;REPLAY_LABELS" ${ARGN})
    set(_corpus ${CMAKE_CURRENT_SOURCE_DIR}/corpus)
    set(_regressions ${CMAKE_CURRENT_SOURCE_DIR}/regressions)

    if(ARG_REPLAY_LIBS)
        set(_support ${CMAKE_SOURCE_DIR}/tests/testsupport)
        if(NOT ARG_MIN_INPUTS)
            set(ARG_MIN_INPUTS 1)
        endif()
        if(NOT ARG_REPLAY_SOURCES)
            set(ARG_REPLAY_SOURCES ${_support}/FuzzReplayMain.cpp)
        endif()
        quantpush_add_test(${name}_replay
            SOURCES ${ARG_REPLAY_SOURCES} ${_support}/FuzzReplay.h ${_support}/FuzzReplay.cpp ${name}.cpp
            LIBS ${ARG_REPLAY_LIBS} LABELS ${ARG_REPLAY_LABELS})
        target_include_directories(tst_${name}_replay PRIVATE ${_support})
        target_compile_definitions(tst_${name}_replay PRIVATE
            QUANTPUSH_FUZZ_CORPUS="${_corpus}"
            QUANTPUSH_FUZZ_REGRESSIONS="${_regressions}"
            QUANTPUSH_FUZZ_MIN_INPUTS=${ARG_MIN_INPUTS})
    endif()

    if(NOT QUANTPUSH_FUZZ)
        return()
    endif()
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(WARNING "QUANTPUSH_FUZZ needs clang (libFuzzer); ${name} is not built with ${CMAKE_CXX_COMPILER_ID}")
        return()
    endif()

    add_executable(${name} ${name}.cpp ${ARG_SOURCES})
    target_include_directories(${name} PRIVATE ${ARG_INCLUDES})
    target_link_libraries(${name} PRIVATE quantpush_strict ${ARG_LIBS})
    if(ARG_MOC)
        set_target_properties(${name} PROPERTIES AUTOMOC ON)
    else()
        set_target_properties(${name} PROPERTIES AUTOMOC OFF)
    endif()
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)

    set(_inputs)
    if(IS_DIRECTORY ${_corpus})
        set(_scratch ${CMAKE_CURRENT_BINARY_DIR}/corpus-scratch)
        file(MAKE_DIRECTORY ${_scratch})
        set(_inputs ${_scratch} ${_corpus})
    endif()
    add_test(NAME ${name} COMMAND ${name} ${ARG_RUN_ARGS} ${_inputs})
    set_tests_properties(${name} PROPERTIES LABELS "fuzz" TIMEOUT 300)

    file(GLOB _crashes ${_regressions}/*)
    if(_crashes)
        add_test(NAME ${name}_regressions COMMAND ${name} ${_crashes})
        set_tests_properties(${name}_regressions PROPERTIES LABELS "fuzz" TIMEOUT 120)
    endif()
endfunction()
