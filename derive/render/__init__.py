"""From a verified derivation to files: the view, Jinja2 glue and filters, PDF and plots."""
