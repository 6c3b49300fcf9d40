// Vite's `?raw` imports, which the worker tests use to read README.md's examples.
declare module "*?raw" {
  const text: string;
  export default text;
}
