"""Pure computation of each step of the method: canonical tables and a period in; ids, numbers and
frames out. No language, no labels, no HTML, no file I/O (see strategy_kit.narrative for the words)."""
