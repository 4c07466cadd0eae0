// Handlebars templates are precompiled by handlebars-loader at build time; importing one yields
// its render function (the bundle ships only the Handlebars runtime, never the compiler).
declare module '*.hbs' {
  const template: (context?: unknown) => string;
  export default template;
}
declare module '*.scss' {
  const nothing: void;
  export default nothing;
}
declare const __JSXC_VERSION__: string;
