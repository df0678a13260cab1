# heapgrade kit: wasi-libc's dlmalloc starts by claiming [__heap_base, __heap_end),
# memory outside the kit's heap. The kit renames those two references in
# dlmalloc.o to these two labels, which share one address: the start-up region
# is empty and every byte dlmalloc uses comes from the kit's sbrk.
  .section .data.hg_dl_heap,"",@
  .globl hg_dlheap_b
  .globl hg_dlheap_
  .p2align 4
hg_dlheap_b:
hg_dlheap_:
  .int32 0
  .size hg_dlheap_b, 4
  .size hg_dlheap_, 4
