"""Process helpers for the shell: forked children, the cold start, atomic file writes."""
