# fuzz-smoke.cmake — make test's share of the fuzzing (CY_FUZZ_SMOKE, which
# the Makefile turns on): the harnesses of tests/fuzz built with clang in
# <build>/fuzz (cmake/fuzz.cmake, a build of its own since a build folder has
# one compiler) as part of this build, and a ctest test fuzz/NAME per
# harness that runs it for a few seconds over its seed corpus.
include(ExternalProject)
find_program(CY_CLANG NAMES clang clang-14 REQUIRED)
ExternalProject_Add(cyberins_fuzz
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${CMAKE_BINARY_DIR}/fuzz
  CMAKE_ARGS -DCMAKE_C_COMPILER=${CY_CLANG} -DCY_FUZZ=ON -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  TEST_COMMAND "")
file(GLOB CY_FUZZ_HARNESSES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/*.c)
foreach(h ${CY_FUZZ_HARNESSES})
  get_filename_component(name ${h} NAME_WE)
  add_test(NAME fuzz/${name}
    COMMAND ${CMAKE_SOURCE_DIR}/tests/fuzz/run.sh ${CMAKE_BINARY_DIR}/fuzz/fuzz_${name} ${name}
            4 ${CMAKE_BINARY_DIR}/fuzz/fuzz-work)
  set_tests_properties(fuzz/${name} PROPERTIES TIMEOUT 120)
endforeach()
