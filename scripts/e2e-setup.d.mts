export const NODE_PACKAGE: string;
export const CODE_SERVER_PACKAGE: string;
export const toolchainDir: string;
/** The .vsix `npm run package` writes: <name>-<version>.vsix in the project root. */
export function packagedVsix(): string;
export interface ToolchainPaths {
  nodeHome: string;
  nodeBin: string;
  codeServerEntry: string;
  stamp: string;
}
export function toolchainPaths(): ToolchainPaths;
export function ensureToolchain(options?: { log?: (line: string) => void }): ToolchainPaths;
