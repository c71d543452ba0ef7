export const EDITOR_EXTRA_FILES: Readonly<Record<string, string>>;
