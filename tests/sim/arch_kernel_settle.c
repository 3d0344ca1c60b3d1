/*
 * arch_kernel_settle.c — src/sim/kernel_settle.c built again for another
 * instruction set (see arch_kernel.c).
 */
#include "sim/kernel_settle.c"
