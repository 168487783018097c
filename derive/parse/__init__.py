"""Reading what the user typed: derive's expression syntax, LaTeX math, catalog names."""
