/**
 * What a compiled module may import: the kit runtime's host functions
 * (module "heapgrade"). Anything else (an `import_module` attribute, a
 * declaration the linker left as an import) is the submission's load
 * failure, named, before instantiation fails with an engine LinkError.
 */
export const KIT_IMPORTS: ReadonlySet<string> = new Set(['sbrk', 'heap_lo', 'reset_brk', 'write', 'assert_fail', 'abort']);

export function foreignImports(module: WebAssembly.Module): WebAssembly.ModuleImportDescriptor[] {
  return WebAssembly.Module.imports(module).filter((i) => i.module !== 'heapgrade' || i.kind !== 'function' || !KIT_IMPORTS.has(i.name));
}
