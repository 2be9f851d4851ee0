// The engine's npm dependencies that every command needs, imported before the TypeScript hooks
// are registered. Node 20 runs loader hooks on a separate thread, and every module a package
// loads crosses to it and back; imported first, they are in the module cache when the engine asks
// for them (same URLs, so the same module instances), and the hooks see one resolve per import.
// Apache Arrow is not among them: the engine loads it when it first needs a table (engine/arrow.ts),
// with require(), which does not cross to the hooks either.
await Promise.all([import('rxjs/internal/Observable'), import('zod')]);
