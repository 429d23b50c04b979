"""Sources: recognise an input by content and locate the bytes of each artifact in it."""
