"""One module per language: ``MESSAGES = {key: text}``; ``en`` is the reference."""
