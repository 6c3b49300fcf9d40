import type { Plugin } from "vite";

export const COMPILER_MODULE: string;
export const LIBS_MODULE: string;
export function typescriptVersion(): string;
export function assetDir(version?: string): string;
export function checkerModules(): CheckerBuild;
export function typeCheckAssets(): Record<string, string | Buffer>;
export function writeTypeCheckAssets(outDir: string): void;
export function typeCheckBuild(): Plugin;

export interface CheckerBuild {
  mainModule: string;
  modules: Record<string, string>;
  key: string;
  typescriptVersion: string;
  compilerModule: string;
  libsModule: string;
  assetDir: string;
}
