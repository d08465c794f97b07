/** Vite's `?raw` import (a file's text), which the vitest plugin serves inside workerd too. */
declare module '*?raw' {
  const text: string;
  export default text;
}
