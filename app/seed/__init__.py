"""Generated data for benchmarks: ``flask seed province-year``."""
