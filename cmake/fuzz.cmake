# fuzz.cmake — the libFuzzer harnesses of tests/fuzz, included by
# CMakeLists.txt when CY_FUZZ is ON (make fuzz: build-fuzz; make test:
# <build>/fuzz through cmake/fuzz-smoke.cmake). Only clang has libFuzzer, and
# a build folder has one compiler, so this build holds nothing else: core and
# lib instrumented for coverage under ASan + UBSan, and one fuzz_NAME program
# per tests/fuzz/NAME.c, each a ctest test fuzz/NAME that runs it for
# CY_FUZZ_SECONDS (tests/fuzz/run.sh).
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "CY_FUZZ needs clang (libFuzzer): "
                      "cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCY_FUZZ=ON")
endif()
set(CY_FUZZ_SECONDS 4 CACHE STRING "seconds each fuzz/NAME ctest test runs its harness")

# -Wno-unknown-attributes: the simulation kernel's GCC-only optimize/noclone attributes
cy_libs("-fuzz" -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer -Wno-unknown-attributes)

add_library(cy_fuzz_support STATIC tests/fuzz/support/fuzz.c)
target_link_libraries(cy_fuzz_support PUBLIC cyberins_lib-fuzz)
target_compile_definitions(cy_fuzz_support PUBLIC CY_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_include_directories(cy_fuzz_support PUBLIC ${CMAKE_SOURCE_DIR}/tests/fuzz/support)

file(GLOB CY_FUZZ_HARNESSES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/*.c)
foreach(h ${CY_FUZZ_HARNESSES})
  get_filename_component(name ${h} NAME_WE)
  add_executable(fuzz_${name} ${h})
  target_link_libraries(fuzz_${name} PRIVATE cy_fuzz_support)
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  add_test(NAME fuzz/${name}
    COMMAND ${CMAKE_SOURCE_DIR}/tests/fuzz/run.sh $<TARGET_FILE:fuzz_${name}> ${name}
            ${CY_FUZZ_SECONDS} ${CMAKE_BINARY_DIR}/fuzz-work)
  set_tests_properties(fuzz/${name} PROPERTIES TIMEOUT 120)
endforeach()
