/*
 * arch_kernel.c — src/sim/kernel.c built again for another instruction set
 * (CMakeLists.txt: the kernels for CPUs without AVX-512), so that
 * test_sim-<arch> runs the unit tests over its non-AVX-512 paths.
 */
#include "sim/kernel.c"
