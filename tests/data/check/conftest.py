"""These files are test inputs for `derive check`, some wrong on purpose: when derive is
installed, its pytest plugin must not collect them as tests of this repository."""

collect_ignore_glob = ["*.derive", "**/*.derive"]
