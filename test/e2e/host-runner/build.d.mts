export function buildHostRunner(outDir: string): Promise<string>;
export function buildHostTests(files: readonly string[], outDir: string): Promise<string[]>;
export function buildPythonExtensionStandIn(outDir: string): string;
