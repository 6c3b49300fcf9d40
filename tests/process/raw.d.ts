// Vite's `?raw` imports (vitest runs the process tests through Vite): the apps in fixtures/ as text.
declare module "*?raw" {
  const text: string;
  export default text;
}
