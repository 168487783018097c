"""Every sentence, title and printed formula derive writes, in LaTeX and in plain text."""
