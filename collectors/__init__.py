"""Platform collectors: pure fetch-and-parse code, no Flask, no database."""
