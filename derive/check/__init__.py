"""`derive check`: verify the derivations people write by hand.

    sources        which files, read safely (size, binary, UTF-8)
    derive_format  `.derive` files -> chains           documents  `.tex`/`.md` -> chains
    scope          `let` and `assume`, and reading one expression of a chain
    runner         chains -> verdicts (in N processes)  report     text/json, exit code
    command        the command line                     chains     the data model
"""
