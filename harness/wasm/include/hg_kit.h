/* heapgrade kit: shared definitions for the kit's freestanding C headers.
 * Student code runs as WebAssembly with no libc: these headers declare what the
 * kit's small runtime (harness/wasm/runtime/hg_runtime.c) provides. */
#ifndef HG_KIT_H
#define HG_KIT_H
#include <stddef.h>
#include <stdint.h>
#define HG_IMPORT(name) __attribute__((import_module("heapgrade"), import_name(name)))
#endif
